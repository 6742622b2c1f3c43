package web

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/newswatch/newswatch/export"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// topicRecount is how long per-topic counts are reused while the number
// of matched articles stays the same. Re-matching (which can move articles
// between topics without changing that number) shows within this time.
const topicRecount = 15 * time.Minute

// topicCounts counts the stored articles of each configured topic. The
// store has no per-topic count, so it walks each topic's index, decoding
// the articles (about 30 µs each); the result is kept until the number of
// matched articles changes or topicRecount passes, so a scrape every 15 s
// costs a walk only after new matches.
type topicCounts struct {
	src   export.Source
	names []string
	now   func() time.Time

	mu      sync.Mutex
	counts  map[string]int // nil until the first successful count
	matched int            // Stats.Matched when counts were taken
	at      time.Time
}

func newTopicCounts(src export.Source, names []string) *topicCounts {
	return &topicCounts{src: src, names: names, now: time.Now}
}

// get returns the per-topic counts, counting again if matched differs from
// the last count's or the counts are older than topicRecount.
func (tc *topicCounts) get(ctx context.Context, matched int) (map[string]int, error) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	now := tc.now()
	if tc.counts != nil && matched == tc.matched && now.Sub(tc.at) < topicRecount {
		return tc.counts, nil
	}
	counts := make(map[string]int, len(tc.names))
	for _, name := range tc.names {
		n := 0
		err := tc.src.ForEachArticle(ctx, store.Query{Topic: name}, func(*news.Article) error { n++; return nil })
		if err != nil {
			return tc.counts, fmt.Errorf("count topic %s: %w", name, err)
		}
		counts[name] = n
	}
	tc.counts, tc.matched, tc.at = counts, matched, now
	return counts, nil
}
