package export

import (
	"io"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/zstd"

	"github.com/newswatch/newswatch/news"
)

// A Parquet export is one table, one row per article, with typed columns
// that DuckDB, pandas (pyarrow) and Spark read as they are:
//
//	id, url, feed_url, source, title, byline, text, summary, lang, dir,
//	extractor                       STRING (UTF-8)
//	published                       TIMESTAMP (UTC, milliseconds); null when the source gave no date
//	fetched                         TIMESTAMP (UTC, milliseconds)
//	topics                          LIST of STRING
//	matches                         LIST of STRUCT (topic, term, field STRING;
//	                                start, end INT64: byte offsets in the field;
//	                                snippet STRING; context BOOLEAN)
//
// The same fields as the JSON Lines export, named the same. Columns are
// compressed with zstd. Rows are written in row groups of at most
// parquetGroupRows articles or parquetGroupBytes of text, so an export
// holds one row group in memory, whatever the size of the archive.

// parquetRow is an article as a Parquet row.
type parquetRow struct {
	ID        string       `parquet:"id"`
	URL       string       `parquet:"url"`
	FeedURL   string       `parquet:"feed_url"`
	Source    string       `parquet:"source,dict"`
	Title     string       `parquet:"title"`
	Byline    string       `parquet:"byline"`
	Text      string       `parquet:"text"`
	Summary   string       `parquet:"summary"`
	Lang      string       `parquet:"lang,dict"`
	Dir       string       `parquet:"dir,dict"`
	Published *time.Time   `parquet:"published,timestamp(millisecond),optional"`
	Fetched   time.Time    `parquet:"fetched,timestamp(millisecond)"`
	Extractor string       `parquet:"extractor,dict"`
	Topics    []string     `parquet:"topics,list"`
	Matches   []parquetHit `parquet:"matches,list"`
}

// parquetHit is a topic hit as the element of the matches column.
type parquetHit struct {
	Topic   string `parquet:"topic"`
	Term    string `parquet:"term"`
	Field   string `parquet:"field"`
	Start   int64  `parquet:"start"`
	End     int64  `parquet:"end"`
	Snippet string `parquet:"snippet"`
	Context bool   `parquet:"context"`
}

// Row group bounds of a Parquet export.
const (
	parquetGroupRows  = 4096
	parquetGroupBytes = 2 << 20
)

// parquetWriter writes a Parquet export.
type parquetWriter struct {
	w       *parquet.GenericWriter[parquetRow]
	rows    []parquetRow
	pending int // rows written to the current row group
	bytes   int // their text
}

func newParquetWriter(w io.Writer) *parquetWriter {
	return &parquetWriter{w: parquet.NewGenericWriter[parquetRow](w,
		parquet.Compression(&zstd.Codec{}),
		parquet.CreatedBy("newswatch", "", ""),
	)}
}

// Write adds an article to the current row group, and ends the group
// when it is full.
func (p *parquetWriter) Write(a *news.Article) error {
	r := NewRecord(a)
	row := parquetRow{
		ID: r.ID, URL: r.URL, FeedURL: r.FeedURL, Source: r.Source, Title: r.Title, Byline: r.Byline, Text: r.Text,
		Summary: r.Summary, Lang: r.Lang, Dir: r.Dir, Published: r.Published, Fetched: r.Fetched, Extractor: r.Extractor,
		Topics: r.Topics,
	}
	for _, h := range a.Hits {
		row.Matches = append(row.Matches, parquetHit{Topic: h.Topic, Term: h.Term, Field: h.Field, Start: int64(h.Start), End: int64(h.End), Snippet: h.Snippet, Context: h.Context})
	}
	p.rows = append(p.rows[:0], row)
	if _, err := p.w.Write(p.rows); err != nil {
		return err
	}
	p.pending++
	p.bytes += len(r.Title) + len(r.Text) + len(r.Summary)
	if p.pending >= parquetGroupRows || p.bytes >= parquetGroupBytes {
		p.pending, p.bytes = 0, 0
		return p.w.Flush()
	}
	return nil
}

// Close writes the last row group and the footer.
func (p *parquetWriter) Close() error { return p.w.Close() }
