package monitor_test

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/fetcher"
	"github.com/newswatch/newswatch/monitor"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
	"github.com/newswatch/newswatch/topic"
)

// liveSite is an in-memory Fetcher for synctest bubbles whose feeds change:
// each feed serves the item titles it was given (without validators, so
// every poll reads them), and the fetches of a held feed wait until it is
// released.
type liveSite struct {
	epoch time.Time

	mu    sync.Mutex
	items map[string][]string      // feed URL -> item titles
	holds map[string]chan struct{} // feed URL -> closed on release
	calls map[string][]time.Duration
}

func newLiveSite() *liveSite {
	return &liveSite{epoch: time.Now(), items: map[string][]string{}, holds: map[string]chan struct{}{}, calls: map[string][]time.Duration{}}
}

// FetchPage is Fetch: the in-memory site has no robots.txt.
func (s *liveSite) FetchPage(ctx context.Context, url string, v fetcher.Validators) (*fetcher.Response, error) {
	return s.Fetch(ctx, url, v)
}

func (s *liveSite) Fetch(ctx context.Context, url string, _ fetcher.Validators) (*fetcher.Response, error) {
	s.mu.Lock()
	s.calls[url] = append(s.calls[url], time.Since(s.epoch))
	hold, titles := s.holds[url], s.items[url]
	s.mu.Unlock()
	if hold != nil {
		select {
		case <-hold:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Live</title><link>https://live.example/</link>`)
	for i, title := range titles {
		fmt.Fprintf(&b, "<item><title>%s</title><link>%s/item-%d</link><description>%s</description></item>", title, url, i, title)
	}
	b.WriteString(`</channel></rss>`)
	return &fetcher.Response{URL: url, StatusCode: http.StatusOK, ContentType: "application/rss+xml", Body: []byte(b.String())}, nil
}

// serve sets the item titles of the feed at url.
func (s *liveSite) serve(url string, titles ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items[url] = titles
}

// hold makes fetches of url wait until release.
func (s *liveSite) hold(url string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.holds[url] = make(chan struct{})
}

func (s *liveSite) release(url string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	close(s.holds[url])
	delete(s.holds, url)
}

// times returns when url was fetched, since the epoch.
func (s *liveSite) times(url string) []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration{}, s.calls[url]...)
}

// twoFeeds returns two feeds polled every 10 minutes, serving one item
// each: titleA and titleB.
func twoFeeds(site *liveSite, titleA, titleB string) (a, b news.Feed) {
	a, b = schedFeed("https://a.example/rss", 10*time.Minute), schedFeed("https://b.example/rss", 10*time.Minute)
	site.serve(a.URL, titleA)
	site.serve(b.URL, titleB)
	return a, b
}

// at runs fn after d in the bubble, while the monitor runs.
func at(d time.Duration, fn func()) {
	go func() {
		time.Sleep(d)
		fn()
	}()
}

// liveOptions are the options of the live tests: no jitter, so times are exact.
func liveOptions(workers int) monitor.Options {
	return monitor.Options{Workers: workers, Interval: 10 * time.Minute, Jitter: -1, MaxBackoff: time.Hour}
}

func liveMonitor(t *testing.T, feeds []news.Feed, f monitor.Fetcher, st *store.Store, workers int) *monitor.Monitor {
	t.Helper()
	return monitor.New(feeds, monitor.Deps{Fetcher: f, Store: st, Extractor: extractor(t), Matcher: builtinTopics(t)}, liveOptions(workers))
}

func TestSetFeedsAddsFeedDuringRun(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		site := newLiveSite()
		a, b := twoFeeds(site, "a one", "b one")
		st := openStore(t)
		m := liveMonitor(t, []news.Feed{a}, site, st, 2)
		at(25*time.Minute, func() { m.SetFeeds([]news.Feed{a, b}) })
		runFor(t, m, 48*time.Minute)
		got := map[string][]time.Duration{a.URL: site.times(a.URL), b.URL: site.times(b.URL)}
		want := map[string][]time.Duration{
			a.URL: {0, 10 * time.Minute, 20 * time.Minute, 30 * time.Minute, 40 * time.Minute},
			b.URL: {25 * time.Minute, 35 * time.Minute, 45 * time.Minute}, // at once, then on its interval
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("fetch times after adding a feed differ (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]news.Feed{a, b}, m.Feeds()); diff != "" {
			t.Errorf("Feeds() after SetFeeds differs (-want +got):\n%s", diff)
		}
	})
}

func TestSetFeedsRemovesFeed(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		site := newLiveSite()
		a, b := schedFeed("https://a.example/rss", 10*time.Minute), schedFeed("https://b.example/rss", 10*time.Minute)
		site.serve(a.URL, "a one")
		site.serve(b.URL, "b one", "b two")
		site.hold(b.URL) // b's first poll is in flight when b is removed
		st := openStore(t)
		m := liveMonitor(t, []news.Feed{a, b}, site, st, 2)
		at(time.Minute, func() { m.SetFeeds([]news.Feed{a}) })
		at(2*time.Minute, func() { site.release(b.URL) })
		runFor(t, m, 45*time.Minute)
		if diff := cmp.Diff([]time.Duration{0}, site.times(b.URL)); diff != "" {
			t.Errorf("fetch times of the removed feed differ (-want +got):\n%s", diff)
		}
		if got := len(site.times(a.URL)); got != 5 {
			t.Errorf("the remaining feed was fetched %d times in 45m, want 5", got)
		}
		fs, err := st.Feed(b.URL)
		if err != nil || fs.ItemsSeen != 2 || fs.LastSuccess.IsZero() {
			t.Errorf("state of the removed feed = %d items seen, last success %v (%v); want its in-flight poll saved: 2, set", fs.ItemsSeen, fs.LastSuccess, err)
		}
		stored := storedTopics(t, st)
		for _, u := range []string{b.URL + "/item-0", b.URL + "/item-1"} {
			if _, ok := stored[u]; !ok {
				t.Errorf("article %s of the in-flight poll not stored", u)
			}
		}
	})
}

func TestSetFeedsChangedSettings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		interval time.Duration // the feed's interval before SetFeeds at 30m, and after
		changed  time.Duration
		want     []time.Duration
	}{
		{"shorter interval reschedules from the last poll", 24 * time.Hour, time.Hour, []time.Duration{0, time.Hour, 2 * time.Hour}},
		{"shorter interval already overdue polls at once", 24 * time.Hour, 20 * time.Minute, []time.Duration{0, 30 * time.Minute, 50 * time.Minute, 70 * time.Minute, 90 * time.Minute, 110 * time.Minute}},
		{"longer interval applies after the next poll", 50 * time.Minute, 80 * time.Minute, []time.Duration{0, 50 * time.Minute}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				site := newLiveSite()
				f := schedFeed("https://a.example/rss", tt.interval)
				site.serve(f.URL, "a one")
				st := openStore(t)
				m := liveMonitor(t, []news.Feed{f}, site, st, 2)
				changed := f
				changed.Interval, changed.Name = tt.changed, "Renamed"
				at(30*time.Minute, func() { m.SetFeeds([]news.Feed{changed}) })
				runFor(t, m, 125*time.Minute)
				if diff := cmp.Diff(tt.want, site.times(f.URL)); diff != "" {
					t.Errorf("fetch times differ (-want +got):\n%s", diff)
				}
				if fs, err := st.Feed(f.URL); err != nil || fs.Name != "Renamed" || fs.Interval != tt.changed {
					t.Errorf("feed state = name %q, interval %v (%v); want the new settings: Renamed, %v", fs.Name, fs.Interval, err, tt.changed)
				}
			})
		})
	}
}

// An interval shortened while the feed's poll is in flight applies to the
// next poll that poll schedules.
func TestSetFeedsDuringPollReschedules(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		site := newLiveSite()
		f := schedFeed("https://a.example/rss", 24*time.Hour)
		site.serve(f.URL, "a one")
		site.hold(f.URL)
		m := liveMonitor(t, []news.Feed{f}, site, openStore(t), 2)
		short := f
		short.Interval = time.Hour
		at(time.Minute, func() { m.SetFeeds([]news.Feed{short}) })
		at(2*time.Minute, func() { site.release(f.URL) })
		runFor(t, m, 150*time.Minute)
		if diff := cmp.Diff([]time.Duration{0, time.Hour, 2 * time.Hour}, site.times(f.URL)); diff != "" {
			t.Errorf("fetch times differ (-want +got):\n%s", diff)
		}
	})
}

// A new default interval reschedules the feeds that use it (adaptive feeds
// with too few items to measure their own gap).
func TestSetOptionsIntervalReschedules(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		site := newLiveSite()
		f := schedFeed("https://a.example/rss", 0)
		site.serve(f.URL, "a one")
		m := liveMonitor(t, []news.Feed{f}, site, openStore(t), 2)
		o := liveOptions(2)
		o.Interval = time.Hour
		m.SetOptions(o)
		at(30*time.Minute, func() { o.Interval = 15 * time.Minute; m.SetOptions(o) })
		runFor(t, m, 50*time.Minute)
		if diff := cmp.Diff([]time.Duration{0, 30 * time.Minute, 45 * time.Minute}, site.times(f.URL)); diff != "" {
			t.Errorf("fetch times differ (-want +got):\n%s", diff)
		}
	})
}

func TestSetOptionsWorkers(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		site := newLiveSite()
		var feeds []news.Feed
		for _, h := range []string{"a", "b", "c", "d"} {
			f := schedFeed("https://"+h+".example/rss", time.Hour)
			site.serve(f.URL, h+" one")
			site.hold(f.URL)
			feeds = append(feeds, f)
		}
		m := liveMonitor(t, feeds, site, openStore(t), 1)
		started := func() map[string][]time.Duration {
			out := map[string][]time.Duration{}
			for _, f := range feeds {
				if ts := site.times(f.URL); len(ts) > 0 {
					out[f.URL] = ts
				}
			}
			return out
		}
		var mu sync.Mutex
		var steps []map[string][]time.Duration
		step := func() { mu.Lock(); steps = append(steps, started()); mu.Unlock() }
		at(time.Minute, func() { step(); m.SetOptions(liveOptions(3)) })
		at(2*time.Minute, func() { step(); m.SetOptions(liveOptions(1)) })
		at(3*time.Minute, func() { site.release(feeds[0].URL) }) // b, c still in flight: d waits
		at(4*time.Minute, func() { site.release(feeds[1].URL); site.release(feeds[2].URL); site.release(feeds[3].URL) })
		runFor(t, m, 5*time.Minute)
		step()
		mu.Lock()
		defer mu.Unlock()
		a, b, c, d := feeds[0].URL, feeds[1].URL, feeds[2].URL, feeds[3].URL
		want := []map[string][]time.Duration{
			{a: {0}},
			{a: {0}, b: {time.Minute}, c: {time.Minute}},
			{a: {0}, b: {time.Minute}, c: {time.Minute}, d: {4 * time.Minute}},
		}
		if diff := cmp.Diff(want, steps); diff != "" {
			t.Errorf("fetches started with Workers 1, then 3, then 1 differ (-want +got):\n%s", diff)
		}
	})
}

// recordingPlanner records the topics of the articles it plans, and calls
// onPlan after each.
type recordingPlanner struct {
	mu     sync.Mutex
	topics map[string][]string // article URL -> topics
	onPlan func()
}

func (p *recordingPlanner) Plan(a *news.Article, _ time.Time) []news.Alert {
	p.mu.Lock()
	p.topics[a.URL] = append([]string{}, a.Topics...)
	onPlan := p.onPlan
	p.mu.Unlock()
	if onPlan != nil {
		onPlan()
	}
	return nil
}

// PlanHealth plans no health alerts: these tests are about articles.
func (p *recordingPlanner) PlanHealth(news.HealthChange, time.Time) []news.Alert { return nil }

func (p *recordingPlanner) planned() map[string][]string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[string][]string{}
	for k, v := range p.topics {
		out[k] = v
	}
	return out
}

// urls returns the URLs of the articles planned, sorted.
func (p *recordingPlanner) urls() []string { return slices.Sorted(maps.Keys(p.planned())) }

// compile compiles one topic, name, matching the word alpha.
func compile(t *testing.T, name string) *topic.Matcher {
	t.Helper()
	mt, err := topic.Compile([]topic.Topic{{Name: name, Query: "alpha"}})
	if err != nil {
		t.Fatal(err)
	}
	return mt
}

func TestSetMatcherDuringPoll(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		during func(site *liveSite, swap func()) // changes the matcher while the first poll runs
	}{
		{"while the feed is fetched", func(site *liveSite, swap func()) {
			site.hold(feedURL)
			at(time.Minute, func() { swap(); site.release(feedURL) })
		}},
		{"between two articles", nil}, // the planner of the first article swaps
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				site := newLiveSite()
				site.serve(feedURL, "alpha one", "alpha two")
				st := openStore(t)
				planner := &recordingPlanner{topics: map[string][]string{}}
				m := monitor.New(nil, monitor.Deps{Fetcher: site, Store: st, Extractor: extractor(t), Matcher: compile(t, "old"), Planner: planner}, liveOptions(2))
				var once sync.Once
				swap := func() { once.Do(func() { m.SetMatcher(compile(t, "new")) }) }
				if tt.during != nil {
					tt.during(site, swap)
				} else {
					planner.onPlan = swap
				}
				feed := news.Feed{URL: feedURL, Name: "Live"}
				if _, err := m.PollFeed(t.Context(), feed); err != nil {
					t.Fatal(err)
				}
				site.serve(feedURL, "alpha one", "alpha two", "alpha three")
				if _, err := m.PollFeed(t.Context(), feed); err != nil {
					t.Fatal(err)
				}
				want := map[string][]string{feedURL + "/item-0": {"old"}, feedURL + "/item-1": {"old"}, feedURL + "/item-2": {"new"}}
				if diff := cmp.Diff(want, storedTopics(t, st)); diff != "" {
					t.Errorf("stored topics differ: one matcher per poll (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(want, planner.planned()); diff != "" {
					t.Errorf("planned topics differ (-want +got):\n%s", diff)
				}
			})
		})
	}
}

const feedURL = "https://live.example/rss"

// Polls started after SetFetcher and SetPlanner use the new ones; the
// monitor never mixes them within one poll.
func TestSetFetcherAndPlanner(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		old, next := newLiveSite(), newLiveSite()
		old.serve(feedURL, "alpha one")
		next.serve(feedURL, "alpha one", "alpha two")
		oldPlanner := &recordingPlanner{topics: map[string][]string{}}
		newPlanner := &recordingPlanner{topics: map[string][]string{}}
		feed := news.Feed{URL: feedURL, Name: "Live", Interval: 10 * time.Minute}
		m := monitor.New([]news.Feed{feed}, monitor.Deps{Fetcher: old, Store: openStore(t), Extractor: extractor(t), Matcher: compile(t, "t"), Planner: oldPlanner}, liveOptions(2))
		at(5*time.Minute, func() { m.SetFetcher(next); m.SetPlanner(newPlanner) })
		runFor(t, m, 15*time.Minute)
		got := map[string][]time.Duration{"old": old.times(feedURL), "new": next.times(feedURL)}
		want := map[string][]time.Duration{"old": {0}, "new": {10 * time.Minute}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("fetch times by fetcher differ (-want +got):\n%s", diff)
		}
		planned := map[string][]string{"old": oldPlanner.urls(), "new": newPlanner.urls()}
		wantPlanned := map[string][]string{"old": {feedURL + "/item-0"}, "new": {feedURL + "/item-1"}}
		if diff := cmp.Diff(wantPlanned, planned); diff != "" {
			t.Errorf("articles planned by planner differ (-want +got):\n%s", diff)
		}
	})
}

// Apply replaces everything at once: the feed it adds is polled at once
// with the topics and planner given with it.
func TestApplyDuringRun(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		site := newLiveSite()
		a, b := twoFeeds(site, "alpha a0", "alpha b0")
		st := openStore(t)
		oldPlanner := &recordingPlanner{topics: map[string][]string{}}
		newPlanner := &recordingPlanner{topics: map[string][]string{}}
		m := monitor.New([]news.Feed{a}, monitor.Deps{Fetcher: site, Store: st, Extractor: extractor(t), Matcher: compile(t, "old"), Planner: oldPlanner}, liveOptions(2))
		at(5*time.Minute, func() {
			site.serve(a.URL, "alpha a0", "alpha a1")
			m.Apply(monitor.Settings{Feeds: []news.Feed{a, b}, Fetcher: site, Extractor: extractor(t), Matcher: compile(t, "new"), Planner: newPlanner, Options: liveOptions(2)})
		})
		runFor(t, m, 14*time.Minute)
		want := map[string][]string{a.URL + "/item-0": {"old"}, a.URL + "/item-1": {"new"}, b.URL + "/item-0": {"new"}}
		if diff := cmp.Diff(want, storedTopics(t, st)); diff != "" {
			t.Errorf("stored topics differ (-want +got):\n%s", diff)
		}
		planned := map[string][]string{"old": oldPlanner.urls(), "new": newPlanner.urls()}
		wantPlanned := map[string][]string{"old": {a.URL + "/item-0"}, "new": {a.URL + "/item-1", b.URL + "/item-0"}}
		if diff := cmp.Diff(wantPlanned, planned); diff != "" {
			t.Errorf("articles planned by planner differ (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]time.Duration{5 * time.Minute}, site.times(b.URL)); diff != "" {
			t.Errorf("fetch times of the added feed differ (-want +got):\n%s", diff)
		}
	})
}
