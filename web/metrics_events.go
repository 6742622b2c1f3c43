package web

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Events are the daemon's event metrics: how long feed polls, article
// extractions and alert deliveries take, and how many fetches failed, by
// kind. The monitor, the fetcher and alert delivery report into it through
// the narrow observer interfaces they declare (they know nothing of
// Prometheus); cmd hands the same *Events to each of them and to New,
// whose /metrics serves it beside the store's families. Unlike those,
// which are read from the store at scrape time, these start at zero when
// the daemon starts. Its methods are safe for concurrent use.
type Events struct {
	pollDuration    *prometheus.HistogramVec
	extractDuration prometheus.Histogram
	deliveryLatency *prometheus.HistogramVec
	fetchErrors     *prometheus.CounterVec
}

// EventLabels are the label values each family of Events shows from the
// start, at zero, so that rates and alerting rules never miss a series.
// Values not listed still appear once observed.
type EventLabels struct {
	PollOutcomes    []string // monitor.Outcomes
	Channels        []string // alert channels: webhook, email
	FetchErrorKinds []string // fetcher.ErrorKinds
}

// NewEvents returns event metrics with the series of l present.
func NewEvents(l EventLabels) *Events {
	e := &Events{
		pollDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "newswatch_feed_poll_duration_seconds",
			Help:    "Time one feed poll took, its article pages included, by outcome: ok, not_modified (a 304), error.",
			Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120, 300},
		}, []string{"outcome"}),
		extractDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "newswatch_article_extraction_duration_seconds",
			Help:    "Time the extraction of one article page took (parsing and choosing the text, not fetching it).",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1},
		}),
		deliveryLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "newswatch_alert_delivery_latency_seconds",
			Help:    "Time from an alert's enqueueing to its delivery, retries and digest waits included, by channel.",
			Buckets: []float64{.1, .5, 1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 24 * 3600},
		}, []string{"channel"}),
		fetchErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newswatch_fetch_errors_total",
			Help: "Feed and article fetches that failed, by kind: dns, connect, timeout, tls, http_4xx, http_5xx, too_large, robots, other.",
		}, []string{"kind"}),
	}
	for _, o := range l.PollOutcomes {
		e.pollDuration.WithLabelValues(o)
	}
	for _, c := range l.Channels {
		e.deliveryLatency.WithLabelValues(c)
	}
	for _, k := range l.FetchErrorKinds {
		e.fetchErrors.WithLabelValues(k)
	}
	return e
}

// collectors returns the metric families of e, to register.
func (e *Events) collectors() []prometheus.Collector {
	return []prometheus.Collector{e.pollDuration, e.extractDuration, e.deliveryLatency, e.fetchErrors}
}

// ObservePoll records one feed poll (monitor.Observer).
func (e *Events) ObservePoll(outcome string, d time.Duration) {
	e.pollDuration.WithLabelValues(outcome).Observe(d.Seconds())
}

// ObserveExtraction records one article extraction (monitor.Observer).
func (e *Events) ObserveExtraction(d time.Duration) {
	e.extractDuration.Observe(d.Seconds())
}

// ObserveDelivery records one delivered alert (alerts.DeliveryObserver).
func (e *Events) ObserveDelivery(channel string, latency time.Duration) {
	e.deliveryLatency.WithLabelValues(channel).Observe(latency.Seconds())
}

// CountFetchError counts one failed fetch (fetcher.ErrorCounter).
func (e *Events) CountFetchError(kind string) {
	e.fetchErrors.WithLabelValues(kind).Inc()
}
