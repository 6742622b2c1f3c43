package monitor

import (
	"context"
	"errors"
	"maps"
	"net"
	"slices"
	"syscall"
	"time"

	"github.com/newswatch/newswatch/fetcher"
	"github.com/newswatch/newswatch/store"
)

// netFailure is a feed whose last poll failed with a network error.
type netFailure struct {
	host  string
	at    time.Time
	err   error
	count int // its network failures since a server last answered
}

// networkOutcome follows the network through a poll: fresh network
// errors on enough hosts with no answer in between, not even to the polls
// then in flight, start a network outage, and any server's answer ends
// it. A failure is fresh when the feed's previous poll reached its server:
// a host that has been gone for days says nothing about the network.
func (m *Monitor) networkOutcome(due map[string]time.Time, inflight map[string]bool, res Result, now time.Time) {
	down, up := netEvidence(res)
	u := res.Feed.URL
	fresh := down && !m.rs.netFailed[u]
	if down {
		m.rs.netFailed[u] = true
	} else if up {
		delete(m.rs.netFailed, u)
	}
	delete(m.rs.awaited, u)
	switch {
	case up:
		clear(m.rs.streak)
		m.rs.awaited = nil
		if o := m.rs.netDown; o != nil {
			m.rs.netDown = nil
			m.offline.Store(false)
			m.log.Info("network back", "duration", now.Sub(o.since).Round(time.Second), "failed_probes", o.failed)
			m.resume(due, now)
		}
	case down && m.rs.netDown != nil:
		m.rs.netDown.failed++
		due[u] = now // overdue: polled again once the network is back
	case fresh:
		m.rs.streak[u] = netFailure{host: hostOf(u), at: now, err: res.Err, count: m.rs.streak[u].count + 1}
		if m.rs.awaited == nil && m.networkOut(now) {
			m.rs.awaited = maps.Clone(inflight)
		}
	}
	if m.rs.awaited != nil && len(m.rs.awaited) == 0 && m.rs.netDown == nil {
		m.rs.awaited = nil
		m.beginNetOutage(due, now)
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

// networkOut reports whether the fresh network failures since any server
// last answered amount to an outage: minOutageHosts distinct hosts within
// outageWindow, or every configured feed failing on at least two hosts.
func (m *Monitor) networkOut(now time.Time) bool {
	recent := map[string]bool{}
	for u, f := range m.rs.streak {
		if _, ok := m.current().feed(u); !ok {
			delete(m.rs.streak, u) // removed from the config meanwhile
			continue
		}
		if now.Sub(f.at) <= outageWindow {
			recent[f.host] = true
		}
	}
	if len(recent) >= minOutageHosts {
		return true
	}
	hosts := map[string]bool{}
	for _, f := range m.current().feeds {
		if !m.rs.netFailed[f.URL] {
			return false
		}
		hosts[hostOf(f.URL)] = true
	}
	return len(m.rs.streak) > 0 && len(hosts) >= 2
}

// beginNetOutage declares a network outage: it logs it once, holds back
// the failed feeds without counting the outage against them, and
// schedules the first probe. Each probe polls a feed of another host:
// first those that just failed, then the others not known to be gone, so
// that hosts that are down for good cannot keep the outage going.
func (m *Monitor) beginNetOutage(due map[string]time.Time, now time.Time) {
	failed := slices.SortedFunc(maps.Keys(m.rs.streak), func(a, b string) int {
		return m.rs.streak[a].at.Compare(m.rs.streak[b].at)
	})
	o := &outage{since: m.rs.streak[failed[0]].at, every: netProbeEvery, probeAt: now.Add(m.current().opts.jitter(netProbeEvery)), failed: len(failed)}
	hosts := map[string]bool{}
	for _, u := range failed {
		due[u] = now
		m.forgive(u, m.rs.streak[u].count)
		o.addProbe(u)
		hosts[m.rs.streak[u].host] = true
	}
	for _, f := range m.current().feeds {
		if !m.rs.netFailed[f.URL] {
			o.addProbe(f.URL)
		}
	}
	m.rs.netDown = o
	m.offline.Store(true)
	m.rs.sum.outages++
	last := m.rs.streak[failed[len(failed)-1]]
	m.log.Error("network outage", "hosts", len(hosts), "feeds", len(failed), "since", o.since.Format(time.RFC3339),
		"probe_every", netProbeEvery, "error", last.err)
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
