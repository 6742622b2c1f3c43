package story

import (
	"os"
	"slices"
	"testing"
	"time"

	"github.com/newswatch/newswatch/news"
)

// TestDebugPairs prints every pair's score on the dev set (STORY_DEBUG=1).
func TestDebugPairs(t *testing.T) {
	if os.Getenv("STORY_DEBUG") == "" {
		t.Skip("set STORY_DEBUG=1")
	}
	set := readLabelled(t, "testdata/dev.jsonl")
	slices.SortStableFunc(set, func(x, y labelled) int { return x.Published.Compare(y.Published) })
	tr := New(Options{})
	for _, l := range set {
		a := &news.Article{ID: l.ID, URL: l.URL, Source: l.Source, Title: l.Title, Text: l.Text, Lang: l.Lang,
			Published: l.Published, Fetched: l.Published.Add(time.Hour), Image: l.Image}
		d := newDoc(a, a.Fetched, &tr.scratch)
		d.weigh(d.rawTF, tr.idf)
		for _, c := range tr.docs {
			score, dup, reasons, ok := tr.pair(d, c)
			gold := c.story == "" // placeholder
			_ = gold
			if score > 0.2 || ok {
				t.Logf("%-14s %-14s ok=%v dup=%v score=%.2f %v", l.ID, c.id, ok, dup, score, reasons)
			}
		}
		tr.Assign(a, a.Fetched)
	}
}
