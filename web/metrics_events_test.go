package web

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	dto "github.com/prometheus/client_model/go"
)

// testEventLabels are the label values the daemon starts its events with.
var testEventLabels = EventLabels{
	PollOutcomes:    []string{"ok", "not_modified", "error"},
	Channels:        []string{"webhook", "email"},
	FetchErrorKinds: []string{"dns", "connect", "timeout", "tls", "http_4xx", "http_5xx", "too_large", "robots", "other"},
}

// eventsHandler is the fixture's handler serving event metrics too.
func eventsHandler(t *testing.T) (http.Handler, *Events) {
	t.Helper()
	st, _ := openFixture(t)
	e := NewEvents(testEventLabels)
	return New(Options{Store: st, Control: staticControl{feeds: fixtureFeeds, topics: fixtureTopics}, Auth: AuthLocal, Events: e}), e
}

// histograms maps each series of a histogram family to its sample count
// and sum, the series written as in values.
func histograms(fams map[string]*dto.MetricFamily, name string) map[string][2]float64 {
	out := map[string][2]float64{}
	for _, m := range fams[name].GetMetric() {
		key := ""
		for _, l := range m.GetLabel() {
			key = l.GetValue()
		}
		out[key] = [2]float64{float64(m.GetHistogram().GetSampleCount()), m.GetHistogram().GetSampleSum()}
	}
	return out
}

// TestMetricsEvents: the series of every listed label value are there at
// zero before anything happened, and each observation lands in its series.
func TestMetricsEvents(t *testing.T) {
	t.Parallel()
	h, e := eventsHandler(t)
	fams := scrape(t, h)
	for _, name := range []string{"newswatch_feed_poll_duration_seconds", "newswatch_alert_delivery_latency_seconds"} {
		for k, v := range histograms(fams, name) {
			if v != [2]float64{} {
				t.Errorf("/metrics %s{%s} = %v before any event, want 0 samples", name, k, v)
			}
		}
	}
	if got := len(values(fams, "newswatch_fetch_errors_total")); got != len(testEventLabels.FetchErrorKinds) {
		t.Errorf("/metrics newswatch_fetch_errors_total has %d series before any error, want %d at 0", got, len(testEventLabels.FetchErrorKinds))
	}

	e.ObservePoll("ok", 1500*time.Millisecond)
	e.ObservePoll("ok", 500*time.Millisecond)
	e.ObservePoll("not_modified", 20*time.Millisecond)
	e.ObserveExtraction(4 * time.Millisecond)
	e.ObserveDelivery("email", 90*time.Second)
	e.CountFetchError("timeout")
	e.CountFetchError("timeout")
	e.CountFetchError("robots")
	fams = scrape(t, h)
	tests := []struct {
		name string
		want map[string][2]float64
	}{
		{"newswatch_feed_poll_duration_seconds", map[string][2]float64{"ok": {2, 2}, "not_modified": {1, 0.02}, "error": {}}},
		{"newswatch_article_extraction_duration_seconds", map[string][2]float64{"": {1, 0.004}}},
		{"newswatch_alert_delivery_latency_seconds", map[string][2]float64{"webhook": {}, "email": {1, 90}}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, histograms(fams, tt.name)); diff != "" {
			t.Errorf("/metrics %s (count, sum) differs (-want +got):\n%s", tt.name, diff)
		}
	}
	errs := values(fams, "newswatch_fetch_errors_total")
	if errs["timeout"] != 2 || errs["robots"] != 1 || errs["dns"] != 0 {
		t.Errorf("/metrics newswatch_fetch_errors_total = %v, want timeout 2, robots 1, the rest 0", errs)
	}
}
