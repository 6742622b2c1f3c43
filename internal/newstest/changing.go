package newstest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ChangingSite serves a BigSite's feeds as a daemon meets them: each feed
// gains one item every Change (feeds staggered over it), starting empty,
// and answers a conditional request with 304 Not Modified until it does.
// It records each feed's poll lag: how long after the previous poll plus
// Interval the next one came, which is the time past the feed's due time
// for a daemon polling every Interval without jitter. Article pages are
// the BigSite's. GET /stats reports counts and lag percentiles since the
// last GET /stats?reset=1.
type ChangingSite struct {
	*BigSite
	Change, Interval time.Duration
	start            time.Time

	mu        sync.Mutex
	last      []time.Time // feed n's last poll
	lags      []time.Duration
	ok, fresh int // 200 and 304 answers
}

// NewChangingSite returns a site of feeds of up to items items, each
// gaining one every change, polled every interval.
func NewChangingSite(feeds, items int, change, interval time.Duration) *ChangingSite {
	return &ChangingSite{BigSite: NewBigSite(feeds, items), Change: change, Interval: interval,
		start: time.Now(), last: make([]time.Time, feeds)}
}

// ServeHTTP serves feeds, /stats and the BigSite's pages.
func (s *ChangingSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/stats" {
		s.stats(w, r.URL.Query().Has("reset"))
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/big/feed")
	if !ok {
		s.BigSite.ServeHTTP(w, r)
		return
	}
	n, err := strconv.Atoi(strings.TrimSuffix(rest, ".rss"))
	if err != nil || n < 0 || n >= s.Feeds {
		http.NotFound(w, r)
		return
	}
	now := time.Now()
	// Feed n gains its k-th item at start + (k - phase) × Change, its phase
	// spread over [0, 1) so that feeds change all through a run.
	phase := s.Change * time.Duration(n*7919%s.Feeds) / time.Duration(s.Feeds)
	count := min(int((now.Sub(s.start)+phase)/s.Change), s.Items)
	etag := fmt.Sprintf(`"%d-%d"`, n, count)
	s.record(n, now, r.Header.Get("If-None-Match") == etag)
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	items := make([]FeedItem, 0, count)
	for i := count - 1; i >= 0; i-- {
		items = append(items, s.Page(n, i).Item())
	}
	c := Channel{Title: fmt.Sprintf("Changing feed %d", n), Link: BasePlaceholder + "/", Description: "generated"}
	w.Header().Set("Content-Type", TypeByExtension(".rss"))
	w.Write([]byte(strings.ReplaceAll(string(RSS(c, items)), BasePlaceholder, "http://"+r.Host))) //nolint:errcheck // the client went away
}

// record counts a poll of feed n and its lag.
func (s *ChangingSite) record(n int, now time.Time, notModified bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.last[n].IsZero() {
		s.lags = append(s.lags, max(now.Sub(s.last[n])-s.Interval, 0))
	}
	s.last[n] = now
	if notModified {
		s.fresh++
	} else {
		s.ok++
	}
}

// stats writes the counts and lag percentiles, then starts a new window if
// reset is set.
func (s *ChangingSite) stats(w http.ResponseWriter, reset bool) {
	s.mu.Lock()
	lags := slices.Clone(s.lags)
	ok, fresh := s.ok, s.fresh
	if reset {
		s.lags, s.ok, s.fresh = nil, 0, 0
	}
	s.mu.Unlock()
	slices.Sort(lags)
	pct := func(p float64) time.Duration {
		if len(lags) == 0 {
			return 0
		}
		return lags[min(int(p*float64(len(lags))), len(lags)-1)].Round(time.Millisecond)
	}
	fmt.Fprintf(w, "polls %d (200: %d, 304: %d) repeated %d lag p50 %v p95 %v p99 %v max %v\n",
		ok+fresh, ok, fresh, len(lags), pct(0.50), pct(0.95), pct(0.99), pct(1))
}
