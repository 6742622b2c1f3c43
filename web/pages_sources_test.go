package web

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/newswatch/newswatch/news"
)

func TestSourcesPage(t *testing.T) {
	t.Parallel()
	f := newPagesFixture(t)
	// Two more days of articles from the first feed, which brought one on
	// 2 November: its chart has three days.
	for d := 1; d <= 2; d++ {
		var as []*news.Article
		for i := range d * 3 {
			a := testArticle(t, fmt.Sprintf("https://example.org/day%d/%d", d, i), "vi", "Tin", "", t0)
			a.Fetched = t0.AddDate(0, 0, -d)
			as = append(as, a)
		}
		save(t, f.st, as...)
	}
	body := f.page(t, "/sources", adminToken, http.StatusOK)
	wantIn(t, "sources page", body,
		`aria-current="page">Sources`,
		"9 feeds", "1 failing", "1 rule_broken", "2 unknown",
		"<bdi lang=\"fr\">VietnamPlus (fr)</bdi>", "3 in a row</span>: fetch https://fr.vietnamplus.vn/rss/home.rss: 404 Not Found",
		"https://user:xxxxx@feeds.example.org/private.rss",
		`aria-label="articles per day from 2026-11-02 to 2026-12-01: 10 in all, most on 2026-11-29 (6); the last 7 days: 0, 0, 0, 0, 6, 3, 0"`,
		"added via dashboard", `<input type="hidden" name="url" value="https://user:xxxxx@added.example.org/rss">`,
		`<label for="add-url">Feed URL</label>`, `enctype="multipart/form-data"`,
	)
	wantNotIn(t, "sources page", body, "s3cret", "user:pw@")
	if i, j := strings.Index(body, "VietnamPlus (fr)"), strings.Index(body, "VietnamPlus (vi)"); i < 0 || j < 0 || i > j {
		t.Error("the failing feed is not listed first")
	}
}

func TestSourcesPages(t *testing.T) {
	t.Parallel()
	f := newPagesFixture(t)
	var feeds []news.Feed
	for i := range sourcesPerPage + 5 {
		feeds = append(feeds, news.Feed{URL: fmt.Sprintf("https://feeds.example.org/%03d.xml", i), Name: fmt.Sprintf("Feed %03d", i)})
	}
	f.ctl.feeds = feeds
	first := f.page(t, "/sources", viewerToken, http.StatusOK)
	second := f.page(t, "/sources?page=2", viewerToken, http.StatusOK)
	wantIn(t, "page 1", first, "Feed 000", fmt.Sprintf("Feed %03d", sourcesPerPage-1), `<a href="/sources?page=2" rel="next">`)
	wantNotIn(t, "page 1", first, fmt.Sprintf("Feed %03d", sourcesPerPage))
	wantIn(t, "page 2", second, fmt.Sprintf("Feed %03d", sourcesPerPage+4), `<a href="/sources?page=1" rel="prev">`)
	wantNotIn(t, "page 2", second, "Feed 000")
}

func TestSourcesForms(t *testing.T) {
	t.Parallel()
	f := newPagesFixture(t)
	rec := do(t, f.h, http.MethodPost, "/sources/add", adminToken, url.Values{"url": {"https://new.example.org/rss"}, "name": {"أخبار"}, "lang": {"ar"}})
	if rec.Code != http.StatusOK || len(f.ctl.added) != 1 || f.ctl.added[0].Lang != "ar" || f.ctl.via != "dashboard" {
		t.Fatalf("POST /sources/add = %d, added %+v via %q", rec.Code, f.ctl.added, f.ctl.via)
	}
	wantIn(t, "after adding", rec.Body.String(), `role="status"`, "Added https://new.example.org/rss")
	rec = do(t, f.h, http.MethodPost, "/sources/add", adminToken, url.Values{"url": {"ftp://bad"}, "name": {"Bad"}})
	if rec.Code != http.StatusBadRequest {
		t.Errorf("adding a bad feed = %d, want 400", rec.Code)
	}
	wantIn(t, "after a bad feed", rec.Body.String(), `role="alert"`, "Not added: ftp://bad: not an http(s) URL", `value="ftp://bad"`, `value="Bad"`)

	// The page shows the added feed's URL redacted; removing it by that
	// URL removes the real one.
	rec = do(t, f.h, http.MethodPost, "/sources/remove", adminToken, url.Values{"url": {"https://user:xxxxx@added.example.org/rss"}})
	if rec.Code != http.StatusOK || len(f.ctl.removed) != 1 || f.ctl.removed[0] != "https://user:pw@added.example.org/rss" {
		t.Errorf("POST /sources/remove = %d, removed %q", rec.Code, f.ctl.removed)
	}
	wantIn(t, "after removing", rec.Body.String(), "Removed Added feed.")
	rec = do(t, f.h, http.MethodPost, "/sources/remove", adminToken, url.Values{"url": {fixtureFeeds[0].URL}})
	if rec.Code != http.StatusNotFound {
		t.Errorf("removing a feed of the config = %d, want the Control's refusal", rec.Code)
	}
}

func TestSourcesImport(t *testing.T) {
	t.Parallel()
	f := newPagesFixture(t)
	opml := `<?xml version="1.0"?><opml version="2.0"><head><title>subs</title></head><body>
<outline text="UN News" type="rss" xmlUrl="https://news.un.org/feed/subscribe/en/news/all/rss.xml"/>
<outline text="Bad" type="rss" xmlUrl="gopher://old.example/"/>
</body></opml>`
	post := func(field, content string) *httptest.ResponseRecorder {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		_ = mw.WriteField("csrf", "")
		fw, _ := mw.CreateFormFile(field, "subs.opml")
		fw.Write([]byte(content))
		mw.Close()
		req := httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/sources/import", &b)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+adminToken)
		rec := httptest.NewRecorder()
		f.h.ServeHTTP(rec, req)
		return rec
	}
	rec := post("opml", opml)
	if rec.Code != http.StatusOK || len(f.ctl.added) != 1 || f.ctl.via != "feeds import subs.opml" {
		t.Fatalf("import = %d, added %+v via %q:\n%s", rec.Code, f.ctl.added, f.ctl.via, rec.Body)
	}
	wantIn(t, "after importing", rec.Body.String(), "Imported subs.opml: 1 feeds added, 1 skipped.", "<li>gopher://old.example/: not an http(s) URL</li>")
	if rec := post("opml", "<html>not opml"); rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "subs.opml") {
		t.Errorf("importing a broken file = %d, want 400 naming it", rec.Code)
	}
	if rec := post("other", opml); rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "choose an OPML file") {
		t.Errorf("importing without the file field = %d, want 400", rec.Code)
	}
}
