package acceptance

import (
	"bufio"
	"encoding/json"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// record is one line of `newswatch export`, the fields the checks read.
type record struct {
	ID        string   `json:"id"`
	URL       string   `json:"url"`
	FeedURL   string   `json:"feed_url"`
	Source    string   `json:"source"`
	Title     string   `json:"title"`
	Text      string   `json:"text"`
	Lang      string   `json:"lang"`
	Published *string  `json:"published"`
	Fetched   string   `json:"fetched"`
	Topics    []string `json:"topics"`
}

// parseExport reads JSON Lines, failing t on a line that is not an object
// with the required fields.
func parseExport(t *testing.T, out string) []record {
	t.Helper()
	var recs []record
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for n := 1; sc.Scan(); n++ {
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &raw); err != nil {
			t.Fatalf("export line %d: %v: %.200s", n, err, sc.Text())
		}
		for _, k := range []string{"id", "url", "feed_url", "source", "title", "text", "lang", "published", "fetched", "topics"} {
			if _, ok := raw[k]; !ok {
				t.Errorf("export line %d has no %q", n, k)
			}
		}
		var r record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("export line %d: %v", n, err)
		}
		recs = append(recs, r)
	}
	return recs
}

// tokens splits text into comparable tokens: NFC, lower case, runs of
// letters and digits, and every Han, kana or Hangul character alone.
func tokens(s string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	for _, r := range norm.NFC.String(strings.ToLower(s)) {
		switch {
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul):
			flush()
			out = append(out, string(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			cur = append(cur, r)
		default:
			flush()
		}
	}
	flush()
	return out
}

// tokenF1 is the bag-of-tokens F1 of got against want.
func tokenF1(got, want string) float64 {
	g, w := tokens(got), tokens(want)
	if len(g) == 0 || len(w) == 0 {
		if len(g) == len(w) {
			return 1
		}
		return 0
	}
	bag := map[string]int{}
	for _, x := range w {
		bag[x]++
	}
	common := 0
	for _, x := range g {
		if bag[x] > 0 {
			bag[x]--
			common++
		}
	}
	if common == 0 {
		return 0
	}
	p, r := float64(common)/float64(len(g)), float64(common)/float64(len(w))
	return 2 * p * r / (p + r)
}

// confusion counts a classifier's decisions.
type confusion struct{ tp, fp, fn int }

func (c confusion) f1() float64 {
	if c.tp == 0 {
		if c.fp == 0 && c.fn == 0 {
			return 1
		}
		return 0
	}
	p, r := float64(c.tp)/float64(c.tp+c.fp), float64(c.tp)/float64(c.tp+c.fn)
	return 2 * p * r / (p + r)
}

func TestTokenF1(t *testing.T) {
	t.Parallel()
	tests := []struct {
		got, want string
		f1        float64
	}{
		{"Mua bán người", "mua BÁN người", 1},
		{"联合国秘书长", "联合国", 2 * 0.5 * 1 / 1.5},
		{"", "", 1},
		{"a b", "", 0},
		{"الأمم المتحدة", "الأمم المتحدة تدعو", 2 * 1 * (2.0 / 3) / (1 + 2.0/3)},
	}
	for _, tt := range tests {
		if got := tokenF1(tt.got, tt.want); got-tt.f1 > 1e-9 || tt.f1-got > 1e-9 {
			t.Errorf("tokenF1(%q, %q) = %v, want %v", tt.got, tt.want, got, tt.f1)
		}
	}
}
