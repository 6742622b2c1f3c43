package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/newswatch/newswatch/store"
)

// feedHealth is one row of `newswatch feeds`.
type feedHealth struct {
	Name             string     `json:"name"`
	URL              string     `json:"url"`
	LastPoll         *time.Time `json:"last_poll"`
	LastSuccess      *time.Time `json:"last_success"`
	Status           int        `json:"status"`
	Errors           int        `json:"errors"`
	LastError        string     `json:"last_error"`
	NextPoll         *time.Time `json:"next_poll"`
	ItemsSeen        int        `json:"items_seen"`
	ExtractFallbacks int        `json:"extract_fallbacks"`
}

func newFeedsCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "feeds",
		Short: "Show every feed with its health",
		Long: `Feeds lists every configured feed with its last poll, HTTP status,
consecutive error count and last error, next poll and items seen.
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

// feedHealth joins the configured feeds with their stored state.
func (a *app) feedHealth(cfg *Config) (rows []feedHealth, err error) {
	states := map[string]store.FeedState{}
	st, err := a.openStoreMode(cfg, true)
	switch {
	case err == nil:
		defer func() { err = errors.Join(err, st.Close()) }()
		all, err := st.Feeds()
		if err != nil {
			return nil, err
		}
		for _, s := range all {
			states[s.URL] = s
		}
	case errors.Is(err, store.ErrLocked):
		return nil, err
	default:
		// No store yet: every feed is simply not polled yet.
	}
	for _, f := range cfg.newsFeeds() {
		s := states[f.URL]
		rows = append(rows, feedHealth{
			Name: f.Name, URL: f.URL, LastPoll: timePtr(s.LastPoll), LastSuccess: timePtr(s.LastSuccess),
			Status: s.Status, Errors: s.Errors, LastError: s.LastError, NextPoll: timePtr(s.NextPoll),
			ItemsSeen: s.ItemsSeen, ExtractFallbacks: s.ExtractFallbacks,
		})
	}
	return rows, nil
}

func writeFeedTable(a *app, rows []feedHealth) error {
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tLAST POLL\tSTATUS\tERRORS\tNEXT POLL\tITEMS\tFALLBACKS\tURL\tLAST ERROR")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%d\t%d\t%s\t%s\n", r.Name, fmtTime(r.LastPoll), fmtStatus(r), r.Errors,
			fmtTime(r.NextPoll), r.ItemsSeen, r.ExtractFallbacks, r.URL, r.LastError)
	}
	return tw.Flush()
}

func fmtStatus(r feedHealth) string {
	switch {
	case r.LastPoll == nil:
		return "-"
	case r.Status == 0:
		return "error"
	}
	return fmt.Sprint(r.Status)
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func fmtTime(t *time.Time) string {
	if t == nil {
		return "never"
	}
	return t.Local().Format("2006-01-02 15:04:05")
}
