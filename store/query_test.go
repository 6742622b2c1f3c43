package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

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
	t.Parallel()
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
	t.Parallel()
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
	t.Parallel()
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

// bigArticles returns n matched articles of about size bytes each,
// published a minute apart from start.
func bigArticles(prefix string, n, size int, start time.Time) []*news.Article {
	// Words in a pseudo-random order, so that the text does not shrink
	// much when stored compressed and size stays about what it costs.
	words := strings.Fields("buôn bán người qua biên giới trẻ em lao động cưỡng bức đường dây triệt phá công an tỉnh")
	rnd := rand.New(rand.NewPCG(uint64(n), uint64(size)))
	as := make([]*news.Article, n)
	for i := range as {
		var text strings.Builder
		for text.Len() < size {
			text.WriteString(words[rnd.IntN(len(words))])
			fmt.Fprintf(&text, " %d ", rnd.IntN(1000))
		}
		a := &news.Article{URL: fmt.Sprintf("https://example.org/%s-%d", prefix, i), Title: "Tin " + fmt.Sprint(i), Text: text.String(),
			Lang: "vi", Published: start.Add(time.Duration(i) * time.Minute), Fetched: start}
		a.ID = news.ArticleID(a.URL)
		a.SetHits([]news.Hit{{Topic: "trafficking", Term: "buôn bán người"}})
		as[i] = a
	}
	return as
}

// TestForEachArticleStalledConsumer: while fn is stalled (a client that
// stopped reading an export), no read transaction is open, so a write that
// must grow the file commits, and the stalled export holds only one small
// batch of articles.
func TestForEachArticleStalledConsumer(t *testing.T) {
	t.Parallel()
	// Not openTest: if the writer blocks, Close would wait for it forever.
	s, err := Open(filepath.Join(t.TempDir(), "newswatch.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	const size = 8 << 10
	if _, err := s.SavePoll(Poll{Feed: FeedState{URL: "https://example.org/feed"}, Articles: bigArticles("old", 100, size, t0)}); err != nil {
		t.Fatal(err)
	}
	stalled, resume := make(chan struct{}), make(chan struct{})
	visited := 0
	exported := make(chan error, 1)
	go func() {
		exported <- s.ForEachArticle(t.Context(), Query{}, func(*news.Article) error {
			if visited++; visited == 1 {
				close(stalled)
				<-resume
			}
			return nil
		})
	}()
	<-stalled
	if n := s.db.Stats().OpenTxN; n != 0 {
		t.Errorf("%d read transactions open while the export is stalled, want 0", n)
	}
	before := fileSize(t, s)
	saved := make(chan error, 1)
	go func() {
		_, err := s.SavePoll(Poll{Feed: FeedState{URL: "https://example.org/feed2"}, Articles: bigArticles("new", 400, size, t0.Add(time.Hour))})
		saved <- err
	}()
	select {
	case err := <-saved:
		if err != nil {
			t.Fatalf("SavePoll while an export is stalled = %v", err)
		}
	case <-time.After(time.Minute): // a guard only: a blocked writer never returns
		t.Fatal("SavePoll blocked while an export was stalled; the store is left open, deadlocked")
	}
	if after := fileSize(t, s); after <= before {
		t.Errorf("file size %d after the write, want it grown past %d (the write must remap to test anything)", after, before)
	}
	close(resume)
	if err := <-exported; err != nil {
		t.Fatalf("ForEachArticle = %v", err)
	}
	if visited != 500 {
		t.Errorf("export visited %d articles, want 500: the 100 old and the 400 saved while it was stalled", visited)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestScanBatchBytes: a batch of large articles stops after about
// forEachBatchBytes, so a stalled export pins little memory.
func TestScanBatchBytes(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	const size = 8 << 10
	if _, err := s.SavePoll(Poll{Feed: FeedState{URL: "https://example.org/feed"}, Articles: bigArticles("a", 50, size, t0)}); err != nil {
		t.Fatal(err)
	}
	sc, err := newScan(Query{})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for !sc.done {
		var batch []*news.Article
		if err := s.view(func(tx *bolt.Tx) error { batch, err = sc.next(tx); return err }); err != nil {
			t.Fatal(err)
		}
		if max := forEachBatchBytes/size + 1; len(batch) > max {
			t.Errorf("batch of %d articles of %d bytes, want at most %d", len(batch), size, max)
		}
		total += len(batch)
	}
	if total != 50 {
		t.Errorf("scan visited %d articles, want 50", total)
	}
}

func fileSize(t *testing.T, s *Store) int64 {
	t.Helper()
	fi, err := os.Stat(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
