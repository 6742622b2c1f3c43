package monitor

import (
	"context"
	"errors"
	"maps"
	"math/rand/v2"
	"net"
	"slices"
	"syscall"
	"time"

	"github.com/newswatch/newswatch/fetcher"
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

// netFailure is a feed whose last poll failed with a network error.
type netFailure struct {
	host  string
	at    time.Time
	err   error
	count int // its network failures since a server last answered
}

// runState is what Run keeps between polls besides the schedule. Only
// Run's goroutine touches it; workers read Monitor.offline instead.
type runState struct {
	netDown   *outage               // nil while the network works
	storeDown *outage               // nil while the store saves
	streak    map[string]netFailure // network failures since any server last answered, by feed URL
	sum       summary
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
		if f, ok := m.feed(u); ok {
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
// outages through the poll's outcome.
func (m *Monitor) afterPoll(ctx context.Context, due map[string]time.Time, p polled) {
	if ctx.Err() != nil {
		return // shutting down: the outcome says nothing
	}
	now := time.Now()
	due[p.res.Feed.URL] = p.res.NextPoll
	m.rs.sum.add(p)
	m.storeOutcome(due, p, now)
	m.networkOutcome(due, p.res, now)
	if o := m.rs.storeDown; o != nil {
		o.probeAt = now.Add(m.opts.jitter(o.every))
	}
	if o := m.rs.netDown; o != nil && m.rs.storeDown == nil {
		o.probeAt = now.Add(m.opts.jitter(o.every))
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
			due[u] = now.Add(m.opts.jitter(m.opts.Interval))
		}
		m.log.Error("poll not saved; the store failed", "feed_url", u, "error", p.err)
	}
}

// networkOutcome follows the network through a poll: network errors on
// enough hosts with no answer in between start a network outage, and any
// server's answer ends it.
func (m *Monitor) networkOutcome(due map[string]time.Time, res Result, now time.Time) {
	down, up := netEvidence(res)
	switch {
	case up:
		clear(m.rs.streak)
		if o := m.rs.netDown; o != nil {
			m.rs.netDown = nil
			m.offline.Store(false)
			m.log.Info("network back", "duration", now.Sub(o.since).Round(time.Second), "failed_probes", o.failed)
			m.resume(due, now)
		}
	case down && m.rs.netDown != nil:
		m.rs.netDown.failed++
		m.rs.netDown.addProbe(res.Feed.URL)
		due[res.Feed.URL] = now // overdue: polled again once the network is back
	case down:
		m.rs.streak[res.Feed.URL] = netFailure{host: hostOf(res.Feed.URL), at: now, err: res.Err, count: m.rs.streak[res.Feed.URL].count + 1}
		if m.networkOut(now) {
			m.beginNetOutage(due, now)
		}
	}
}

// netEvidence tells what a poll says about the network: down (it failed
// with a network error), up (a server answered, whatever it said), or
// neither (nothing was sent, or the failure was not the network's).
func netEvidence(res Result) (down, up bool) {
	switch {
	case res.Skipped:
		return false, false
	case networkFailure(res.Err):
		return true, false
	}
	return false, res.Status != 0
}

// networkFailure reports whether err is a failure to reach the server at
// all: a DNS failure, a refused, unreachable or timed-out connection. An
// HTTP status, a body or TLS error, or the SSRF guard's refusal are not.
func networkFailure(err error) bool {
	if err == nil || errors.Is(err, fetcher.ErrBlocked) || errors.Is(err, context.Canceled) {
		return false
	}
	var se *fetcher.StatusError
	if errors.As(err, &se) {
		return false
	}
	var de *net.DNSError
	var oe *net.OpError
	switch {
	case errors.As(err, &de):
		return true
	case errors.As(err, &oe) && oe.Op == "dial":
		return true
	}
	for _, no := range []error{syscall.ECONNREFUSED, syscall.ENETUNREACH, syscall.EHOSTUNREACH, syscall.ENETDOWN} {
		if errors.Is(err, no) {
			return true
		}
	}
	return false
}

// networkOut reports whether the network failures since any server last
// answered amount to an outage: minOutageHosts distinct hosts within
// outageWindow, or every configured feed on at least two hosts.
func (m *Monitor) networkOut(now time.Time) bool {
	recent, all := map[string]bool{}, map[string]bool{}
	for u, f := range m.rs.streak {
		if _, ok := m.feed(u); !ok {
			delete(m.rs.streak, u) // removed from the config meanwhile
			continue
		}
		all[f.host] = true
		if now.Sub(f.at) <= outageWindow {
			recent[f.host] = true
		}
	}
	return len(recent) >= minOutageHosts || (len(m.rs.streak) == len(m.feeds) && len(all) >= 2)
}

// beginNetOutage declares a network outage: it logs it once, holds back
// the failed feeds without counting the outage against them, and
// schedules the first probe. Each probe polls a feed of another host.
func (m *Monitor) beginNetOutage(due map[string]time.Time, now time.Time) {
	failed := slices.SortedFunc(maps.Keys(m.rs.streak), func(a, b string) int {
		return m.rs.streak[a].at.Compare(m.rs.streak[b].at)
	})
	o := &outage{since: m.rs.streak[failed[0]].at, every: netProbeEvery, probeAt: now.Add(m.opts.jitter(netProbeEvery)), failed: len(failed)}
	for _, u := range failed {
		due[u] = now
		m.forgive(u, m.rs.streak[u].count)
		o.addProbe(u)
	}
	m.rs.netDown = o
	m.offline.Store(true)
	m.rs.sum.outages++
	last := m.rs.streak[failed[len(failed)-1]]
	m.log.Error("network outage", "hosts", len(o.probes), "feeds", len(failed), "since", o.since.Format(time.RFC3339),
		"probe_every", netProbeEvery, "error", last.err)
}

// resume brings the feeds an outage held back to their schedule: every
// overdue feed falls due at a random moment within resumeSpread.
func (m *Monitor) resume(due map[string]time.Time, now time.Time) {
	for _, f := range m.feeds {
		if !due[f.URL].After(now) {
			due[f.URL] = now.Add(rand.N(resumeSpread))
		}
	}
}

// forgive notes that the last n errors of a feed were a network
// outage's, counted before the outage was recognised: its next poll takes
// them back, so the outage counts neither toward its backoff nor toward
// its failing health, while errors of its own before the outage still do.
func (m *Monitor) forgive(url string, n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.forgiven[url] += n
}

// unforgive takes back from st the errors forgiven for its feed.
func (m *Monitor) unforgive(st *store.FeedState) {
	m.mu.Lock()
	n := m.forgiven[st.URL]
	delete(m.forgiven, st.URL)
	m.mu.Unlock()
	if n == 0 {
		return
	}
	st.Errors = max(st.Errors-n, 0)
	if st.Errors == 0 {
		st.ErrorsSince = time.Time{}
	}
}
