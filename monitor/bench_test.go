package monitor_test

import (
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/newswatch/newswatch/fetcher"
	"github.com/newswatch/newswatch/internal/newstest"
	"github.com/newswatch/newswatch/monitor"
	"github.com/newswatch/newswatch/news"
)

// BenchmarkPollCycle measures one first poll of the end-to-end site: six
// feeds, 20 article pages fetched, extracted, matched and stored in a
// fresh store.
func BenchmarkPollCycle(b *testing.B) {
	site := startE2ESite(b)
	layout := newstest.E2ELayout()
	feeds := feedsOf(site.URL(), layout)
	f := fetcher.New(testFetchOptions())
	for b.Loop() {
		m := newMonitor(b, feeds, f, openStore(b))
		if err := m.PollAll(b.Context(), nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(newstest.PagesOf(layout))), "articles/op")
}

// bigSize returns the size of the big benchmark, or false when
// NEWSWATCH_BIG_BENCH is not 1. NEWSWATCH_BIG_FEEDS (default 1000) and
// NEWSWATCH_BIG_ITEMS (default 20) set it.
func bigSize() (feeds, items int, ok bool) {
	if os.Getenv("NEWSWATCH_BIG_BENCH") != "1" {
		return 0, 0, false
	}
	feeds, items = 1000, 20
	if n, err := strconv.Atoi(os.Getenv("NEWSWATCH_BIG_FEEDS")); err == nil && n > 0 {
		feeds = n
	}
	if n, err := strconv.Atoi(os.Getenv("NEWSWATCH_BIG_ITEMS")); err == nil && n > 0 {
		items = n
	}
	return feeds, items, true
}

// bigPoll polls a generated site of feeds × items once with raised host
// limits and returns the monitor's results.
func bigPoll(tb testing.TB, feeds, items int) (stored int, failed []monitor.Result) {
	site := newstest.NewBigSite(feeds, items)
	srv := httptest.NewServer(site)
	defer srv.Close()
	var list []news.Feed
	for n := range feeds {
		list = append(list, news.Feed{URL: srv.URL + site.FeedPath(n), Interval: 10 * time.Minute, Scrape: true})
	}
	opts := testFetchOptions()
	opts.PerHostConcurrency, opts.Timeout, opts.MaxBodySize = 64, 30*time.Second, 15<<20
	st := openStore(tb)
	m := monitor.New(list, monitor.Deps{Fetcher: fetcher.New(opts), Store: st, Extractor: extractor(tb), Matcher: builtinTopics(tb)},
		monitor.Options{Workers: 16, Jitter: -1})
	err := m.PollAll(tb.Context(), func(r monitor.Result) {
		stored += r.Stored
		if r.Err != nil {
			failed = append(failed, r)
		}
	})
	if err != nil {
		tb.Fatal(err)
	}
	return stored, failed
}

// BenchmarkBigPoll measures one poll of 1,000 feeds × 20 items with their
// 30–80 KB pages on loopback. Run it with
//
//	NEWSWATCH_BIG_BENCH=1 go test -run '^$' -bench BigPoll -benchtime 1x ./monitor
func BenchmarkBigPoll(b *testing.B) {
	feeds, items, ok := bigSize()
	if !ok {
		b.Skip("set NEWSWATCH_BIG_BENCH=1 to run")
	}
	for b.Loop() {
		stored, failed := bigPoll(b, feeds, items)
		if stored != feeds*items || len(failed) > 0 {
			b.Fatalf("stored %d of %d articles; %d feeds failed", stored, feeds*items, len(failed))
		}
	}
}

// TestBigPoll is BenchmarkBigPoll as a test, to measure peak memory:
//
//	NEWSWATCH_BIG_BENCH=1 go test -c -o /tmp/monitor.test ./monitor
//	/usr/bin/time -v /tmp/monitor.test -test.run TestBigPoll -test.v
//
// (The generated site runs in the same process; cmd bigsite runs it apart
// from the real newswatch binary.)
func TestBigPoll(t *testing.T) {
	t.Parallel()
	feeds, items, ok := bigSize()
	if !ok {
		return // a benchmark in disguise: nothing to check without NEWSWATCH_BIG_BENCH=1
	}
	start := time.Now()
	stored, failed := bigPoll(t, feeds, items)
	t.Logf("%d feeds x %d items: stored %d articles in %v; %d feeds failed", feeds, items, stored, time.Since(start).Round(time.Millisecond), len(failed))
	if stored != feeds*items || len(failed) > 0 {
		t.Errorf("stored %d of %d articles; failed feeds %v", stored, feeds*items, failed)
	}
}
