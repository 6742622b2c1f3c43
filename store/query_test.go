package store

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/news"
)

// collect runs ForEachArticle and returns what it visited.
func collect(t testing.TB, s *Store, q Query) []*news.Article {
	t.Helper()
	var out []*news.Article
	err := s.ForEachArticle(t.Context(), q, func(a *news.Article) error {
		out = append(out, a)
		return nil
	})
	if err != nil {
		t.Fatalf("ForEachArticle(%+v) = %v", q, err)
	}
	return out
}

func TestForEachArticle(t *testing.T) {
	s := openTest(t)
	as := loadArticles(t)
	m := byLang(as)
	if _, err := s.SavePoll(Poll{Feed: FeedState{URL: "https://example.org/feed"}, Articles: as}); err != nil {
		t.Fatal(err)
	}
	s = reopen(t, s)
	day := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }

	tests := []struct {
		name string
		q    Query
		want []string // keys of m, in the expected order
	}{
		{"matched by time", Query{}, []string{"vi", "ar", "zh", "fr", "es"}},
		{"all, fetch time when unpublished", Query{All: true}, []string{"ru", "vi-rice", "vi", "ar", "zh", "fr", "es", "en"}},
		{"topic", Query{Topic: "trafficking"}, []string{"vi", "ar", "zh", "es"}},
		{"topic since", Query{Topic: "united-nations", Since: day(22, 0)}, []string{"zh", "fr"}},
		{"topic ignores All", Query{Topic: "united-nations", All: true}, []string{"ar", "zh", "fr"}},
		{"since is inclusive", Query{Since: day(21, 10)}, []string{"ar", "zh", "fr", "es"}},
		{"until is exclusive", Query{All: true, Until: day(21, 10)}, []string{"ru", "vi-rice", "vi"}},
		{"window", Query{Since: day(21, 0), Until: day(24, 0)}, []string{"ar", "zh", "fr"}},
		{"topic window", Query{Topic: "trafficking", Since: day(21, 0), Until: day(22, 3)}, []string{"ar"}},
		{"empty window", Query{All: true, Since: day(24, 0), Until: day(21, 0)}, nil},
		{"unknown topic", Query{Topic: "climate"}, nil},
		{"topic prefix of another", Query{Topic: "united"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var want []*news.Article
			for _, k := range tc.want {
				want = append(want, m[k])
			}
			// Full comparison: vi, ar and zh text must round-trip exactly.
			if diff := cmp.Diff(want, collect(t, s, tc.q)); diff != "" {
				t.Errorf("ForEachArticle(%+v) mismatch (-want +got):\n%s", tc.q, diff)
			}
		})
	}
}

func TestForEachArticleBatches(t *testing.T) {
	s := openTest(t)
	const n = 2*forEachBatch + 17
	var as []*news.Article
	for i := range n {
		a := &news.Article{URL: fmt.Sprintf("https://example.org/tin-%d", i), Title: "Tin số " + fmt.Sprint(i), Lang: "vi",
			Published: t0.Add(time.Duration(i%50) * time.Minute), Fetched: t0} // ties are ordered by ID
		a.ID = news.ArticleID(a.URL)
		if i%3 == 0 {
			a.SetHits([]news.Hit{{Topic: "trafficking", Term: "x"}})
		}
		as = append(as, a)
	}
	if _, err := s.SavePoll(Poll{Feed: FeedState{URL: "https://example.org/feed"}, Articles: as}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []Query{{All: true}, {}, {Topic: "trafficking"}} {
		got := collect(t, s, q)
		want := 0
		for _, a := range as {
			if q.All || a.Matched() {
				want++
			}
		}
		if len(got) != want {
			t.Errorf("ForEachArticle(%+v) visited %d articles, want %d", q, len(got), want)
		}
		for i := 1; i < len(got); i++ {
			p, c := got[i-1], got[i]
			if c.Published.Before(p.Published) || (c.Published.Equal(p.Published) && c.ID <= p.ID) {
				t.Fatalf("ForEachArticle(%+v): %s (%v) after %s (%v), want ascending", q, c.ID, c.Published, p.ID, p.Published)
			}
		}
	}
}

func TestForEachArticleStops(t *testing.T) {
	s := openTest(t)
	if _, err := s.SavePoll(Poll{Feed: FeedState{URL: "https://example.org/feed"}, Articles: loadArticles(t)}); err != nil {
		t.Fatal(err)
	}
	errStop := errors.New("stop")
	calls := 0
	err := s.ForEachArticle(t.Context(), Query{All: true}, func(*news.Article) error {
		if calls++; calls == 3 {
			return errStop
		}
		return nil
	})
	if !errors.Is(err, errStop) || calls != 3 {
		t.Errorf("ForEachArticle(fn fails at 3) = %v after %d calls, want %v after 3", err, calls, errStop)
	}

	ctx, cancel := context.WithCancel(t.Context())
	calls = 0
	err = s.ForEachArticle(ctx, Query{All: true}, func(*news.Article) error {
		calls++
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) || calls != 1 {
		t.Errorf("ForEachArticle(cancelled) = %v after %d calls, want %v after 1", err, calls, context.Canceled)
	}
	if err := s.ForEachArticle(t.Context(), Query{Topic: "a\x00b"}, func(*news.Article) error { return nil }); err == nil {
		t.Error("ForEachArticle(topic with NUL) = nil, want error")
	}
}
