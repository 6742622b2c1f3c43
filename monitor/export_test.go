package monitor

import (
	"time"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// Classify exposes classify to the external tests.
func Classify(st store.FeedState, now time.Time) (news.SourceHealth, string) {
	v := classify(st, now)
	return v.health, v.reason
}

// DueList exposes dueList to the external tests.
type DueList struct{ l dueList }

func (d *DueList) Scan(feeds []news.Feed, due map[string]time.Time, inflight map[string]bool, now time.Time) {
	d.l.scan(feeds, due, inflight, now)
}
func (d *DueList) First(now time.Time) ([]news.Feed, time.Time) { return d.l.first(now) }
func (d *DueList) Sent(url string)                              { d.l.sent(url) }
func (d *DueList) Polled(t time.Time)                           { d.l.polled(t) }
func (d *DueList) Valid() bool                                  { return d.l.valid }
