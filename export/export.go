// Package export writes the article archive for researchers, read from
// the store and never from the pipeline: JSON Lines (one article per
// line), CSV for spreadsheets, an Atom feed, or Parquet for data tools.
package export

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
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
	FormatJSONL   = "jsonl"
	FormatCSV     = "csv"     // see csv.go for the columns
	FormatAtom    = "atom"    // see atom.go for the entries
	FormatParquet = "parquet" // see parquet.go for the columns
)

// Formats are the export formats, the default first.
var Formats = []string{FormatJSONL, FormatCSV, FormatAtom, FormatParquet, FormatWARC}

// MediaType returns the Content-Type of an export in format.
func MediaType(format string) string {
	switch format {
	case FormatCSV:
		return "text/csv; charset=utf-8"
	case FormatAtom:
		return "application/atom+xml; charset=utf-8"
	case FormatParquet:
		return "application/vnd.apache.parquet"
	case FormatWARC:
		return "application/warc"
	}
	return "application/x-ndjson"
}

// Options select what is exported and how.
type Options struct {
	Format string    // FormatJSONL (default), FormatCSV, FormatAtom, FormatParquet or FormatWARC
	Topic  string    // only articles that matched this topic
	Since  time.Time // published (or fetched) at or after
	Until  time.Time // published (or fetched) before
	All    bool      // include articles that matched no topic
	// BOM starts a CSV export with a UTF-8 byte-order mark, by which
	// Excel knows the file is UTF-8 (without it, Arabic or Vietnamese
	// text opens garbled). CSV only.
	BOM bool
	// Feed describes the document around an Atom export's entries; the
	// zero value gives a generic feed (see AtomFeed). Atom only.
	Feed AtomFeed
}

// Check reports what is wrong with the format options.
func (o Options) Check() error {
	if o.Format != "" && !slices.Contains(Formats, o.Format) {
		return fmt.Errorf("export format %q: want %s", o.Format, strings.Join(Formats, ", "))
	}
	if o.BOM && o.Format != FormatCSV {
		return fmt.Errorf("bom: a byte-order mark is for the csv format only, not %s", cmp.Or(o.Format, FormatJSONL))
	}
	return nil
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
	// Story is the id of the article's story; DuplicateOf, for a copy
	// (syndicated, AMP, reprinted), the id of the article it repeats.
	Story       string `json:"story,omitempty"`
	DuplicateOf string `json:"duplicate_of,omitempty"`
	// Revisions are the edits and takedowns later fetches found.
	Revisions []news.Revision `json:"revisions,omitempty"`
}

// NewRecord converts an article to its exported form. The feed URL is
// redacted of credentials (news.RedactURL); the article's own URL is kept
// as the feed gave it.
func NewRecord(a *news.Article) Record {
	r := Record{
		ID: a.ID, URL: a.URL, FeedURL: news.RedactURL(a.FeedURL), Source: a.Source, Title: a.Title,
		Byline: a.Byline, Text: a.Text, Summary: a.Summary, Lang: a.Lang, Dir: a.Dir,
		Fetched: a.Fetched.UTC(), Extractor: a.Extractor, Topics: a.Topics, Matches: a.Hits, Revisions: a.Revisions,
		Story: a.Story, DuplicateOf: a.DuplicateOf,
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

// recordWriter writes the articles of one export in its format. Close
// ends the document and flushes it; an export that fails half-way is not
// closed, so that what was written shows as incomplete.
type recordWriter interface {
	Write(a *news.Article) error
	Close() error
}

// bufferSize is the write buffer of one export: the web server may run
// several at once, each holding this much.
const bufferSize = 16 << 10

// newRecordWriter starts an export in opts.Format on w of the articles of
// src.
func newRecordWriter(w io.Writer, src Source, opts Options) (recordWriter, error) {
	switch opts.Format {
	case FormatWARC:
		return newWARCWriter(w, src, time.Now())
	case FormatCSV:
		return newCSVWriter(w, opts.Topic, opts.BOM)
	case FormatAtom:
		feed := opts.Feed
		feed.Content = true // the archive: the text is what is exported
		return newAtomWriter(w, feed, opts.Topic, time.Now())
	case FormatParquet:
		return newParquetWriter(w), nil
	}
	bw := bufio.NewWriterSize(w, bufferSize)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return jsonlWriter{bw, enc}, nil
}

// jsonlWriter writes one Record per line.
type jsonlWriter struct {
	bw  *bufio.Writer
	enc *json.Encoder
}

func (j jsonlWriter) Write(a *news.Article) error { return j.enc.Encode(NewRecord(a)) }
func (j jsonlWriter) Close() error                { return j.bw.Flush() }

// Write exports the selected articles to w and returns how many it wrote.
// It holds a batch of articles and a write buffer at a time, whatever the
// size of the archive.
func Write(ctx context.Context, w io.Writer, src Source, opts Options) (int, error) {
	if err := opts.Check(); err != nil {
		return 0, err
	}
	rw, err := newRecordWriter(w, src, opts)
	if err != nil {
		return 0, fmt.Errorf("export: %w", err)
	}
	n := 0
	q := store.Query{Topic: opts.Topic, Since: opts.Since, Until: opts.Until, All: opts.All}
	err = src.ForEachArticle(ctx, q, func(a *news.Article) error {
		n++
		return rw.Write(a)
	})
	if err != nil {
		return n, fmt.Errorf("export: %w", err)
	}
	if err := rw.Close(); err != nil {
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

// decisiveHits returns the hits that made a match, of topic (every topic
// when empty): those that are not mere context of a NEAR clause, or all
// of them when the topic engine marked none so.
func decisiveHits(a *news.Article, topic string) []news.Hit {
	var decisive, all []news.Hit
	for _, h := range a.Hits {
		if topic != "" && h.Topic != topic {
			continue
		}
		all = append(all, h)
		if !h.Context {
			decisive = append(decisive, h)
		}
	}
	if len(decisive) == 0 {
		return all
	}
	return decisive
}

// terms returns the query terms of hits, each once, in order.
func terms(hits []news.Hit) []string {
	var out []string
	for _, h := range hits {
		if !slices.Contains(out, h.Term) {
			out = append(out, h.Term)
		}
	}
	return out
}
