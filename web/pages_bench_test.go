package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/newswatch/newswatch/internal/newstest"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
	"github.com/newswatch/newswatch/topic"
)

// The page benchmark's archive: benchArticles articles over benchDays
// days from benchFeeds feeds, made of the test corpus's pages in seven
// languages and matched by the default topics; two subscribers' alerts
// for every match, mostly delivered; a few hundred labels.
const (
	benchArticles = 100_000
	benchFeeds    = 300
	benchDays     = 60
)

// benchNow is the clock of the benchmark: the newest article is an hour old.
var benchNow = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

// defaultTopics compiles the topics of cmd/newswatch's embedded config.
func defaultTopics(tb testing.TB) ([]topic.Topic, *topic.Matcher) {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("..", "cmd", "newswatch", "default.yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	var cfg struct {
		Topics map[string]topic.Topic `yaml:"topics"`
	}
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		tb.Fatal(err)
	}
	var ts []topic.Topic
	for name, t := range cfg.Topics {
		t.Name = name
		ts = append(ts, t)
	}
	slices.SortFunc(ts, func(a, b topic.Topic) int { return strings.Compare(a.Name, b.Name) })
	m, err := topic.Compile(ts)
	if err != nil {
		tb.Fatal(err)
	}
	return ts, m
}

// benchFixture is the generated archive and a handler serving it.
type benchFixture struct {
	h        http.Handler
	ids      []string // some article IDs
	feeds    []news.Feed
	articles int
}

// newBenchFixture generates the archive through SavePoll, a poll per
// feed and day, as the daemon would have saved it.
func newBenchFixture(b *testing.B) *benchFixture {
	b.Helper()
	start := time.Now()
	st, err := store.Open(filepath.Join(b.TempDir(), "newswatch.db"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	ts, m := defaultTopics(b)
	corpus := newstest.Corpus()
	langs := []string{"vi", "en", "ar", "zh", "fr", "es", "ru"}
	f := &benchFixture{}
	for i := range benchFeeds {
		l := langs[i%len(langs)]
		f.feeds = append(f.feeds, news.Feed{URL: fmt.Sprintf("https://news%03d.example.org/%s/rss.xml", i, l), Name: fmt.Sprintf("News %03d (%s)", i, l), Lang: l, Origin: news.OriginConfig})
	}
	slots := benchDays * benchFeeds // polls, each of about 5 articles
	step := time.Duration(benchDays) * 24 * time.Hour / time.Duration(benchArticles)
	n := 0
	for day := range benchDays {
		for fi, feed := range f.feeds {
			poll := store.Poll{Feed: store.FeedState{URL: feed.URL, Name: feed.Name, LastPoll: benchNow, LastSuccess: benchNow, NextPoll: benchNow.Add(15 * time.Minute),
				Status: http.StatusOK, ItemsSeen: n, Health: news.HealthOK}}
			if fi%40 == 0 {
				poll.Feed.Status, poll.Feed.Errors, poll.Feed.LastError, poll.Feed.Health = 0, 5, "dial tcp: connection refused", news.HealthFailing
			}
			slot := day*benchFeeds + fi
			for range (slot+1)*benchArticles/slots - slot*benchArticles/slots {
				p := corpus[n%len(corpus)]
				at := benchNow.Add(-time.Hour - time.Duration(benchArticles-n)*step)
				a := &news.Article{
					URL: fmt.Sprintf("https://news%03d.example.org/%s-%d.html", fi, p.Slug, n), FeedURL: feed.URL, Source: feed.Name,
					Title: p.Title, Text: p.Sapo + "\n" + strings.Join(p.Body, "\n"), Lang: p.Lang, Dir: textDir(p.Lang),
					Published: at, Fetched: at.Add(2 * time.Minute), Extractor: "site:vietnamplus",
				}
				a.ID = news.ArticleID(a.URL)
				a.SetHits(m.Match(a))
				poll.Articles = append(poll.Articles, a)
				for si, sub := range []string{"ngo", "newsroom"} {
					if !a.Matched() {
						break
					}
					al := news.Alert{ID: news.AlertID(sub, news.ChannelWebhook, a.ID), Subscriber: sub, Channel: news.ChannelWebhook, ArticleID: a.ID,
						Topics: a.Topics, State: news.AlertDelivered, Attempts: 1, Created: a.Fetched, LastAttempt: a.Fetched, Delivered: a.Fetched}
					if n%97 == 0 && si == 0 {
						al.State, al.LastError, al.Attempts = news.AlertFailed, "410 Gone", 8
					}
					poll.Alerts = append(poll.Alerts, al)
				}
				if n%1000 == 0 {
					f.ids = append(f.ids, a.ID)
				}
				n++
			}
			if _, err := st.SavePoll(poll); err != nil {
				b.Fatal(err)
			}
		}
	}
	for i, id := range f.ids {
		art, err := st.Article(id)
		if err != nil {
			b.Fatal(err)
		}
		for _, t := range art.Topics {
			l := store.Label{ArticleID: id, Topic: t, User: "mai", Label: []string{store.LabelRelevant, store.LabelNotRelevant}[i%2], Lang: art.Lang, At: benchNow.Add(-time.Hour)}
			if err := st.SetLabel(l); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := st.CreateToken(viewerToken, store.Token{Name: "mai", Role: string(RoleViewer), Created: benchNow}); err != nil {
		b.Fatal(err)
	}
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = t.Name
	}
	ctl := &pagesControl{staticControl: staticControl{feeds: f.feeds, topics: names}}
	f.h = New(Options{Store: st, Control: ctl, Auth: AuthNetwork, Now: func() time.Time { return benchNow }})
	f.articles = n
	stats, _ := st.Stats()
	b.Logf("generated %d articles (%d matched, topics %v), alerts %v, %d MB, in %v", stats.Articles, stats.Matched, stats.Topics, stats.Alerts, stats.FileSize>>20, time.Since(start).Round(time.Second))
	return f
}

// get serves target as the viewer and returns the page.
func (f *benchFixture) get(b *testing.B, target string) string {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	req.Header.Set("Authorization", "Bearer "+viewerToken)
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("GET %s = %d: %.300s", target, rec.Code, rec.Body)
	}
	return rec.Body.String()
}

// BenchmarkPages renders each page of a 100,000-article archive and
// reports the median and 95th percentile of its render time and its size.
//
//	go test ./web -run '^$' -bench Pages -benchtime 200x
func BenchmarkPages(b *testing.B) {
	f := newBenchFixture(b)
	deep := "/topics/trafficking"
	for range 9 { // the tenth page of a topic
		deep = nextLink(f.get(b, deep))
	}
	search := "/search?q=" + strings.ReplaceAll(`"United Nations" OR "Liên hợp quốc"`, " ", "+")
	pages := []struct{ name, target string }{
		{"overview", "/"},
		{"topic", "/topics/trafficking"},
		{"topic-page10", deep},
		{"topic-lang-ar", "/topics/un?lang=ar"},
		{"topic-rare-source", "/topics/trafficking?source=" + strings.ReplaceAll(f.feeds[17].Name, " ", "+")},
		{"article", ""},
		{"search", search},
		{"search-nothing", "/search?q=needle+NEAR/3+haystack"},
		{"sources", "/sources"},
		{"alerts-failed", "/alerts"},
		{"alerts-delivered", "/alerts?state=delivered"},
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			var times []time.Duration
			size, i := 0, 0
			for b.Loop() {
				target := p.target
				if target == "" {
					target = "/articles/" + f.ids[i%len(f.ids)]
				}
				i++
				t := time.Now()
				size = max(size, len(f.get(b, target)))
				times = append(times, time.Since(t))
			}
			slices.Sort(times)
			ms := func(q float64) float64 { return float64(times[int(q*float64(len(times)-1))]) / 1e6 }
			b.ReportMetric(ms(.5), "p50-ms")
			b.ReportMetric(ms(.95), "p95-ms")
			b.ReportMetric(float64(size), "max-bytes")
			if size > 150<<10 {
				b.Errorf("GET %s = %d bytes, more than 150 KB", p.target, size)
			}
		})
	}
}
