package web

import (
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// scrapeTimeout bounds the store reads of one scrape.
const scrapeTimeout = 20 * time.Second

// metricsHandler serves the store's metrics with the Go runtime's and the
// process's, from a registry of its own (never the global one).
func metricsHandler(o Options) http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister( // fixed descriptors: it fails only on a programming error, caught by the tests
		newCollector(o),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		ErrorHandling: promhttp.ContinueOnError, // serve what could be read; newswatch_store_up says the rest
		ErrorLog:      slog.NewLogLogger(o.Logger.Handler(), slog.LevelWarn),
		Registry:      reg, // counts its own errors in promhttp_metric_handler_errors_total
		Timeout:       scrapeTimeout + 5*time.Second,
	})
}

// feedLabels label the per-feed series. The URL keeps two feeds with the
// same name apart (unnamed feeds of one host are both named after it).
var feedLabels = []string{"feed", "url"}

// Descriptors of the store's metrics.
var (
	descStoreUp       = prometheus.NewDesc("newswatch_store_up", "1 if the store answered this scrape, else 0.", nil, nil)
	descFeeds         = prometheus.NewDesc("newswatch_feeds", "Configured feeds.", nil, nil)
	descFeedsFailing  = prometheus.NewDesc("newswatch_feeds_failing", "Configured feeds whose last poll failed (consecutive errors above 0).", nil, nil)
	descLastPoll      = prometheus.NewDesc("newswatch_feed_last_poll_timestamp_seconds", "Unix time of the feed's last poll attempt; 0 if never polled.", feedLabels, nil)
	descLastSuccess   = prometheus.NewDesc("newswatch_feed_last_success_timestamp_seconds", "Unix time of the feed's last successful poll; 0 if none yet.", feedLabels, nil)
	descNextPoll      = prometheus.NewDesc("newswatch_feed_next_poll_timestamp_seconds", "Unix time the feed is next due; 0 if not scheduled yet.", feedLabels, nil)
	descErrors        = prometheus.NewDesc("newswatch_feed_consecutive_errors", "Consecutive failed polls of the feed (it is retried with backoff, never dropped).", feedLabels, nil)
	descStatus        = prometheus.NewDesc("newswatch_feed_last_status", "HTTP status of the feed's last poll; 0 for a network error or never polled.", feedLabels, nil)
	descItemsSeen     = prometheus.NewDesc("newswatch_feed_items_seen_total", "Items seen in the feed since it was first polled.", feedLabels, nil)
	descFallbacks     = prometheus.NewDesc("newswatch_feed_extract_fallbacks_total", "Articles of the feed whose site rule found no body (the site's layout may have changed).", feedLabels, nil)
	descArticles      = prometheus.NewDesc("newswatch_articles", "Articles in the store.", nil, nil)
	descMatched       = prometheus.NewDesc("newswatch_articles_matched", "Stored articles that matched at least one topic.", nil, nil)
	descTopicArticles = prometheus.NewDesc("newswatch_topic_articles", "Stored articles that matched the topic.", []string{"topic"}, nil)
	descAlerts        = prometheus.NewDesc("newswatch_alerts", "Alerts in the outbox by state: pending, delivered, failed (dead letters).", []string{"state"}, nil)
	descSeenKeys      = prometheus.NewDesc("newswatch_seen_keys", "Item keys in the seen-set.", nil, nil)
	descFileSize      = prometheus.NewDesc("newswatch_store_file_size_bytes", "Size of the store file on disk (it never shrinks).", nil, nil)
	descDataSize      = prometheus.NewDesc("newswatch_store_data_size_bytes", "Bytes the store's data reaches up to, free pages included.", nil, nil)
)

// alertStates are reported even when no alert is in them, so a rate or an
// alerting rule never sees a missing series.
var alertStates = []news.AlertState{news.AlertPending, news.AlertDelivered, news.AlertFailed}

// collector reads the metrics from the store at scrape time, so the
// monitor needs no metrics code and restarts lose no counts.
type collector struct {
	st     Store
	feeds  []news.Feed
	urls   []string // the feeds' URLs with any password redacted, for labels
	topics []string // configured topic names
}

var _ prometheus.Collector = (*collector)(nil)

func newCollector(o Options) *collector {
	c := &collector{st: o.Store, feeds: o.Feeds, topics: o.Topics}
	for _, f := range o.Feeds {
		c.urls = append(c.urls, redact(f.URL))
	}
	return c
}

// Describe sends every descriptor the collector may use.
func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{
		descStoreUp, descFeeds, descFeedsFailing, descLastPoll, descLastSuccess, descNextPoll, descErrors,
		descStatus, descItemsSeen, descFallbacks, descArticles, descMatched, descTopicArticles, descAlerts,
		descSeenKeys, descFileSize, descDataSize,
	} {
		ch <- d
	}
}

// Collect reads the store once per scrape.
func (c *collector) Collect(ch chan<- prometheus.Metric) {
	ch <- gauge(descFeeds, float64(len(c.feeds)))
	up := 1.0
	states, err := c.st.Feeds()
	if err == nil {
		c.collectFeeds(ch, states)
	} else {
		up = 0
		ch <- prometheus.NewInvalidMetric(descFeedsFailing, err)
	}
	stats, err := c.st.Stats()
	if err == nil {
		c.collectStats(ch, stats)
	} else {
		up = 0
		ch <- prometheus.NewInvalidMetric(descArticles, err)
	}
	if err == nil {
		for _, t := range c.topics {
			ch <- gauge(descTopicArticles, float64(stats.Topics[t]), t)
		}
	}
	ch <- gauge(descStoreUp, up)
}

// collectFeeds sends the per-feed series of the configured feeds.
func (c *collector) collectFeeds(ch chan<- prometheus.Metric, states []store.FeedState) {
	byURL := make(map[string]store.FeedState, len(states))
	for _, s := range states {
		byURL[s.URL] = s
	}
	failing := 0
	for i, f := range c.feeds {
		s := byURL[f.URL]
		if s.Errors > 0 {
			failing++
		}
		l := []string{f.Name, c.urls[i]}
		ch <- gauge(descLastPoll, unixSeconds(s.LastPoll), l...)
		ch <- gauge(descLastSuccess, unixSeconds(s.LastSuccess), l...)
		ch <- gauge(descNextPoll, unixSeconds(s.NextPoll), l...)
		ch <- gauge(descErrors, float64(s.Errors), l...)
		ch <- gauge(descStatus, float64(s.Status), l...)
		ch <- metric(descItemsSeen, prometheus.CounterValue, float64(s.ItemsSeen), l...)
		ch <- metric(descFallbacks, prometheus.CounterValue, float64(s.ExtractFallbacks), l...)
	}
	ch <- gauge(descFeedsFailing, float64(failing))
}

// collectStats sends the store-wide counts.
func (c *collector) collectStats(ch chan<- prometheus.Metric, s store.Stats) {
	ch <- gauge(descArticles, float64(s.Articles))
	ch <- gauge(descMatched, float64(s.Matched))
	ch <- gauge(descSeenKeys, float64(s.SeenKeys))
	ch <- gauge(descFileSize, float64(s.FileSize))
	ch <- gauge(descDataSize, float64(s.DataSize))
	for _, st := range alertStates {
		ch <- gauge(descAlerts, float64(s.Alerts[st]), string(st))
	}
}

func gauge(d *prometheus.Desc, v float64, labels ...string) prometheus.Metric {
	return metric(d, prometheus.GaugeValue, v, labels...)
}

// metric builds a constant metric. A label value that is not valid UTF-8
// (a feed name from a hand-edited file) becomes an invalid metric, which
// the handler reports, instead of a panic.
func metric(d *prometheus.Desc, t prometheus.ValueType, v float64, labels ...string) prometheus.Metric {
	m, err := prometheus.NewConstMetric(d, t, v, labels...)
	if err != nil {
		return prometheus.NewInvalidMetric(d, err)
	}
	return m
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
