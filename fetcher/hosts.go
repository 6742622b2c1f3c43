package fetcher

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// maxHold caps how long a hold can close a host to other requests.
const maxHold = time.Hour

// maxHostHold caps how long one Retry-After answer holds back the other
// requests to its host; the answered URL itself honours the full value.
const maxHostHold = 10 * time.Second

// hostLimits enforces per-host concurrency, request rate and Retry-After
// holds. Entries whose state equals a fresh entry are pruned, so the map
// does not grow over months of crawling many hosts.
type hostLimits struct {
	conc    int
	limit   rate.Limit
	burst   int
	maxWait time.Duration // longest hold a request waits out; longer ones fail fast

	mu        sync.Mutex
	hosts     map[string]*hostState
	nextPrune int
}

type hostState struct {
	sem       chan struct{}
	limiter   *rate.Limiter // guarded by hostLimits.mu (the pointer; the limiter is safe to use)
	holdUntil time.Time     // guarded by hostLimits.mu
	slowUntil time.Time     // guarded by hostLimits.mu; until then the limiter is slower than configured
	refs      int           // guarded by hostLimits.mu
}

func newHostLimits(o Options) *hostLimits {
	lim := rate.Limit(o.PerHostRate)
	if o.PerHostRate < 0 {
		lim = rate.Inf
	}
	return &hostLimits{
		conc: o.PerHostConcurrency, limit: lim, burst: o.PerHostBurst, maxWait: o.Timeout,
		hosts: make(map[string]*hostState), nextPrune: 64,
	}
}

// acquire waits for a concurrency slot, any Retry-After hold and a rate
// token for host, and returns the function that gives the slot back. Waits
// end with ctx; a hold longer than maxWait or ctx's deadline fails at once
// with *HostBackoffError.
func (h *hostLimits) acquire(ctx context.Context, host string) (release func(), err error) {
	s := h.ref(host)
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		h.unref(s)
		return nil, ctx.Err()
	}
	release = func() {
		<-s.sem
		h.unref(s)
	}
	if err := h.wait(ctx, host, s); err != nil {
		release()
		return nil, err
	}
	return release, nil
}

func (h *hostLimits) wait(ctx context.Context, host string, s *hostState) error {
	now := time.Now()
	h.mu.Lock()
	limiter, hold := s.limiter, s.holdUntil.Sub(now)
	h.mu.Unlock()
	r := limiter.ReserveN(now, 1)
	delay := r.DelayFrom(now)
	if hold > delay {
		limit := h.maxWait
		if dl, ok := ctx.Deadline(); ok {
			limit = min(limit, dl.Sub(now))
		}
		if hold > limit {
			r.CancelAt(now)
			return &HostBackoffError{Host: host, RetryAfter: hold}
		}
		delay = hold
	}
	if delay <= 0 {
		return nil
	}
	t := time.NewTimer(delay)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		r.Cancel()
		return ctx.Err()
	}
}

// hold keeps other requests away from host for d (at most maxHold), as a
// server's Retry-After asks.
func (h *hostLimits) hold(host string, d time.Duration) {
	if d <= 0 {
		return
	}
	until := time.Now().Add(min(d, maxHold))
	s := h.ref(host)
	h.mu.Lock()
	if until.After(s.holdUntil) {
		s.holdUntil = until
	}
	h.mu.Unlock()
	h.unref(s)
}

// slowDown limits host to one request per delay (a robots.txt Crawl-delay)
// until until, when that is slower than the configured rate; a delay that
// is not slower restores the configured rate. The request just sent (for
// robots.txt) counts against a new rate: the next one waits a full delay.
func (h *hostLimits) slowDown(host string, delay time.Duration, until time.Time) {
	lim, burst := h.limit, h.burst
	if delay > 0 && rate.Every(delay) < lim {
		lim, burst = rate.Every(delay), 1
	}
	s := h.ref(host)
	defer h.unref(s)
	h.mu.Lock()
	defer h.mu.Unlock()
	s.slowUntil = time.Time{}
	if lim != h.limit {
		s.slowUntil = until
	}
	if s.limiter.Limit() == lim && s.limiter.Burst() == burst {
		return
	}
	// A new limiter rather than SetLimit: the token count of a limiter
	// that was unlimited is meaningless.
	s.limiter = rate.NewLimiter(lim, burst)
	s.limiter.ReserveN(time.Now(), 1)
}

func (h *hostLimits) ref(host string) *hostState {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.hosts[host]
	if s == nil {
		if len(h.hosts) >= h.nextPrune {
			h.pruneLocked(time.Now())
		}
		s = &hostState{sem: make(chan struct{}, h.conc), limiter: rate.NewLimiter(h.limit, h.burst)}
		h.hosts[host] = s
	}
	s.refs++
	return s
}

func (h *hostLimits) unref(s *hostState) {
	h.mu.Lock()
	s.refs--
	h.mu.Unlock()
}

// pruneLocked drops entries nobody uses whose limiter is full and whose hold
// and slow-down have passed: recreating them later changes nothing.
func (h *hostLimits) pruneLocked(now time.Time) {
	for host, s := range h.hosts {
		full := s.limiter.Limit() == rate.Inf || s.limiter.TokensAt(now) >= float64(s.limiter.Burst())
		if s.refs == 0 && full && !now.Before(s.holdUntil) && !now.Before(s.slowUntil) {
			delete(h.hosts, host)
		}
	}
	h.nextPrune = max(64, 2*len(h.hosts))
}
