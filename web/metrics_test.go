package web

import (
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"strings"
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
// its label values joined by "|".
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
			health[feed.Name+"|"+strings.Replace(feed.URL, "s3cret", "xxxxx", 1)+"|"+string(h)] = v
		}
	}
	if diff := cmp.Diff(health, values(fams, "newswatch_feed_health")); diff != "" {
		t.Errorf("/metrics newswatch_feed_health differs (-want +got):\n%s", diff)
	}
	if got := values(fams, "newswatch_feed_last_success_timestamp_seconds")["VietnamPlus (vi)|"+fixtureFeeds[0].URL]; got != float64(t0.Unix()) {
		t.Errorf("last success of VietnamPlus (vi) = %v, want %d", got, t0.Unix())
	}
}

// TestMetricsLint runs Prometheus's own linter over the store's families
// as served (the Go and process metrics are the library's).
func TestMetricsLint(t *testing.T) {
	h, _, _ := fixtureHandler(t)
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
	h, _, _ := fixtureHandler(t)
	fams := scrape(t, h)
	want := map[string]dto.MetricType{
		"newswatch_feeds": dto.MetricType_GAUGE,
		"newswatch_feed_last_poll_timestamp_seconds":  dto.MetricType_GAUGE,
		"newswatch_feed_items_seen_total":             dto.MetricType_COUNTER,
		"newswatch_feed_extract_fallbacks_total":      dto.MetricType_COUNTER,
		"newswatch_feed_health":                       dto.MetricType_GAUGE,
		"newswatch_store_write_errors_total":          dto.MetricType_COUNTER,
		"newswatch_store_last_save_timestamp_seconds": dto.MetricType_GAUGE,
		"newswatch_alerts":                            dto.MetricType_GAUGE,
		"go_goroutines":                               dto.MetricType_GAUGE,
		"go_memstats_heap_inuse_bytes":                dto.MetricType_GAUGE,
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
	h, st, _ := fixtureHandler(t)
	scrape(t, h) // the topic counts are cached now
	st.Close()
	rec := get(t, h, "/metrics")
	// Errors are reported in the log of promhttp and by newswatch_store_up;
	// the rest (configured feeds, Go runtime) is still served.
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "newswatch_store_up 0") {
		t.Errorf("GET /metrics on a closed store = %d, want 200 with newswatch_store_up 0:\n%s", rec.Code, rec.Body)
	}
}

// TestTopicCountsFollowNewMatches checks the cache: a scrape after a poll
// that stored a new match counts it, at once.
func TestTopicCountsFollowNewMatches(t *testing.T) {
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
