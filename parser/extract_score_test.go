package parser

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/text/unicode/norm"
)

// devPage is one page of the shared extraction dev set.
type devPage struct {
	id, url string
	html    []byte
	truth   string   // fulltext suites
	with    []string // snippet suite
	without []string
}

// devSuite loads a suite from $NEWSWATCH_SHARED/testdata/extraction-dev.
func devSuite(tb testing.TB, suite string) []devPage {
	tb.Helper()
	shared := os.Getenv("NEWSWATCH_SHARED")
	if shared == "" {
		tb.Skip("NEWSWATCH_SHARED is not set (path of the shared directory)")
	}
	dir := filepath.Join(shared, "testdata", "extraction-dev", suite)
	f, err := os.Open(filepath.Join(dir, "index.jsonl"))
	if err != nil {
		tb.Fatalf("open suite %s: %v", suite, err)
	}
	defer f.Close()
	var pages []devPage
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var row struct{ ID, URL string }
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			tb.Fatal(err)
		}
		p := devPage{id: row.ID, url: row.URL, html: gunzipFile(tb, filepath.Join(dir, row.ID+".html.gz"))}
		if b, err := os.ReadFile(filepath.Join(dir, row.ID+".txt")); err == nil {
			p.truth = string(b)
		} else {
			var s struct{ With, Without []string }
			b, err := os.ReadFile(filepath.Join(dir, row.ID+".json"))
			if err != nil || json.Unmarshal(b, &s) != nil {
				tb.Fatalf("page %s has neither .txt nor .json: %v", row.ID, err)
			}
			p.with, p.without = s.With, s.Without
		}
		pages = append(pages, p)
	}
	return pages
}

func gunzipFile(tb testing.TB, path string) []byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		tb.Fatal(err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// tokens splits text like score_extraction.py: runs of word characters;
// with unicode set, NFC first, marks stay in words and every Han, kana,
// Thai or Myanmar character is a token of its own.
func tokens(s string, unicodeMode bool) []string {
	if unicodeMode {
		s = norm.NFC.String(s)
	}
	var out []string
	start := -1
	flush := func(i int) {
		if start >= 0 {
			out = append(out, s[start:i])
			start = -1
		}
	}
	for i, r := range s {
		word := unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || unicode.In(r, unicode.Nl, unicode.No)
		if unicodeMode && unicode.In(r, unicode.Mn, unicode.Mc) {
			word = true
		}
		switch {
		case unicodeMode && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai, unicode.Myanmar):
			flush(i)
			out = append(out, string(r))
		case word:
			if start < 0 {
				start = i
			}
		default:
			flush(i)
		}
	}
	flush(len(s))
	return out
}

// shingles counts the 4-token windows of toks.
func shingles(toks []string) map[string]int {
	m := map[string]int{}
	if len(toks) == 0 {
		return m
	}
	if len(toks) < 4 {
		m[strings.Join(toks, "\x00")]++
		return m
	}
	for i := 0; i+4 <= len(toks); i++ {
		m[strings.Join(toks[i:i+4], "\x00")]++
	}
	return m
}

// fulltextF1 is the Zyte benchmark F1 over pages: mean precision over pages
// with output, mean recall over pages with truth.
func fulltextF1(truths, preds []string, unicodeMode bool) (f1, p, r float64) {
	var sumP, sumR float64
	var nP, nR int
	for i := range truths {
		st, sp := shingles(tokens(truths[i], unicodeMode)), shingles(tokens(preds[i], unicodeMode))
		var tp, fp, fn float64
		for k, c := range sp {
			m := min(c, st[k])
			tp += float64(m)
			fp += float64(c - m)
		}
		for k, c := range st {
			fn += float64(max(0, c-sp[k]))
		}
		if tp+fp > 0 {
			sumP += tp / (tp + fp)
			nP++
		}
		if len(st) > 0 {
			if fp == 0 && fn == 0 {
				sumR++
			} else {
				sumR += tp / (tp + fn)
			}
			nR++
		}
	}
	if nP > 0 {
		p = sumP / float64(nP)
	}
	if nR > 0 {
		r = sumR / float64(nR)
	}
	if p+r > 0 {
		f1 = 2 * p * r / (p + r)
	}
	return f1, p, r
}

// snippetF1 is trafilatura's evaluation: micro-averaged snippet matches.
func snippetF1(pages []devPage, preds []string) float64 {
	ws := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	var tp, fp, fn float64
	for i, p := range pages {
		text := ws(preds[i])
		for _, s := range p.with {
			if strings.Contains(text, ws(s)) {
				tp++
			} else {
				fn++
			}
		}
		for _, s := range p.without {
			if strings.Contains(text, ws(s)) {
				fp++
			}
		}
	}
	return 2 * tp / (2*tp + fp + fn)
}

// TestExtractionQuality scores the extractor on the shared dev pages with
// the metrics of score_extraction.py and fails below issue 10's held-out targets
// (minus a small margin for metric reimplementation differences).
func TestExtractionQuality(t *testing.T) {
	suites := []struct {
		name   string
		target float64
	}{{"scrapinghub", 0.97}, {"trafilatura", 0.93}, {"multilingual", 0.96}}
	for _, s := range suites {
		t.Run(s.name, func(t *testing.T) {
			pages := devSuite(t, s.name)
			preds := make([]string, len(pages))
			var truths []string
			for i, p := range pages {
				a, err := ExtractArticle(p.html, "", p.url)
				if err != nil {
					t.Errorf("ExtractArticle(%s) error: %v", p.id, err)
					continue
				}
				if a.Text == "" {
					t.Errorf("ExtractArticle(%s) extracted nothing", p.id)
				}
				preds[i] = a.Text
				truths = append(truths, p.truth)
			}
			var f1 float64
			if s.name == "trafilatura" {
				f1 = snippetF1(pages, preds)
				t.Logf("%s: %d pages, F1 %.3f (target %.2f)", s.name, len(pages), f1, s.target)
			} else {
				var p, r float64
				f1, p, r = fulltextF1(truths, preds, s.name == "multilingual")
				t.Logf("%s: %d pages, F1 %.3f P %.3f R %.3f (target %.2f)", s.name, len(pages), f1, p, r, s.target)
			}
			if f1 < s.target-0.02 {
				t.Errorf("%s F1 = %.3f, want >= %.2f", s.name, f1, s.target)
			}
		})
	}
}

// benchPages returns the dev pages when NEWSWATCH_SHARED is set, else the
// package's test pages.
func benchPages(b *testing.B) [][]byte {
	var pages [][]byte
	if os.Getenv("NEWSWATCH_SHARED") != "" {
		for _, s := range []string{"scrapinghub", "trafilatura", "multilingual"} {
			for _, p := range devSuite(b, s) {
				pages = append(pages, p.html)
			}
		}
		return pages
	}
	for _, f := range testPages(b) {
		body, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, body)
	}
	return pages
}

// BenchmarkExtract runs newswatch's extractor and go-readability over the
// same pages; one op is one page.
func BenchmarkExtract(b *testing.B) {
	pages := benchPages(b)
	u, _ := url.Parse("https://example.org/article")
	b.Run("newswatch", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := ExtractArticle(pages[i%len(pages)], "", u.String()); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("goreadability", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			page, _ := DecodeHTML(pages[i%len(pages)], "")
			art, err := readability.FromReader(bytes.NewReader(page), u)
			if err == nil {
				_ = art.RenderText(io.Discard)
			}
			i++
		}
	})
}

// TestDecodeRune: the inline decoder agrees with utf8.DecodeRuneInString
// on every rune and on broken sequences.
func TestDecodeRune(t *testing.T) {
	var inputs []string
	for r := rune(0x80); r <= 0x10ffff; r += 7 {
		inputs = append(inputs, "a"+string(r)+"b")
	}
	inputs = append(inputs, "\xc2", "\xc2a", "\xe1\x80", "\xe1\x80a", "\xe0\x80\x80", "\xed\xa0\x80", "\xef\xbf", "\xc0\x80", "\xff", "\xe4\xb8\xad\xc2")
	for _, s := range inputs {
		for i := 0; i < len(s); i++ {
			if s[i] < 0x80 {
				continue
			}
			r, w := decodeRune(s, i)
			wr, ww := utf8.DecodeRuneInString(s[i:])
			if r != wr || w != ww {
				t.Fatalf("decodeRune(%q, %d) = %U, %d, want %U, %d", s, i, r, w, wr, ww)
			}
		}
	}
}

// TestNormKey: normKey is the lower-cased words of s joined by one space,
// for any text, broken UTF-8 included.
func TestNormKey(t *testing.T) {
	for _, s := range []string{
		"", "  ", "Hello  World\n", "\tÜBER straße ", "Việt Nam KÊU GỌI\u00a0tăng", "İSTANBUL Σίσυφος",
		"a\u0085b\u3000c\u2028d", "x\xffY \xc3", "\ufffdA", "ДОБРЫЙ день", "中文　標題", "عصبة الأمم",
	} {
		want := strings.ToLower(strings.Join(strings.Fields(s), " "))
		if got := normKey(s); got != want {
			t.Errorf("normKey(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestMeasure pins the weighted length and clause punctuation of texts in
// the scripts measure weighs differently.
func TestMeasure(t *testing.T) {
	tests := []struct {
		s         string
		n, commas int32
	}{
		{"", 0, 0},
		{"  a  b ", 4, 0},
		{"one, two,three", 14, 2},
		{"\tx\r\n\fy", 3, 0},
		{"Việt Nam, ngày", 14, 1},
		{"中文，标题。", 14, 2},
		{"한국 어", 7, 0},
		{"نص، آخر", 7, 1},
		{"a\u00a0b\u3000c\u200bd", 4, 0},
		{"\xff\xfe,", 3, 1},
		{"Привет, мир\u00a0ß\u060cé\u061b\u0627", 16, 3},
		{"\xc3\xa9\xc3(\xd8\x8c\xd8", 5, 1},
	}
	for _, tt := range tests {
		if n, c := measure(tt.s); n != tt.n || c != tt.commas {
			t.Errorf("measure(%q) = %d, %d, want %d, %d", tt.s, n, c, tt.n, tt.commas)
		}
	}
}

// measureRef is measure as first written, one rune at a time.
func measureRef(s string) (n, commas int32) {
	space := true
	for _, r := range s {
		switch {
		case r == ' ' || r == '\n' || r == '\t' || r == '\r' || r == '\f':
			if !space {
				n++
				space = true
			}
			continue
		case r == '\u00a0' || r == '\u3000' || r == '\u200b':
			space = true
			continue
		}
		space = false
		switch {
		case r >= 0x3040 && r <= 0x30ff, r >= 0x4e00 && r <= 0x9fff, r >= 0x3400 && r <= 0x4dbf:
			n += 3
		case r >= 0xac00 && r <= 0xd7a3:
			n += 2
		case r == ',' || r == '،' || r == '؛' || r == '，' || r == '、' || r == '。' || r == '；' || r == '﹐' || r == '︐' || r == '፣':
			commas++
			n++
		default:
			n++
		}
	}
	return n, commas
}

// TestMeasureSameAsRef compares measure with measureRef on random text
// mixing the scripts measure tells apart, and broken UTF-8.
func TestMeasureSameAsRef(t *testing.T) {
	parts := []string{"a", "Z", " ", "\n", "\t", ",", "é", "ß", "\u00a0", "\u3000", "\u200b", "ж", "،", "؛", "ا", "中", "，", "。",
		"か", "한", "፣", "︐", "ệ", "文", "\xe1\xbb", "\xe6\x96", "\xe1\x8d", "ሀ", "\xc3", "\xe4\xb8", "\xff", "\xd8", "\xf0\x9f\x98\x80"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(30) {
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		s := b.String()
		n, c := measure(s)
		wn, wc := measureRef(s)
		if n != wn || c != wc {
			t.Fatalf("measure(%q) = %d, %d, want %d, %d", s, n, c, wn, wc)
		}
	}
}
