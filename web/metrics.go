package web

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// scrapeTimeout bounds one scrape: past it the client gets a 503 rather
// than waiting on a stuck store.
const scrapeTimeout = 25 * time.Second

// metricsHandler serves the store's metrics, read at scrape time, followed
// by the Go runtime's and the process's, all written here in the
// Prometheus text format (see writeRuntimeMetrics for why no library).
func metricsHandler(o Options) http.Handler {
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		var b bytes.Buffer
		newCollector(o).write(&b) // the feeds and topics in force now
		writeRuntimeMetrics(&b)
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		_, _ = w.Write(b.Bytes()) // an error means the client went away
	})
	return http.TimeoutHandler(h, scrapeTimeout, "metrics: the store did not answer in time\n")
}

// feedMetric is a per-feed family (labels feed and url) and how its value
// is read from the feed's stored state.
type feedMetric struct {
	family
	value func(s store.FeedState) float64
}

// The store's metric families.
var (
	famStoreUp       = family{"newswatch_store_up", "1 if the store answered this scrape, else 0.", gauge}
	famFeeds         = family{"newswatch_feeds", "Configured feeds.", gauge}
	famFeedsFailing  = family{"newswatch_feeds_failing", "Configured feeds whose last poll failed (consecutive errors above 0).", gauge}
	famArticles      = family{"newswatch_articles", "Articles in the store.", gauge}
	famMatched       = family{"newswatch_articles_matched", "Stored articles that matched at least one topic.", gauge}
	famTopicArticles = family{"newswatch_topic_articles", "Stored articles that matched the topic.", gauge}
	famAlerts        = family{"newswatch_alerts", "Alerts in the outbox by state: pending, delivered, failed (dead letters).", gauge}
	famSeenKeys      = family{"newswatch_seen_keys", "Item keys in the seen-set.", gauge}
	famFileSize      = family{"newswatch_store_file_size_bytes", "Size of the store file on disk (it never shrinks).", gauge}
	famDataSize      = family{"newswatch_store_data_size_bytes", "Bytes the store's data reaches up to, free pages included.", gauge}

	feedMetrics = []feedMetric{
		{family{"newswatch_feed_last_poll_timestamp_seconds", "Unix time of the feed's last poll attempt; 0 if never polled.", gauge},
			func(s store.FeedState) float64 { return unixSeconds(s.LastPoll) }},
		{family{"newswatch_feed_last_success_timestamp_seconds", "Unix time of the feed's last successful poll; 0 if none yet.", gauge},
			func(s store.FeedState) float64 { return unixSeconds(s.LastSuccess) }},
		{family{"newswatch_feed_next_poll_timestamp_seconds", "Unix time the feed is next due; 0 if not scheduled yet.", gauge},
			func(s store.FeedState) float64 { return unixSeconds(s.NextPoll) }},
		{family{"newswatch_feed_consecutive_errors", "Consecutive failed polls of the feed (it is retried with backoff, never dropped).", gauge},
			func(s store.FeedState) float64 { return float64(s.Errors) }},
		{family{"newswatch_feed_last_status", "HTTP status of the feed's last poll; 0 for a network error or never polled.", gauge},
			func(s store.FeedState) float64 { return float64(s.Status) }},
		{family{"newswatch_feed_items_seen_total", "Items seen in the feed since it was first polled.", counter},
			func(s store.FeedState) float64 { return float64(s.ItemsSeen) }},
		{family{"newswatch_feed_extract_fallbacks_total", "Articles of the feed whose site rule found no body (the site's layout may have changed).", counter},
			func(s store.FeedState) float64 { return float64(s.ExtractFallbacks) }},
	}
)

// alertStates are reported even when no alert is in them, so a rate or an
// alerting rule never sees a missing series.
var alertStates = []news.AlertState{news.AlertPending, news.AlertDelivered, news.AlertFailed}

// collector reads the metrics from the store at scrape time, so the
// monitor needs no metrics code and restarts lose no counts.
type collector struct {
	st     Store
	nfeeds int          // configured feeds
	feeds  []news.Feed  // the configured feeds with distinct labels
	urls   []string     // the feeds' URLs with any password redacted, for labels
	topics []string     // configured topic names
	log    *slog.Logger // store errors, which only newswatch_store_up shows the client
}

func newCollector(o Options) *collector {
	feeds := o.feeds()
	c := &collector{st: o.Store, nfeeds: len(feeds), topics: o.topics(), log: o.Logger}
	seen := map[[2]string]bool{}
	for _, f := range feeds {
		// Two feeds whose URLs differ only in the password would be one
		// series twice, which Prometheus rejects: keep the first.
		u := redact(f.URL)
		if seen[[2]string{f.Name, u}] {
			continue
		}
		seen[[2]string{f.Name, u}] = true
		c.feeds = append(c.feeds, f)
		c.urls = append(c.urls, u)
	}
	return c
}

// write reads the store once and writes its families to b. What could not
// be read is left out, logged, and shown by newswatch_store_up 0.
func (c *collector) write(b *bytes.Buffer) {
	famFeeds.single(b, float64(c.nfeeds))
	up := 1.0
	if states, err := c.st.Feeds(); err == nil {
		c.writeFeeds(b, states)
	} else {
		up = 0
		c.log.Warn("metrics: read feed states", "error", err)
	}
	if stats, err := c.st.Stats(); err == nil {
		c.writeStats(b, stats)
	} else {
		up = 0
		c.log.Warn("metrics: read store stats", "error", err)
	}
	famStoreUp.single(b, up)
}

// writeFeeds writes the per-feed families of the configured feeds.
func (c *collector) writeFeeds(b *bytes.Buffer, states []store.FeedState) {
	byURL := make(map[string]store.FeedState, len(states))
	for _, s := range states {
		byURL[s.URL] = s
	}
	failing := 0
	for _, f := range c.feeds {
		if byURL[f.URL].Errors > 0 {
			failing++
		}
	}
	famFeedsFailing.single(b, float64(failing))
	for _, m := range feedMetrics {
		m.header(b)
		for i, f := range c.feeds {
			m.sample(b, m.value(byURL[f.URL]), "feed", f.Name, "url", c.urls[i])
		}
	}
}

// writeStats writes the store-wide counts.
func (c *collector) writeStats(b *bytes.Buffer, s store.Stats) {
	famArticles.single(b, float64(s.Articles))
	famMatched.single(b, float64(s.Matched))
	famSeenKeys.single(b, float64(s.SeenKeys))
	famFileSize.single(b, float64(s.FileSize))
	famDataSize.single(b, float64(s.DataSize))
	famAlerts.header(b)
	for _, st := range alertStates {
		famAlerts.sample(b, float64(s.Alerts[st]), "state", string(st))
	}
	famTopicArticles.header(b)
	for _, t := range c.topics {
		famTopicArticles.sample(b, float64(s.Topics[t]), "topic", t)
	}
}

// unixSeconds returns t as Unix seconds, 0 for the zero time.
func unixSeconds(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(t.UnixNano()) / 1e9
}

// redact hides the password of a URL that carries credentials.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Redacted()
}
