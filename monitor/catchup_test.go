package monitor_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/newswatch/newswatch/fetcher"
	"github.com/newswatch/newswatch/internal/newstest"
	"github.com/newswatch/newswatch/news"
)

// memSite is a news site in memory for synctest bubbles: bodies by path,
// served through a memFetcher (with its ETags and request log), 404 for
// any other path.
type memSite struct {
	*memFetcher
	base string

	mu     sync.Mutex
	bodies map[string]string
}

func newMemSite(base string) *memSite {
	s := &memSite{memFetcher: newMemFetcher(), base: base, bodies: map[string]string{}}
	s.setFeed(func(u string) string {
		body, _ := s.body(u)
		return body
	})
	s.set(func(u string) error {
		if _, ok := s.body(u); !ok {
			return &fetcher.StatusError{URL: u, Code: http.StatusNotFound}
		}
		return nil
	})
	return s
}

func (s *memSite) body(u string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.bodies[strings.TrimPrefix(u, s.base)]
	return b, ok
}

// serve serves body at path, BasePlaceholder replaced by the site's URL.
func (s *memSite) serve(path string, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bodies[path] = strings.ReplaceAll(string(body), newstest.BasePlaceholder, s.base)
}

func (s *memSite) setPages(stories []newstest.Page) {
	for _, p := range stories {
		s.serve(p.Path(), p.HTML())
	}
}

// requests returns how often path was requested since t.
func (s *memSite) requests(path string, since time.Time) int {
	s.memFetcher.mu.Lock()
	defer s.memFetcher.mu.Unlock()
	n := 0
	for _, d := range s.calls[s.base+path] {
		if !s.epoch.Add(d).Before(since) {
			n++
		}
	}
	return n
}

// TestRestartAfterADayCatchesUp stops the daemon for a simulated day in
// which the feed's window turns over many times, and restarts it: the
// backfill sitemap is read once, every article of the day is stored, and
// none older than the horizon.
func TestRestartAfterADayCatchesUp(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		site := newMemSite("https://www.vietnamplus.vn")
		start := time.Now()
		before := newstest.Stories("vi", 10, 800000, start.Add(-time.Minute), 5*time.Minute)
		day := newstest.Stories("vi", 60, 801000, start.Add(24*time.Hour), 20*time.Minute)
		ancient := newstest.Stories("vi", 5, 802000, start.Add(-3*24*time.Hour), time.Hour) // 4 days before the restart
		site.setPages(slices.Concat(before, day, ancient))
		site.serve("/rss/home.rss", rssOf("vi", before))
		site.serve("/sitemaps/google-news.xml", newstest.NewsSitemap(before))
		feed := news.Feed{URL: site.base + "/rss/home.rss", Name: "VietnamPlus (vi)", Interval: 10 * time.Minute, Scrape: true, Lang: "vi",
			Backfill: site.base + "/sitemaps/google-news.xml"}
		st := openStore(t)
		runFor(t, schedMonitor(t, []news.Feed{feed}, site, st, time.Hour), 30*time.Minute)
		if n := site.requests("/sitemaps/google-news.xml", start); n != 0 {
			t.Errorf("the backfill was read %d times while the feed kept up", n)
		}

		time.Sleep(24 * time.Hour) // the daemon is stopped; the site publishes a day of news
		site.serve("/rss/home.rss", rssOf("vi", day[:10]))
		site.serve("/sitemaps/google-news.xml", newstest.NewsSitemap(slices.Concat(day, before, ancient)))
		restart := time.Now()
		runFor(t, schedMonitor(t, []news.Feed{feed}, site, st, time.Hour), 5*time.Minute)

		want := storyTopics(site.base, slices.Concat(before, day))
		got := storedTopics(t, st)
		for u := range want {
			if _, ok := got[u]; !ok {
				t.Errorf("article %s of the day offline is missing", u)
			}
		}
		for _, p := range ancient {
			if _, ok := got[newstest.PageURL(site.base, p)]; ok {
				t.Errorf("article %d, published before the horizon, was stored", p.ID)
			}
		}
		if len(got) != len(want) {
			t.Errorf("%d articles stored, want %d", len(got), len(want))
		}
		if n := site.requests("/sitemaps/google-news.xml", restart); n != 1 {
			t.Errorf("the backfill was read %d times after the restart, want once", n)
		}
		fs, err := st.Feed(feed.URL)
		if err != nil {
			t.Fatal(err)
		}
		if fs.GapsTotal != 1 || fs.Turnover != 0 {
			t.Errorf("after the restart: gaps %d, turnover %v; want the gap recorded, the interval kept (downtime explains it)", fs.GapsTotal, fs.Turnover)
		}

		// A restart a few minutes later is no downtime: no catch-up.
		time.Sleep(3 * time.Minute)
		again := time.Now()
		runFor(t, schedMonitor(t, []news.Feed{feed}, site, st, time.Hour), 15*time.Minute)
		if n := site.requests("/sitemaps/google-news.xml", again); n != 0 {
			t.Errorf("a restart after 3 minutes read the backfill %d times", n)
		}
	})
}

// TestGapShortensInterval: a feed whose window overflows between polls is
// polled sooner from then on, and relaxes back once polls overlap again.
func TestGapShortensInterval(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		site := newMemSite("https://www.vietnamplus.vn")
		start := time.Now()
		stories := newstest.Stories("vi", 200, 810000, start.Add(30*time.Minute), time.Minute) // newest first
		site.setPages(stories)
		visible := func(at time.Time) []newstest.Page { // the 10 newest published by at
			i := slices.IndexFunc(stories, func(p newstest.Page) bool { return !p.Published.After(at) })
			return stories[i : i+10]
		}
		site.serve("/rss/home.rss", rssOf("vi", visible(start)))
		feed := news.Feed{URL: site.base + "/rss/home.rss", Name: "VietnamPlus (vi)", Interval: 10 * time.Minute, Scrape: true}
		st := openStore(t)
		m := schedMonitor(t, []news.Feed{feed}, site, st, time.Hour)
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- m.Run(ctx) }()
		// 30 stories a minute for the first half hour: the 10-item window
		// overflows between polls 10 minutes apart.
		for now := start; now.Before(start.Add(30 * time.Minute)); now = now.Add(time.Minute) {
			site.serve("/rss/home.rss", rssOf("vi", visible(now)))
			time.Sleep(time.Minute)
		}
		synctest.Wait()
		fs, _ := st.Feed(feed.URL)
		if fs.GapsTotal == 0 || fs.Turnover <= 0 || fs.Turnover >= 10*time.Minute {
			t.Errorf("after overflows: gaps %d, turnover %v; want gaps and a shorter interval", fs.GapsTotal, fs.Turnover)
		}
		time.Sleep(3 * time.Hour) // no more news: polls overlap, the interval relaxes
		cancel()
		synctest.Wait()
		<-done
		if fs, _ := st.Feed(feed.URL); fs.Turnover != 0 || fs.Interval != 10*time.Minute {
			t.Errorf("after quiet hours: turnover %v, interval %v; want the feed's own 10m again", fs.Turnover, fs.Interval)
		}
	})
}
