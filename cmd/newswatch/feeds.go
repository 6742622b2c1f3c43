package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/newswatch/newswatch/export"
	"github.com/newswatch/newswatch/web"
)

func newFeedsCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "feeds",
		Short: "Show every feed with its health; add, remove, import and export feeds",
		Long: `Feeds lists every feed in force — those of the config file and those
added at run time (ORIGIN) — with its source health, last poll, HTTP
status, consecutive error count and last error, next poll and items
seen. Health is ok, failing (every poll failed for a day), quiet (no new
item for several times its usual gap), rule_broken (the site rule found
no article body on most recent articles) or unknown (not polled yet).
A feed is never disabled: a failing one is retried with backoff.
"fallbacks" counts articles whose site rule found nothing (the site may
have changed its layout).

TYPE says what a source is: feed, sitemap or page (a section page).
GAPS counts the polls that shared no item with the previous one: items
may have scrolled out of the feed unseen, so its backfill source (if it
names one) was read at once. NOTES say what the last poll of a sitemap
or page left out (a bound, links to other sites, broken XML) and how the
feed's backfill fares.

Feeds added with "feeds add" or "feeds import" live in the store and take
effect in a running daemon at once (first poll within seconds); feeds of
the config file stay declared there.`,
		Example: "  newswatch feeds\n  newswatch feeds --format json\n  newswatch feeds add https://example.org/rss.xml --name Example --lang en",
		Args:    cobraArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			if format != "text" && format != "json" {
				return usageError{fmt.Errorf("--format %q: want text or json", format)}
			}
			rows, err := a.feedRows(cmd)
			if err != nil {
				return err
			}
			if format == "json" {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(rows)
			}
			return writeFeedTable(a.stdout, rows)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.AddCommand(newFeedsAddCmd(a), newFeedsRemoveCmd(a), newFeedsImportCmd(a), newFeedsExportCmd(a))
	return cmd
}

// feedRows lists the feeds in force through the API. Before the store
// exists, the config's feeds are listed as never polled.
func (a *app) feedRows(cmd *cobra.Command) (rows []web.FeedHealth, err error) {
	cfg, err := a.loadConfig()
	if err != nil {
		return nil, err
	}
	s, err := a.connect(cmd.Context(), cfg, readOnly)
	if errors.Is(err, errNoStore) {
		return web.FeedHealthRows(cfg.newsFeeds(), nil), nil
	}
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, s.Close()) }()
	rows, err = s.Feeds(cmd.Context())
	return rows, apiError(err)
}

func writeFeedTable(w io.Writer, rows []web.FeedHealth) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tORIGIN\tTYPE\tHEALTH\tLAST POLL\tSTATUS\tERRORS\tNEXT POLL\tITEMS\tGAPS\tFALLBACKS\tURL\tLAST ERROR\tNOTES")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%d\t%s\t%d\t%s\t%s\t%s\n", r.Name, r.Origin, r.Type, r.Health, fmtTime(r.LastPoll), fmtStatus(r), r.Errors,
			fmtTime(r.NextPoll), r.ItemsSeen, fmtGaps(r), r.ExtractFallbacks, r.URL, r.LastError, fmtNotes(r))
	}
	return tw.Flush()
}

// fmtGaps shows how many gaps a feed had and the latest: "2 (last 2026-11-27 10:00:00 +0700, 50 items)".
func fmtGaps(r web.FeedHealth) string {
	if r.Gaps == 0 || r.LastGap == nil {
		return fmt.Sprint(r.Gaps)
	}
	return fmt.Sprintf("%d (last %s, %d items)", r.Gaps, fmtTime(r.LastGap), r.LastGapWindow)
}

// fmtNotes shows what the last poll left out and how the backfill fares.
func fmtNotes(r web.FeedHealth) string {
	notes := slices.Clone(r.Notes)
	if r.Backfill != "" {
		b := "backfill " + r.Backfill
		if r.BackfillError != "" {
			b += " failed: " + r.BackfillError
		}
		notes = append(notes, b)
	}
	return strings.Join(notes, "; ")
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

// timeLayout is how every command shows a time: local, with its zone
// offset, so that times from different commands and machines compare.
const timeLayout = "2006-01-02 15:04:05 -0700"

func fmtTime(t *time.Time) string {
	if t == nil || t.IsZero() {
		return "never"
	}
	return t.Local().Format(timeLayout)
}

func newFeedsAddCmd(a *app) *cobra.Command {
	var spec web.FeedSpec
	var interval string
	var scrape bool
	cmd := &cobra.Command{
		Use:   "add URL",
		Short: "Watch a feed, added at run time (kept in the store)",
		Long: `Add watches the feed at URL from now on. It is kept in the store, not in
the config file, and checked as a feeds[] entry of the config would be.
A running daemon polls it within seconds; otherwise the next "run" or
"poll" does. A URL already watched (compared in canonical form) is
refused.

--type sitemap watches a news sitemap (or a sitemap index); --type page a
section page, whose article links are found by --items (a CSS selector;
--title and --date are looked up inside each item) or, without it, by the
generic link rule. --backfill names the source read at once when a poll
finds a gap in the feed or after downtime: the name or URL of a source in
force, or the URL of a sitemap.`,
		Example: "  newswatch feeds add https://example.org/rss.xml\n" +
			"  newswatch feeds add https://example.org/ar/rss.xml --name 'Example (ar)' --lang ar --interval 30m --scrape=false\n" +
			"  newswatch feeds add https://example.org/rss.xml --backfill https://example.org/sitemap-news.xml\n" +
			"  newswatch feeds add https://example.org/vi/xa-hoi/ --type page --items '.timeline .story' --title 'h2 a' --date 'time[datetime]'",
		Args: cobraArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			spec.URL, spec.Interval = args[0], interval
			if cmd.Flags().Changed("scrape") {
				spec.Scrape = &scrape
			}
			s, err := a.connectConfig(cmd, readWrite)
			if err != nil {
				return err
			}
			defer func() { err = errors.Join(err, s.Close()) }()
			res, err := s.AddFeed(cmd.Context(), spec, "feeds add")
			if err != nil {
				return apiError(err)
			}
			for _, r := range res.Added {
				fmt.Fprintf(a.stdout, "added %s (%s)\n", r.Name, r.URL)
			}
			a.noDaemonNote(s, "it is polled when \"newswatch run\" or \"newswatch poll\" next runs")
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&spec.Name, "name", "", "name shown in logs and exports (default: the host)")
	f.StringVar(&spec.Lang, "lang", "", "language of items that declare none (e.g. vi, ar)")
	f.StringVar(&interval, "interval", "", "poll interval such as 30m, or adaptive (default: schedule.interval)")
	f.BoolVar(&scrape, "scrape", true, "fetch and extract each item's article page")
	f.StringVar(&spec.Type, "type", "", "what URL serves: feed (default), sitemap or page")
	f.StringVar(&spec.Items, "items", "", "page: CSS selector of the article links, or of elements holding one each")
	f.StringVar(&spec.Title, "title", "", "page: CSS selector of the headline inside each item")
	f.StringVar(&spec.Date, "date", "", "page: CSS selector of the publication date inside each item")
	f.StringVar(&spec.Backfill, "backfill", "", "source read at once after a gap or downtime: a sitemap URL, or the name or URL of a source in force")
	f.StringSliceVar(&spec.Hosts, "hosts", nil, "sitemap or page: other hosts whose links are taken (comma-separated)")
	return cmd
}

// connectConfig loads the config and connects to the API.
func (a *app) connectConfig(cmd *cobra.Command, access storeAccess) (*session, error) {
	cfg, err := a.loadConfig()
	if err != nil {
		return nil, err
	}
	return a.connect(cmd.Context(), cfg, access)
}

// noDaemonNote tells on stderr what happens next when no daemon took a
// change at once.
func (a *app) noDaemonNote(s *session, what string) {
	if !s.daemon {
		fmt.Fprintf(a.stderr, "newswatch: no daemon is running: %s\n", what)
	}
}

func newFeedsRemoveCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "remove URL",
		Short: "Stop watching a feed added at run time",
		Long: `Remove stops watching a feed that was added at run time. Its articles
and poll history stay in the store. Feeds of the config file are removed
by editing the file and running "newswatch reload".`,
		Example: "  newswatch feeds remove https://example.org/rss.xml",
		Args:    cobraArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			s, err := a.connectConfig(cmd, readWrite)
			if err != nil {
				return err
			}
			defer func() { err = errors.Join(err, s.Close()) }()
			removed, err := s.RemoveFeed(cmd.Context(), args[0])
			if err != nil {
				return apiError(err)
			}
			for _, r := range removed {
				fmt.Fprintf(a.stdout, "removed %s (%s); its articles stay in the archive\n", r.Name, r.URL)
			}
			return nil
		},
	}
}

func newFeedsImportCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE.opml",
		Short: "Watch the feeds of an OPML file (from Miniflux, FreshRSS, Inoreader...)",
		Long: `Import adds every feed of an OPML 1.0 or 2.0 subscription list, as feed
readers export it (nested folders are flattened), as feeds added at run
time. Feeds already watched (compared in canonical form, the config's
included) and entries that are not valid feeds are skipped and listed.
"-" reads the file from standard input.`,
		Example: "  newswatch feeds import subscriptions.opml",
		Args:    cobraArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			in, name, err := openInput(a, args[0])
			if err != nil {
				return err
			}
			defer in.Close()
			s, err := a.connectConfig(cmd, readWrite)
			if err != nil {
				return err
			}
			defer func() { err = errors.Join(err, s.Close()) }()
			res, err := s.ImportFeeds(cmd.Context(), in, name)
			if err != nil {
				return apiError(err)
			}
			fmt.Fprintf(a.stdout, "imported %d feed(s) from %s; skipped %d\n", len(res.Added), name, len(res.Skipped))
			for _, r := range res.Added {
				fmt.Fprintf(a.stdout, "  + %s (%s)\n", r.Name, r.URL)
			}
			for _, sk := range res.Skipped {
				fmt.Fprintf(a.stdout, "  - %s: %s\n", sk.URL, sk.Reason)
			}
			a.noDaemonNote(s, "the feeds are polled when \"newswatch run\" or \"newswatch poll\" next runs")
			return nil
		},
	}
}

// openInput opens a file argument, "-" meaning standard input, and
// returns the name to show for it.
func openInput(a *app, arg string) (io.ReadCloser, string, error) {
	if arg == "-" {
		return io.NopCloser(a.stdin), "stdin", nil
	}
	f, err := os.Open(arg)
	if err != nil {
		return nil, "", usageError{err}
	}
	return f, filepath.Base(arg), nil
}

func newFeedsExportCmd(a *app) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write the feeds in force as OPML 2.0",
		Long: `Export writes every feed in force (the config's and those added at run
time) as an OPML 2.0 subscription list, which feed readers and
"newswatch feeds import" read.`,
		Example: "  newswatch feeds export > feeds.opml",
		Args:    cobraArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			cfg, err := a.loadConfig()
			if err != nil {
				return err
			}
			s, err := a.connect(cmd.Context(), cfg, readOnly)
			if errors.Is(err, errNoStore) { // only the config's feeds so far
				return a.writeOutput(out, 0o644, func(w io.Writer) error { return export.WriteOPML(w, cfg.newsFeeds()) })
			}
			if err != nil {
				return err
			}
			defer func() { err = errors.Join(err, s.Close()) }()
			return a.writeOutput(out, 0o644, func(w io.Writer) error { return apiError(s.ExportFeeds(cmd.Context(), w)) })
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to FILE instead of standard output")
	return cmd
}

// writeOutput runs write on standard output, or on the file out, created
// with mode (a backup, which holds everything, is 0600). A file is written
// beside out and renamed over it only when write succeeded, so a failed or
// interrupted command never leaves a truncated file that looks whole, nor
// clobbers a good one.
func (a *app) writeOutput(out string, mode os.FileMode, write func(io.Writer) error) (err error) {
	if out == "" || out == "-" {
		return write(a.stdout)
	}
	f, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*.part")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = os.Remove(f.Name())
		}
	}()
	if err := write(f); err != nil {
		return errors.Join(err, f.Close())
	}
	if err := f.Chmod(mode); err != nil {
		return errors.Join(err, f.Close())
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), out)
}
