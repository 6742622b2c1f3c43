package store

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestLabels(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	t0 := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	set := func(l Label) {
		t.Helper()
		if err := s.SetLabel(l); err != nil {
			t.Fatal(err)
		}
	}
	set(Label{ArticleID: "a1", Topic: "trafficking", User: "mai", Label: LabelRelevant, Lang: "vi", At: t0})
	set(Label{ArticleID: "a1", Topic: "trafficking", User: "mai", Label: LabelNotRelevant, Lang: "vi", At: t0.Add(time.Hour)}) // changed
	set(Label{ArticleID: "a1", Topic: "trafficking", User: "an", Label: LabelRelevant, Lang: "vi", At: t0})
	set(Label{ArticleID: "a2", Topic: "trafficking", User: "mai", Label: LabelRelevant, Lang: "ar", At: t0})
	set(Label{ArticleID: "a2", Topic: "un", User: "mai", Label: LabelRelevant, Lang: "ar", At: t0.Add(-60 * 24 * time.Hour)})
	set(Label{ArticleID: "a3", Topic: "un", User: "mai", Label: LabelRelevant, Lang: "en", At: t0})
	set(Label{ArticleID: "a3", Topic: "un", User: "mai", Label: "", At: t0}) // cleared
	for _, bad := range []Label{{ArticleID: "a1", Topic: "un", User: "mai", Label: "maybe"}, {Topic: "un", User: "mai", Label: LabelRelevant}} {
		if err := s.SetLabel(bad); err == nil {
			t.Errorf("SetLabel(%+v) = nil, want an error", bad)
		}
	}
	got, err := s.ArticleLabels("a1")
	if err != nil || len(got) != 2 || got[0].User != "an" || got[1].Label != LabelNotRelevant {
		t.Errorf("ArticleLabels(a1) = %+v, %v", got, err)
	}
	stats, err := s.LabelStats(t.Context(), "trafficking", t0.Add(-30*24*time.Hour))
	want := map[string]Precision{"vi": {Relevant: 1, NotRelevant: 1}, "ar": {Relevant: 1}}
	if err != nil || !cmp.Equal(stats, want) {
		t.Errorf("LabelStats(trafficking) = %v, %v, want %v", stats, err, want)
	}
	if stats, _ := s.LabelStats(t.Context(), "un", t0.Add(-30*24*time.Hour)); len(stats) != 0 {
		t.Errorf("LabelStats(un, last 30 days) = %v, want none (one too old, one cleared)", stats)
	}
}
