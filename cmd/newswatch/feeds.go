package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/newswatch/newswatch/store"
	"github.com/newswatch/newswatch/web"
)

func newFeedsCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "feeds",
		Short: "Show every feed with its health",
		Long: `Feeds lists every configured feed with its source health, last poll,
HTTP status, consecutive error count and last error, next poll and items
seen. Health is ok, failing (every poll failed for a day), quiet (no new
item for several times its usual gap), rule_broken (the site rule found
no article body on most recent articles) or unknown (not polled yet).
A feed is never disabled: a failing one is retried with backoff.
"fallbacks" counts articles whose site rule found nothing (the site
may have changed its layout).`,
		Example: "  newswatch feeds\n  newswatch feeds --format json",
		Args:    cobraArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			if format != "text" && format != "json" {
				return usageError{fmt.Errorf("--format %q: want text or json", format)}
			}
			cfg, err := a.loadConfig()
			if err != nil {
				return err
			}
			rows, err := a.feedHealth(cfg)
			if err != nil {
				return err
			}
			if format == "json" {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(rows)
			}
			return writeFeedTable(a, rows)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

// feedHealth joins the configured feeds with their stored state, as the
// web server's /feeds does.
func (a *app) feedHealth(cfg *Config) (rows []web.FeedHealth, err error) {
	var states []store.FeedState
	st, err := a.openStoreMode(cfg, true)
	switch {
	case err == nil:
		defer func() { err = errors.Join(err, st.Close()) }()
		if states, err = st.Feeds(); err != nil {
			return nil, err
		}
	case errors.Is(err, store.ErrLocked):
		return nil, err
	default:
		// No store yet: every feed is simply not polled yet.
	}
	return web.FeedHealthRows(cfg.newsFeeds(), states), nil
}

func writeFeedTable(a *app, rows []web.FeedHealth) error {
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tHEALTH\tLAST POLL\tSTATUS\tERRORS\tNEXT POLL\tITEMS\tFALLBACKS\tURL\tLAST ERROR")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%d\t%d\t%s\t%s\n", r.Name, r.Health, fmtTime(r.LastPoll), fmtStatus(r), r.Errors,
			fmtTime(r.NextPoll), r.ItemsSeen, r.ExtractFallbacks, r.URL, r.LastError)
	}
	return tw.Flush()
}

func fmtStatus(r web.FeedHealth) string {
	switch {
	case r.LastPoll == nil:
		return "-"
	case r.Status == 0:
		return "error"
	}
	return fmt.Sprint(r.Status)
}

func fmtTime(t *time.Time) string {
	if t == nil {
		return "never"
	}
	return t.Local().Format("2006-01-02 15:04:05")
}
