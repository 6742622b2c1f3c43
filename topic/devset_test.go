package topic

import (
	"bufio"
	"encoding/json"
	"os"
	"slices"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/newswatch/newswatch/news"
)

// labelled is one hand-labelled news snippet of testdata/devset.jsonl.
type labelled struct {
	ID     string   `json:"id"`
	Lang   string   `json:"lang"`
	Title  string   `json:"title"`
	Text   string   `json:"text"`
	Topics []string `json:"topics"`
}

func readDevset(t testing.TB) []labelled {
	t.Helper()
	f, err := os.Open("testdata/devset.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var l labelled
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("devset: %v", err)
		}
		out = append(out, l)
	}
	return out
}

// counts is a confusion count for one topic.
type counts struct{ tp, fp, fn int }

func (c counts) f1() float64 {
	if c.tp == 0 {
		if c.fp == 0 && c.fn == 0 {
			return 1
		}
		return 0
	}
	return 2 * float64(c.tp) / float64(2*c.tp+c.fp+c.fn)
}

// TestDevsetF1 checks the default topics on hand-labelled snippets in
// seven languages, hard negatives included, in NFC and in NFD: F1 at
// least 0.95 per topic overall and 0.90 per topic and language.
func TestDevsetF1(t *testing.T) {
	m, err := Compile(defaultTopics(t))
	if err != nil {
		t.Fatal(err)
	}
	docs := readDevset(t)
	for _, form := range []norm.Form{norm.NFC, norm.NFD} {
		overall := map[string]*counts{}
		perLang := map[[2]string]*counts{}
		for _, d := range docs {
			a := &news.Article{Title: form.String(d.Title), Text: form.String(d.Text), Lang: d.Lang}
			a.SetHits(m.Match(a))
			for _, tp := range m.Topics() {
				got, want := slices.Contains(a.Topics, tp), slices.Contains(d.Topics, tp)
				for _, c := range []*counts{get(overall, tp), get(perLang, [2]string{tp, d.Lang})} {
					switch {
					case got && want:
						c.tp++
					case got:
						c.fp++
					case want:
						c.fn++
					}
				}
				if got != want {
					t.Logf("form %v: %s: topic %s = %v, want %v (%s)", form, d.ID, tp, got, want, d.Title)
				}
			}
		}
		for tp, c := range overall {
			t.Logf("form %v: %s overall F1 %.3f (%+v)", form, tp, c.f1(), *c)
			if c.f1() < 0.95 {
				t.Errorf("form %v: F1(%s) = %.3f, want >= 0.95", form, tp, c.f1())
			}
		}
		for k, c := range perLang {
			if c.f1() < 0.90 {
				t.Errorf("form %v: F1(%s, %s) = %.3f, want >= 0.90", form, k[0], k[1], c.f1())
			}
		}
	}
}

func get[K comparable](m map[K]*counts, k K) *counts {
	if m[k] == nil {
		m[k] = &counts{}
	}
	return m[k]
}
