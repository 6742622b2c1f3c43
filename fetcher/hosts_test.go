package fetcher

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// TestPerHostConcurrency blocks every request in the handler until the test
// lets it go, one at a time, and checks the server never sees more than
// PerHostConcurrency requests at once.
func TestPerHostConcurrency(t *testing.T) {
	t.Parallel()
	const limit, requests = 2, 7
	var active, peak atomic.Int32
	entered := make(chan struct{}, requests)
	release := make(chan struct{})
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := active.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		entered <- struct{}{}
		<-release
		active.Add(-1) // before the response, so the client cannot start early
		w.Write([]byte("<rss/>"))
	}))
	c := newTestClient(t, Options{PerHostConcurrency: limit})
	var wg sync.WaitGroup
	errs := make(chan error, requests)
	for range requests {
		wg.Go(func() {
			_, err := c.Fetch(t.Context(), srv.URL, Validators{})
			errs <- err
		})
	}
	for range limit { // the limit is actually used...
		<-entered
	}
	for i := range requests { // ...and never exceeded
		if i >= limit {
			<-entered
		}
		if n := active.Load(); n > limit {
			t.Errorf("%d requests in flight to one host, want at most %d", n, limit)
		}
		release <- struct{}{}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Fetch(%q) error = %v", srv.URL, err)
		}
	}
	if p := peak.Load(); p != limit {
		t.Errorf("peak concurrency = %d, want %d", p, limit)
	}
}

// TestRetryAfterHoldsHost: after a 429 with Retry-After, the next request to
// that host is held back for at most maxHostHold (the full Retry-After is for
// the answered URL); with a deadline shorter than the hold it fails at once
// with *HostBackoffError.
func TestRetryAfterHoldsHost(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Retry-After", "600")
		http.Error(w, "slow down", http.StatusTooManyRequests)
	}))
	c := newTestClient(t, Options{})
	_, err := c.Fetch(t.Context(), srv.URL+"/feed", Validators{})
	if RetryAfter(err) != 10*time.Minute {
		t.Fatalf("first Fetch error = %v, want 429 with Retry-After 10m", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), maxHostHold/2)
	defer cancel()
	_, err = c.Fetch(ctx, srv.URL+"/article", Validators{})
	var he *HostBackoffError
	if !errors.As(err, &he) || !Temporary(err) {
		t.Fatalf("second Fetch error = %v, want *HostBackoffError", err)
	}
	if he.RetryAfter <= 0 || he.RetryAfter > maxHostHold || RetryAfter(err) != he.RetryAfter {
		t.Errorf("HostBackoffError.RetryAfter = %v, want in (0, %v]", he.RetryAfter, maxHostHold)
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("server got %d requests, want 1 (the host is on hold)", n)
	}
}

// TestRetryAfterHoldCapped: an absurd Retry-After holds the host for at most
// maxHold, though the StatusError still reports (a capped) RetryAfter.
func TestRetryAfterHoldCapped(t *testing.T) {
	t.Parallel()
	h := newHostLimits(Options{}.withDefaults())
	h.hold("vietnamplus.vn", 100*24*time.Hour)
	s := h.ref("vietnamplus.vn")
	defer h.unref(s)
	if d := time.Until(s.holdUntil); d > maxHold {
		t.Errorf("hold after Retry-After of 100 days = %v, want at most %v", d, maxHold)
	}
}

// TestAcquireCanceled: a request waiting for a busy host's slot gives up
// when its context ends.
func TestAcquireCanceled(t *testing.T) {
	t.Parallel()
	entered := make(chan struct{})
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-r.Context().Done()
	}))
	c := newTestClient(t, Options{PerHostConcurrency: 1})
	first, cancelFirst := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := c.Fetch(first, srv.URL, Validators{})
		done <- err
	}()
	<-entered
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := c.Fetch(ctx, srv.URL, Validators{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Fetch(%q) waiting for a slot, canceled: error = %v, want context.Canceled", srv.URL, err)
	}
	cancelFirst()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Fetch(%q) canceled in flight: error = %v, want context.Canceled", srv.URL, err)
	}
}

// TestHostLimitsPrune checks that idle hosts are forgotten and busy ones kept.
func TestHostLimitsPrune(t *testing.T) {
	t.Parallel()
	h := newHostLimits(Options{PerHostRate: -1}.withDefaults())
	busy := h.ref("busy.example")
	h.hold("held.example", time.Hour)
	for _, host := range []string{"a.example", "b.example"} {
		h.unref(h.ref(host))
	}
	h.mu.Lock()
	h.pruneLocked(time.Now())
	got := len(h.hosts)
	_, keptBusy := h.hosts["busy.example"]
	_, keptHeld := h.hosts["held.example"]
	h.mu.Unlock()
	h.unref(busy)
	if got != 2 || !keptBusy || !keptHeld {
		t.Errorf("after prune: %d hosts (busy kept %v, held kept %v), want 2 (true, true)", got, keptBusy, keptHeld)
	}
}

// TestHostRate runs the limiter in a synctest bubble (fake clock): with 2
// requests per second and a burst of 2, five requests to one host take 1.5s,
// while another host is not slowed down.
func TestHostRate(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		h := newHostLimits(Options{PerHostRate: 2, PerHostBurst: 2, PerHostConcurrency: 5}.withDefaults())
		start := time.Now()
		for range 5 {
			release, err := h.acquire(t.Context(), "vietnamplus.vn")
			if err != nil {
				t.Fatalf("acquire(vietnamplus.vn) error = %v", err)
			}
			release()
		}
		if got, want := time.Since(start), 1500*time.Millisecond; got != want {
			t.Errorf("5 requests at 2/s burst 2 took %v, want %v", got, want)
		}
		start = time.Now()
		release, err := h.acquire(t.Context(), "news.un.org")
		if err != nil {
			t.Fatalf("acquire(news.un.org) error = %v", err)
		}
		release()
		if got := time.Since(start); got != 0 {
			t.Errorf("first request to another host waited %v, want 0", got)
		}
	})
}

// TestHostHoldWaited: a hold shorter than the request may wait is waited
// out rather than failing.
func TestHostHoldWaited(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		h := newHostLimits(Options{Timeout: 30 * time.Second, PerHostRate: -1}.withDefaults())
		h.hold("news.un.org", 20*time.Second)
		start := time.Now()
		release, err := h.acquire(t.Context(), "news.un.org")
		if err != nil {
			t.Fatalf("acquire during a 20s hold error = %v, want a wait", err)
		}
		release()
		if got := time.Since(start); got != 20*time.Second {
			t.Errorf("acquire during a 20s hold waited %v, want 20s", got)
		}
		h.hold("news.un.org", 45*time.Second)
		var he *HostBackoffError
		if _, err := h.acquire(t.Context(), "news.un.org"); !errors.As(err, &he) || he.RetryAfter != 45*time.Second {
			t.Errorf("acquire during a 45s hold (Timeout 30s) error = %v, want *HostBackoffError{45s}", err)
		}
	})
}
