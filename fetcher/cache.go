package fetcher

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxFreshness bounds MaxAge; servers sometimes send max-age of years.
const maxFreshness = 365 * 24 * time.Hour

// maxAge returns how long the response stays fresh: Cache-Control max-age
// minus Age, else Expires minus Date (or minus now without a Date). It is 0
// when the response must not be reused (no-store, no-cache), has expired or
// says nothing.
func maxAge(h http.Header, now time.Time) time.Duration {
	if cc := h.Values("Cache-Control"); len(cc) > 0 {
		age, found, reuse := parseCacheControl(strings.Join(cc, ","))
		if !reuse {
			return 0
		}
		if found {
			if a, ok := parseSeconds(h.Get("Age")); ok {
				age -= a
			}
			return max(age, 0)
		}
	}
	exp := h.Get("Expires")
	if exp == "" {
		return 0
	}
	t, err := http.ParseTime(exp)
	if err != nil {
		return 0 // an invalid Expires ("0", "-1") means already expired
	}
	return clampDuration(t.Sub(serverNow(h, now)), maxFreshness)
}

// parseCacheControl returns the first max-age directive and whether the
// response may be reused at all.
func parseCacheControl(v string) (age time.Duration, found, reuse bool) {
	reuse = true
	for d := range strings.SplitSeq(v, ",") {
		name, val, _ := strings.Cut(strings.TrimSpace(d), "=")
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "no-store", "no-cache":
			reuse = false
		case "max-age":
			if found {
				continue
			}
			if a, ok := parseSeconds(strings.Trim(strings.TrimSpace(val), `"`)); ok {
				age, found = a, true
			}
		}
	}
	return age, found, reuse
}

// retryAfter parses a Retry-After header given in seconds or as an HTTP date
// (measured against the server's Date header, to be immune to clock skew).
// The result is at most maxRetryAfter; 0 if absent, invalid or in the past.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if d, ok := parseSeconds(v); ok {
		return min(d, maxRetryAfter)
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	return clampDuration(t.Sub(serverNow(h, now)), maxRetryAfter)
}

// serverNow returns the response's Date, or now if it has none.
func serverNow(h http.Header, now time.Time) time.Time {
	if t, err := http.ParseTime(h.Get("Date")); err == nil {
		return t
	}
	return now
}

// parseSeconds parses a non-negative decimal number of seconds, saturating
// at maxFreshness so huge values cannot overflow.
func parseSeconds(s string) (time.Duration, bool) {
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n > int64(maxFreshness/time.Second) {
		return maxFreshness, true // only overflow is possible here
	}
	return time.Duration(n) * time.Second, true
}

func clampDuration(d, hi time.Duration) time.Duration {
	return min(max(d, 0), hi)
}
