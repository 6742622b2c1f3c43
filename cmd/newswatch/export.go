package main

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

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
		Short: "Export stored articles as JSON Lines, CSV, Atom, Parquet or WARC",
		Long: `Export writes each stored article that matched a topic (with --all,
every stored article), oldest first, and says on standard error how many
it wrote. While a daemon runs, the export goes through it.

--format jsonl (the default) writes one JSON object per line with the
fields id, url, feed_url, source, title, text, lang, published, fetched,
topics and matches.

--format csv writes RFC 4180 CSV for spreadsheets, one row per article
with the columns id, url, source, feed_url, lang, published, fetched,
title, topics, matched_terms, snippet and text (lists ';'-joined). --bom
starts it with a UTF-8 byte-order mark, which Excel needs to show Arabic
or Vietnamese right. A cell that would start a formula (= + - @) gets a
leading apostrophe, and a text longer than a spreadsheet cell holds
(32,767 characters) is cut and ends with "[…truncated]".

--format atom writes an Atom feed, one entry per article.

--format parquet writes an Apache Parquet file for DuckDB, pandas or R:
one row per article with the jsonl fields as typed columns (published and
fetched as UTC timestamps, topics as a list of strings, matches as a list
of structs), zstd-compressed, in row groups of at most 4096 articles.
Write it to a file with -o.

--format warc writes the kept HTTP exchanges of the selected articles
(see fetch.keep_raw and "newswatch evidence") as WARC 1.1: per capture,
each hop's request and response records, with WARC-Date and
WARC-Payload-Digest (the SHA-256 of the body as transferred), readable
by web-archive tools (pywb, warcio, replayweb.page).`,
		Example: `  newswatch export -o archive.jsonl
  newswatch export --topic trafficking --since 2026-01-01
  newswatch export --format csv --bom --topic trafficking -o trafficking.csv
  newswatch export --format atom --topic un -o un.atom
  newswatch export --format parquet --all -o archive.parquet
  newswatch export --format warc --topic trafficking -o trafficking.warc
  newswatch export --all --since 2026-11-01T00:00:00Z --until 2026-12-01T00:00:00Z`,
		Args: cobraArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			if opts.Since, err = export.ParseTime("--since", since); err != nil {
				return usageError{err}
			}
			if opts.Until, err = export.ParseTime("--until", until); err != nil {
				return usageError{err}
			}
			if err := opts.Check(); err != nil {
				return usageError{err}
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
			if opts.BOM {
				q.Set("bom", "1")
			}
			var n int
			err = a.writeOutput(out, 0o644, func(w io.Writer) (err error) {
				n, err = s.Export(cmd.Context(), w, q)
				return apiError(err)
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "exported %d articles%s\n", n, outputName(out))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Format, "format", export.FormatJSONL, "output format: "+strings.Join(export.Formats, ", "))
	f.BoolVar(&opts.BOM, "bom", false, "csv: start with a UTF-8 byte-order mark, for Excel")
	f.StringVarP(&out, "output", "o", "", "write to FILE instead of standard output")
	f.BoolVar(&opts.All, "all", false, "include stored articles that matched no topic")
	f.StringVar(&opts.Topic, "topic", "", "only articles that matched this topic")
	f.StringVar(&since, "since", "", "only articles published at or after TIME (RFC 3339 or YYYY-MM-DD)")
	f.StringVar(&until, "until", "", "only articles published before TIME (RFC 3339 or YYYY-MM-DD)")
	return cmd
}

// outputName says where -o FILE wrote: " to FILE", or "" for standard output.
func outputName(out string) string {
	if out == "" || out == "-" {
		return ""
	}
	return " to " + out
}
