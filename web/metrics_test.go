package web

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus/testutil/promlint"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// scrape fetches /metrics and parses the text format.
func scrape(t *testing.T, h http.Handler) map[string]*dto.MetricFamily {
	t.Helper()
	rec := get(t, h, "/metrics")
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics = %d %s, want 200", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("GET /metrics: Content-Type = %q, want the Prometheus text format", ct)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(rec.Body)
	if err != nil {
		t.Fatalf("GET /metrics: %v", err)
	}
	return fams
}

// values maps each series of a family to its value, the series written as
// its label values joined by "|", in the order of their names (as served).
func values(fams map[string]*dto.MetricFamily, name string) map[string]float64 {
	out := map[string]float64{}
	f, ok := fams[name]
	if !ok {
		return nil
	}
	for _, m := range f.GetMetric() {
		var ls []string
		for _, l := range m.GetLabel() {
			ls = append(ls, l.GetValue())
		}
		v := m.GetGauge().GetValue() + m.GetCounter().GetValue()
		out[strings.Join(ls, "|")] = v
	}
	return out
}

func TestMetricsStore(t *testing.T) {
	t.Parallel()
	h, _, articles := fixtureHandler(t)
	fams := scrape(t, h)
	matched, topics := 0, map[string]float64{}
	for _, name := range fixtureTopics {
		topics[name] = 0
	}
	for _, a := range articles {
		if a.Matched() {
			matched++
		}
		for _, tp := range a.Topics {
			topics[tp]++
		}
	}
	tests := []struct {
		name string
		want map[string]float64
	}{
		{"newswatch_store_up", map[string]float64{"": 1}},
		{"newswatch_feeds", map[string]float64{"": float64(len(fixtureFeeds))}},
		{"newswatch_feeds_failing", map[string]float64{"": 1}},
		{"newswatch_articles", map[string]float64{"": float64(len(articles))}},
		{"newswatch_articles_matched", map[string]float64{"": float64(matched)}},
		{"newswatch_topic_articles", topics},
		{"newswatch_alerts", map[string]float64{"pending": float64(matched - 2), "delivered": 1, "failed": 1}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, values(fams, tt.name)); diff != "" {
			t.Errorf("/metrics %s differs (-want +got):\n%s", tt.name, diff)
		}
	}
	for _, name := range []string{"newswatch_seen_keys", "newswatch_store_file_size_bytes", "newswatch_store_data_size_bytes", "go_goroutines"} {
		if v := values(fams, name); v[""] <= 0 {
			t.Errorf("/metrics %s = %v, want a positive value", name, v)
		}
	}
}

func TestMetricsFeeds(t *testing.T) {
	t.Parallel()
	h, _, _ := fixtureHandler(t)
	fams := scrape(t, h)
	series := func(f func(s store.FeedState) float64) map[string]float64 {
		out := map[string]float64{}
		for i, feed := range fixtureFeeds {
			var s store.FeedState
			if i != neverPolled {
				s = fixtureState(i)
			}
			out[feed.Name+"|"+strings.Replace(feed.URL, "s3cret", "xxxxx", 1)] = f(s)
		}
		return out
	}
	tests := []struct {
		name string
		want map[string]float64
	}{
		{"newswatch_feed_last_poll_timestamp_seconds", series(func(s store.FeedState) float64 { return unixSeconds(s.LastPoll) })},
		{"newswatch_feed_last_success_timestamp_seconds", series(func(s store.FeedState) float64 { return unixSeconds(s.LastSuccess) })},
		{"newswatch_feed_next_poll_timestamp_seconds", series(func(s store.FeedState) float64 { return unixSeconds(s.NextPoll) })},
		{"newswatch_feed_consecutive_errors", series(func(s store.FeedState) float64 { return float64(s.Errors) })},
		{"newswatch_feed_last_status", series(func(s store.FeedState) float64 { return float64(s.Status) })},
		{"newswatch_feed_items_seen_total", series(func(s store.FeedState) float64 { return float64(s.ItemsSeen) })},
		{"newswatch_feed_extract_fallbacks_total", series(func(s store.FeedState) float64 { return float64(s.ExtractFallbacks) })},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, values(fams, tt.name)); diff != "" {
			t.Errorf("/metrics %s differs (-want +got):\n%s", tt.name, diff)
		}
	}
	health := map[string]float64{}
	for i, feed := range fixtureFeeds {
		for _, h := range news.SourceHealths {
			v := 0.0
			if i != neverPolled && fixtureState(i).Health == h {
				v = 1
			}
			health[feed.Name+"|"+string(h)+"|"+strings.Replace(feed.URL, "s3cret", "xxxxx", 1)] = v
		}
	}
	if diff := cmp.Diff(health, values(fams, "newswatch_feed_health")); diff != "" {
		t.Errorf("/metrics newswatch_feed_health differs (-want +got):\n%s", diff)
	}
	if got := values(fams, "newswatch_feed_last_success_timestamp_seconds")["VietnamPlus (vi)|"+fixtureFeeds[0].URL]; got != float64(t0.Unix()) {
		t.Errorf("last success of VietnamPlus (vi) = %v, want %d", got, t0.Unix())
	}
}

// TestMetricsLint runs Prometheus's own linter over the store's and the
// event families as served (the Go and process metrics are the library's).
func TestMetricsLint(t *testing.T) {
	t.Parallel()
	h, _ := eventsHandler(t)
	var ours []*dto.MetricFamily
	for name, f := range scrape(t, h) {
		if strings.HasPrefix(name, "newswatch_") {
			ours = append(ours, f)
		}
	}
	problems, err := promlint.NewWithMetricFamilies(ours).Lint()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("lint %s: %s", p.Metric, p.Text)
	}
}

// TestMetricsTypes checks the TYPE of the families, which Prometheus
// keeps as metadata, and that the runtime and process metrics are there.
func TestMetricsTypes(t *testing.T) {
	t.Parallel()
	h, _ := eventsHandler(t)
	fams := scrape(t, h)
	want := map[string]dto.MetricType{
		"newswatch_feeds": dto.MetricType_GAUGE,
		"newswatch_feed_last_poll_timestamp_seconds":    dto.MetricType_GAUGE,
		"newswatch_feed_items_seen_total":               dto.MetricType_COUNTER,
		"newswatch_feed_extract_fallbacks_total":        dto.MetricType_COUNTER,
		"newswatch_feed_health":                         dto.MetricType_GAUGE,
		"newswatch_store_write_errors_total":            dto.MetricType_COUNTER,
		"newswatch_store_last_save_timestamp_seconds":   dto.MetricType_GAUGE,
		"newswatch_alerts":                              dto.MetricType_GAUGE,
		"newswatch_feed_poll_duration_seconds":          dto.MetricType_HISTOGRAM,
		"newswatch_article_extraction_duration_seconds": dto.MetricType_HISTOGRAM,
		"newswatch_alert_delivery_latency_seconds":      dto.MetricType_HISTOGRAM,
		"newswatch_fetch_errors_total":                  dto.MetricType_COUNTER,
		"go_goroutines":                                 dto.MetricType_GAUGE,
		"go_memstats_heap_inuse_bytes":                  dto.MetricType_GAUGE,
	}
	if runtime.GOOS == "linux" {
		want["process_cpu_seconds_total"] = dto.MetricType_COUNTER
		want["process_resident_memory_bytes"] = dto.MetricType_GAUGE
		want["process_open_fds"] = dto.MetricType_GAUGE
	}
	for name, typ := range want {
		f, ok := fams[name]
		if !ok {
			t.Errorf("/metrics lacks %s", name)
			continue
		}
		if f.GetType() != typ {
			t.Errorf("/metrics %s: TYPE = %v, want %v", name, f.GetType(), typ)
		}
	}
}

// TestMetricsLabelValues checks that feed names and URLs in any script,
// with the characters the format escapes or bytes that are not UTF-8,
// come out as one series each that parses back to the name.
func TestMetricsLabelValues(t *testing.T) {
	t.Parallel()
	st, _ := openFixture(t)
	feeds := []news.Feed{
		{URL: "https://vnexpress.net/rss/tin-moi-nhat.rss", Name: `Tin "mới" nhất \ VnExpress`},
		{URL: "https://www.aljazeera.net/aljazeerarss/a7c186be.xml", Name: "الجزيرة\nأخبار"},
		{URL: "https://www.zaobao.com/rss/realtime/china", Name: "联合早报\n中国"},
		{URL: "https://example.org/bad.rss", Name: "Bad \xff\xfe name"},
	}
	h := New(Options{Store: st, Control: staticControl{feeds: feeds}, Auth: AuthLocal})
	got := values(scrape(t, h), "newswatch_feed_consecutive_errors")
	want := map[string]float64{}
	for _, f := range feeds {
		want[strings.ToValidUTF8(f.Name, "\uFFFD")+"|"+f.URL] = 0
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("/metrics feed labels differ (-want +got):\n%s", diff)
	}
}

func TestMetricsClosedStore(t *testing.T) {
	t.Parallel()
	h, st, log := loggedHandler(t, fixtureFeeds, fixtureTopics)
	scrape(t, h) // the topic counts are cached now
	st.Close()
	// The store's errors are logged and shown by newswatch_store_up; the
	// rest (configured feeds, write health, Go runtime) is still served.
	fams := scrape(t, h)
	for name, want := range map[string]float64{"newswatch_store_up": 0, "newswatch_feeds": float64(len(fixtureFeeds))} {
		if got, ok := values(fams, name)[""]; !ok || got != want {
			t.Errorf("/metrics on a closed store: %s = %v (served %v), want %v", name, got, ok, want)
		}
	}
	if _, ok := fams["go_goroutines"]; !ok {
		t.Errorf("/metrics on a closed store lacks go_goroutines")
	}
	for _, want := range []string{"metrics: read feed states", "metrics: read store stats"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log of a scrape of a closed store lacks %q:\n%s", want, log)
		}
	}
}

// TestMetricsScrapeClean checks that a scrape of the fixture logs nothing
// and counts no error in promhttp_metric_handler_errors_total: every
// series the store collector sends is described, typed and labelled right.
func TestMetricsScrapeClean(t *testing.T) {
	t.Parallel()
	h, _, log := loggedHandler(t, fixtureFeeds, fixtureTopics)
	scrape(t, h)
	got := values(scrape(t, h), "promhttp_metric_handler_errors_total") // counts the first scrape's errors
	if diff := cmp.Diff(map[string]float64{"encoding": 0, "gathering": 0}, got); diff != "" {
		t.Errorf("/metrics promhttp_metric_handler_errors_total differs (-want +got):\n%s", diff)
	}
	if log.Len() > 0 {
		t.Errorf("scrapes of the fixture logged:\n%s", log)
	}
}

// TestMetricsCollectError checks that a series the registry rejects (here
// a topic named twice, which config validation prevents) is logged and
// counted, and every other family is still served.
func TestMetricsCollectError(t *testing.T) {
	t.Parallel()
	topics := []string{"trafficking", "un", "trafficking"}
	h, _, log := loggedHandler(t, fixtureFeeds, topics)
	fams := scrape(t, h)
	if got := values(fams, "newswatch_store_up")[""]; got != 1 {
		t.Errorf("/metrics newswatch_store_up = %v, want 1", got)
	}
	if got := len(values(fams, "newswatch_feed_last_status")); got != len(fixtureFeeds) {
		t.Errorf("/metrics newswatch_feed_last_status = %d series, want %d", got, len(fixtureFeeds))
	}
	if !strings.Contains(log.String(), "metrics: scrape failed") || !strings.Contains(log.String(), "newswatch_topic_articles") {
		t.Errorf("log of a scrape with a duplicated series does not name it:\n%s", log)
	}
	if got := values(scrape(t, h), "promhttp_metric_handler_errors_total")["gathering"]; got != 1 {
		t.Errorf("/metrics promhttp_metric_handler_errors_total{cause=gathering} = %v, want 1", got)
	}
}

// TestMetricsDuplicateFeedLabels checks that two feeds whose URLs differ
// only in their secrets, which would be one series twice once redacted,
// are served as one series, without an error.
func TestMetricsDuplicateFeedLabels(t *testing.T) {
	t.Parallel()
	feeds := []news.Feed{
		{URL: "https://user:s3cret@feeds.example.org/private.rss", Name: "Private feed"},
		{URL: "https://user:other@feeds.example.org/private.rss", Name: "Private feed"},
	}
	h, _, log := loggedHandler(t, feeds, nil)
	fams := scrape(t, h)
	if got := values(fams, "newswatch_feeds")[""]; got != 2 {
		t.Errorf("/metrics newswatch_feeds = %v, want 2", got)
	}
	want := map[string]float64{"Private feed|https://user:xxxxx@feeds.example.org/private.rss": 0}
	if diff := cmp.Diff(want, values(fams, "newswatch_feed_consecutive_errors")); diff != "" {
		t.Errorf("/metrics newswatch_feed_consecutive_errors differs (-want +got):\n%s", diff)
	}
	if log.Len() > 0 {
		t.Errorf("a scrape of feeds with equal labels logged:\n%s", log)
	}
}

// TestMetricsOpenMetrics checks content negotiation: a client that asks
// for OpenMetrics, as Prometheus does, gets it.
func TestMetricsOpenMetrics(t *testing.T) {
	t.Parallel()
	h, _, _ := fixtureHandler(t)
	req := httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/metrics", nil)
	req.Header.Set("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if ct := rec.Header().Get("Content-Type"); rec.Code != http.StatusOK || !strings.HasPrefix(ct, "application/openmetrics-text; version=1.0.0") {
		t.Fatalf("GET /metrics asking for OpenMetrics = %d %q, want 200 application/openmetrics-text", rec.Code, ct)
	}
	body := rec.Body.String()
	for _, want := range []string{"\nnewswatch_store_up 1.0\n", "\n# TYPE newswatch_feed_items_seen counter\n", "\n# EOF\n"} {
		if !strings.Contains(body, want) {
			t.Errorf("GET /metrics as OpenMetrics lacks %q:\n%s", want, body)
		}
	}
}

// stuckStore is a store whose feed states come only once free is called,
// as from a store stuck on a dead disk; entered receives a value each time
// a scrape starts waiting.
type stuckStore struct {
	Store
	entered  chan struct{}
	released chan struct{}
	free     func()
}

func (s stuckStore) Feeds() ([]store.FeedState, error) {
	select {
	case <-s.released:
	default:
		s.entered <- struct{}{}
		<-s.released
	}
	return s.Store.Feeds()
}

// newStuckStore returns a stuck store over the fixture, freed at the
// latest when the test ends.
func newStuckStore(t *testing.T) stuckStore {
	t.Helper()
	st, _ := openFixture(t)
	released := make(chan struct{})
	s := stuckStore{Store: st, entered: make(chan struct{}, maxScrapes+1), released: released, free: sync.OnceFunc(func() { close(released) })}
	t.Cleanup(s.free)
	return s
}

// TestMetricsStuckStore checks that a scrape of a store that does not
// answer ends with 503 at the timeout rather than hanging.
func TestMetricsStuckStore(t *testing.T) {
	t.Parallel()
	st := newStuckStore(t)
	h := scrapeHandler(Options{Store: st, Logger: slog.New(slog.DiscardHandler)}, time.Millisecond)
	rec := get(t, h, "/metrics") // the store answers only after the test
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "timeout") {
		t.Errorf("GET /metrics of a stuck store = %d %q, want 503 naming the timeout", rec.Code, rec.Body)
	}
}

// TestMetricsScrapesInFlight checks that at most maxScrapes scrapes wait
// on a stuck store, the next getting 503 at once, and that all of them
// are served once the store answers.
func TestMetricsScrapesInFlight(t *testing.T) {
	t.Parallel()
	st := newStuckStore(t)
	h := scrapeHandler(Options{Store: st, Logger: slog.New(slog.DiscardHandler)}, time.Hour)
	codes := make(chan int, maxScrapes)
	var wg sync.WaitGroup
	for range maxScrapes {
		wg.Go(func() { codes <- get(t, h, "/metrics").Code })
	}
	for range maxScrapes {
		<-st.entered
	}
	beyond := make(chan *httptest.ResponseRecorder, 1)
	wg.Go(func() { beyond <- get(t, h, "/metrics") })
	select {
	case rec := <-beyond:
		if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "Limit of concurrent requests") {
			t.Errorf("GET /metrics beyond %d waiting = %d %q, want 503 naming the limit", maxScrapes, rec.Code, rec.Body)
		}
	case <-st.entered:
		t.Errorf("GET /metrics beyond %d waiting waits on the store too", maxScrapes)
	}
	st.free()
	wg.Wait()
	close(codes)
	for code := range codes {
		if code != http.StatusOK {
			t.Errorf("GET /metrics waiting on the store, once it answered = %d, want 200", code)
		}
	}
	if rec := get(t, h, "/metrics"); rec.Code != http.StatusOK {
		t.Errorf("GET /metrics after the store answered = %d %q, want 200", rec.Code, rec.Body)
	}
}

// TestTopicCountsFollowNewMatches checks the cache: a scrape after a poll
// that stored a new match counts it, at once.
func TestTopicCountsFollowNewMatches(t *testing.T) {
	t.Parallel()
	h, st, _ := fixtureHandler(t)
	before := values(scrape(t, h), "newswatch_topic_articles")
	a := &news.Article{
		URL: "https://www.vietnamplus.vn/canh-giac-voi-loi-moi-lam-viec-luong-cao-post1005.vnp", FeedURL: fixtureFeeds[0].URL,
		Title: "Cảnh giác với lời mời làm việc lương cao ở nước ngoài", Lang: "vi", Fetched: t0, Published: t0,
		Topics: []string{"trafficking"},
	}
	if _, err := st.SavePoll(store.Poll{Feed: fixtureState(0), Articles: []*news.Article{a}}); err != nil {
		t.Fatal(err)
	}
	after := values(scrape(t, h), "newswatch_topic_articles")
	before["trafficking"]++
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("topic counts after a new match differ (-want +got):\n%s", diff)
	}
}

// TestTopicCountsFollowRematching checks that re-running rules, which can
// move an article into a topic without changing how many matched, shows in
// the next scrape.
func TestTopicCountsFollowRematching(t *testing.T) {
	t.Parallel()
	h, st, _ := fixtureHandler(t)
	_, articles := openFixture(t)
	first := values(scrape(t, h), "newswatch_topic_articles")
	var moved *news.Article
	for _, a := range articles {
		if a.Matched() && !slices.Contains(a.Topics, "un") {
			moved = a
			break
		}
	}
	hits := append(slices.Clone(moved.Hits), news.Hit{Topic: "un", Term: "ONU", Field: news.FieldText})
	if err := st.UpdateArticleTopics(moved.ID, hits, time.Now()); err != nil {
		t.Fatal(err)
	}
	got := values(scrape(t, h), "newswatch_topic_articles")
	if got["un"] != first["un"]+1 {
		t.Errorf("newswatch_topic_articles{topic=un} after re-matching = %v, want %v", got["un"], first["un"]+1)
	}
}

// loggedHandler serves the fixture store with the given feeds and topics,
// its log written to the buffer returned.
func loggedHandler(t *testing.T, feeds []news.Feed, topics []string) (http.Handler, *store.Store, *bytes.Buffer) {
	t.Helper()
	st, _ := openFixture(t)
	var log bytes.Buffer
	h := New(Options{Store: st, Control: staticControl{feeds: feeds, topics: topics}, Auth: AuthLocal, Logger: slog.New(slog.NewTextHandler(&log, nil))})
	return h, st, &log
}

// BenchmarkScrape is one /metrics scrape of the fixture with its topic
// counts cached, as most scrapes are.
func BenchmarkScrape(b *testing.B) {
	h, _, _ := fixtureHandler(b)
	get(b, h, "/metrics")
	for b.Loop() {
		if rec := get(b, h, "/metrics"); rec.Code != http.StatusOK {
			b.Fatal(rec.Code)
		}
	}
}

// BenchmarkScrapeFeeds is one /metrics scrape with a few hundred
// configured feeds, each with a stored state, as a large deployment has.
func BenchmarkScrapeFeeds(b *testing.B) {
	const nfeeds = 300
	st, _ := openFixture(b)
	feeds := slices.Clone(fixtureFeeds)
	for i := len(feeds); i < nfeeds; i++ {
		f := news.Feed{URL: fmt.Sprintf("https://news%d.example.org/rss.xml", i), Name: fmt.Sprintf("Feed %d", i)}
		s := fixtureState(0)
		s.URL, s.Name = f.URL, f.Name
		if _, err := st.SavePoll(store.Poll{Feed: s}); err != nil {
			b.Fatal(err)
		}
		feeds = append(feeds, f)
	}
	h := New(Options{Store: st, Control: staticControl{feeds: feeds, topics: fixtureTopics}, Auth: AuthLocal})
	get(b, h, "/metrics")
	for b.Loop() {
		if rec := get(b, h, "/metrics"); rec.Code != http.StatusOK {
			b.Fatal(rec.Code)
		}
	}
}

// BenchmarkTopicCount is the store's count behind a scrape, per 1,000
// matched articles: it walks index keys without decoding articles.
func BenchmarkTopicCount(b *testing.B) {
	st, _ := openFixture(b)
	text := strings.Repeat("Lực lượng chức năng giải cứu nạn nhân bị mua bán qua biên giới. ", 80) // ~5 KB
	var p store.Poll
	p.Feed = fixtureState(0)
	for i := range 1000 {
		p.Articles = append(p.Articles, &news.Article{
			URL: fmt.Sprintf("https://www.vietnamplus.vn/bai-%d-post%d.vnp", i, i), FeedURL: p.Feed.URL,
			Title: "Giải cứu nạn nhân", Text: text, Lang: "vi", Fetched: t0, Published: t0.Add(-time.Duration(i) * time.Minute),
			Topics: []string{"trafficking"},
		})
	}
	if _, err := st.SavePoll(p); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := st.Stats(); err != nil {
			b.Fatal(err)
		}
	}
}
