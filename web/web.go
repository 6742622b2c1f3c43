package web

import (
	"cmp"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/newswatch/newswatch/export"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// Store is the web server's view of the archive.
type Store interface {
	export.Source
	AlertSource
	Feeds() ([]store.FeedState, error)
	Stats() (store.Stats, error)
}

var _ Store = (*store.Store)(nil)

// Options configure New. Store is required; the rest may be empty.
type Options struct {
	Store Store
	// Feeds are the configured feeds, in configuration order. They are the
	// rows of /feeds and the feed series of /metrics; stored states of feeds
	// no longer configured are left out, which keeps the label set bounded.
	Feeds []news.Feed
	// Topics are the configured topic names: /metrics counts the stored
	// articles of each, zero included.
	Topics []string
	// Logger receives errors that cannot reach the client (an export
	// that fails half-way). Nil discards them.
	Logger *slog.Logger
	// MaxExports is how many /export requests run at once; more get 503
	// with Retry-After. Zero means DefaultMaxExports.
	MaxExports int
}

// New returns the handler of the daemon's HTTP endpoints:
//
//	GET /         the list of endpoints
//	GET /healthz  "ok" when the store answers, else 503
//	GET /metrics  Prometheus metrics, read from the store at scrape time
//	GET /feeds    every configured feed with its health, as JSON
//	GET /export   the archive as JSON Lines (?topic=&since=&until=&all=1)
//	GET /alerts   the alert outbox as JSON (?state=pending|failed|delivered)
func New(o Options) http.Handler {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Store == nil {
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "web: no store configured", http.StatusServiceUnavailable)
		})
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", index)
	mux.HandleFunc("GET /healthz", healthz(o.Store))
	mux.Handle("GET /metrics", metricsHandler(o))
	mux.HandleFunc("GET /feeds", feedsHandler(o))
	mux.Handle("GET /export", limit(cmp.Or(max(o.MaxExports, 0), DefaultMaxExports), exportRetryAfter, "export", exportHandler(o)))
	mux.HandleFunc("GET /alerts", alertsHandler(o.Store))
	return secureHeaders(mux)
}

// index lists the endpoints, for an operator trying the address in a browser.
func index(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprint(w, `newswatch
/healthz  ok when the store answers
/metrics  Prometheus metrics
/feeds    feed health (JSON)
/export   stored articles as JSON Lines: ?topic=NAME&since=DATE&until=DATE&all=1
/alerts   the alert outbox (JSON): ?state=pending|failed|delivered
`)
}

// healthz answers 200 "ok" when the store can be read, 503 otherwise.
func healthz(st Store) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if _, err := st.Feeds(); err != nil {
			http.Error(w, fmt.Sprintf("store: %v", err), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	}
}

// secureHeaders stops browsers from sniffing our plain text and JSON as
// something else.
func secureHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		h.ServeHTTP(w, r)
	})
}
