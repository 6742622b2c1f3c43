package monitor

import (
	"context"
	"time"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// DefaultHorizon is how far back sitemaps, section pages and backfills
// read when Options.Horizon is zero.
const DefaultHorizon = 72 * time.Hour

// catchingUp reports whether this poll of f comes after downtime: the
// feed has a backfill source and succeeded before, and the poll is later
// than its schedule by more than its interval (the daemon was stopped, or
// the network or the store was out), so stories may have scrolled out of
// its window meanwhile.
func (m *snapshot) catchingUp(f news.Feed, st store.FeedState, now time.Time) bool {
	return f.Backfill != "" && !st.LastSuccess.IsZero() && !st.NextPoll.IsZero() &&
		now.Sub(st.NextPoll) > m.intervalOf(f, st)
}

// backfill polls the backfill source of f at once, after a poll of f that
// found a gap or caught up after downtime, through the same pipeline: its
// items older than the horizon are ignored, those seen are dropped, the
// rest stored. Its outcome is res.Backfill, and its articles and alerts
// count in res. A backfill poll never backfills in turn. Only a store
// failure is returned.
func (m *snapshot) backfill(ctx context.Context, f news.Feed, res *Result) error {
	bf := m.backfillSource(f)
	br, err := m.pollFeed(ctx, bf)
	res.Backfill = &br
	res.Stored += br.Stored
	res.Matched += br.Matched
	res.Alerts += br.Alerts
	if err != nil || br.Err != nil || br.Skipped {
		return err // a failed backfill is recorded and logged on its own source
	}
	reason := "gap"
	if !res.Gap {
		reason = "catch-up"
	}
	m.log.Info("backfill read", "feed_url", news.RedactURL(f.URL), "backfill", news.RedactURL(bf.URL), "reason", reason,
		"items", br.Items, "new", br.New, "stored", br.Stored)
	return nil
}

// backfillSource returns the source f.Backfill names: the configured
// source with that URL, else a sitemap at that URL read with f's name,
// language and hosts. Either way its own backfill is cleared.
func (m *snapshot) backfillSource(f news.Feed) news.Feed {
	if b, ok := m.feed(f.Backfill); ok {
		b.Backfill = ""
		return b
	}
	return news.Feed{URL: f.Backfill, Name: f.Name, Lang: f.Lang, Interval: f.Interval, Scrape: true, Type: news.SourceSitemap,
		Hosts: f.Hosts, Origin: f.Origin}
}

// claimSource waits until no other poll of the source at u runs (a
// backfill and a scheduled poll of one source can meet) and claims it
// until release is called.
func (m *Monitor) claimSource(ctx context.Context, u string) (release func(), err error) {
	for {
		m.mu.Lock()
		if m.polling == nil {
			m.polling = make(map[string]chan struct{})
		}
		busy, ok := m.polling[u]
		if !ok {
			done := make(chan struct{})
			m.polling[u] = done
			m.mu.Unlock()
			return func() {
				m.mu.Lock()
				delete(m.polling, u)
				m.mu.Unlock()
				close(done)
			}, nil
		}
		m.mu.Unlock()
		select {
		case <-busy:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}
