package main

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/web"
)

func newEvidenceCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "evidence ID",
		Short: "Print the manifest of an article's kept HTTP exchanges",
		Long: `Evidence prints what newswatch kept of an article's page as proof of what
was published: for each capture (the first fetch, then each revision
found by a re-fetch) the URL asked for and where redirects led, the time
of the request, the status, the SHA-256 of the kept exchange and of the
payload (the body as transferred, the WARC-Payload-Digest of
"export --format warc"), and its size as fetched and as stored
(compressed). Which pages are kept is set by fetch.keep_raw. While a
daemon runs, the command goes through it.`,
		Example: "  newswatch evidence 3f2a9c0d1e4b5a6f7788\n  newswatch evidence --format json 3f2a9c0d1e4b5a6f7788",
		Args:    cobraArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			return a.withAPI(cmd, readOnly, func(s *session) error {
				ev, err := s.Evidence(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				if format == "json" {
					return writeIndented(a.stdout, ev)
				}
				return printEvidence(a.stdout, ev)
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

// printEvidence writes the manifest as text, one block per capture.
func printEvidence(w io.Writer, ev web.Evidence) error {
	fmt.Fprintf(w, "article %s  %s\n  %s\n", ev.ArticleID, ev.Title, ev.URL)
	if len(ev.Captures) == 0 {
		fmt.Fprintln(w, "no captures kept (fetch.keep_raw, or a page not scraped)")
		return nil
	}
	for _, c := range ev.Captures {
		tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
		fmt.Fprintf(tw, "capture %d\t", c.Seq)
		if c.Revision > 0 {
			fmt.Fprintf(tw, "(revision %d)", c.Revision)
		}
		fmt.Fprintln(tw)
		fmt.Fprintf(tw, "  time\t%s\n", c.Time.UTC().Format(time.RFC3339Nano))
		fmt.Fprintf(tw, "  url\t%s\n", c.URL)
		if c.FinalURL != c.URL {
			fmt.Fprintf(tw, "  final url\t%s\n", c.FinalURL)
		}
		fmt.Fprintf(tw, "  status\t%d (%d hops)\n", c.Status, len(c.Hops))
		fmt.Fprintf(tw, "  sha256\t%s\n", c.SHA256)
		fmt.Fprintf(tw, "  payload sha256\t%s\n", c.PayloadSHA256)
		fmt.Fprintf(tw, "  size\t%d bytes, %d stored\n", c.Size, c.Stored)
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	for _, r := range ev.Revisions {
		fmt.Fprintf(w, "revision %d  %s  %s", r.Seq, r.Time.UTC().Format(time.RFC3339), r.Kind)
		switch r.Kind {
		case news.RevisionEdited:
			fmt.Fprintf(w, " (%d bytes of diff)", r.DiffSize)
		case news.RevisionRemoved:
			fmt.Fprintf(w, " (status %d)", r.Status)
			if r.URL != "" {
				fmt.Fprintf(w, " to %s", r.URL)
			}
		}
		fmt.Fprintln(w)
	}
	return nil
}
