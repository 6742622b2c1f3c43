package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// DefaultMaxExports is how many exports run at once when
// Options.MaxExports is zero.
const DefaultMaxExports = 4

// exportRetryAfter is what an export refused for the limit is told to wait.
const exportRetryAfter = 10 * time.Second

// limit serves at most n requests through h at once. The others get 503
// Service Unavailable with Retry-After at once, not a place in a queue,
// so a burst of clients cannot pile up goroutines and memory.
func limit(n int, retryAfter time.Duration, what string, h http.Handler) http.Handler {
	running := make(chan struct{}, n)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case running <- struct{}{}:
			defer func() { <-running }()
			h.ServeHTTP(w, r)
		default:
			w.Header().Set("Retry-After", strconv.Itoa(int(retryAfter/time.Second)))
			w.Header().Set("Cache-Control", "no-store")
			http.Error(w, fmt.Sprintf("%s: %d already running, the most this server allows at once; retry in %v",
				what, n, retryAfter), http.StatusServiceUnavailable)
		}
	})
}
