package web

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

const (
	// scrapeTimeout bounds one scrape: past it the client gets a 503 rather
	// than waiting on a stuck store.
	scrapeTimeout = 25 * time.Second
	// maxScrapes is how many scrapes run at once; more get a 503. A scrape
	// that timed out keeps its place until the store answers, so a stuck
	// store holds at most this many goroutines. Prometheus scrapes a target
	// one at a time: this leaves room for a second server and an operator.
	maxScrapes = 4
)

// metricsHandler serves the store's metrics, read at scrape time, the
// event metrics of o.Events, and the Go runtime's and the process's, in
// the format the client asks for (the Prometheus text format or
// OpenMetrics).
func metricsHandler(o Options) http.Handler {
	return scrapeHandler(o, scrapeTimeout)
}

// scrapeHandler is metricsHandler with a timeout of its own. Each handler
// has its own registry: nothing is registered globally.
func scrapeHandler(o Options, timeout time.Duration) http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister( // only a bug (two families of one name) makes this panic
		storeCollector{o},
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	if o.Events != nil {
		reg.MustRegister(o.Events.collectors()...)
	}
	h := promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		ErrorLog: promLog{o.Logger},
		// A family that cannot be collected is logged, counted in
		// promhttp_metric_handler_errors_total and left out; the others
		// are served. The store's own errors show as newswatch_store_up 0.
		ErrorHandling:       promhttp.ContinueOnError,
		Registry:            reg,
		MaxRequestsInFlight: maxScrapes,
		Timeout:             timeout,
		EnableOpenMetrics:   true,
	})
	return promhttp.InstrumentMetricHandler(reg, h)
}

// promLog logs promhttp's errors (a family that could not be collected, a
// client gone away) with a constant message and the error as an attribute.
type promLog struct{ log *slog.Logger }

var _ promhttp.Logger = promLog{}

func (l promLog) Println(v ...any) {
	l.log.Warn("metrics: scrape failed", "error", strings.TrimSpace(fmt.Sprintln(v...)))
}

// family is a metric family: its descriptor (name, help, label names) and
// its type.
type family struct {
	desc *prometheus.Desc
	typ  prometheus.ValueType
}

func newFamily(name, help string, typ prometheus.ValueType, labels ...string) family {
	return family{prometheus.NewDesc(name, help, labels, nil), typ}
}

// metric returns the family's series of value v, with label values in the
// order of the family's label names. A value that is not valid UTF-8 (a
// feed name from a hand-edited file) has its bad bytes replaced, so the
// series is still served.
func (f family) metric(v float64, labels ...string) prometheus.Metric {
	valid := make([]string, len(labels))
	for i, l := range labels {
		valid[i] = strings.ToValidUTF8(l, "\uFFFD")
	}
	m, err := prometheus.NewConstMetric(f.desc, f.typ, v, valid...)
	if err != nil { // a wrong count of labels: the registry reports it
		return prometheus.NewInvalidMetric(f.desc, err)
	}
	return m
}
