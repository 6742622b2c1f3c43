package monitor

import (
	"hash/fnv"
	"log/slog"
	"time"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/parser"
	"github.com/newswatch/newswatch/store"
)

// Gaps: a feed is a window of its newest items. When a poll shares no
// item with the previous one, more items were published between the two
// than the window holds, and those that scrolled out were never seen.
const (
	// minGapWindow is how many items a poll needs for a gap to mean
	// anything: a feed of one item changes it whole with every story.
	minGapWindow = 2
	// minTurnover is the shortest interval a gap can teach.
	minTurnover = 2 * time.Minute
)

// observeWindow compares the items of a poll with the window of the
// previous poll that read the whole source, records a gap in st when they
// share none (and the feed is not new), and keeps this poll's window. A
// gap shortens the feed's interval (Turnover), unless the poll is a
// catch-up after downtime, which explains the gap; a poll without gap,
// a 304 (feed nil) included, relaxes it. The children of a sitemap index
// are read in part, so an index is never compared.
func (m *snapshot) observeWindow(log *slog.Logger, f news.Feed, st *store.FeedState, feed *parser.Feed, catchUp bool, now time.Time) bool {
	if feed == nil || feed.Sitemaps != nil {
		m.relax(f, st)
		return false
	}
	cur := make(map[uint64]bool, len(feed.Items))
	window := make([]uint64, 0, min(len(feed.Items), store.MaxWindow))
	for _, it := range feed.Items {
		h := keyHash(itemKey(f.URL, it))
		if !cur[h] && len(window) < store.MaxWindow {
			window = append(window, h)
		}
		cur[h] = true
	}
	prev := st.Window
	st.Window = window
	gap := len(prev) > 0 && len(feed.Items) >= minGapWindow
	for _, h := range prev {
		if cur[h] {
			gap = false
			break
		}
	}
	if !gap {
		m.relax(f, st)
		return false
	}
	st.Gaps = append(st.Gaps, store.Gap{At: now.UTC(), Window: len(feed.Items)})
	st.GapsTotal++
	if !catchUp {
		st.Turnover = max(min(m.intervalOf(f, *st), windowSpan(feed.Items))/2, minTurnover)
	}
	log.Warn("feed window overflowed: items may have been missed", "items", len(feed.Items), "gaps", st.GapsTotal,
		"catch_up", catchUp, "interval", m.intervalOf(f, *st), "backfill", news.RedactURL(f.Backfill))
	return true
}

// relax lengthens an interval a gap taught by a quarter, until it is no
// shorter than the feed's own.
func (m *snapshot) relax(f news.Feed, st *store.FeedState) {
	if st.Turnover == 0 {
		return
	}
	st.Turnover += st.Turnover / 4
	base := *st
	base.Turnover = 0
	if st.Turnover >= m.intervalOf(f, base) {
		st.Turnover = 0
	}
}

// windowSpan is how long the items' window covers: from its oldest to its
// newest publish time; the longest duration when fewer than two are dated.
func windowSpan(items []news.Item) time.Duration {
	var oldest, newest time.Time
	for _, it := range items {
		t := firstTime(it.Published, it.Updated)
		if t.IsZero() {
			continue
		}
		if oldest.IsZero() || t.Before(oldest) {
			oldest = t
		}
		if t.After(newest) {
			newest = t
		}
	}
	if span := newest.Sub(oldest); span > 0 {
		return span
	}
	return maxAdaptive
}

// keyHash is the FNV-1a hash of an item key, as the window keeps it.
func keyHash(key string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return h.Sum64()
}
