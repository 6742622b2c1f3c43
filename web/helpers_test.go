package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// t0 is the clock of the fixture: every feed was last polled then.
var t0 = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

// fixtureFeeds are the configured feeds of the fixture: those of
// testdata/articles.json, a failing one and one never polled.
var fixtureFeeds = []news.Feed{
	{URL: "https://www.vietnamplus.vn/rss/home.rss", Name: "VietnamPlus (vi)", Lang: "vi"},
	{URL: "https://en.vietnamplus.vn/rss/home.rss", Name: "VietnamPlus (en)", Lang: "en"},
	{URL: "https://es.vietnamplus.vn/rss/home.rss", Name: "VietnamPlus (es)", Lang: "es"},
	{URL: "https://news.un.org/feed/subscribe/ar/news/all/rss.xml", Name: "أخبار الأمم المتحدة", Lang: "ar"},
	{URL: "https://news.un.org/feed/subscribe/zh/news/all/rss.xml", Name: "联合国新闻", Lang: "zh"},
	{URL: "https://news.un.org/feed/subscribe/ru/news/all/rss.xml", Name: "Новости ООН", Lang: "ru"},
	{URL: "https://fr.vietnamplus.vn/rss/home.rss", Name: "VietnamPlus (fr)", Lang: "fr"},
	{URL: "https://user:s3cret@feeds.example.org/private.rss", Name: "Private feed"},
}

// Indexes into fixtureFeeds.
const (
	failingFeed = 6 // answered 404 three times in a row
	neverPolled = 7
)

// fixtureTopics are the configured topics.
var fixtureTopics = []string{"trafficking", "un", "migration"}

// loadArticles reads testdata/articles.json.
func loadArticles(t testing.TB) []*news.Article {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "articles.json"))
	if err != nil {
		t.Fatal(err)
	}
	var as []*news.Article
	if err := json.Unmarshal(data, &as); err != nil {
		t.Fatalf("testdata/articles.json: %v", err)
	}
	for _, a := range as {
		a.ID = news.ArticleID(a.URL)
	}
	return as
}

// fixtureState is the stored state of fixtureFeeds[i].
func fixtureState(i int) store.FeedState {
	f := fixtureFeeds[i]
	st := store.FeedState{
		URL: f.URL, Name: f.Name, LastPoll: t0, LastSuccess: t0, NextPoll: t0.Add(10 * time.Minute),
		Status: http.StatusOK, ItemsSeen: 10 + i, Interval: 10 * time.Minute, Health: news.HealthOK,
	}
	if f.Lang == "es" {
		st.ExtractFallbacks = 1 // its article came through the generic extractor
		st.Health = news.HealthRuleBroken
	}
	if i == failingFeed {
		st.LastSuccess = t0.Add(-48 * time.Hour)
		st.Status, st.Errors, st.LastError = http.StatusNotFound, 3, "fetch "+f.URL+": 404 Not Found"
		st.NextPoll = t0.Add(80 * time.Minute)
		st.Health = news.HealthFailing
	}
	return st
}

// openFixture opens a store in a temporary directory, filled through
// SavePoll: the articles of testdata, feed states, and alerts in every
// state (two pending, one delivered, one failed).
func openFixture(t testing.TB) (*store.Store, []*news.Article) {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "newswatch.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	articles := loadArticles(t)
	for i, f := range fixtureFeeds {
		if i == neverPolled {
			continue
		}
		p := store.Poll{Feed: fixtureState(i)}
		for _, a := range articles {
			if a.FeedURL == f.URL {
				p.Articles = append(p.Articles, a)
				p.Seen = append(p.Seen, a.URL)
			}
		}
		if _, err := st.SavePoll(p); err != nil {
			t.Fatal(err)
		}
	}
	var alerts []news.Alert
	for i, a := range articles {
		if a.Matched() {
			alerts = append(alerts, news.Alert{
				ID: a.ID + "/ngo", Subscriber: "ngo", Channel: news.ChannelWebhook, ArticleID: a.ID,
				Topics: a.Topics, State: news.AlertPending, NextAt: t0, Created: t0.Add(time.Duration(i) * time.Second),
			})
		}
	}
	if _, err := st.EnqueueAlerts(alerts); err != nil {
		t.Fatal(err)
	}
	if err := st.MarkDelivered(alerts[0].ID, t0); err != nil {
		t.Fatal(err)
	}
	if err := st.MarkFailed(alerts[1].ID, t0, "410 Gone"); err != nil {
		t.Fatal(err)
	}
	return st, articles
}

// fixtureHandler serves the fixture store with the fixture's feeds and topics.
func fixtureHandler(t testing.TB) (http.Handler, *store.Store, []*news.Article) {
	t.Helper()
	st, articles := openFixture(t)
	return New(Options{Store: st, Control: staticControl{feeds: fixtureFeeds, topics: fixtureTopics}, Auth: AuthLocal}), st, articles
}

// staticControl is a Control with fixed feeds and topics and no daemon:
// handler tests of reads use it; the cmd tests run the real one.
type staticControl struct {
	feeds  []news.Feed
	topics []string
}

func (c staticControl) Feeds() []news.Feed { return c.feeds }
func (c staticControl) Topics() []string   { return c.topics }
func (staticControl) AddFeeds(context.Context, []FeedSpec, string) (AddFeedsResult, error) {
	return AddFeedsResult{}, ErrNoDaemon
}
func (staticControl) RemoveFeed(context.Context, string) (news.Feed, error) {
	return news.Feed{}, ErrNoDaemon
}
func (staticControl) Rematch(context.Context, RematchRequest) (*store.RematchReport, error) {
	return nil, ErrNoDaemon
}
func (c staticControl) TopicList() []TopicInfo {
	out := make([]TopicInfo, len(c.topics))
	for i, t := range c.topics {
		out[i] = TopicInfo{Name: t, Origin: TopicFromConfig}
	}
	return out
}
func (staticControl) SaveTopic(context.Context, string, string, string) (TopicInfo, error) {
	return TopicInfo{}, ErrNoDaemon
}
func (staticControl) DeleteTopic(context.Context, string) error { return ErrNoDaemon }
func (staticControl) AlertsChanged()                            {}
func (staticControl) Subscribers() []string                     { return []string{"ngo"} }
func (staticControl) SendTestAlert(context.Context, string) error {
	return ErrNoDaemon
}
func (staticControl) Reload(context.Context) (ReloadResult, error) {
	return ReloadResult{}, ErrNoDaemon
}
func (staticControl) Status() Status { return Status{Version: "test"} }

// get serves one GET request through h.
func get(t testing.TB, h http.Handler, target string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequestWithContext(t.Context(), http.MethodGet, target, nil))
	return rec
}

// urlsWhere returns the URLs of the articles keep accepts, in export order
// (publish time, else fetch time, then ID).
func urlsWhere(articles []*news.Article, keep func(*news.Article) bool) []string {
	sorted := slices.Clone(articles)
	slices.SortFunc(sorted, func(a, b *news.Article) int {
		if c := exportTime(a).Compare(exportTime(b)); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	var out []string
	for _, a := range sorted {
		if keep(a) {
			out = append(out, a.URL)
		}
	}
	return out
}

func exportTime(a *news.Article) time.Time {
	if !a.Published.IsZero() {
		return a.Published
	}
	return a.Fetched
}
