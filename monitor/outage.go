package monitor

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// Outages are failures every feed shares: the network, or a store that
// cannot write. Run does not let them push each feed into its own
// backoff, nor refetch every feed in vain: it notices one outage, logs it
// once, lets one probe poll run at a time, and when a probe gets through
// it brings every held-back feed back within resumeSpread.
const (
	// minOutageHosts is how many distinct hosts must fail with network
	// errors, with no answer from any host in between, for the failures
	// to be one network outage. With fewer hosts configured, every feed
	// must fail, on at least two hosts.
	minOutageHosts = 3
	// outageWindow is how recent those failures must be.
	outageWindow = 10 * time.Minute
	// netProbeEvery is how often one of the failed feeds is polled again
	// while the network is out.
	netProbeEvery = 30 * time.Second
	// storeProbeFirst and storeProbeMax bound how often the feed whose
	// poll could not be saved is polled again while the store cannot
	// write: the wait doubles after each failed probe.
	storeProbeFirst = 30 * time.Second
	storeProbeMax   = 5 * time.Minute
	// resumeSpread is how far apart the held-back feeds start after an
	// outage, so they do not all start at once.
	resumeSpread = 20 * time.Second
)

// outage is one failure every feed shares, from its first sign to its end.
type outage struct {
	since   time.Time     // first failure seen
	probes  []string      // feed URLs to poll, in turn, to see whether it is over
	next    int           // index of the next probe
	probing string        // the feed last let through as a probe
	probeAt time.Time     // when the next probe may start
	every   time.Duration // wait between probes
	failed  int           // polls that failed during the outage
}

// addProbe adds the feed at u to the probes unless a feed of its host is
// among them: each probe tries another host.
func (o *outage) addProbe(u string) {
	h := hostOf(u)
	if !slices.ContainsFunc(o.probes, func(p string) bool { return hostOf(p) == h }) {
		o.probes = append(o.probes, u)
	}
}

// runState is what Run keeps between polls besides the schedule. Only
// Run's goroutine touches it; workers read Monitor.offline instead.
type runState struct {
	netDown   *outage               // nil while the network works
	storeDown *outage               // nil while the store saves
	streak    map[string]netFailure // fresh network failures since any server last answered, by feed URL
	netFailed map[string]bool       // feeds whose last poll failed with a network error
	// awaited are the polls that were in flight when the streak first
	// looked like an outage: it is one only if none of them gets an
	// answer (at start-up, DNS failures come back long before pages).
	awaited map[string]bool
	sum     summary
}

func newRunState(now time.Time) runState {
	return runState{streak: map[string]netFailure{}, netFailed: map[string]bool{}, sum: newSummary(now)}
}

// polled is the outcome of one poll in Run: its result and, when the
// store failed, why the poll was not saved.
type polled struct {
	res Result
	err error
}

// gate lets only one probe poll start at a time during an outage, and
// says when the loop must wake for it. Outside outages it passes ready
// and wake through.
func (m *Monitor) gate(ready []news.Feed, inflight int, wake, now time.Time) ([]news.Feed, time.Time) {
	o := m.rs.storeDown
	if o == nil {
		o = m.rs.netDown
	}
	switch {
	case o == nil:
		return ready, wake
	case inflight > 0: // a probe, or a poll begun before the outage: its result wakes the loop
		return nil, now.Add(maxHint)
	case now.Before(o.probeAt):
		return nil, o.probeAt
	}
	for range o.probes {
		u := o.probes[o.next%len(o.probes)]
		o.next++
		if f, ok := m.current().feed(u); ok {
			o.probing = f.URL
			return []news.Feed{f}, wake
		}
	}
	if len(ready) > 0 { // the failed feeds are no longer configured
		o.probing = ready[0].URL
		return ready[:1], wake
	}
	return nil, now.Add(o.every)
}

// afterPoll schedules a feed after its poll and follows the shared
// outages through the poll's outcome; inflight are the polls still running.
func (m *Monitor) afterPoll(ctx context.Context, due map[string]time.Time, inflight map[string]bool, p polled) {
	if ctx.Err() != nil {
		return // shutting down: the outcome says nothing
	}
	now := time.Now()
	due[p.res.Feed.URL] = p.res.NextPoll
	m.rs.sum.add(p)
	m.storeOutcome(due, p, now)
	m.networkOutcome(due, inflight, p.res, now)
	if o := m.rs.storeDown; o != nil {
		o.probeAt = now.Add(m.current().opts.jitter(o.every))
	}
	if o := m.rs.netDown; o != nil && m.rs.storeDown == nil {
		o.probeAt = now.Add(m.current().opts.jitter(o.every))
	}
}

// storeOutcome follows the store through a poll: a save that failed
// because the store cannot write starts (or prolongs) a store outage, a
// save that succeeded ends it.
func (m *Monitor) storeOutcome(due map[string]time.Time, p polled, now time.Time) {
	u := p.res.Feed.URL
	switch {
	case p.err == nil && p.res.Skipped: // nothing was saved
	case p.err == nil:
		if o := m.rs.storeDown; o != nil {
			m.rs.storeDown = nil
			m.log.Info("store saves again; polling resumed", "duration", now.Sub(o.since).Round(time.Second), "failed_saves", o.failed)
			m.resume(due, now)
		}
	case errors.Is(p.err, store.ErrWrite):
		due[u] = now // overdue: polled again once the store saves
		if o := m.rs.storeDown; o != nil {
			o.failed++
			o.probes = []string{u}
			if u == o.probing { // not a poll begun before the outage
				o.every = min(2*o.every, storeProbeMax)
			}
			m.log.Debug("store still cannot save", "feed_url", u, "error", p.err)
			return
		}
		m.rs.storeDown = &outage{since: now, probes: []string{u}, every: storeProbeFirst, failed: 1}
		m.log.Error("store cannot save; polling paused until a save succeeds", "error", p.err, "probe_every", storeProbeFirst)
	default: // a read failed, or the store is damaged: retry the feed later
		if due[u].IsZero() {
			due[u] = now.Add(m.current().opts.jitter(m.current().opts.Interval))
		}
		m.log.Error("poll not saved; the store failed", "feed_url", u, "error", p.err)
	}
}

// resume brings the feeds an outage held back to their schedule: every
// overdue feed falls due at a random moment within resumeSpread.
func (m *Monitor) resume(due map[string]time.Time, now time.Time) {
	for _, f := range m.current().feeds {
		if !due[f.URL].After(now) {
			due[f.URL] = now.Add(rand.N(resumeSpread))
		}
	}
}
