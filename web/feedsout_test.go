package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mmcdole/gofeed"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// feedKey is the fixture user's feed key.
const feedKey = "fk_3Zq9vX0pLr7s2T1uWy8a4Bc6De5Fg"

// feedFixture serves the fixture store to the network (AuthNetwork: every
// route wants a token), with a user who has a feed key.
func feedFixture(t *testing.T, ctl Control) (http.Handler, *store.Store, []*news.Article) {
	t.Helper()
	st, articles := openFixture(t)
	if err := st.CreateUser(store.User{Name: "alice", Role: string(RoleViewer), FeedKey: feedKey, Created: t0}); err != nil {
		t.Fatal(err)
	}
	if ctl == nil {
		ctl = staticControl{feeds: fixtureFeeds, topics: fixtureTopics}
	}
	return New(Options{Store: st, Control: ctl, Auth: AuthNetwork}), st, articles
}

// parseFeed parses an Atom answer with gofeed.
func parseFeed(t *testing.T, rec *httptest.ResponseRecorder) *gofeed.Feed {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/atom+xml; charset=utf-8" {
		t.Errorf("Content-Type = %q, want application/atom+xml; charset=utf-8", ct)
	}
	f, err := gofeed.NewParser().ParseString(rec.Body.String())
	if err != nil {
		t.Fatalf("gofeed cannot parse the feed: %v\n%s", err, rec.Body)
	}
	return f
}

// savedControl lists trafficking as a saved search, with its query.
type savedControl struct{ staticControl }

func (savedControl) TopicList() []TopicInfo {
	return []TopicInfo{{Name: "trafficking", Query: `"mua bán người"   OR "الاتجار بالبشر"`, Origin: TopicSaved}}
}

// TestTopicFeed: a feed reader, with no session or token, reads a topic's
// matches, newest first, with the key in the URL.
func TestTopicFeed(t *testing.T) {
	t.Parallel()
	h, _, articles := feedFixture(t, savedControl{staticControl{feeds: fixtureFeeds, topics: fixtureTopics}})
	rec := get(t, h, "/topics/trafficking/feed.atom?key="+feedKey)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET feed.atom with the key = %d %s, want 200", rec.Code, rec.Body)
	}
	f := parseFeed(t, rec)
	want := urlsWhere(articles, func(a *news.Article) bool { return slices.Contains(a.Topics, "trafficking") })
	slices.Reverse(want)
	var got, related []string
	for _, it := range f.Items {
		got = append(got, it.Link)
		if _, rest, ok := strings.Cut(it.Description, `<a href="`); ok {
			related = append(related, strings.Split(rest, `"`)[0])
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("feed items, newest first (-want +got):\n%s", diff)
	}
	if len(related) != len(want) || !strings.HasPrefix(related[0], "http://example.com/articles/") {
		t.Errorf("links to the dashboard's article pages = %q", related)
	}
	if f.Title != "newswatch: trafficking" || f.Description != `"mua bán người" OR "الاتجار بالبشر"` {
		t.Errorf("feed title %q, subtitle %q; want the topic and its query", f.Title, f.Description)
	}
	if cc := rec.Header().Get("Cache-Control"); !strings.HasPrefix(cc, "private") {
		t.Errorf("Cache-Control = %q: a URL with a key must not sit in shared caches", cc)
	}

	req := httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/topics/trafficking/feed.atom?key="+feedKey, nil)
	req.Header.Set("If-None-Match", rec.Header().Get("ETag"))
	again := httptest.NewRecorder()
	h.ServeHTTP(again, req)
	if again.Code != http.StatusNotModified || rec.Header().Get("ETag") == "" {
		t.Errorf("GET with If-None-Match %q = %d, want 304", rec.Header().Get("ETag"), again.Code)
	}

	req = httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/topics/un/feed.atom?key="+feedKey, nil)
	req.Header.Set("X-Forwarded-Proto", "https")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if f := parseFeed(t, rec); f.FeedLink != "https://example.com/topics/un/feed.atom?key="+feedKey || len(f.Items) != 2 {
		t.Errorf("un feed behind a TLS proxy: self %q, %d items; want an https self link and 2 items", f.FeedLink, len(f.Items))
	}
}

// TestTopicFeedRefusesBadKeys: without a valid key the feed is 404, the
// same answer whatever the key, and the key opens nothing else.
func TestTopicFeedRefusesBadKeys(t *testing.T) {
	t.Parallel()
	h, st, _ := feedFixture(t, nil)
	if err := st.CreateUser(store.User{Name: "bob", Role: string(RoleAdmin), FeedKey: "fk_bob_old", Created: t0}); err != nil {
		t.Fatal(err)
	}
	if err := st.UpdateUser("bob", func(u *store.User) error { u.FeedKey = "fk_bob_new"; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateUser(store.User{Name: "carol", FeedKey: "fk_carol", Created: t0}); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteUser("carol"); err != nil {
		t.Fatal(err)
	}
	refusal := get(t, h, "/topics/trafficking/feed.atom?key=nope").Body.String()
	if rec := get(t, h, "/topics/trafficking/feed.atom"); rec.Code != http.StatusSeeOther {
		t.Errorf("GET a feed without a key = %d, want 303 to the login", rec.Code)
	}
	for _, target := range []string{
		"/topics/trafficking/feed.atom?key=",
		"/topics/trafficking/feed.atom?key=nope",
		"/topics/trafficking/feed.atom?key=" + strings.ToUpper(feedKey),
		"/topics/trafficking/feed.atom?key=" + feedKey[:len(feedKey)-1],
		"/topics/trafficking/feed.atom?key=fk_bob_old", // revoked: bob has a new key
		"/topics/trafficking/feed.atom?key=fk_carol",   // carol was removed
		"/topics/sport/feed.atom?key=nope",             // a bad key says nothing of topics either
	} {
		rec := get(t, h, target)
		if rec.Code != http.StatusForbidden || rec.Body.String() != refusal {
			t.Errorf("GET %s = %d %q, want 403 %q", target, rec.Code, rec.Body, refusal)
		}
		for _, name := range []string{"alice", "bob", "carol"} {
			if strings.Contains(rec.Body.String(), name) {
				t.Errorf("GET %s names user %s: %s", target, name, rec.Body)
			}
		}
	}
	if rec := get(t, h, "/topics/trafficking/feed.atom?key=fk_bob_new"); rec.Code != http.StatusOK {
		t.Errorf("GET the feed with bob's new key = %d, want 200", rec.Code)
	}
	if rec := get(t, h, "/topics/sport/feed.atom?key="+feedKey); rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "trafficking") {
		t.Errorf("GET an unknown topic's feed with a valid key = %d %s, want 404 listing the topics", rec.Code, rec.Body)
	}
	for _, target := range []string{
		"/export?key=" + feedKey,
		"/api/export?format=atom&key=" + feedKey,
		"/topics/trafficking/matches.csv?key=" + feedKey,
	} {
		if rec := get(t, h, target); rec.Code != http.StatusUnauthorized && rec.Code != http.StatusSeeOther {
			t.Errorf("GET %s = %d, want 401 (API) or 303 to the login (page): a feed key opens the feeds only", target, rec.Code)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/topics/trafficking/feed.atom?key="+feedKey, nil))
	if rec.Code == http.StatusOK || strings.Contains(rec.Body.String(), "<feed") {
		t.Errorf("POST to a feed = %d %s, want a refusal and no feed", rec.Code, rec.Body)
	}
}

// TestLatestArticles: the newest n articles, newest first, whichever span
// of time holds them, equal the end of a full scan.
func TestLatestArticles(t *testing.T) {
	t.Parallel()
	st, err := store.Open(filepath.Join(t.TempDir(), "nw.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	var p store.Poll
	p.Feed.URL = "https://example.org/rss"
	// Dense in the last week, sparse over the years before, one dated
	// in the future and one without a date.
	gaps := []time.Duration{time.Hour, 5 * time.Hour, 20 * time.Hour, 3 * 24 * time.Hour, 40 * 24 * time.Hour, 200 * 24 * time.Hour, 500 * 24 * time.Hour}
	when := now.Add(48 * time.Hour)
	for i := range 40 {
		a := &news.Article{URL: fmt.Sprintf("https://example.org/%d", i), Title: fmt.Sprint(i), Published: when, Fetched: when}
		if i == 7 {
			a.Published = time.Time{}
		}
		a.SetHits([]news.Hit{{Topic: "t", Term: "x", Field: news.FieldTitle}})
		p.Articles = append(p.Articles, a)
		when = when.Add(-gaps[i%len(gaps)])
	}
	if _, err := st.SavePoll(p); err != nil {
		t.Fatal(err)
	}
	var all []string
	if err := st.ForEachArticle(t.Context(), store.Query{Topic: "t"}, func(a *news.Article) error { all = append(all, a.Title); return nil }); err != nil {
		t.Fatal(err)
	}
	slices.Reverse(all)
	for _, n := range []int{1, 2, 5, 12, 25, 39, 40, 50} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			got, err := latestArticles(t.Context(), st, "t", n, now)
			if err != nil {
				t.Fatal(err)
			}
			var titles []string
			for _, a := range got {
				titles = append(titles, a.Title)
			}
			if diff := cmp.Diff(all[:min(n, len(all))], titles); diff != "" {
				t.Errorf("latestArticles(%d) (-want +got):\n%s", n, diff)
			}
		})
	}
}

// TestTopicMatchesCSV: a topic's matches as CSV, for a session or token
// only, with the BOM on request.
func TestTopicMatchesCSV(t *testing.T) {
	t.Parallel()
	h, _, articles := fixtureHandler(t)
	rec := get(t, h, "/topics/trafficking/matches.csv?bom=1&since=2026-11-05")
	if rec.Code != http.StatusOK {
		t.Fatalf("GET matches.csv = %d %s", rec.Code, rec.Body)
	}
	hd := rec.Header()
	if hd.Get("Content-Type") != "text/csv; charset=utf-8" || hd.Get("Content-Disposition") != `attachment; filename=newswatch-trafficking.csv` {
		t.Errorf("Content-Type %q, Content-Disposition %q", hd.Get("Content-Type"), hd.Get("Content-Disposition"))
	}
	body := rec.Body.Bytes()
	if !bytes.HasPrefix(body, []byte("\uFEFFid,url,")) {
		t.Errorf("matches.csv?bom=1 starts %q, want the byte-order mark and the header", body[:12])
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, row := range rows[1:] {
		got = append(got, row[1])
	}
	want := urlsWhere(articles, func(a *news.Article) bool {
		return slices.Contains(a.Topics, "trafficking") && !exportTime(a).Before(mustDate(t, "2026-11-05"))
	})
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("matches.csv rows (-want +got):\n%s", diff)
	}
	if rec := get(t, h, "/topics/trafficking/matches.csv"); bytes.HasPrefix(rec.Body.Bytes(), []byte("\uFEFF")) || rec.Header().Get(CountTrailer) != "3" {
		t.Errorf("matches.csv without bom: starts %q, count %q; want no mark, 3 articles", rec.Body.Bytes()[:3], rec.Header().Get(CountTrailer))
	}
	for target, code := range map[string]int{
		"/topics/sport/matches.csv":                    http.StatusNotFound,
		"/topics/trafficking/matches.csv?format=jsonl": http.StatusBadRequest,
		"/topics/trafficking/matches.csv?topic=un":     http.StatusBadRequest,
		"/topics/trafficking/matches.csv?since=today":  http.StatusBadRequest,
		"/topics/trafficking/matches.csv?bom=maybe":    http.StatusBadRequest,
	} {
		if rec := get(t, h, target); rec.Code != code {
			t.Errorf("GET %s = %d %s, want %d", target, rec.Code, rec.Body, code)
		}
	}
	public, _, _ := feedFixture(t, nil)
	if rec := get(t, public, "/topics/trafficking/matches.csv"); rec.Code != http.StatusSeeOther {
		t.Errorf("GET matches.csv without a session or token = %d, want 303 to the login", rec.Code)
	}
}

// TestExportFormats: /export serves each format with its type and a
// file name, and counts the same articles.
func TestExportFormats(t *testing.T) {
	t.Parallel()
	h, _, _ := fixtureHandler(t)
	for _, tt := range []struct{ query, ctype, file string }{
		{"", "application/x-ndjson", "newswatch-export.jsonl"},
		{"format=csv&bom=1", "text/csv; charset=utf-8", "newswatch-export.csv"},
		{"format=atom", "application/atom+xml; charset=utf-8", "newswatch-export.atom"},
	} {
		rec := get(t, h, "/api/export?"+tt.query)
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != tt.ctype || !strings.Contains(rec.Header().Get("Content-Disposition"), tt.file) {
			t.Errorf("GET /api/export?%s = %d, %q, %q; want 200, %s, %s", tt.query, rec.Code, rec.Header().Get("Content-Type"), rec.Header().Get("Content-Disposition"), tt.ctype, tt.file)
		}
		if n := rec.Header().Get(CountTrailer); n != "4" {
			t.Errorf("GET /api/export?%s: count %q, want the 4 matched articles", tt.query, n)
		}
	}
	f := parseFeed(t, get(t, h, "/api/export?format=atom&topic=un"))
	if len(f.Items) != 2 || f.Title != "newswatch export: un" {
		t.Errorf("atom export of un: %d items, title %q", len(f.Items), f.Title)
	}
	for _, it := range f.Items {
		if strings.Contains(it.Description, "/articles/") {
			t.Errorf("atom export through the control socket links to a dashboard: %q", it.Description)
		}
	}
}
