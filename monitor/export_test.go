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

// DueFeeds exposes dueFeeds to the external tests.
var DueFeeds = dueFeeds
