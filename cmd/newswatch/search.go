package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/newswatch/newswatch/web"
)

func newSearchCmd(a *app) *cobra.Command {
	var (
		since, until, lang, topic, format string
		limit                             int
	)
	cmd := &cobra.Command{
		Use:   "search QUERY",
		Short: "Search the archive with the topic query language",
		Long: `Search prints the stored articles that QUERY matches, newest first, each
with the snippet of the first term that made it match. QUERY is written
in the topic language (see "newswatch match"): "human trafficking",
traffick*, a NEAR/5 b, lang:vi, title:... The archive's search index
answers, so the search folds Arabic, Vietnamese, Chinese and Russian text
exactly as the topics do and finds what a scan of every article would.

While a daemon runs, the search goes through it. While the daemon is
still building the index of an archive stored before it (it logs its
progress), the archive is scanned instead: the same results, slower.

--format text (the default) prints the date, language and title, the URL
and the snippet of each article; --format jsonl one JSON object per line
(id, url, title, source, lang, published, fetched, topics, term, field,
snippet). --limit 0 prints every result.`,
		Example: `  newswatch search '"human trafficking" OR "mua bán người"'
  newswatch search 'traffick* NEAR/5 (women OR children)' --lang en --since 2026-11-01
  newswatch search 联合国 --topic un --limit 100 --format jsonl`,
		Args: cobraArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "jsonl" {
				return usageError{fmt.Errorf("--format %q: want text or jsonl", format)}
			}
			if limit < 0 {
				return usageError{fmt.Errorf("--limit %d: want 0 (no limit) or more", limit)}
			}
			q := url.Values{"q": {args[0]}}
			for k, v := range map[string]string{"since": since, "until": until, "lang": lang, "topic": topic} {
				if v != "" {
					q.Set(k, v)
				}
			}
			return a.withAPI(cmd, readOnly, func(s *session) error {
				n, err := searchAll(cmd, s.Client, q, limit, func(r web.SearchResult) error {
					return writeSearchResult(a.stdout, r, format)
				})
				if err == nil {
					noun := "articles"
					if n == 1 {
						noun = "article"
					}
					fmt.Fprintf(a.stderr, "found %d %s\n", n, noun)
				}
				return err
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&since, "since", "", "only articles published at or after TIME (RFC 3339 or YYYY-MM-DD)")
	f.StringVar(&until, "until", "", "only articles published before TIME (RFC 3339 or YYYY-MM-DD)")
	f.StringVar(&lang, "lang", "", "only articles in this language (vi, en, ar, zh...)")
	f.StringVar(&topic, "topic", "", "only articles that matched this topic")
	f.IntVar(&limit, "limit", 20, "print at most N articles; 0: all")
	f.StringVar(&format, "format", "text", "output format: text or jsonl")
	return cmd
}

// searchPage is how many results one API call asks for.
const searchPage = 200

// searchAll calls fn with up to limit results (0: all), following the
// API's pages, and returns how many it passed.
func searchAll(cmd *cobra.Command, c *web.Client, q url.Values, limit int, fn func(web.SearchResult) error) (int, error) {
	n := 0
	for {
		page := searchPage
		if limit > 0 {
			page = min(page, limit-n)
		}
		q.Set("limit", strconv.Itoa(page))
		res, err := c.Search(cmd.Context(), q)
		if err != nil {
			return n, err
		}
		for _, r := range res.Results {
			if err := fn(r); err != nil {
				return n, err
			}
			n++
		}
		if res.Next == "" || limit > 0 && n >= limit {
			return n, nil
		}
		q.Set("after", res.Next)
	}
}

// writeSearchResult prints one result in format.
func writeSearchResult(w io.Writer, r web.SearchResult, format string) error {
	if format == "jsonl" {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return enc.Encode(r)
	}
	at := r.Fetched
	if r.Published != nil {
		at = *r.Published
	}
	snippet := oneLine(r.Snippet)
	_, err := fmt.Fprintf(w, "%s  %-2s  %s\n    %s\n    %s\n\n", at.Format("2006-01-02 15:04"), r.Lang, oneLine(r.Title), r.URL, snippet)
	return err
}
