package export

import (
	"bufio"
	"encoding/csv"
	"io"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/newswatch/newswatch/news"
)

// A CSV export is RFC 4180: comma-separated, fields quoted where needed,
// lines ending in CRLF (a line break inside a field is CRLF too), one
// header row, then one row per article with these columns:
//
//	id             the stable article id
//	url            the article's URL
//	source         the feed's name
//	feed_url       the feed's URL, credentials redacted
//	lang           BCP 47 primary tag (vi, ar, zh, ...)
//	published      RFC 3339 in UTC; empty when the source gave no date
//	fetched        RFC 3339 in UTC
//	title          plain text
//	topics         the matched topics, ';'-joined
//	matched_terms  the query terms that decided the match (of the
//	               exported topic only, with a topic), ';'-joined
//	snippet        the context of the first of those terms
//	text           the extracted article body, paragraphs separated by
//	               line breaks
//
// The text is UTF-8, with a byte-order mark first when asked (BOM), which
// Excel needs to read UTF-8. Two changes make it safe to open in a
// spreadsheet, where it matters more than fidelity (the jsonl export keeps
// everything as stored):
//
//   - A cell that begins with '=', '+', '-', '@', a tab or a carriage
//     return would be read as a formula (OWASP's "CSV injection"): it
//     gets a leading apostrophe, which spreadsheets hide.
//   - A cell longer than CellLimit, the most a spreadsheet cell holds
//     (counted in UTF-16 units, as Excel does), is cut to fit and ends
//     with TruncatedMarker. Only very long article texts reach it.

// CSVHeader are the columns of a CSV export.
var CSVHeader = []string{
	"id", "url", "source", "feed_url", "lang", "published", "fetched",
	"title", "topics", "matched_terms", "snippet", "text",
}

// CellLimit is the most characters (UTF-16 units) a spreadsheet cell
// holds: Excel's limit, which LibreOffice also meets.
const CellLimit = 32767

// TruncatedMarker ends a cell cut to CellLimit.
const TruncatedMarker = " […truncated]"

// utf8BOM is the UTF-8 encoding of U+FEFF.
const utf8BOM = "\uFEFF"

// formulaStart are the first characters that make a spreadsheet read a
// cell as a formula.
const formulaStart = "=+-@\t\r"

// listSep joins the values of a list column.
const listSep = ";"

// csvWriter writes a CSV export.
type csvWriter struct {
	cw    *csv.Writer
	topic string
	row   []string
}

// newCSVWriter writes the byte-order mark (if bom) and the header to w.
// Hits are those of topic, or of every topic when it is empty.
func newCSVWriter(w io.Writer, topic string, bom bool) (*csvWriter, error) {
	bw := bufio.NewWriterSize(w, bufferSize) // csv.NewWriter keeps a bufio.Writer this large
	if bom {
		if _, err := bw.WriteString(utf8BOM); err != nil {
			return nil, err
		}
	}
	c := &csvWriter{cw: csv.NewWriter(bw), topic: topic, row: make([]string, len(CSVHeader))}
	c.cw.UseCRLF = true
	return c, c.cw.Write(CSVHeader)
}

func (c *csvWriter) Write(a *news.Article) error {
	r := NewRecord(a)
	hits := decisiveHits(a, c.topic)
	snippet := ""
	if len(hits) > 0 {
		snippet = hits[0].Snippet
	}
	published := ""
	if r.Published != nil {
		published = r.Published.Format(time.RFC3339)
	}
	for i, v := range []string{
		r.ID, r.URL, r.Source, r.FeedURL, r.Lang, published, r.Fetched.Format(time.RFC3339),
		r.Title, strings.Join(r.Topics, listSep), strings.Join(terms(hits), listSep), snippet, r.Text,
	} {
		c.row[i] = Cell(v)
	}
	return c.cw.Write(c.row)
}

func (c *csvWriter) Close() error {
	c.cw.Flush()
	return c.cw.Error()
}

// Cell makes s safe to open in a spreadsheet: a leading apostrophe if it
// would be read as a formula, and cut to CellLimit with TruncatedMarker.
func Cell(s string) string {
	if s != "" && strings.IndexByte(formulaStart, s[0]) >= 0 {
		s = "'" + s
	}
	return fitCell(s)
}

// fitCell cuts s, at a character boundary, to at most CellLimit UTF-16
// units, the marker included.
func fitCell(s string) string {
	// A character never takes more UTF-16 units than UTF-8 bytes.
	if len(s) <= CellLimit || utf16Len(s) <= CellLimit {
		return s
	}
	budget := CellLimit - utf16Len(TruncatedMarker)
	units := 0
	for i, r := range s {
		if units += utf16.RuneLen(r); units > budget {
			return s[:i] + TruncatedMarker
		}
	}
	return s // not reached: s is longer than the budget
}

// utf16Len is the length of s in UTF-16 units. Ranging over a string
// yields valid runes only (U+FFFD for bad bytes), each of 1 or 2 units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
