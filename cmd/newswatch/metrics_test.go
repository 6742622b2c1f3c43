package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// TestRunMetricsEvents runs the daemon against the demo site (three feeds
// with their article pages, and one feed that answers 404) with a webhook
// subscriber, and checks that its first polls show in /metrics: the poll
// histogram by outcome, the extraction histogram, the delivery latency of
// the webhook and the 404 among the fetch errors.
func TestRunMetricsEvents(t *testing.T) {
	t.Parallel()
	_, hook := newHookLog(t)
	cfg := webConfig(t, "127.0.0.1:0")
	appendConfig(t, cfg, fmt.Sprintf("subscribers:\n  - name: desk\n    topics: [trafficking]\n    webhook: {url: %q, secret: %q, format: standard}\n", hook.URL, alertsTestSecret))
	addr, log := runDaemon(t, cfg)
	token, stderr, err := exec(t, "token", "create", "probe", "--role", "viewer", "--config", cfg)
	if err != nil {
		t.Fatalf("token create = %v\n%s", err, stderr)
	}
	token = strings.TrimSpace(token)

	// Wait for the event itself: every feed polled once and an alert
	// delivered. The test's deadline guards a daemon that never gets there.
	var fams map[string]*dto.MetricFamily
	for {
		fams = parseMetrics(t, httpGet(t, "http://"+addr+"/metrics", token))
		if sampleCount(fams, "newswatch_feed_poll_duration_seconds", "") >= 4 &&
			sampleCount(fams, "newswatch_alert_delivery_latency_seconds", "webhook") > 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	polls := map[string]uint64{}
	for _, o := range []string{"ok", "not_modified", "error"} {
		polls[o] = sampleCount(fams, "newswatch_feed_poll_duration_seconds", o)
	}
	if polls["ok"] != 3 || polls["error"] != 1 || polls["not_modified"] != 0 {
		t.Errorf("poll durations observed by outcome = %v, want 3 ok and 1 error (the 404)\n%s", polls, log)
	}
	if n := sampleCount(fams, "newswatch_article_extraction_duration_seconds", ""); n == 0 {
		t.Errorf("no article extraction observed after polling the demo site's pages")
	}
	if n := counterValue(fams, "newswatch_fetch_errors_total", "http_4xx"); n != 1 {
		t.Errorf("newswatch_fetch_errors_total{kind=http_4xx} = %v, want 1 (the removed feed)", n)
	}
}

// parseMetrics parses the Prometheus text format.
func parseMetrics(t *testing.T, text string) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	return fams
}

// sampleCount is the sample count of a histogram's series whose one label
// has value label, or of all its series when label is "".
func sampleCount(fams map[string]*dto.MetricFamily, name, label string) uint64 {
	var n uint64
	for _, m := range fams[name].GetMetric() {
		if label == "" || len(m.GetLabel()) == 1 && m.GetLabel()[0].GetValue() == label {
			n += m.GetHistogram().GetSampleCount()
		}
	}
	return n
}

// counterValue is the value of a counter's series whose one label has
// value label.
func counterValue(fams map[string]*dto.MetricFamily, name, label string) float64 {
	for _, m := range fams[name].GetMetric() {
		if len(m.GetLabel()) == 1 && m.GetLabel()[0].GetValue() == label {
			return m.GetCounter().GetValue()
		}
	}
	return -1
}
