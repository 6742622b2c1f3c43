package web

import (
	"fmt"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

func TestLoginLimits(t *testing.T) {
	t.Parallel()
	l := newLoginLimits()
	now := t0
	fail := func(name, addr string) time.Duration {
		t.Helper()
		_, wait := l.attempt(name, addr, now)
		return wait
	}
	for i := range nameLimit.burst {
		if w := fail("an", "192.0.2.1"); w != 0 {
			t.Fatalf("failure %d of an: wait %v, want none", i+1, w)
		}
	}
	if w := fail("an", "192.0.2.2"); w != nameLimit.every {
		t.Errorf("an past the limit, from another address: wait %v, want %v", w, nameLimit.every)
	}
	now = now.Add(nameLimit.every)
	if w := fail("an", "192.0.2.2"); w != 0 {
		t.Errorf("an after %v: wait %v, want none", nameLimit.every, w)
	}

	// Successful logins give their attempt back: any number goes through.
	for i := range 3 * addrLimit.burst {
		ok, wait := l.attempt("mai", "192.0.2.9", now)
		if wait != 0 {
			t.Fatalf("login %d of mai, all successful: wait %v", i+1, wait)
		}
		ok()
	}
	// ... and only that: failures from the address still count in full.
	for i := range addrLimit.burst {
		if w := fail(fmt.Sprintf("user%d", i), "192.0.2.9"); w != 0 {
			t.Fatalf("failure %d from 192.0.2.9: wait %v", i+1, w)
		}
	}
	if w := fail("someone", "192.0.2.9"); w != addrLimit.every {
		t.Errorf("192.0.2.9 past its limit: wait %v, want %v", w, addrLimit.every)
	}
	ok, _ := l.attempt("mai", "192.0.2.10", now)
	ok()
	if w := fail("another", "192.0.2.9"); w == 0 {
		t.Error("a success from elsewhere lifted the limit of 192.0.2.9")
	}
}

// TestLoginLimitsBounded: the buckets of names and addresses in memory
// are bounded; full ones are dropped first, and while every bucket is in
// use a new name waits rather than goes unlimited.
func TestLoginLimitsBounded(t *testing.T) {
	t.Parallel()
	m := map[string]*rate.Limiter{}
	now := t0
	for i := range maxLimiters {
		lim := limiter(m, fmt.Sprint(i), nameLimit, now)
		lim.AllowN(now, 1) // in use: one failure
	}
	if lim := limiter(m, "new", nameLimit, now); lim != nil {
		t.Error("a new bucket while all are in use")
	}
	if lim := limiter(m, "7", nameLimit, now); lim == nil {
		t.Error("a known name lost its bucket")
	}
	now = now.Add(nameLimit.every) // each has its token back: full
	if lim := limiter(m, "new", nameLimit, now); lim == nil || len(m) != 1 {
		t.Errorf("after the buckets filled up, a new name: %v, %d buckets; want a bucket, the others dropped", lim, len(m))
	}
}

func TestClip(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		s    string
		n    int
		want string
	}{{"mai", 64, "mai"}, {"abcdef", 3, "abc"}, {"mười", 2, "mư"}, {"", 3, ""}} {
		if got := clip(tt.s, tt.n); got != tt.want {
			t.Errorf("clip(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}
