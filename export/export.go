// Package export writes the article archive for researchers: JSON Lines,
// one article per line, read from the store and never from the pipeline.
package export

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// Source is the view of the archive an export reads.
type Source interface {
	ForEachArticle(ctx context.Context, q store.Query, fn func(*news.Article) error) error
}

// Formats.
const (
	FormatJSONL = "jsonl"
)

// Options select what is exported and how.
type Options struct {
	Format string    // FormatJSONL (default)
	Topic  string    // only articles that matched this topic
	Since  time.Time // published (or fetched) at or after
	Until  time.Time // published (or fetched) before
	All    bool      // include articles that matched no topic
}

// Record is one exported article. Field names are stable: researchers'
// scripts depend on them.
type Record struct {
	ID        string     `json:"id"`
	URL       string     `json:"url"`
	FeedURL   string     `json:"feed_url"`
	Source    string     `json:"source"`
	Title     string     `json:"title"`
	Byline    string     `json:"byline,omitempty"`
	Text      string     `json:"text"`
	Summary   string     `json:"summary,omitempty"`
	Lang      string     `json:"lang"`
	Dir       string     `json:"dir,omitempty"`
	Published *time.Time `json:"published"` // null when the source gave no date
	Fetched   time.Time  `json:"fetched"`
	Extractor string     `json:"extractor,omitempty"`
	Topics    []string   `json:"topics"`
	Matches   []news.Hit `json:"matches,omitempty"`
}

// NewRecord converts an article to its exported form. The feed URL is
// redacted of credentials (news.RedactURL); the article's own URL is kept
// as the feed gave it.
func NewRecord(a *news.Article) Record {
	r := Record{
		ID: a.ID, URL: a.URL, FeedURL: news.RedactURL(a.FeedURL), Source: a.Source, Title: a.Title,
		Byline: a.Byline, Text: a.Text, Summary: a.Summary, Lang: a.Lang, Dir: a.Dir,
		Fetched: a.Fetched.UTC(), Extractor: a.Extractor, Topics: a.Topics, Matches: a.Hits,
	}
	if !a.Published.IsZero() {
		p := a.Published.UTC()
		r.Published = &p
	}
	if r.Topics == nil {
		r.Topics = []string{}
	}
	return r
}

// Write exports the selected articles to w and returns how many it wrote.
func Write(ctx context.Context, w io.Writer, src Source, opts Options) (int, error) {
	if opts.Format != "" && opts.Format != FormatJSONL {
		return 0, fmt.Errorf("export format %q: only %q is supported", opts.Format, FormatJSONL)
	}
	bw := bufio.NewWriterSize(w, 16<<10) // one per export: the web server may run many
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	n := 0
	q := store.Query{Topic: opts.Topic, Since: opts.Since, Until: opts.Until, All: opts.All}
	err := src.ForEachArticle(ctx, q, func(a *news.Article) error {
		n++
		return enc.Encode(NewRecord(a))
	})
	if err != nil {
		return n, fmt.Errorf("export: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return n, fmt.Errorf("export: %w", err)
	}
	return n, nil
}

// ParseTime reads a since/until bound: RFC 3339, or a date meaning
// midnight UTC. name is the bound's name, for the error.
func ParseTime(name, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%s %q: want RFC 3339 (2026-11-27T08:00:00Z) or a date (2026-11-27)", name, v)
}
