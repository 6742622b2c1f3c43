package web

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// Metric types, short for the family tables below.
const (
	gauge   = prometheus.GaugeValue
	counter = prometheus.CounterValue
)

// Label names of the per-feed families.
var feedLabels = []string{"feed", "url"}

// feedMetric is a per-feed family (labels feed and url) and how its value
// is read from the feed's stored state.
type feedMetric struct {
	family
	value func(s store.FeedState) float64
}

// The store's metric families.
var (
	famStoreUp       = newFamily("newswatch_store_up", "1 if the store answered this scrape, else 0.", gauge)
	famFeeds         = newFamily("newswatch_feeds", "Configured feeds.", gauge)
	famFeedsFailing  = newFamily("newswatch_feeds_failing", "Configured feeds whose last poll failed (consecutive errors above 0).", gauge)
	famArticles      = newFamily("newswatch_articles", "Articles in the store.", gauge)
	famMatched       = newFamily("newswatch_articles_matched", "Stored articles that matched at least one topic.", gauge)
	famTopicArticles = newFamily("newswatch_topic_articles", "Stored articles that matched the topic.", gauge, "topic")
	famAlerts        = newFamily("newswatch_alerts", "Alerts in the outbox by state: pending, delivered, failed (dead letters).", gauge, "state")
	famSeenKeys      = newFamily("newswatch_seen_keys", "Item keys in the seen-set.", gauge)
	famFileSize      = newFamily("newswatch_store_file_size_bytes", "Size of the store file on disk (it never shrinks).", gauge)
	famDataSize      = newFamily("newswatch_store_data_size_bytes", "Bytes the store's data reaches up to, free pages included.", gauge)
	famWriteErrors   = newFamily("newswatch_store_write_errors_total", "Store writes that failed (a full disk, an I/O error, the size limit) since the daemon started.", counter)
	famLastSave      = newFamily("newswatch_store_last_save_timestamp_seconds", "Unix time of the last poll the store saved since the daemon started; 0 if none yet.", gauge)
	famFeedHealth    = newFamily("newswatch_feed_health", "Source health of the feed: 1 for its current state (ok, failing, quiet, rule_broken), 0 for the others; all 0 before its first poll.", gauge, "feed", "url", "state")

	storeFamilies = []family{famStoreUp, famFeeds, famFeedsFailing, famArticles, famMatched, famTopicArticles, famAlerts,
		famSeenKeys, famFileSize, famDataSize, famWriteErrors, famLastSave, famFeedHealth}

	feedMetrics = []feedMetric{
		{newFamily("newswatch_feed_last_poll_timestamp_seconds", "Unix time of the feed's last poll attempt; 0 if never polled.", gauge, feedLabels...),
			func(s store.FeedState) float64 { return unixSeconds(s.LastPoll) }},
		{newFamily("newswatch_feed_last_success_timestamp_seconds", "Unix time of the feed's last successful poll; 0 if none yet.", gauge, feedLabels...),
			func(s store.FeedState) float64 { return unixSeconds(s.LastSuccess) }},
		{newFamily("newswatch_feed_next_poll_timestamp_seconds", "Unix time the feed is next due; 0 if not scheduled yet.", gauge, feedLabels...),
			func(s store.FeedState) float64 { return unixSeconds(s.NextPoll) }},
		{newFamily("newswatch_feed_consecutive_errors", "Consecutive failed polls of the feed (it is retried with backoff, never dropped).", gauge, feedLabels...),
			func(s store.FeedState) float64 { return float64(s.Errors) }},
		{newFamily("newswatch_feed_last_status", "HTTP status of the feed's last poll; 0 for a network error or never polled.", gauge, feedLabels...),
			func(s store.FeedState) float64 { return float64(s.Status) }},
		{newFamily("newswatch_feed_items_seen_total", "Items seen in the feed since it was first polled.", counter, feedLabels...),
			func(s store.FeedState) float64 { return float64(s.ItemsSeen) }},
		{newFamily("newswatch_feed_extract_fallbacks_total", "Articles of the feed whose site rule found no body (the site's layout may have changed).", counter, feedLabels...),
			func(s store.FeedState) float64 { return float64(s.ExtractFallbacks) }},
		{newFamily("newswatch_feed_gaps_total", "Polls of the feed that shared no item with the previous one: items may have scrolled out of its window unseen (its backfill source, if any, was read).", counter, feedLabels...),
			func(s store.FeedState) float64 { return float64(s.GapsTotal) }},
	}
)

// alertStates are reported even when no alert is in them, so a rate or an
// alerting rule never sees a missing series.
var alertStates = []news.AlertState{news.AlertPending, news.AlertDelivered, news.AlertFailed}

// storeCollector collects the store's metrics at scrape time, for the
// feeds and topics in force then, so the monitor needs no metrics code and
// a restart loses no counts. What the store cannot give is left out,
// logged, and shown by newswatch_store_up 0.
type storeCollector struct{ o Options }

var _ prometheus.Collector = storeCollector{}

// Describe sends the descriptors of every family the collector emits.
func (storeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, f := range storeFamilies {
		ch <- f.desc
	}
	for _, m := range feedMetrics {
		ch <- m.desc
	}
}

// Collect reads the store once and sends its families.
func (c storeCollector) Collect(ch chan<- prometheus.Metric) {
	feeds := c.o.feeds()
	ch <- famFeeds.metric(float64(len(feeds)))
	up := 1.0
	if states, err := c.o.Store.Feeds(); err == nil {
		collectFeeds(ch, labelFeeds(feeds), states)
	} else {
		up = 0
		c.o.Logger.Warn("metrics: read feed states", "error", err)
	}
	if stats, err := c.o.Store.Stats(); err == nil {
		collectStats(ch, stats, c.o.topics())
	} else {
		up = 0
		c.o.Logger.Warn("metrics: read store stats", "error", err)
	}
	ch <- famStoreUp.metric(up)
	wh := c.o.Store.WriteHealth()
	ch <- famWriteErrors.metric(float64(wh.WriteErrors))
	ch <- famLastSave.metric(unixSeconds(wh.LastSave))
}

// labelledFeed is a configured feed and its URL as its url label shows it.
type labelledFeed struct {
	news.Feed
	label string
}

// labelFeeds returns the feeds with their URLs redacted for labels, each
// (name, label) pair once: two feeds whose URLs differ only in their
// secrets would be one series twice, which Prometheus rejects, so the
// first is kept.
func labelFeeds(feeds []news.Feed) []labelledFeed {
	out := make([]labelledFeed, 0, len(feeds))
	seen := map[[2]string]bool{}
	for _, f := range feeds {
		u := news.RedactURL(f.URL)
		if seen[[2]string{f.Name, u}] {
			continue
		}
		seen[[2]string{f.Name, u}] = true
		out = append(out, labelledFeed{f, u})
	}
	return out
}

// collectFeeds sends the per-feed families of the configured feeds.
func collectFeeds(ch chan<- prometheus.Metric, feeds []labelledFeed, states []store.FeedState) {
	byURL := make(map[string]store.FeedState, len(states))
	for _, s := range states {
		byURL[s.URL] = s
	}
	failing := 0
	for _, f := range feeds {
		s := byURL[f.URL]
		if s.Errors > 0 {
			failing++
		}
		for _, m := range feedMetrics {
			ch <- m.metric(m.value(s), f.Name, f.label)
		}
		for _, h := range news.SourceHealths {
			v := 0.0
			if s.Health == h {
				v = 1
			}
			ch <- famFeedHealth.metric(v, f.Name, f.label, string(h))
		}
	}
	ch <- famFeedsFailing.metric(float64(failing))
}

// collectStats sends the store-wide counts, per topic for the topics in
// force.
func collectStats(ch chan<- prometheus.Metric, s store.Stats, topics []string) {
	ch <- famArticles.metric(float64(s.Articles))
	ch <- famMatched.metric(float64(s.Matched))
	ch <- famSeenKeys.metric(float64(s.SeenKeys))
	ch <- famFileSize.metric(float64(s.FileSize))
	ch <- famDataSize.metric(float64(s.DataSize))
	for _, st := range alertStates {
		ch <- famAlerts.metric(float64(s.Alerts[st]), string(st))
	}
	for _, t := range topics {
		ch <- famTopicArticles.metric(float64(s.Topics[t]), t)
	}
}

// unixSeconds returns t as Unix seconds, 0 for the zero time.
func unixSeconds(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(t.UnixNano()) / 1e9
}
