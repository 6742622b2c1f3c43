package monitor_test

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/fetcher"
	"github.com/newswatch/newswatch/monitor"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// refused is what the fetcher returns when the network is down.
func refused(u string) error {
	return fmt.Errorf("fetch %s: %w", u, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED})
}

// gone is what the fetcher returns for a host whose name no longer exists.
func gone(u string) error {
	return fmt.Errorf("fetch %s: %w", u, &net.DNSError{Err: "no such host", Name: hostOfURL(u), IsNotFound: true})
}

func hostOfURL(u string) string {
	h, _, _ := strings.Cut(strings.TrimPrefix(u, "https://"), "/")
	return h
}

// loggedMonitor wires a monitor that logs to rec, with planner (may be nil).
func loggedMonitor(t *testing.T, feeds []news.Feed, f monitor.Fetcher, st monitor.Store, rec *logRecorder, planner monitor.Planner) *monitor.Monitor {
	t.Helper()
	return monitor.New(feeds, monitor.Deps{Fetcher: f, Store: st, Extractor: extractor(t), Matcher: builtinTopics(t),
		Planner: planner, Logger: slog.New(rec)},
		monitor.Options{Workers: 2, Interval: 10 * time.Minute, Jitter: -1, MaxBackoff: 6 * time.Hour})
}

// startRun runs m in the bubble and returns a function that stops it and
// checks that Run returned cleanly.
func startRun(t *testing.T, m *monitor.Monitor) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	return func() {
		t.Helper()
		cancel()
		synctest.Wait()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run = %v, want nil after cancellation", err)
			}
		default:
			t.Fatal("Run did not return after its context was cancelled")
		}
	}
}

// hostFeeds returns n feeds, each on a host of its own.
func hostFeeds(n int) []news.Feed {
	var feeds []news.Feed
	for i := range n {
		feeds = append(feeds, schedFeed(fmt.Sprintf("https://host%d.example/rss", i), 10*time.Minute))
	}
	return feeds
}

// between returns the fetch times within [from, to).
func between(ts []time.Duration, from, to time.Duration) []time.Duration {
	var out []time.Duration
	for _, d := range ts {
		if d >= from && d < to {
			out = append(out, d)
		}
	}
	return out
}

func TestNetworkOutage(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := newMemFetcher()
		feeds := hostFeeds(4)
		st := openStore(t)
		rec := &logRecorder{}
		stop := startRun(t, loggedMonitor(t, feeds, f, st, rec, nil))

		time.Sleep(5 * time.Minute) // every feed polled once
		f.set(refused)
		time.Sleep(65 * time.Minute) // the network is out from 5m to 70m
		for _, fd := range feeds {
			if fs, err := st.Feed(fd.URL); err != nil || fs.Errors > 1 {
				t.Errorf("feed %s after an hour of outage: %d errors (%v), want at most 1: the outage must not back it off", fd.URL, fs.Errors, err)
			}
		}
		f.set(nil)
		time.Sleep(25 * time.Minute)
		stop()

		if n := len(rec.records("network outage")); n != 1 {
			t.Errorf("logged %q %d times, want once", "network outage", n)
		}
		if r := rec.records("network outage"); len(r) == 1 && r[0].Level != slog.LevelError {
			t.Errorf("network outage logged at %v, want error", r[0].Level)
		}
		back := rec.records("network back")
		if len(back) != 1 {
			t.Fatalf("logged %q %d times, want once", "network back", len(back))
		}
		if d := attr(back[0], "duration").Duration(); d < 60*time.Minute || d > 61*time.Minute {
			t.Errorf("network back after %v, want the outage's hour", d)
		}
		if n := len(rec.records("feed poll failed")); n > len(feeds) {
			t.Errorf("%d warnings for failed polls, want at most one per feed before the outage was recognised", n)
		}

		// During the outage: one probe at a time, every 30 s, host after host.
		probes := between(f.fetches(), 11*time.Minute, 70*time.Minute)
		if len(probes) < 100 || len(probes) > 120 {
			t.Errorf("%d fetches during the hour of outage, want one probe every 30 s", len(probes))
		}
		for i := 1; i < len(probes); i++ {
			if gap := probes[i] - probes[i-1]; gap < 30*time.Second {
				t.Fatalf("probes at %v and %v, %v apart; want one at a time, 30 s apart", probes[i-1], probes[i], gap)
			}
		}
		for _, fd := range feeds {
			if len(between(minutesAsDurations(f, fd.URL), 11*time.Minute, 70*time.Minute)) == 0 {
				t.Errorf("feed %s never probed during the outage: probes must rotate over the failed hosts", fd.URL)
			}
			// Back on schedule within a minute of the network, then every 10 minutes.
			after := between(minutesAsDurations(f, fd.URL), 70*time.Minute, 95*time.Minute)
			if len(after) < 2 || after[0] > 71*time.Minute {
				t.Errorf("feed %s fetched at %v after the network came back at 70m, want within a minute, then on its interval", fd.URL, after)
			}
			if fs, _ := st.Feed(fd.URL); fs.Errors != 0 || fs.Health != news.HealthOK {
				t.Errorf("feed %s after the outage: %d errors, health %q; want 0, ok", fd.URL, fs.Errors, fs.Health)
			}
		}
	})
}

// minutesAsDurations returns the fetch times of url.
func minutesAsDurations(f *memFetcher, url string) []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.calls[url]...)
}

func TestNoNetworkOutage(t *testing.T) {
	t.Parallel()
	feeds := hostFeeds(4)
	tests := []struct {
		name   string
		answer func(u string) error
		check  func(t *testing.T, f *memFetcher)
	}{
		{"one host's DNS fails", func(u string) error {
			if u == feeds[0].URL {
				return gone(u)
			}
			return nil
		}, func(t *testing.T, f *memFetcher) {
			// The host's own failure backs its feed off: 0, 10, 30, 70.
			if got := minutesOf(f, feeds[0].URL); len(got) != 4 || got[3] != 70 {
				t.Errorf("failing feed polled at minutes %v, want 0 10 30 70 (its own backoff)", got)
			}
			if got := minutesOf(f, feeds[1].URL); len(got) != 8 {
				t.Errorf("healthy feed polled at minutes %v, want every 10 minutes", got)
			}
		}},
		{"every server answers 503", func(u string) error {
			return &fetcher.StatusError{URL: u, Code: http.StatusServiceUnavailable}
		}, func(*testing.T, *memFetcher) {}},
		// At start-up their DNS failures come back long before the slow
		// page of the first host, polled first, so in flight whatever the
		// scheduler does; later they are no news.
		{"three hosts gone for good", func(u string) error {
			if u == feeds[0].URL {
				time.Sleep(5 * time.Second)
				return nil
			}
			return gone(u)
		}, func(t *testing.T, f *memFetcher) {
			if got := minutesOf(f, feeds[0].URL); len(got) != 8 {
				t.Errorf("healthy feed polled at minutes %v, want every 10 minutes", got)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := newMemFetcher()
				f.set(tt.answer)
				rec := &logRecorder{}
				stop := startRun(t, loggedMonitor(t, feeds, f, openStore(t), rec, nil))
				time.Sleep(75 * time.Minute)
				stop()
				if n := len(rec.records("network outage")); n != 0 {
					t.Errorf("logged %d network outages, want none", n)
				}
				tt.check(t, f)
			})
		})
	}
}

func minutesOf(f *memFetcher, url string) []int { return f.minutes(url) }

// fullStore is the real store with a switch that makes every poll save
// fail as on a full disk, which a synctest bubble cannot provide.
type fullStore struct {
	*store.Store
	full atomic.Bool
}

func (s *fullStore) SavePoll(p store.Poll) (store.PollResult, error) {
	if s.full.Load() {
		return store.PollResult{}, fmt.Errorf("save poll of %s: %w: write news.db: no space left on device", p.Feed.URL, store.ErrWrite)
	}
	return s.Store.SavePoll(p)
}

func TestStoreOutage(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := newMemFetcher()
		feeds := hostFeeds(3)
		st := &fullStore{Store: openStore(t)}
		rec := &logRecorder{}
		stop := startRun(t, loggedMonitor(t, feeds, f, st, rec, nil))

		time.Sleep(5 * time.Minute)
		st.full.Store(true)
		time.Sleep(35 * time.Minute) // full from 5m to 40m
		st.full.Store(false)
		time.Sleep(25 * time.Minute)
		stop()

		if r := rec.records("store cannot save; polling paused until a save succeeds"); len(r) != 1 || r[0].Level != slog.LevelError {
			t.Errorf("store outage logged %d times, want once at error level", len(r))
		}
		if n := rec.count(slog.LevelError); n != 1 {
			t.Errorf("%d error lines, want the one for the outage", n)
		}
		back := rec.records("store saves again; polling resumed")
		if len(back) != 1 {
			t.Fatalf("store recovery logged %d times, want once", len(back))
		}
		// Probes back off (30s, 1m, 2m, 4m, 5m...): one fetch at a time, a
		// handful in 30 minutes, where every feed every 10 minutes would be 9.
		probes := between(f.fetches(), 10*time.Minute, 40*time.Minute)
		t.Logf("fetches while the store could not save: %v", probes)
		if len(probes) < 4 || len(probes) > 10 {
			t.Errorf("%d fetches while the store could not save for 30 minutes, want a few probes", len(probes))
		}
		// At 10m every feed falls due; how many of them the two workers had
		// begun when the first save failed depends on the scheduler.
		inFlight := 0
		for inFlight < len(probes) && probes[inFlight] == probes[0] {
			inFlight++
		}
		if inFlight == len(probes) || probes[inFlight]-probes[0] != 30*time.Second {
			t.Errorf("probes at %v: want the first 30 s after the polls that failed, however many were in flight", probes)
		}
		for i := inFlight + 1; i < len(probes); i++ {
			if probes[i]-probes[i-1] < probes[i-1]-probes[i-2] && probes[i]-probes[i-1] < 5*time.Minute {
				t.Errorf("probes at %v: the waits must grow up to 5 minutes", probes)
				break
			}
		}
		recovered := between(f.fetches(), 40*time.Minute, 65*time.Minute)[0] // the first probe that saved
		for _, fd := range feeds {
			after := between(minutesAsDurations(f, fd.URL), 40*time.Minute, 65*time.Minute)
			if len(after) == 0 || after[0] > recovered+20*time.Second {
				t.Errorf("feed %s fetched at %v after the store recovered at %v, want within 20 s", fd.URL, after, recovered)
			}
			if fs, err := st.Feed(fd.URL); err != nil || fs.LastSuccess.Before(fs.LastPoll) {
				t.Errorf("feed %s: state %+v (%v), want its last poll saved as a success", fd.URL, fs, err)
			}
		}
	})
}

// TestQuietLogs checks the log levels: a 304 is debug, a poll that stored
// articles is info, and an hourly summary counts the rest.
func TestQuietLogs(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := newMemFetcher()
		f.setFeed(func(u string) string { return strings.ReplaceAll(memFeed, "https://feed.example/", u+"/") }) // an item of its own
		feeds := hostFeeds(2)
		rec := &logRecorder{}
		stop := startRun(t, loggedMonitor(t, feeds, f, openStore(t), rec, nil))
		time.Sleep(2*time.Hour + time.Minute)
		stop()
		var info, debug int
		for _, r := range rec.records("feed polled") {
			switch r.Level {
			case slog.LevelInfo:
				info++
			case slog.LevelDebug:
				debug++
			}
		}
		if info != len(feeds) || debug != 13*len(feeds)-info {
			t.Errorf("feed polled: %d info, %d debug lines; want info only for the %d polls that stored articles, debug for the 304s", info, debug, len(feeds))
		}
		sums := rec.records("hourly summary")
		if len(sums) != 2 || sums[0].Level != slog.LevelInfo {
			t.Fatalf("%d hourly summaries, want 2 at info level", len(sums))
		}
		for key, want := range map[string]int64{"feeds_polled": 2, "polls": 12, "new_articles": 2, "failing_feeds": 0, "network_outages": 0} {
			if got := attr(sums[0], key).Int64(); got != want {
				t.Errorf("first hourly summary: %s = %d, want %d", key, got, want)
			}
		}
		if got := attr(sums[1], "new_articles").Int64(); got != 0 {
			t.Errorf("second hourly summary: new_articles = %d, want 0: counts restart each hour", got)
		}
	})
}

// TestOutageSparesOwnFailures: a feed whose host has been gone for days
// (its DNS fails) is failing; a network outage on top neither makes it
// ok when the network returns nor restarts its clock.
func TestOutageSparesOwnFailures(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := newMemFetcher()
		feeds := hostFeeds(4)
		dead := func(u string) error {
			if u == feeds[0].URL {
				return gone(u)
			}
			return nil
		}
		f.set(dead)
		st := openStore(t)
		rec := &logRecorder{}
		m := monitor.New(feeds, monitor.Deps{Fetcher: f, Store: st, Extractor: extractor(t), Matcher: builtinTopics(t),
			Planner: healthRouter(t), Logger: slog.New(rec)},
			monitor.Options{Workers: 2, Interval: 10 * time.Minute, Jitter: -1, MaxBackoff: 10 * time.Minute})
		stop := startRun(t, m)
		time.Sleep(25 * time.Hour)
		before, _ := st.Feed(feeds[0].URL)
		f.set(refused)
		time.Sleep(time.Hour)
		f.set(dead)
		time.Sleep(time.Hour)
		stop()

		if n := len(rec.records("network outage")); n != 1 {
			t.Fatalf("logged %d network outages, want 1", n)
		}
		want := map[string][]news.SourceHealth{feeds[0].URL: {news.HealthFailing}}
		if diff := cmp.Diff(want, healthChanges(t, st)); diff != "" {
			t.Errorf("health alerts differ (-want +got):\n%s", diff)
		}
		after, _ := st.Feed(feeds[0].URL)
		if after.Health != news.HealthFailing || !after.ErrorsSince.Equal(before.ErrorsSince) || after.Errors < before.Errors {
			t.Errorf("dead feed after the outage: %s since %v with %d errors; want still failing since %v, at least %d errors",
				after.Health, after.ErrorsSince, after.Errors, before.ErrorsSince, before.Errors)
		}
	})
}

// TestNoOutageAfterRestart: hosts that were gone before a restart fail
// again after it; that is no news about the network.
func TestNoOutageAfterRestart(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := newMemFetcher()
		// The healthy host is polled first and slow to answer: the first
		// run's three DNS failures come back while it is in flight,
		// whatever the scheduler does, so that run sees no outage either.
		feeds := append([]news.Feed{schedFeed("https://healthy.example/rss", time.Hour)}, hostFeeds(3)...)
		f.set(func(u string) error {
			if u == feeds[0].URL {
				time.Sleep(5 * time.Second)
				return nil
			}
			return gone(u)
		})
		st := openStore(t)
		rec := &logRecorder{}
		runFor(t, loggedMonitor(t, feeds, f, st, rec, nil), 5*time.Minute)
		runFor(t, loggedMonitor(t, feeds, f, st, rec, nil), 30*time.Minute) // the gone ones are due while the healthy one is not
		if n := len(rec.records("network outage")); n != 0 {
			t.Errorf("after a restart, hosts gone before logged %d network outages, want none", n)
		}
		if got := minutesOf(f, feeds[1].URL); len(got) < 2 {
			t.Errorf("gone feed polled at minutes %v, want polls after the restart", got)
		}
	})
}
