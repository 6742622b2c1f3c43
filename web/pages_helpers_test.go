package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// Tokens of the page tests' users: a viewer and an admin.
const (
	viewerToken = "nw_viewer-token-for-the-page-tests"
	adminToken  = "nw_admin-token-for-the-page-tests"
)

// pagesControl is a Control that records the changes the pages ask for
// and answers like the daemon's: the feeds and topics of the fixture.
type pagesControl struct {
	staticControl
	mu      sync.Mutex
	saved   []TopicInfo
	added   []FeedSpec
	via     string
	removed []string
	tested  []string
}

func (c *pagesControl) SaveTopic(_ context.Context, name, query, by string) (TopicInfo, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !news.ValidTopicName(name) {
		return TopicInfo{}, fmt.Errorf("topic name %q: use 1 to 64 letters, digits, '-' and '_': %w", name, ErrInvalid)
	}
	for _, t := range c.TopicList() {
		if t.Name == name {
			return TopicInfo{}, fmt.Errorf("a topic named %s exists: %w", name, ErrConflict)
		}
	}
	info := TopicInfo{Name: name, Query: query, Origin: TopicSaved, By: by}
	c.saved = append(c.saved, info)
	return info, nil
}

func (c *pagesControl) TopicList() []TopicInfo {
	return append(c.staticControl.TopicList(), c.saved...)
}

func (c *pagesControl) AddFeeds(_ context.Context, specs []FeedSpec, via string) (AddFeedsResult, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	res := AddFeedsResult{}
	for _, s := range specs {
		if !strings.HasPrefix(s.URL, "https://") {
			res.Skipped = append(res.Skipped, SkippedFeed{URL: s.URL, Reason: "not an http(s) URL"})
			continue
		}
		c.added = append(c.added, s)
		res.Added = append(res.Added, FeedHealth{URL: s.URL, Name: s.Name})
	}
	c.via = via
	return res, nil
}

func (c *pagesControl) RemoveFeed(_ context.Context, u string) (news.Feed, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, f := range c.feeds {
		if f.URL == u && f.Origin == news.OriginAdded {
			c.removed = append(c.removed, u)
			return f, nil
		}
	}
	return news.Feed{}, fmt.Errorf("no feed %s is watched: %w", news.RedactURL(u), store.ErrNotFound)
}

func (c *pagesControl) SendTestAlert(_ context.Context, sub string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if sub != "ngo" {
		return fmt.Errorf("alerts test %q: unknown subscriber: %w", sub, ErrInvalid)
	}
	c.tested = append(c.tested, sub)
	return nil
}

// pagesFixture serves the fixture store with a viewer and an admin token,
// a feed added at run time, and the clock at t0.
type pagesFixture struct {
	h        http.Handler
	st       *store.Store
	articles []*news.Article
	ctl      *pagesControl
}

func newPagesFixture(t testing.TB) *pagesFixture {
	t.Helper()
	st, articles := openFixture(t)
	for secret, tok := range map[string]store.Token{
		viewerToken: {Name: "mai", Role: string(RoleViewer), Created: t0},
		adminToken:  {Name: "boss", Role: string(RoleAdmin), Created: t0},
	} {
		if err := st.CreateToken(secret, tok); err != nil {
			t.Fatal(err)
		}
	}
	feeds := append(fixtureFeeds[:len(fixtureFeeds):len(fixtureFeeds)],
		news.Feed{URL: "https://user:pw@added.example.org/rss", Name: "Added feed", Origin: news.OriginAdded, Added: t0, Via: "dashboard"})
	ctl := &pagesControl{staticControl: staticControl{feeds: feeds, topics: fixtureTopics}}
	h := New(Options{Store: st, Control: ctl, Auth: AuthNetwork, Now: func() time.Time { return t0 }})
	return &pagesFixture{h: h, st: st, articles: articles, ctl: ctl}
}

// do serves one request through h as the bearer of token ("" for none);
// a form is sent urlencoded.
func do(t testing.TB, h http.Handler, method, target, token string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequestWithContext(t.Context(), method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// page GETs target as the viewer and fails unless it answers want.
func (f *pagesFixture) page(t testing.TB, target, token string, want int) string {
	t.Helper()
	rec := do(t, f.h, http.MethodGet, target, token, nil)
	if rec.Code != want {
		t.Fatalf("GET %s = %d, want %d:\n%s", target, rec.Code, want, rec.Body)
	}
	if want == http.StatusOK && !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Errorf("GET %s: Content-Type %q, want text/html", target, rec.Header().Get("Content-Type"))
	}
	return rec.Body.String()
}

// byLang returns the fixture article in language l.
func (f *pagesFixture) byLang(t testing.TB, l string) *news.Article {
	t.Helper()
	for _, a := range f.articles {
		if a.Lang == l {
			return a
		}
	}
	t.Fatalf("no fixture article in %s", l)
	return nil
}

// wantIn fails unless body contains each of wants.
func wantIn(t testing.TB, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

// wantNotIn fails if body contains any of nots.
func wantNotIn(t testing.TB, what, body string, nots ...string) {
	t.Helper()
	for _, n := range nots {
		if strings.Contains(body, n) {
			t.Errorf("%s contains %q", what, n)
		}
	}
}
