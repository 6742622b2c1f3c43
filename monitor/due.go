package monitor

import (
	"slices"
	"time"

	"github.com/newswatch/newswatch/news"
)

// dueHorizon is how far ahead a scan of the feeds looks: the feeds due by
// then are kept in order, so that the daemon's loop, which passes after
// every send and every result, scans all its feeds about once per
// dueHorizon rather than on every pass. With 50,000 feeds every 10 minutes
// (83 polls a second) a scan took 4 ms and the loop passed about 170
// times a second.
const dueHorizon = time.Second

// A dueList holds the feeds due soon, most overdue first, and when the
// first other feed falls due. It stays right while only the polled feed's
// due time changes (see polled); Run rescans when next passes, when the
// settings change and around network and store outages, which move many
// feeds at once.
type dueList struct {
	feeds []news.Feed // not in flight, due by the scan's time plus dueHorizon
	at    []time.Time // feeds' due times
	next  time.Time   // the earliest due time of the feeds not in the list
	valid bool
}

// scan fills l from the feeds' due times at now, leaving out those in
// flight; among feeds due at the same time the first configured comes
// first. A feed without a due time is due at once.
func (l *dueList) scan(feeds []news.Feed, due map[string]time.Time, inflight map[string]bool, now time.Time) {
	until := now.Add(dueHorizon)
	l.next = now.Add(maxHint)
	type entry struct {
		i int
		t time.Time
	}
	var soon []entry
	for i := range feeds {
		u := feeds[i].URL
		if inflight[u] {
			continue
		}
		if t := due[u]; t.After(until) {
			l.next = minTime(l.next, t)
		} else {
			soon = append(soon, entry{i, t})
		}
	}
	slices.SortStableFunc(soon, func(a, b entry) int { return a.t.Compare(b.t) })
	l.feeds, l.at = l.feeds[:0], l.at[:0]
	for _, e := range soon {
		l.feeds = append(l.feeds, feeds[e.i])
		l.at = append(l.at, e.t)
	}
	l.valid = true
}

// first returns the most overdue feed if one is due at now, and when to
// wake for the next one otherwise.
func (l *dueList) first(now time.Time) ([]news.Feed, time.Time) {
	if len(l.feeds) == 0 {
		return nil, l.next
	}
	if l.at[0].After(now) {
		return nil, minTime(l.at[0], l.next)
	}
	return l.feeds[:1:1], l.next
}

// sent takes the feed with url, now in flight, off the list; a feed sent
// from elsewhere (an outage's probe) makes the list stale.
func (l *dueList) sent(url string) {
	if len(l.feeds) > 0 && l.feeds[0].URL == url {
		l.feeds, l.at = l.feeds[1:], l.at[1:]
		return
	}
	l.valid = false
}

// polled records the new due time of a feed whose poll ended: it was in
// flight, so not in the list.
func (l *dueList) polled(t time.Time) { l.next = minTime(l.next, t) }
