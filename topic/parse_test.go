package topic

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/unicode/norm"

	"github.com/newswatch/newswatch/news"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`a b`, `(a AND b)`},
		{`a OR b c`, `(a OR (b AND c))`},
		{`"human trafficking" OR =UN`, `("human trafficking" OR =UN)`},
		{`NOT drugs trafficking`, `(NOT drugs AND trafficking)`},
		{`a NEAR/3 b ONEAR/2 c`, `((a NEAR/3 b) ONEAR/2 c)`},
		{`title:(a OR b)`, `(title:a OR title:b)`},
		{`lang:vi-VN AND "mua bán người"`, `(lang:vi AND "mua bán người")`},
		{"traffick*\nAND\tforced", `(traffick* AND forced)`},
		{`url:"mua-ban-nguoi"`, `url:"mua-ban-nguoi"`},
		{`10:30`, `10:30`},
	} {
		q, err := Parse(tc.in)
		if err != nil {
			t.Errorf("Parse(%q) error: %v", tc.in, err)
			continue
		}
		if got := q.String(); got != tc.want {
			t.Errorf("Parse(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`"United Nations" (united`, `1:25: expected ")" after "(united"`},
		{`a OR`, `1:5: expected a term after "OR", found end of query`},
		{`"0"&&`, `1:6: expected a term after "&&", found end of query`},
		{`"open`, `1:6: expected closing '"' for the phrase at 1`},
		{`tr*`, `1:1: expected at least 3 letters before "*" in "tr*"`},
		{`a*b`, `1:1: expected "*" only at the end of "a*b"`},
		{`a NEAR/x b`, `1:8: expected a distance from 0 to 1000 after "NEAR/"`},
		{`(a AND b) NEAR/3 c`, `1:11: expected terms, phrases or OR groups around "NEAR/3" (AND, NOT, MIN, SCORE and lang: have no position)`},
		{`NOT a`, `1:1: expected at least one term that is not under NOT`},
		{`a )`, `1:3: unexpected ")" without a matching "("`},
		{``, `1:1: expected a term, found an empty query`},
		{"a OR\n  OR b", `2:3: expected a term after "OR", found "OR"`},
		{`lang:"vi en"`, `1:1: expected a language code after "lang:", found "vi en"`},
		{`lang:_`, `1:1: expected a language code after "lang:", found "_"`},
	} {
		_, err := Parse(tc.in)
		if err == nil || err.Error() != tc.want {
			t.Errorf("Parse(%q) error = %v, want %s", tc.in, err, tc.want)
		}
	}
}

func TestCompileErrorNamesTopic(t *testing.T) {
	_, err := Compile([]Topic{{Name: "un", Query: `"United Nations" (united`}})
	if want := `topic "un": 1:25: expected ")" after "(united"`; err == nil || err.Error() != want {
		t.Errorf("Compile error = %v, want %s", err, want)
	}
	if _, err := Compile([]Topic{{Name: "x", Query: `"..."`}}); err == nil {
		t.Errorf("Compile(punctuation only) = nil error, want one")
	}
}

// fuzzSeeds returns dev-set texts and the default queries.
func fuzzSeeds(f *testing.F) []string {
	var out []string
	for _, tp := range defaultTopics(f) {
		out = append(out, tp.Query)
	}
	fh, err := os.Open("testdata/devset.jsonl")
	if err != nil {
		f.Fatal(err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		var d labelled
		if json.Unmarshal(sc.Bytes(), &d) == nil {
			out = append(out, d.Title+"\n"+d.Text)
		}
	}
	return out
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Add(`a NEAR/3 (b OR "c d*") ONEAR/1 =UN title:x lang:vi NOT (url:y)`)
	f.Add(`SCORE("human trafficking"^3, lead:(sold OR lured)^1.5, (drug* NEAR/2 x)^-1) >= 4 OR MIN/2(a, b NOT NEAR/1 c, d^0)`)
	f.Add(`SCORE(a, NOT b) >= 0.5% 联合国 NOT ONEAR/0 际`)
	f.Add("LET p = (women OR girls) # people\nLET s = sold^0\nMIN/2/30(($s ONEAR/4 $p), (dollars OR brothel)^0) OR SCORE(+$p^3, title:$p) >= 4%")
	f.Fuzz(func(t *testing.T, q string) {
		parsed, err := Parse(q)
		if err != nil {
			if _, ok := err.(*SyntaxError); !ok {
				t.Errorf("Parse(%q) error %T, want *SyntaxError", q, err)
			}
			return
		}
		// The canonical form parses to itself.
		again, err := Parse(parsed.String())
		if err != nil || again.String() != parsed.String() {
			t.Errorf("Parse(%q).String() = %s does not round-trip: %v", q, parsed.String(), err)
		}
		m, err := Compile([]Topic{{Name: "f", Query: q}})
		if err == nil {
			m.Match(&news.Article{Title: q, Text: q})
		}
	})
}

func FuzzNormalize(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Add("聯(lián)合國 e\u0301\u0323 ÐẠI الأُمَمُ ـ ﬁ Ｕ\u200bN")
	m, err := Compile(defaultTopics(f))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var tx text
		tx.add(s)
		if len(tx.offs) != len(tx.buf) {
			t.Fatalf("Normalize(%q): %d offsets for %d bytes", s, len(tx.offs), len(tx.buf))
		}
		for i, o := range tx.offs {
			if int(o) < 0 || int(o) >= len(s) && len(s) > 0 {
				t.Fatalf("Normalize(%q): offset %d of byte %d out of range", s, o, i)
			}
		}
		var gen text
		gen.general = true
		gen.add(s)
		if d := firstDiff(&tx, &gen); d != "" {
			t.Errorf("Normalize(%q): fast and general paths differ: %s", s, d)
		}
		n := Normalize(s)
		if utf8.ValidString(s) && !utf8.ValidString(n) {
			t.Errorf("Normalize(%q) = %q, not valid UTF-8", s, n)
		}
		if utf8.ValidString(s) && Normalize(n) != n {
			t.Errorf("Normalize is not idempotent on %q: %q -> %q", s, n, Normalize(n))
		}
		if utf8.ValidString(s) && Normalize(norm.NFD.String(s)) != Normalize(norm.NFC.String(s)) {
			t.Errorf("Normalize(NFD(%q)) = %q, Normalize(NFC) = %q", s, Normalize(norm.NFD.String(s)), Normalize(norm.NFC.String(s)))
		}
		if strings.Contains(n, "  ") {
			t.Errorf("Normalize(%q) = %q has a double space", s, n)
		}
		for _, h := range m.Match(&news.Article{Text: s}) {
			if h.Start < 0 || h.End > len(s) || h.Start >= h.End {
				t.Errorf("Match(%q) hit %+v out of range", s, h)
			}
		}
	})
}

// firstDiff describes the first difference between two normalisations of
// the same text, or returns "".
func firstDiff(a, b *text) string {
	if i := slices.Compare(a.buf, b.buf); i != 0 || len(a.buf) != len(b.buf) {
		for k := range min(len(a.buf), len(b.buf)) {
			if a.buf[k] != b.buf[k] {
				return fmt.Sprintf("text %q vs %q", a.buf[max(0, k-20):min(len(a.buf), k+20)], b.buf[max(0, k-20):min(len(b.buf), k+20)])
			}
		}
		return fmt.Sprintf("text lengths %d vs %d", len(a.buf), len(b.buf))
	}
	for k := range a.offs {
		if a.offs[k] != b.offs[k] {
			return fmt.Sprintf("offset of byte %d (%q): %d vs %d", k, a.buf[max(0, k-20):min(len(a.buf), k+20)], a.offs[k], b.offs[k])
		}
	}
	if !slices.Equal(a.units, b.units) {
		for k := range min(len(a.units), len(b.units)) {
			if a.units[k] != b.units[k] {
				return fmt.Sprintf("unit %d at %d vs %d", k, a.units[k], b.units[k])
			}
		}
		return fmt.Sprintf("%d units vs %d", len(a.units), len(b.units))
	}
	if a.segs[0] != b.segs[0] {
		return fmt.Sprintf("letters/accented %d/%d vs %d/%d", a.segs[0].letters, a.segs[0].accented, b.segs[0].letters, b.segs[0].accented)
	}
	return ""
}

// TestSharedGroupsMatchWrittenOut checks that a query whose LET groups
// are shared by their uses (scoped, weighted, required, as context and
// not, nested, under lang:) matches and explains every article of the
// test sets exactly as the same query with each $group written out.
func TestSharedGroupsMatchWrittenOut(t *testing.T) {
	queries := []string{
		"LET p = (women OR girls OR children OR migrants)\nLET s = (sold OR bought OR trafficked)\n" +
			"($s ONEAR/3 $p) OR title:$p^0 OR SCORE(+$s^2, $p, lead:$s, title:$p) >= 3 OR ($p NEAR/4 $s)",
		"LET a = (sold OR sale OR vendus OR 拐卖)\nLET b = ($a OR \"handed over\")\nLET c = ($b NEAR/4 (baby OR babies OR 婴儿))\n" +
			"$c OR title:$b OR ($c AND NOT $a) OR MIN/2/10($a, $b^0, $c) OR ($b OR trafficking)",
		"LET l = (vi OR en)\nLET n = (\"mua bán người\" OR \"human trafficking\" OR =UN)\n" +
			"(lang:$l AND $n) OR ($n NOT NEAR/2 drug*) OR SCORE($n^3, $n, text:$n^-1) >= 4",
	}
	docs := append(readDevset(t), readLabelled(t, "testdata/blind.jsonl")...)
	for i, q := range queries {
		shared, err := Compile([]Topic{{Name: "t", Query: q}})
		if err != nil {
			t.Fatalf("query %d: %v", i, err)
		}
		out := writeOut(q)
		copied, err := Compile([]Topic{{Name: "t", Query: out}})
		if err != nil {
			t.Fatalf("query %d written out: %v\n%s", i, err, out)
		}
		matched := 0
		for _, d := range docs {
			a := &news.Article{Title: d.Title, Text: d.Text, Lang: d.Lang}
			if diff := cmp.Diff(copied.Explain(a), shared.Explain(a)); diff != "" {
				t.Fatalf("query %d, %s: Explain differs (-written out +shared):\n%s", i, d.ID, diff)
			}
			if len(shared.Match(a)) > 0 {
				matched++
			}
		}
		if matched == 0 {
			t.Errorf("query %d matched no article: the comparison shows nothing", i)
		}
	}
}

// writeOut replaces each $group of a query by its definition in
// parentheses and drops the LET lines.
func writeOut(q string) string {
	defs := map[string]string{}
	var body []string
	for line := range strings.Lines(q) {
		name, def, ok := strings.Cut(strings.TrimPrefix(line, "LET "), " = ")
		if !strings.HasPrefix(line, "LET ") || !ok {
			body = append(body, line)
			continue
		}
		defs[name] = "(" + expand(strings.TrimSpace(def), defs) + ")"
	}
	return expand(strings.Join(body, ""), defs)
}

func expand(s string, defs map[string]string) string {
	return regexp.MustCompile(`\$[a-z_]+`).ReplaceAllStringFunc(s, func(ref string) string { return defs[ref[1:]] })
}
