package fetcher

import (
	"net/http"
	"testing"
	"time"
)

var testNow = time.Date(2025, 3, 3, 1, 0, 0, 0, time.UTC)

func header(kv ...string) http.Header {
	h := make(http.Header)
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

func TestMaxAge(t *testing.T) {
	t.Parallel()
	date := testNow.Format(http.TimeFormat)
	tests := []struct {
		name string
		h    http.Header
		want time.Duration
	}{
		{"none", header(), 0},
		{"max-age", header("Cache-Control", "public, max-age=600"), 10 * time.Minute},
		{"max-age quoted", header("Cache-Control", `max-age="60"`), time.Minute},
		{"max-age minus Age", header("Cache-Control", "max-age=600", "Age", "100"), 500 * time.Second},
		{"Age beyond max-age", header("Cache-Control", "max-age=60", "Age", "100"), 0},
		{"first max-age wins", header("Cache-Control", "max-age=60, max-age=600"), time.Minute},
		{"split headers", header("Cache-Control", "public", "Cache-Control", "MAX-AGE=120"), 2 * time.Minute},
		{"no-cache", header("Cache-Control", "max-age=600, no-cache"), 0},
		{"no-store", header("Cache-Control", "no-store", "Expires", testNow.Add(time.Hour).Format(http.TimeFormat)), 0},
		{"bad max-age falls back to Expires", header("Cache-Control", "max-age=soon", "Date", date,
			"Expires", testNow.Add(time.Hour).Format(http.TimeFormat)), time.Hour},
		{"negative max-age", header("Cache-Control", "max-age=-5"), 0},
		{"huge max-age", header("Cache-Control", "max-age=99999999999999999999"), maxFreshness},
		{"expires minus date", header("Date", date, "Expires", testNow.Add(15*time.Minute).Format(http.TimeFormat)), 15 * time.Minute},
		{"expires without date", header("Expires", testNow.Add(5*time.Minute).Format(http.TimeFormat)), 5 * time.Minute},
		{"expires in the past", header("Date", date, "Expires", testNow.Add(-time.Hour).Format(http.TimeFormat)), 0},
		{"expires invalid", header("Expires", "0"), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := maxAge(tt.h, testNow); got != tt.want {
				t.Errorf("maxAge(%v) = %v, want %v", tt.h, got, tt.want)
			}
		})
	}
}

func TestRetryAfterHeader(t *testing.T) {
	t.Parallel()
	date := testNow.Format(http.TimeFormat)
	tests := []struct {
		name string
		h    http.Header
		want time.Duration
	}{
		{"none", header(), 0},
		{"seconds", header("Retry-After", "120"), 2 * time.Minute},
		{"zero", header("Retry-After", "0"), 0},
		{"spaces", header("Retry-After", " 30 "), 30 * time.Second},
		{"date vs Date", header("Date", date, "Retry-After", testNow.Add(90*time.Second).Format(http.TimeFormat)), 90 * time.Second},
		{"date vs now", header("Retry-After", testNow.Add(time.Hour).Format(http.TimeFormat)), time.Hour},
		{"date past", header("Date", date, "Retry-After", testNow.Add(-time.Hour).Format(http.TimeFormat)), 0},
		{"date far", header("Date", date, "Retry-After", testNow.Add(90*24*time.Hour).Format(http.TimeFormat)), maxRetryAfter},
		{"negative", header("Retry-After", "-1"), 0},
		{"garbage", header("Retry-After", "soon"), 0},
		{"huge", header("Retry-After", "99999999999999999999"), maxRetryAfter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := retryAfter(tt.h, testNow); got != tt.want {
				t.Errorf("retryAfter(%v) = %v, want %v", tt.h, got, tt.want)
			}
		})
	}
}

// FuzzCacheHeaders: header parsing never panics and stays within bounds.
func FuzzCacheHeaders(f *testing.F) {
	f.Add("public, max-age=600", "120", "Mon, 03 Mar 2025 01:15:00 GMT", "100")
	f.Add(`no-cache, max-age="60"`, "Mon, 03 Mar 2025 01:15:00 GMT", "0", "")
	f.Add("max-age=99999999999999999999", "-1", "Thu, 01 Jan 1970 00:00:00 GMT", "x")
	f.Fuzz(func(t *testing.T, cc, ra, expires, age string) {
		h := header("Cache-Control", cc, "Retry-After", ra, "Expires", expires, "Age", age,
			"Date", testNow.Format(http.TimeFormat))
		if d := maxAge(h, testNow); d < 0 || d > maxFreshness {
			t.Errorf("maxAge(%v) = %v, want in [0, %v]", h, d, maxFreshness)
		}
		if d := retryAfter(h, testNow); d < 0 || d > maxRetryAfter {
			t.Errorf("retryAfter(%v) = %v, want in [0, %v]", h, d, maxRetryAfter)
		}
	})
}
