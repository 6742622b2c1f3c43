package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/newswatch/newswatch/fetcher"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/parser"
)

// extractMemoryLimit is the heap size above which extract collects garbage.
const extractMemoryLimit = 256 << 20

// extractOptions are the flags of the extract subcommand.
type extractOptions struct {
	pageURL string
	format  string
}

// newExtractCmd builds `newswatch extract`, which prints the article
// extracted from one page: users debug site rules with it.
func newExtractCmd(a *app) *cobra.Command {
	var o extractOptions
	cmd := &cobra.Command{
		Use:   "extract [--url URL] [--format text|json] FILE|URL|-",
		Short: "Print the article extracted from a page",
		Long: `extract reads one HTML page from a file, from standard input ("-") or
from an http(s) URL, and prints the extracted article: with --format text
only the body, with --format json every field.

--url gives the page's address when it comes from a file or stdin, so the
site rules for its host apply. Without --config only the built-in rules are
used; with --config the sites: rules of that file are added.`,
		Args: cobraArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.extract(cmd, args[0], o)
		},
	}
	cmd.Flags().StringVar(&o.pageURL, "url", "", "URL of the page (selects the site rule)")
	cmd.Flags().StringVar(&o.format, "format", "text", "output format: text or json")
	return cmd
}

// extract runs the subcommand. Without --config it loads nothing else, so
// one process per page stays cheap.
func (a *app) extract(cmd *cobra.Command, src string, o extractOptions) error {
	if o.format != "text" && o.format != "json" {
		return usageError{fmt.Errorf("unknown format %q (want text or json)", o.format)}
	}
	// One page is a few megabytes of garbage: collecting it would cost a
	// short-lived process more than it saves. The memory limit still
	// starts the collector on a pathological page.
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(extractMemoryLimit))
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
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
	body, contentType, pageURL, err := a.readPage(cmd, src, fopts)
	if err != nil {
		return err
	}
	if o.pageURL != "" {
		pageURL = o.pageURL
	}
	art, err := ex.Extract(body, contentType, pageURL)
	if err != nil {
		return fmt.Errorf("extract %s: %w", src, err)
	}
	if o.format == "text" {
		if art.Text == "" {
			return nil
		}
		_, err = fmt.Fprintln(a.stdout, art.Text)
		return err
	}
	return writeArticleJSON(a.stdout, art)
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

// writeArticleJSON prints the article as one indented JSON object.
func writeArticleJSON(w io.Writer, art *news.Article) error {
	out := articleJSON{
		URL: art.URL, Title: art.Title, Byline: art.Byline, Lang: art.Lang,
		Dir: art.Dir, Extractor: art.Extractor, Text: art.Text,
	}
	if !art.Published.IsZero() {
		out.Published = art.Published.Format(time.RFC3339)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
