package monitor_test

import (
	"context"
	"crypto/sha256"
	"fmt"
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
)

// memFetcher is an in-memory Fetcher for synctest bubbles, where sockets
// would not block durably. It serves a one-item feed, or what feed
// returns (with an ETag, so repeated polls of an unchanged feed are
// conditional), or the error answer returns, and records when each URL
// was fetched.
type memFetcher struct {
	epoch time.Time

	mu     sync.Mutex
	calls  map[string][]time.Duration
	answer func(url string) error  // nil or nil result: serve the feed
	feed   func(url string) string // the feed at url; nil: memFeed
	block  bool                    // wait until the request's ctx is done
}

func newMemFetcher() *memFetcher {
	return &memFetcher{epoch: time.Now(), calls: map[string][]time.Duration{}}
}

const memFeed = `<?xml version="1.0"?><rss version="2.0"><channel><title>Tin mới</title><link>https://feed.example/</link>
<item><title>Liên hợp quốc họp về khí hậu</title><link>https://feed.example/lhq-post1.vnp</link><description>Đại hội đồng Liên hợp quốc thảo luận về biến đổi khí hậu.</description><pubDate>Thu, 26 Nov 2026 08:15:00 +0700</pubDate></item>
</channel></rss>`

func (f *memFetcher) Fetch(ctx context.Context, url string, v fetcher.Validators) (*fetcher.Response, error) {
	f.mu.Lock()
	f.calls[url] = append(f.calls[url], time.Since(f.epoch))
	answer, feed, block := f.answer, f.feed, f.block
	f.mu.Unlock()
	if block {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	if answer != nil {
		if err := answer(url); err != nil {
			return nil, err
		}
	}
	body := memFeed
	if feed != nil {
		body = feed(url)
	}
	etag := fmt.Sprintf(`"%x"`, sha256.Sum256([]byte(body)))
	resp := &fetcher.Response{URL: url, StatusCode: http.StatusOK, ContentType: "application/rss+xml", Validators: fetcher.Validators{ETag: etag}}
	if v.ETag == etag {
		resp.StatusCode, resp.NotModified = http.StatusNotModified, true
		return resp, nil
	}
	resp.Body = []byte(body)
	return resp, nil
}

// FetchPage is Fetch: the in-memory site has no robots.txt.
func (f *memFetcher) FetchPage(ctx context.Context, url string, v fetcher.Validators) (*fetcher.Response, error) {
	return f.Fetch(ctx, url, v)
}

func (f *memFetcher) set(answer func(string) error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.answer = answer
}

func (f *memFetcher) setFeed(feed func(string) string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.feed = feed
}

// fetches returns every fetch time since the epoch, of all URLs, in order.
func (f *memFetcher) fetches() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []time.Duration
	for _, ts := range f.calls {
		out = append(out, ts...)
	}
	slices.Sort(out)
	return out
}

// minutes returns the fetch times of url in whole minutes since the epoch.
func (f *memFetcher) minutes(url string) []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []int
	for _, d := range f.calls[url] {
		out = append(out, int(d/time.Minute))
	}
	return out
}

// runFor runs m until d has passed in the bubble, then stops it and checks
// that Run returns cleanly.
func runFor(t *testing.T, m *monitor.Monitor, d time.Duration) {
	t.Helper()
	stop := startRun(t, m)
	time.Sleep(d)
	stop()
}

func schedFeed(url string, interval time.Duration) news.Feed {
	return news.Feed{URL: url, Name: url, Interval: interval}
}

func schedMonitor(t *testing.T, feeds []news.Feed, f monitor.Fetcher, st *store.Store, maxBackoff time.Duration) *monitor.Monitor {
	t.Helper()
	return monitor.New(feeds, monitor.Deps{Fetcher: f, Store: st, Extractor: extractor(t), Matcher: builtinTopics(t)},
		monitor.Options{Workers: 2, Interval: 10 * time.Minute, Jitter: -1, MaxBackoff: maxBackoff})
}

func TestRunPollsEachFeedOnItsInterval(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := newMemFetcher()
		// Each feed its own item: a shared one counts as seen by whichever
		// feed's first poll is saved first, which the scheduler does not fix.
		f.setFeed(func(u string) string {
			return strings.ReplaceAll(memFeed, "lhq-post1", "lhq-"+strings.TrimPrefix(u, "https://"))
		})
		feeds := []news.Feed{schedFeed("https://a.example/rss", 10*time.Minute), schedFeed("https://b.example/rss", 25*time.Minute)}
		st := openStore(t)
		runFor(t, schedMonitor(t, feeds, f, st, time.Hour), 55*time.Minute)
		got := map[string][]int{feeds[0].URL: f.minutes(feeds[0].URL), feeds[1].URL: f.minutes(feeds[1].URL)}
		want := map[string][]int{feeds[0].URL: {0, 10, 20, 30, 40, 50}, feeds[1].URL: {0, 25, 50}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("poll minutes differ (-want +got):\n%s", diff)
		}
		fs, err := st.Feed(feeds[0].URL)
		if err != nil || fs.Status != http.StatusNotModified || fs.ItemsSeen != 1 {
			t.Errorf("feed state = status %d, items seen %d (%v); want 304 after the first poll, 1 item", fs.Status, fs.ItemsSeen, err)
		}
	})
}

func TestRunBacksOffExponentiallyWithCap(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := newMemFetcher()
		f.set(func(u string) error { return &fetcher.StatusError{URL: u, Code: http.StatusInternalServerError} })
		feed := schedFeed("https://down.example/rss", 10*time.Minute)
		st := openStore(t)
		m := schedMonitor(t, []news.Feed{feed}, f, st, 40*time.Minute)
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- m.Run(ctx) }()
		time.Sleep(155 * time.Minute)
		// Errors: 10m, then doubled to 20m and 40m, then capped at 40m.
		if diff := cmp.Diff([]int{0, 10, 30, 70, 110, 150}, f.minutes(feed.URL)); diff != "" {
			t.Errorf("poll minutes of a failing feed differ (-want +got):\n%s", diff)
		}
		fs, _ := st.Feed(feed.URL)
		if fs.Errors != 6 || fs.Status != http.StatusInternalServerError {
			t.Errorf("feed state = errors %d, status %d; want 6, 500 (never disabled)", fs.Errors, fs.Status)
		}
		// The feed recovers: one more backoff, then the normal interval.
		f.set(nil)
		time.Sleep(50 * time.Minute)
		cancel()
		synctest.Wait()
		if err := <-done; err != nil {
			t.Errorf("Run = %v, want nil", err)
		}
		if diff := cmp.Diff([]int{0, 10, 30, 70, 110, 150, 190, 200}, f.minutes(feed.URL)); diff != "" {
			t.Errorf("poll minutes after recovery differ (-want +got):\n%s", diff)
		}
	})
}

func TestRunHonoursRetryAfter(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := newMemFetcher()
		f.set(func(u string) error {
			return &fetcher.StatusError{URL: u, Code: http.StatusTooManyRequests, RetryAfter: 3 * time.Hour}
		})
		feed := schedFeed("https://busy.example/rss", 10*time.Minute)
		st := openStore(t)
		runFor(t, schedMonitor(t, []news.Feed{feed}, f, st, 6*time.Hour), 200*time.Minute)
		if diff := cmp.Diff([]int{0, 180}, f.minutes(feed.URL)); diff != "" {
			t.Errorf("poll minutes of a 429 feed differ (-want +got):\n%s", diff)
		}
		if fs, _ := st.Feed(feed.URL); fs.Status != http.StatusTooManyRequests || fs.Errors != 2 {
			t.Errorf("feed state = status %d, errors %d; want 429, 2", fs.Status, fs.Errors)
		}
	})
}

func TestRunResumesFromStoredSchedule(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := newMemFetcher()
		old := schedFeed("https://a.example/rss", 10*time.Minute)
		added := schedFeed("https://new.example/rss", 10*time.Minute)
		st := openStore(t)
		runFor(t, schedMonitor(t, []news.Feed{old}, f, st, time.Hour), 5*time.Minute)
		// A restart 5 minutes later waits for the stored next poll of the
		// old feed and polls a feed it has never seen at once.
		runFor(t, schedMonitor(t, []news.Feed{old, added}, f, st, time.Hour), 18*time.Minute)
		got := map[string][]int{old.URL: f.minutes(old.URL), added.URL: f.minutes(added.URL)}
		want := map[string][]int{old.URL: {0, 10, 20}, added.URL: {5, 15}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("poll minutes across a restart differ (-want +got):\n%s", diff)
		}
	})
}

func TestRunStopsGracefully(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := newMemFetcher()
		f.block = true // every fetch hangs until cancelled
		feeds := []news.Feed{schedFeed("https://a.example/rss", 10*time.Minute), schedFeed("https://b.example/rss", 10*time.Minute), schedFeed("https://c.example/rss", 10*time.Minute)}
		st := openStore(t)
		runFor(t, schedMonitor(t, feeds, f, st, time.Hour), time.Minute)
		if diff := cmp.Diff([]int{0}, append(f.minutes(feeds[0].URL), f.minutes(feeds[2].URL)...)); diff != "" {
			t.Errorf("fetches in flight with two workers differ (-want +got):\n%s", diff)
		}
		for _, fd := range feeds { // a poll cut short by shutdown is not the feed's fault
			if fs, err := st.Feed(fd.URL); err == nil && fs.Errors != 0 {
				t.Errorf("feed %s: a cancelled poll was recorded as error %q", fd.URL, fs.LastError)
			}
		}
	})
}

func TestPollAllCancelled(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := newMemFetcher()
		f.block = true
		feeds := []news.Feed{schedFeed("https://a.example/rss", time.Minute), schedFeed("https://b.example/rss", time.Minute), schedFeed("https://c.example/rss", time.Minute)}
		m := schedMonitor(t, feeds, f, openStore(t), time.Hour)
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		if err := m.PollAll(ctx, nil); err != context.DeadlineExceeded {
			t.Errorf("PollAll with an expiring context = %v, want %v", err, context.DeadlineExceeded)
		}
	})
}

// TestDueList: the scheduler sends the most overdue feed that is not in
// flight, the first configured among equals, and wakes for the next due;
// the list stays right as feeds are sent and polled.
func TestDueList(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	feeds := []news.Feed{{URL: "a"}, {URL: "b"}, {URL: "c"}, {URL: "d"}, {URL: "e"}, {URL: "new"}}
	due := map[string]time.Time{
		"a": now.Add(-time.Minute), "b": now.Add(-time.Hour), "c": now.Add(-time.Hour),
		"d": now.Add(5 * time.Minute), "e": now.Add(500 * time.Millisecond),
	}
	var l monitor.DueList
	l.Scan(feeds, due, map[string]bool{"c": true}, now)
	var sent []string
	for {
		ready, wake := l.First(now)
		if len(ready) == 0 {
			if want := now.Add(500 * time.Millisecond); !wake.Equal(want) {
				t.Errorf("wake = %v, want %v: e is due then", wake, want)
			}
			break
		}
		sent = append(sent, ready[0].URL)
		l.Sent(ready[0].URL)
	}
	// c is in flight; "new" has no due time, so it is due first.
	if want := []string{"new", "b", "a"}; !slices.Equal(sent, want) {
		t.Errorf("sent %v, want %v", sent, want)
	}
	later := now.Add(time.Second)
	if ready, _ := l.First(later); len(ready) != 1 || ready[0].URL != "e" {
		t.Errorf("First(%v) = %v, want e", later, ready)
	}
	// A polled feed due again before the others moves the wake time.
	l.Sent("e")
	l.Polled(now.Add(2 * time.Minute))
	if _, wake := l.First(later); !wake.Equal(now.Add(2 * time.Minute)) {
		t.Errorf("wake after a poll = %v, want %v", wake, now.Add(2*time.Minute))
	}
	// A feed sent out of order (an outage's probe) makes the list stale.
	l.Sent("d")
	if l.Valid() {
		t.Error("the list is still valid after sending a feed it does not start with")
	}
}

// BenchmarkDueScan measures one scan of 50,000 feeds, 16 in flight and a
// second's worth (83) due: the daemon's loop scans about once per
// dueHorizon, and on every pass before the list was kept.
func BenchmarkDueScan(b *testing.B) {
	now := time.Now()
	feeds := make([]news.Feed, 50_000)
	due := make(map[string]time.Time, len(feeds))
	inflight := map[string]bool{}
	for i := range feeds {
		feeds[i].URL = fmt.Sprintf("https://news%d.example.org/feed/%d.rss", i%2000, i)
		due[feeds[i].URL] = now.Add(time.Duration(i) * 12 * time.Millisecond)
		if i%3125 == 0 {
			inflight[feeds[i].URL] = true
		}
	}
	var l monitor.DueList
	for b.Loop() {
		l.Scan(feeds, due, inflight, now)
	}
}
