package web

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Failed logins are limited per user name and per client address, each a
// token bucket (golang.org/x/time/rate) in memory: a restart forgets
// them, which costs a guesser a restart it cannot cause.
//
//   - Per name: 10 at once, then one every 5 minutes (at most 298 in the
//     first day): guessing one user's password online is hopeless, and
//     that user, having mistyped ten times, waits minutes, not hours.
//   - Per address: 30 at once, then one every 20 seconds: one machine
//     trying many names (password spraying) is slowed down, while an
//     office behind one address still logs in.
//
// Every attempt takes a token from both buckets before the password is
// checked, so parallel guesses are counted too and an attempt over the
// limit learns nothing about the password; a successful login gives its
// own tokens back and nothing more, so logging in to an account of one's
// own does not buy more guesses at another.
type loginLimits struct {
	mu     sync.Mutex
	byName map[string]*rate.Limiter
	byAddr map[string]*rate.Limiter
}

// limitRule is one token bucket's refill interval and size.
type limitRule struct {
	every time.Duration
	burst int
}

var (
	nameLimit = limitRule{every: 5 * time.Minute, burst: 10}
	addrLimit = limitRule{every: 20 * time.Second, burst: 30}
)

// maxLimiters bounds each map (a few MB): past it, full buckets (those
// that forgot every failure) are dropped, and if none is, a new name or
// address is refused until some are, rather than let a flood of names
// lift the limit.
const maxLimiters = 50_000

func newLoginLimits() *loginLimits {
	return &loginLimits{byName: map[string]*rate.Limiter{}, byAddr: map[string]*rate.Limiter{}}
}

// attempt takes one login attempt for name from addr at now. Over the
// limit it returns how long to wait; otherwise a function that gives the
// attempt back, to call when the login succeeds.
func (l *loginLimits) attempt(name, addr string, now time.Time) (succeeded func(), wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	byName := limiter(l.byName, name, nameLimit, now)
	byAddr := limiter(l.byAddr, addr, addrLimit, now)
	if byName == nil || byAddr == nil {
		return nil, addrLimit.every
	}
	rn, ra := byName.ReserveN(now, 1), byAddr.ReserveN(now, 1)
	if wait = max(rn.DelayFrom(now), ra.DelayFrom(now)); wait > 0 {
		rn.CancelAt(now)
		ra.CancelAt(now)
		return nil, wait
	}
	// Given back at the time they were taken: rate restores a
	// reservation only while its time has not passed.
	return func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		rn.CancelAt(now)
		ra.CancelAt(now)
	}, 0
}

// limiter returns the bucket of key in m, new if need be; nil when m is
// full of buckets in use.
func limiter(m map[string]*rate.Limiter, key string, rule limitRule, now time.Time) *rate.Limiter {
	if lim, ok := m[key]; ok {
		return lim
	}
	if len(m) >= maxLimiters {
		for k, lim := range m {
			if lim.TokensAt(now) >= float64(rule.burst) {
				delete(m, k)
			}
		}
		if len(m) >= maxLimiters {
			return nil
		}
	}
	lim := rate.NewLimiter(rate.Every(rule.every), rule.burst)
	m[key] = lim
	return lim
}
