package monitor

import (
	"time"
)

// summaryEvery is how often Run logs its summary line.
const summaryEvery = time.Hour

// summary counts what Run did since its last summary line, which replaces
// a line per poll at info level: with hundreds of feeds, most polls find
// nothing new.
type summary struct {
	next        time.Time
	polls       int
	feeds       map[string]bool // distinct feeds polled
	newArticles int
	matched     int
	outages     int             // network outages that began
	failing     map[string]bool // feeds whose last poll failed; kept across lines
}

func newSummary(now time.Time) summary {
	return summary{next: now.Add(summaryEvery), feeds: map[string]bool{}, failing: map[string]bool{}}
}

// add counts a poll.
func (s *summary) add(p polled) {
	if p.res.Skipped {
		return
	}
	s.polls++
	s.feeds[p.res.Feed.URL] = true
	s.newArticles += p.res.Stored
	s.matched += p.res.Matched
	if p.res.Err != nil || p.err != nil {
		s.failing[p.res.Feed.URL] = true
	} else {
		delete(s.failing, p.res.Feed.URL)
	}
}

// logSummary logs the summary line when it is due and starts the next.
func (m *Monitor) logSummary(now time.Time) {
	s := &m.rs.sum
	if now.Before(s.next) {
		return
	}
	for u := range s.failing {
		if _, ok := m.current().feed(u); !ok {
			delete(s.failing, u) // removed from the config
		}
	}
	m.log.Info("hourly summary", "feeds_polled", len(s.feeds), "polls", s.polls, "new_articles", s.newArticles,
		"matched", s.matched, "failing_feeds", len(s.failing), "network_outages", s.outages,
		"network_out", m.rs.netDown != nil, "store_cannot_save", m.rs.storeDown != nil)
	failing := s.failing
	*s = newSummary(now)
	s.failing = failing
}
