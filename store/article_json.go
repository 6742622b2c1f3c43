package store

import (
	"bytes"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/newswatch/newswatch/news"
)

// An article's record is the JSON encoding/json makes of news.Article
// (without HTML escaping, see encode), but written here field by field:
// the reflection-based encoder took 0.7 CPU-s of the 1,000 x 20 poll,
// this a fraction of it (BenchmarkArticleJSON). The bytes are the same,
// so records read the same whichever wrote them; TestArticleJSON checks
// that on every field of news.Article and news.Hit, filled by
// reflection, so a field added there without being added here fails it.
// An article whose fields this encoder does not write (copies,
// revisions: never set on a new article) or cannot (a time outside
// RFC 3339) goes through encoding/json.

// articleBuffers keeps the buffers articles are encoded into.
var articleBuffers = sync.Pool{New: func() any { return new([]byte) }}

// encodeArticle returns a's record as stored: its JSON, compressed (see
// encodeCompressed).
func encodeArticle(a *news.Article) ([]byte, error) {
	bp := articleBuffers.Get().(*[]byte)
	defer func() {
		if cap(*bp) <= maxPooledJSON {
			articleBuffers.Put(bp)
		}
	}()
	b, ok := appendArticleJSON((*bp)[:0], a)
	*bp = b
	if !ok {
		return encodeCompressed(a)
	}
	if z := compress(b); len(z) < len(b) {
		return z, nil
	}
	return bytes.Clone(b), nil
}

// appendArticleJSON appends a's JSON to dst, as encode would write it, and
// reports false, with dst's contents undefined, for an article it leaves
// to encoding/json.
func appendArticleJSON(dst []byte, a *news.Article) ([]byte, bool) {
	if len(a.Copies) > 0 || len(a.Revisions) > 0 {
		return dst, false
	}
	ok := true
	str := func(name, v string) {
		dst = append(append(dst, name...), ':')
		dst = appendJSONString(dst, v)
	}
	tim := func(name string, t time.Time) {
		dst = append(append(dst, name...), `:"`...)
		var err error
		if dst, err = t.AppendText(dst); err != nil {
			ok = false
		}
		dst = append(dst, '"')
	}
	dst = append(dst, '{')
	str(`"ID"`, a.ID)
	str(`,"URL"`, a.URL)
	str(`,"FeedURL"`, a.FeedURL)
	str(`,"Source"`, a.Source)
	str(`,"Title"`, a.Title)
	str(`,"Byline"`, a.Byline)
	str(`,"Text"`, a.Text)
	str(`,"Summary"`, a.Summary)
	str(`,"Lang"`, a.Lang)
	str(`,"Dir"`, a.Dir)
	tim(`,"Published"`, a.Published)
	tim(`,"Fetched"`, a.Fetched)
	str(`,"Extractor"`, a.Extractor)
	dst = append(dst, `,"Topics":`...)
	dst = appendJSONArray(dst, a.Topics, appendJSONString)
	dst = append(dst, `,"Hits":`...)
	dst = appendJSONArray(dst, a.Hits, appendHitJSON)
	if !a.Unmatched.IsZero() {
		tim(`,"Unmatched"`, a.Unmatched)
	}
	optional := func(name, v string) { // omitempty
		if v != "" {
			str(name, v)
		}
	}
	optional(`,"Rule"`, a.Rule)
	if a.RuleFellBack {
		dst = append(dst, `,"RuleFellBack":true`...)
	}
	optional(`,"Image"`, a.Image)
	optional(`,"Story"`, a.Story)
	optional(`,"DuplicateOf"`, a.DuplicateOf)
	return append(dst, '}'), ok
}

// appendJSONArray appends xs as a JSON array, each element with appendOne,
// or null when xs is nil.
func appendJSONArray[T any](dst []byte, xs []T, appendOne func([]byte, T) []byte) []byte {
	if xs == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i, x := range xs {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendOne(dst, x)
	}
	return append(dst, ']')
}

// appendHitJSON appends h as a JSON object.
func appendHitJSON(dst []byte, h news.Hit) []byte {
	dst = append(dst, `{"topic":`...)
	dst = appendJSONString(dst, h.Topic)
	dst = append(dst, `,"term":`...)
	dst = appendJSONString(dst, h.Term)
	dst = append(dst, `,"field":`...)
	dst = appendJSONString(dst, h.Field)
	dst = append(dst, `,"start":`...)
	dst = strconv.AppendInt(dst, int64(h.Start), 10)
	dst = append(dst, `,"end":`...)
	dst = strconv.AppendInt(dst, int64(h.End), 10)
	dst = append(dst, `,"snippet":`...)
	dst = appendJSONString(dst, h.Snippet)
	if h.Context {
		dst = append(dst, `,"context":true`...)
	}
	return append(dst, '}')
}

// appendJSONString appends s quoted as encoding/json quotes a string
// without HTML escaping: '"', '\\' and control characters escaped, the
// line and paragraph separators (U+2028, U+2029) too, and each byte of
// invalid UTF-8 replaced by \ufffd. Valid UTF-8, nearly all text, is
// copied between the bytes a table marks, without decoding its runes.
func appendJSONString(dst []byte, s string) []byte {
	if !utf8.ValidString(s) {
		return appendInvalidJSONString(dst, s)
	}
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !jsonSpecial[c] {
			continue
		}
		if c == 0xe2 { // the lead byte of U+2028 and U+2029, among others
			if i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xa8 || s[i+2] == 0xa9) {
				dst = append(append(dst, s[start:i]...), '\\', 'u', '2', '0', '2', '8'+s[i+2]-0xa8)
				i += 2
				start = i + 1
			}
			continue
		}
		dst = appendEscaped(append(dst, s[start:i]...), c)
		start = i + 1
	}
	return append(append(dst, s[start:]...), '"')
}

// jsonSpecial marks the bytes appendJSONString looks at: those escaped,
// and the lead byte of the separators.
var jsonSpecial = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	t['"'], t['\\'], t[0xe2] = true, true, true
	return t
}()

// appendEscaped appends the escape of an ASCII byte JSON escapes.
func appendEscaped(dst []byte, c byte) []byte {
	const hex = "0123456789abcdef"
	switch c {
	case '"', '\\':
		return append(dst, '\\', c)
	case '\b':
		return append(dst, '\\', 'b')
	case '\f':
		return append(dst, '\\', 'f')
	case '\n':
		return append(dst, '\\', 'n')
	case '\r':
		return append(dst, '\\', 'r')
	case '\t':
		return append(dst, '\\', 't')
	}
	return append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
}

// appendInvalidJSONString is appendJSONString for a string that is not
// valid UTF-8, rune by rune.
func appendInvalidJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' {
				dst = appendEscaped(append(dst, s[start:i]...), c)
				start = i + 1
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(append(dst, s[start:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(append(dst, s[start:i]...), '\\', 'u', '2', '0', '2', byte('8'+r-'\u2028'))
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	return append(append(dst, s[start:]...), '"')
}
