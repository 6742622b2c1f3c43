package main

import (
	"errors"
	"fmt"
	"io"
	"net/url"

	"github.com/spf13/cobra"

	"github.com/newswatch/newswatch/export"
)

func newExportCmd(a *app) *cobra.Command {
	var (
		opts         export.Options
		out          string
		since, until string
	)
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export stored articles as JSON Lines",
		Long: `Export writes one JSON object per line for each stored article that
matched a topic (with --all, every stored article), oldest first, with
the fields id, url, feed_url, source, title, text, lang, published,
fetched, topics and matches. It says on standard error how many articles
it wrote. While a daemon runs, the export goes through it.`,
		Example: `  newswatch export -o archive.jsonl
  newswatch export --topic trafficking --since 2026-01-01
  newswatch export --all --since 2026-11-01T00:00:00Z --until 2026-12-01T00:00:00Z`,
		Args: cobraArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			if opts.Since, err = export.ParseTime("--since", since); err != nil {
				return usageError{err}
			}
			if opts.Until, err = export.ParseTime("--until", until); err != nil {
				return usageError{err}
			}
			if opts.Format != export.FormatJSONL {
				return usageError{fmt.Errorf("--format %q: only jsonl is supported", opts.Format)}
			}
			s, err := a.connectConfig(cmd, readOnly)
			if err != nil {
				return err
			}
			defer func() { err = errors.Join(err, s.Close()) }()
			q := url.Values{"format": {opts.Format}}
			for k, v := range map[string]string{"topic": opts.Topic, "since": since, "until": until} {
				if v != "" {
					q.Set(k, v)
				}
			}
			if opts.All {
				q.Set("all", "1")
			}
			var n int
			err = a.writeOutput(out, 0o644, func(w io.Writer) (err error) {
				n, err = s.Export(cmd.Context(), w, q)
				return apiError(err)
			})
			if err != nil {
				return err
			}
			where := ""
			if out != "" && out != "-" {
				where = " to " + out
			}
			fmt.Fprintf(a.stderr, "exported %d articles%s\n", n, where)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Format, "format", export.FormatJSONL, "output format: jsonl")
	f.StringVarP(&out, "output", "o", "", "write to FILE instead of standard output")
	f.BoolVar(&opts.All, "all", false, "include stored articles that matched no topic")
	f.StringVar(&opts.Topic, "topic", "", "only articles that matched this topic")
	f.StringVar(&since, "since", "", "only articles published at or after TIME (RFC 3339 or YYYY-MM-DD)")
	f.StringVar(&until, "until", "", "only articles published before TIME (RFC 3339 or YYYY-MM-DD)")
	return cmd
}
