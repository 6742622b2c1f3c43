package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/newswatch/newswatch/fetcher"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/parser"
)

// extractOptions are the flags of the extract subcommand.
type extractOptions struct {
	pageURL string
	format  string
}

// newExtractCmd builds `newswatch extract`, which prints the article
// extracted from a page: users debug site rules with it, and evaluations
// extract many pages in one run with --format jsonl.
func newExtractCmd(a *app) *cobra.Command {
	var o extractOptions
	cmd := &cobra.Command{
		Use:   "extract [--url URL] [--format text|json|jsonl] FILE|URL|- ...",
		Short: "Print the article extracted from a page",
		Long: `extract reads an HTML page from a file, from standard input ("-") or
from an http(s) URL, and prints the extracted article: with --format text
only the body, with --format json every field.

--format jsonl takes any number of pages and prints one JSON object per
page, on one line each, in the order given: "file" (the argument), "url",
"title", "byline", "lang", "dir", "published", "extractor" and "text". A page
that cannot be read or extracted gives an object with "file" and "error",
and the run goes on; the exit status is 1 if any page failed.

--url gives the page's address when it comes from a file or stdin, so the
site rules for its host apply (with jsonl, to every page). Without --config
only the built-in rules are used; with --config the sites: rules of that
file are added.`,
		Args: cobraArgs(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.extract(cmd, args, o)
		},
	}
	cmd.Flags().StringVar(&o.pageURL, "url", "", "URL of the page (selects the site rule)")
	cmd.Flags().StringVar(&o.format, "format", "text", "output format: text, json, or jsonl (one line per page, many pages)")
	return cmd
}

// extract runs the subcommand.
func (a *app) extract(cmd *cobra.Command, srcs []string, o extractOptions) error {
	switch o.format {
	case "text", "json":
		if len(srcs) != 1 {
			return usageError{fmt.Errorf("--format %s takes one page, got %d (use --format jsonl for many)", o.format, len(srcs))}
		}
	case "jsonl":
	default:
		return usageError{fmt.Errorf("unknown format %q (want text, json or jsonl)", o.format)}
	}
	var (
		rules []parser.Rule
		fopts fetcher.Options
	)
	if a.configPath != "" {
		cfg, err := a.loadConfig()
		if err != nil {
			return err
		}
		rules, fopts = cfg.Sites, cfg.fetcherOptions()
	}
	ex, err := parser.NewExtractor(rules)
	if err != nil {
		return usageError{err}
	}
	pe := pageExtractor{a: a, cmd: cmd, ex: ex, fopts: fopts, pageURL: o.pageURL}
	if o.format == "jsonl" {
		return pe.lines(srcs)
	}
	art, err := pe.extract(srcs[0])
	if err != nil {
		return err
	}
	if o.format == "text" {
		if art.Text == "" {
			return nil
		}
		_, err = fmt.Fprintln(a.stdout, art.Text)
		return err
	}
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(newArticleJSON(art))
}

// pageExtractor reads and extracts pages with one extractor.
type pageExtractor struct {
	a       *app
	cmd     *cobra.Command
	ex      *parser.Extractor
	fopts   fetcher.Options
	pageURL string // --url, overriding the page's own
}

// extract reads one page and extracts its article.
func (pe pageExtractor) extract(src string) (*news.Article, error) {
	body, contentType, pageURL, err := pe.a.readPage(pe.cmd, src, pe.fopts)
	if err != nil {
		return nil, err
	}
	if pe.pageURL != "" {
		pageURL = pe.pageURL
	}
	art, err := pe.ex.Extract(body, contentType, pageURL)
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w", src, err)
	}
	return art, nil
}

// errPagesFailed reports a jsonl run in which some pages failed.
var errPagesFailed = errors.New("pages failed")

// lines extracts every page and writes one JSON line per page, in order.
// A page that fails gets an "error" line and the run goes on.
func (pe pageExtractor) lines(srcs []string) error {
	w := bufio.NewWriterSize(pe.a.stdout, 64<<10)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	failed := 0
	for _, src := range srcs {
		line := articleLine{File: src}
		if art, err := pe.extract(src); err != nil {
			line.Error = err.Error()
			failed++
		} else {
			line.articleJSON = newArticleJSON(art)
		}
		if err := enc.Encode(line); err != nil {
			return fmt.Errorf("write: %w", err)
		}
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d %w", failed, len(srcs), errPagesFailed)
	}
	return nil
}

// readPage returns the page bytes, its Content-Type and its URL.
func (a *app) readPage(cmd *cobra.Command, src string, fopts fetcher.Options) (body []byte, contentType, pageURL string, err error) {
	switch {
	case src == "-":
		body, err = io.ReadAll(a.stdin)
		if err != nil {
			return nil, "", "", fmt.Errorf("read stdin: %w", err)
		}
		return body, "", "", nil
	case strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://"):
		resp, err := fetcher.New(fopts).Fetch(cmd.Context(), src, fetcher.Validators{})
		if err != nil {
			return nil, "", "", err
		}
		return resp.Body, resp.ContentType, resp.URL, nil
	default:
		body, err = os.ReadFile(src)
		if err != nil {
			return nil, "", "", usageError{fmt.Errorf("read page: %w", err)}
		}
		return body, "", "", nil
	}
}

// articleJSON is the JSON form of an extracted article.
type articleJSON struct {
	URL       string `json:"url"`
	Title     string `json:"title"`
	Byline    string `json:"byline,omitempty"`
	Lang      string `json:"lang"`
	Dir       string `json:"dir"`
	Published string `json:"published,omitempty"`
	Extractor string `json:"extractor"`
	Text      string `json:"text"`
}

// articleLine is one line of --format jsonl: the page's argument and its
// article, or the error that stopped it.
type articleLine struct {
	File string `json:"file"`
	*articleJSON
	Error string `json:"error,omitempty"`
}

// newArticleJSON converts an article to its JSON form.
func newArticleJSON(art *news.Article) *articleJSON {
	out := &articleJSON{
		URL: art.URL, Title: art.Title, Byline: art.Byline, Lang: art.Lang,
		Dir: art.Dir, Extractor: art.Extractor, Text: art.Text,
	}
	if !art.Published.IsZero() {
		out.Published = art.Published.Format(time.RFC3339)
	}
	return out
}
