package monitor

import (
	"context"
	"errors"
	"math/rand/v2"
	"reflect"
	"slices"
	"sync"
	"time"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// Bounds of the adaptive interval.
const (
	minAdaptive = 5 * time.Minute
	maxAdaptive = 24 * time.Hour
	// maxHint caps how far a feed's own hints (ttl, max-age, Retry-After)
	// can push its next poll.
	maxHint = 24 * time.Hour
	// pruneEvery is how often Run deletes expired unmatched articles.
	pruneEvery = time.Hour
)

// Options tune the scheduler. The zero value means the defaults.
type Options struct {
	Workers int // feeds polled at once; default 16
	// ArticleWorkers is how many article pages of one feed are fetched and
	// extracted at once; default 4. The fetcher's per-host limits still apply.
	ArticleWorkers int
	Interval       time.Duration // interval of feeds without their own; default 10m
	Jitter         float64       // ± fraction of the interval; default 0.1 (negative: none)
	MaxBackoff     time.Duration // cap of the error backoff; default 6h
	Retention      time.Duration // unmatched articles older than this are pruned; 0 keeps them
	// Horizon is how far back sitemaps, section pages and backfills
	// read: their items published earlier are ignored, and so is a
	// sitemap index's child last modified earlier. Default DefaultHorizon.
	Horizon time.Duration
	// KeepRaw says which article pages are kept as evidence, when the
	// fetcher captures exchanges (fetcher.Options.CaptureExchange); the
	// zero value keeps those of matched articles.
	KeepRaw news.KeepRaw
	// Refetch are the delays, from an article's first fetch, after which
	// the page of a matched article is fetched again to see edits and
	// takedowns (see refetch.go); none when empty.
	Refetch []time.Duration
}

// equal reports whether o and p are the same options.
func (o Options) equal(p Options) bool { return reflect.DeepEqual(o, p) }

// horizon returns Horizon, or its default.
func (o Options) horizon() time.Duration {
	if o.Horizon <= 0 {
		return DefaultHorizon
	}
	return o.Horizon
}

func (o Options) withDefaults() Options {
	if o.Workers <= 0 {
		o.Workers = 16
	}
	if o.ArticleWorkers <= 0 {
		o.ArticleWorkers = 4
	}
	if o.Interval <= 0 {
		o.Interval = 10 * time.Minute
	}
	if o.Jitter == 0 {
		o.Jitter = 0.1
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 6 * time.Hour
	}
	return o
}

// intervalOf returns the feed's polling interval: its own, or for an
// adaptive feed (Interval 0) the mean gap between its recent items,
// clamped to 5m..24h; shorter while gaps in its window taught a shorter
// one (st.Turnover, see observeWindow).
func (s *settings) intervalOf(f news.Feed, st store.FeedState) time.Duration {
	iv := f.Interval
	if iv <= 0 {
		iv = adaptiveInterval(st.RecentItems, s.opts.Interval)
	}
	if st.Turnover > 0 && st.Turnover < iv {
		return st.Turnover
	}
	return iv
}

// adaptiveInterval derives an interval from the mean gap between the 20
// newest publish times, in any order.
func adaptiveInterval(recent []time.Time, def time.Duration) time.Duration {
	n := min(len(recent), 20)
	if n < 2 {
		return min(max(def, minAdaptive), maxAdaptive)
	}
	newest := slices.SortedFunc(slices.Values(recent), func(a, b time.Time) int { return b.Compare(a) })
	gap := newest[0].Sub(newest[n-1]) / time.Duration(n-1)
	return min(max(gap, minAdaptive), maxAdaptive)
}

// next returns when a healthy feed is due again: after its interval, or
// later when the feed's <ttl> or HTTP freshness asks for it.
func (o Options) next(interval, ttl, maxAge time.Duration, now time.Time) time.Time {
	d := interval
	if hint := min(max(ttl, maxAge), maxHint); hint > d {
		d = hint
	}
	return now.Add(o.jitter(d))
}

// backoff returns when a failing feed is due again: the interval doubled
// for each consecutive error, capped, but never before Retry-After.
// A feed is never disabled.
func (o Options) backoff(interval time.Duration, errs int, retryAfter time.Duration, now time.Time) time.Time {
	limit := max(o.MaxBackoff, interval)
	d := interval
	for i := 1; i < errs && d < limit; i++ {
		d *= 2
	}
	d = o.jitter(min(d, limit))
	if ra := min(retryAfter, maxHint); ra > d {
		d = ra
	}
	return now.Add(d)
}

// jitter spreads d by ±Jitter.
func (o Options) jitter(d time.Duration) time.Duration {
	if o.Jitter <= 0 {
		return d
	}
	f := 1 + o.Jitter*(2*rand.Float64()-1)
	return time.Duration(float64(d) * f)
}

// PollAll polls every feed once with the worker pool and returns when all
// are done. progress, if not nil, is called after each feed from a single
// goroutine. Feed errors are in the results; only a store failure or
// cancellation is returned. It polls the feeds and uses the worker count in
// force when it starts.
func (m *Monitor) PollAll(ctx context.Context, progress func(Result)) error {
	s := m.current()
	jobs := make(chan news.Feed)
	results := make(chan Result)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var storeErr error
	for range min(s.opts.Workers, max(len(s.feeds), 1)) {
		wg.Go(func() {
			for f := range jobs {
				res, err := m.PollFeed(ctx, f)
				if err != nil && ctx.Err() == nil {
					mu.Lock()
					storeErr = errors.Join(storeErr, err)
					mu.Unlock()
				}
				results <- res
			}
		})
	}
	go func() {
		defer close(jobs)
		for _, f := range s.feeds {
			select {
			case jobs <- f:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()
	for res := range results {
		if progress != nil {
			progress(res)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return storeErr
}

// Run polls feeds as they fall due until ctx is cancelled. Feeds due at
// start (or never polled) are polled at once; the schedule is read from and
// written to the store, so a restart resumes it.
//
// Run follows the setters at once: see SetFeeds and SetOptions.
func (m *Monitor) Run(ctx context.Context) error {
	due := make(map[string]time.Time) // filled by reschedule from the stored schedule
	m.rs = newRunState(time.Now())
	for _, f := range m.current().feeds {
		if st, err := m.store.Feed(f.URL); err == nil && st.Errors > 0 && st.Status == 0 {
			m.rs.netFailed[f.URL] = true // no server answered its last poll
		}
	}
	jobs := make(chan news.Feed)
	results := make(chan polled)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer close(jobs)
	// The pool only grows; at most Options.Workers polls are in flight (see
	// send below), so a smaller Workers leaves some workers idle.
	workers := 0
	hire := func(n int) {
		for ; workers < n; workers++ {
			wg.Go(func() { m.worker(ctx, jobs, results) })
		}
	}

	wg.Go(func() { m.runRefetches(ctx) })

	var applied *settings // the settings due and the pool follow
	inflight := make(map[string]bool)
	var soon dueList
	nextPrune := time.Now()
	for {
		s := m.current()
		if s != applied {
			m.reschedule(due, applied, s)
			hire(s.opts.Workers)
			applied = s
			soon.valid = false
		}
		now := time.Now()
		if !now.Before(nextPrune) {
			m.prune(ctx, s.opts.Retention, now)
			nextPrune = now.Add(pruneEvery)
		}
		m.logSummary(now)
		if !soon.valid || !now.Before(soon.next) || m.rs.storeDown != nil || m.rs.netDown != nil {
			soon.scan(s.feeds, due, inflight, now) // outages move many feeds: rescan while one lasts
		}
		ready, wake := soon.first(now)
		ready, wake = m.gate(ready, len(inflight), wake, now)
		var send chan news.Feed
		var first news.Feed
		if len(ready) > 0 && len(inflight) < s.opts.Workers {
			send, first, wake = jobs, ready[0], now.Add(maxHint)
		}
		if s.opts.Retention > 0 { // without retention nextPrune never moves: don't wake for it
			wake = minTime(wake, nextPrune)
		}
		wake = minTime(wake, m.rs.sum.next)
		timer := time.NewTimer(time.Until(wake))
		select {
		case send <- first:
			inflight[first.URL] = true
			soon.sent(first.URL)
		case p := <-results:
			delete(inflight, p.res.Feed.URL)
			storeDown, netDown := m.rs.storeDown, m.rs.netDown
			m.afterPoll(ctx, due, inflight, p)
			soon.polled(due[p.res.Feed.URL])
			if m.rs.storeDown != storeDown || m.rs.netDown != netDown {
				soon.valid = false // the outage's start or end moved many feeds
			}
		case <-m.changed:
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			return nil
		}
		timer.Stop()
	}
}

// worker polls the feeds it receives until jobs is closed or ctx is done.
// Store failures go to Run with the result, which logs them once per
// outage rather than once per feed.
func (m *Monitor) worker(ctx context.Context, jobs <-chan news.Feed, results chan<- polled) {
	for f := range jobs {
		res, err := m.pollScheduled(ctx, f)
		select {
		case results <- polled{res, err}:
		case <-ctx.Done():
			return
		}
	}
}

// prune deletes unmatched articles past the retention period.
func (m *Monitor) prune(ctx context.Context, retention time.Duration, now time.Time) {
	if retention <= 0 {
		return
	}
	n, err := m.store.Prune(ctx, now.Add(-retention))
	if err != nil {
		m.log.Warn("prune failed", "error", err)
		return
	}
	if n > 0 {
		m.log.Info("pruned unmatched articles", "count", n)
	}
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
