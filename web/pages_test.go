package web

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// hitOf is a hit of topic on the first occurrence of term in field.
type hitOf struct {
	topic, field, term string
	context            bool
}

// testArticle builds an article whose hits are located in its fields,
// as the topic engine reports them.
func testArticle(t testing.TB, u, lang, title, text string, at time.Time, hits ...hitOf) *news.Article {
	t.Helper()
	a := &news.Article{URL: u, ID: news.ArticleID(u), FeedURL: fixtureFeeds[0].URL, Source: "Test source " + lang, Title: title, Text: text,
		Lang: lang, Dir: textDir(lang), Published: at, Fetched: at.Add(time.Minute), Extractor: "generic"}
	var hs []news.Hit
	for _, h := range hits {
		field := map[string]string{news.FieldTitle: title, news.FieldText: text}[h.field]
		i := strings.Index(field, h.term)
		if i < 0 {
			t.Fatalf("%q is not in the %s of %s", h.term, h.field, u)
		}
		hs = append(hs, news.Hit{Topic: h.topic, Term: h.term, Field: h.field, Start: i, End: i + len(h.term), Context: h.context})
	}
	a.SetHits(hs)
	return a
}

// save stores articles through one poll of the first fixture feed.
func save(t testing.TB, st *store.Store, as ...*news.Article) {
	t.Helper()
	if _, err := st.SavePoll(store.Poll{Feed: fixtureState(0), Articles: as}); err != nil {
		t.Fatal(err)
	}
}

// titleAttrs finds the heading of an article's row in a listing and
// returns its attributes.
func titleAttrs(t testing.TB, body, id string) string {
	t.Helper()
	m := regexp.MustCompile(`<h3 class="title"([^>]*)><a href="/articles/` + id + `">`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no link to article %s", id)
	}
	return m[1]
}

func TestOverview(t *testing.T) {
	t.Parallel()
	f := newPagesFixture(t)
	save(t, f.st, testArticle(t, "https://example.org/today", "en", "Trafficking ring broken up today", "", t0.Add(-2*time.Hour),
		hitOf{"trafficking", news.FieldTitle, "Trafficking", false}))
	body := f.page(t, "/", viewerToken, http.StatusOK)
	wantIn(t, "overview", body,
		`<a href="/" aria-current="page">Overview</a>`,
		`<a href="/topics/trafficking">trafficking</a></th><td class="num">1</td><td class="num">1</td><td class="num">4</td>`, // 24 h, 7 d, 30 d
		`<a href="/topics/un">un</a></th><td class="num">0</td><td class="num">0</td><td class="num">2</td>`,
		`role="img" aria-label="matches per day from 2026-11-02 to 2026-12-01: 4 in all`,
		`2 pending</a>`, `1 failed</a>`,
		"VietnamPlus (fr)", "404 Not Found", // the failing feed
		"Trafficking ring broken up today",
	)
	wantNotIn(t, "overview", body, "user:s3cret") // feed URLs redacted
	ar := f.byLang(t, "ar")
	if attrs := titleAttrs(t, body, ar.ID); !strings.Contains(attrs, `lang="ar"`) || !strings.Contains(attrs, `dir="rtl"`) {
		t.Errorf("the Arabic title's link has %s, want lang=ar dir=rtl", attrs)
	}
	if i, j := strings.Index(body, "Trafficking ring"), strings.Index(body, ar.Title); i < 0 || j < 0 || i > j {
		t.Errorf("latest matches not newest first")
	}
}

// TestRoutesOfPages checks who reaches the pages and forms: a viewer
// reads every page and judges articles; only an admin changes things;
// nobody without a session or token reads: they are sent to the login.
func TestRoutesOfPages(t *testing.T) {
	t.Parallel()
	f := newPagesFixture(t)
	ar := f.byLang(t, "ar")
	for _, p := range []string{"/", "/topics/un", "/articles/" + ar.ID, "/search", "/sources", "/alerts", "/api/"} {
		rec := do(t, f.h, http.MethodGet, p, "", nil)
		switch {
		case p == "/api/" && rec.Code != http.StatusUnauthorized:
			t.Errorf("GET %s without a token = %d, want 401 (an API path)", p, rec.Code)
		case p != "/api/" && (rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login")):
			t.Errorf("GET %s without a token = %d to %q, want 303 to the login", p, rec.Code, rec.Header().Get("Location"))
		}
		if rec := do(t, f.h, http.MethodGet, p, viewerToken, nil); rec.Code != http.StatusOK {
			t.Errorf("GET %s as a viewer = %d, want 200", p, rec.Code)
		}
	}
	for _, p := range []string{"/topics", "/sources/add", "/sources/remove", "/sources/import", "/alerts/retry", "/alerts/test"} {
		if rec := do(t, f.h, http.MethodPost, p, viewerToken, nil); rec.Code != http.StatusForbidden {
			t.Errorf("POST %s as a viewer = %d, want 403", p, rec.Code)
		}
	}
}

// TestAdminForms: an admin sees the forms that change things, a viewer
// does not; both see the feedback forms.
func TestAdminForms(t *testing.T) {
	t.Parallel()
	f := newPagesFixture(t)
	for _, tt := range []struct {
		path, form string
		admin      bool // an admin sees it
	}{
		{"/sources", `action="/sources/add"`, true},
		{"/sources", `action="/sources/import"`, true},
		{"/sources", `action="/sources/remove"`, true}, // the feed added at run time
		{"/alerts?state=failed", `action="/alerts/retry"`, true},
		{"/alerts", `action="/alerts/test"`, true},
		{"/search?q=trafficking", `action="/topics"`, true},
		{"/search?q=%22unclosed", `action="/topics"`, false}, // a wrong query is not saved
	} {
		admin := do(t, f.h, http.MethodGet, tt.path, adminToken, nil).Body.String()
		viewer := do(t, f.h, http.MethodGet, tt.path, viewerToken, nil).Body.String()
		if strings.Contains(viewer, tt.form) {
			t.Errorf("GET %s as a viewer shows %s", tt.path, tt.form)
		}
		if got := strings.Contains(admin, tt.form); got != tt.admin {
			t.Errorf("GET %s as an admin: %s shown = %v, want %v", tt.path, tt.form, got, tt.admin)
		}
	}
	for _, tok := range []string{viewerToken, adminToken} {
		wantIn(t, "topic page", f.page(t, "/topics/trafficking", tok, http.StatusOK), `/feedback"`, `name="return"`)
	}
}

// TestPageSizes renders every page of a crowded store (hundreds of feeds,
// long articles with many hits, many alerts) and keeps each under 150 KB.
func TestPageSizes(t *testing.T) {
	t.Parallel()
	f := newPagesFixture(t)
	long := strings.Repeat("Nạn nhân mua bán người được giải cứu tại biên giới, theo công an tỉnh. ", 3000) // ~220 KB
	var as []*news.Article
	var alerts []news.Alert
	for i := range alertsPerPage + 10 { // more than any page lists: each page at its fullest
		a := testArticle(t, fmt.Sprintf("https://example.org/long/%d", i), "vi", fmt.Sprintf("Mua bán người: vụ %d", i), long, t0.Add(-time.Duration(i)*time.Minute))
		var hits []news.Hit
		for j := 0; j < 16; j++ {
			p := j * 4000
			k := p + strings.Index(long[p:], "mua bán người")
			hits = append(hits, news.Hit{Topic: "trafficking", Term: "mua bán người", Field: news.FieldText, Start: k, End: k + len("mua bán người")})
		}
		a.SetHits(hits)
		as = append(as, a)
		alerts = append(alerts, news.Alert{ID: news.AlertID("ngo", news.ChannelWebhook, a.ID), Subscriber: "ngo", Channel: news.ChannelWebhook,
			ArticleID: a.ID, Topics: a.Topics, State: news.AlertFailed, LastError: strings.Repeat("timeout ", 30), Created: t0})
	}
	save(t, f.st, as...)
	if _, err := f.st.EnqueueAlerts(alerts); err != nil {
		t.Fatal(err)
	}
	var feeds []news.Feed
	for i := range 300 {
		feeds = append(feeds, news.Feed{URL: fmt.Sprintf("https://feeds.example.org/%d/rss.xml", i), Name: fmt.Sprintf("Feed number %d", i), Origin: news.OriginAdded})
	}
	f.ctl.feeds = feeds
	for _, p := range []string{"/", "/topics/trafficking", "/articles/" + as[0].ID, "/search?q=" + "%22mua+b%C3%A1n+ng%C6%B0%E1%BB%9Di%22", "/sources", "/alerts"} {
		body := f.page(t, p, adminToken, http.StatusOK)
		if len(body) > 150<<10 {
			t.Errorf("GET %s = %d bytes, want at most 150 KB", p, len(body))
		}
	}
	body := f.page(t, "/articles/"+as[0].ID, adminToken, http.StatusOK)
	wantIn(t, "the article of 220 KB", body, "more bytes: see the original")
}
