package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

func TestArticlePage(t *testing.T) {
	t.Parallel()
	f := newPagesFixture(t)
	a := testArticle(t, "https://example.org/ar/1", "ar", "الأمم المتحدة: قرار جديد بشأن الاتجار بالبشر",
		"أصدر مجلس الأمن قرارا جديدا.\nوقالت UNODC إن الاتجار بالبشر يتزايد قرب الحدود.", t0.Add(-time.Hour),
		hitOf{"un", news.FieldTitle, "الأمم المتحدة", false},
		hitOf{"trafficking", news.FieldText, "الاتجار بالبشر", false},
		hitOf{"trafficking", news.FieldText, "الحدود", true})
	a.FeedURL, a.Byline = "https://user:s3cret@feeds.example.org/private.rss", "مراسل"
	save(t, f.st, a)
	alerts := []news.Alert{
		{ID: news.AlertID("ngo", news.ChannelWebhook, a.ID), Subscriber: "ngo", Channel: news.ChannelWebhook, ArticleID: a.ID, State: news.AlertPending, NextAt: t0, Created: t0},
		{ID: news.AlertID("ngo", news.ChannelEmail, a.ID), Subscriber: "ngo", Channel: news.ChannelEmail, ArticleID: a.ID, State: news.AlertPending, NextAt: t0, Created: t0},
	}
	if _, err := f.st.EnqueueAlerts(alerts); err != nil {
		t.Fatal(err)
	}
	if err := f.st.MarkFailed(alerts[1].ID, t0, "550 mailbox unavailable"); err != nil {
		t.Fatal(err)
	}
	body := f.page(t, "/articles/"+a.ID, viewerToken, http.StatusOK)
	wantIn(t, "article page", body,
		`<article lang="ar" dir="rtl">`,
		`<h1 lang="ar" dir="rtl"><mark>الأمم المتحدة</mark>: قرار جديد بشأن الاتجار بالبشر</h1>`, // the title's hit is of un, in the title
		`<p>أصدر مجلس الأمن قرارا جديدا.</p>`,
		`<p>وقالت UNODC إن <mark>الاتجار بالبشر</mark> يتزايد قرب <mark class="context">الحدود</mark>.</p>`,
		`<a href="https://example.org/ar/1" rel="noopener noreferrer"`,
		"https://user:xxxxx@feeds.example.org/private.rss", "مراسل", "generic",
		`<time datetime="2026-12-01T11:00:00Z">`, `<time datetime="2026-12-01T11:01:00Z">`, // published, fetched
		`matched by <mark><bdi>الاتجار بالبشر</bdi></mark>; near <mark class="context"><bdi>الحدود</bdi></mark>`,
		`<td>webhook</td><td><span class="state s-pending">pending</span>`,
		`<td>email</td><td><span class="state s-failed">failed</span>`, "550 mailbox unavailable",
		`action="/articles/`+a.ID+`/feedback"`,
	)
	wantNotIn(t, "article page", body, "s3cret")
	f.page(t, "/articles/0000", viewerToken, http.StatusNotFound)
}

// TestArticleEscapes: an article's text is text, wherever it shows; a
// hit with offsets that do not fit its field marks nothing.
func TestArticleEscapes(t *testing.T) {
	t.Parallel()
	f := newPagesFixture(t)
	a := testArticle(t, "https://example.org/x", "en", `<script>alert("t")</script> trafficking & <b>`, `<img src=x onerror=alert(1)> trafficking`, t0,
		hitOf{"trafficking", news.FieldTitle, "trafficking", false}, hitOf{"trafficking", news.FieldText, "trafficking", false})
	a.Hits = append(a.Hits, news.Hit{Topic: "trafficking", Field: news.FieldText, Start: 1000, End: 1010}, news.Hit{Topic: "trafficking", Field: news.FieldTitle, Start: 3, End: 1})
	a.Source = `<i>source</i>`
	save(t, f.st, a)
	for _, p := range []string{"/articles/" + a.ID, "/topics/trafficking", "/", "/search?q=trafficking"} {
		body := f.page(t, p, viewerToken, http.StatusOK)
		wantNotIn(t, p, body, "<script>alert", "<img src=x", "<b>", "<i>source")
		wantIn(t, p, body, "&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt;", "&lt;i&gt;source&lt;/i&gt;")
	}
	body := f.page(t, "/articles/"+a.ID, viewerToken, http.StatusOK)
	wantIn(t, "article", body, "&lt;/script&gt; <mark>trafficking</mark> &amp; &lt;b&gt;", "&lt;img src=x onerror=alert(1)&gt; <mark>trafficking</mark>")
	if strings.Count(body, "<mark>trafficking</mark>") != 2 {
		t.Errorf("marks = %d, want 2 (the bad hits mark nothing)", strings.Count(body, "<mark>trafficking</mark>"))
	}
}

func TestFeedback(t *testing.T) {
	t.Parallel()
	f := newPagesFixture(t)
	ar := f.byLang(t, "ar")
	post := func(token string, form url.Values) *httpResult {
		t.Helper()
		rec := do(t, f.h, http.MethodPost, "/articles/"+ar.ID+"/feedback", token, form)
		return &httpResult{code: rec.Code, location: rec.Header().Get("Location"), body: rec.Body.String()}
	}
	labels := func() []store.Label {
		t.Helper()
		ls, err := f.st.ArticleLabels(ar.ID)
		if err != nil {
			t.Fatal(err)
		}
		return ls
	}
	form := url.Values{"topic": {"trafficking"}, "label": {"relevant"}, "return": {"/topics/trafficking?lang=ar#a-" + ar.ID}}
	for range 2 { // idempotent
		if r := post(viewerToken, form); r.code != http.StatusSeeOther || r.location != "/topics/trafficking?lang=ar#a-"+ar.ID {
			t.Fatalf("POST feedback = %d to %q, want 303 back to the topic page", r.code, r.location)
		}
	}
	if ls := labels(); len(ls) != 1 || ls[0].User != "mai" || ls[0].Label != store.LabelRelevant || ls[0].Lang != "ar" || !ls[0].At.Equal(t0) {
		t.Errorf("labels after judging twice = %+v, want mai's one relevant label in ar at %v", ls, t0)
	}
	form.Set("label", "not_relevant")
	post(viewerToken, form)
	if ls := labels(); len(ls) != 1 || ls[0].Label != store.LabelNotRelevant {
		t.Errorf("labels after a change = %+v, want one not_relevant", ls)
	}
	body := f.page(t, "/articles/"+ar.ID, viewerToken, http.StatusOK)
	wantIn(t, "article page of mai", body, `value="not_relevant" aria-pressed="true"`, "(0 relevant, 1 not relevant)")
	post(adminToken, url.Values{"topic": {"trafficking"}, "label": {"relevant"}})
	if ls := labels(); len(ls) != 2 {
		t.Errorf("labels of two users = %+v, want 2", ls)
	}
	form.Set("label", "clear")
	post(viewerToken, form)
	if ls := labels(); len(ls) != 1 || ls[0].User != "boss" {
		t.Errorf("labels after mai cleared hers = %+v, want boss's only", ls)
	}
	for _, tt := range []struct {
		name  string
		form  url.Values
		token string
		code  int
		where string
	}{
		{"no return: the article", url.Values{"topic": {"un"}, "label": {"relevant"}}, viewerToken, http.StatusSeeOther, "/articles/" + ar.ID},
		{"return elsewhere", url.Values{"topic": {"un"}, "label": {"relevant"}, "return": {"//evil.example/"}}, viewerToken, http.StatusSeeOther, "/articles/" + ar.ID},
		{"return with a scheme", url.Values{"topic": {"un"}, "label": {"relevant"}, "return": {"https://evil.example/"}}, viewerToken, http.StatusSeeOther, "/articles/" + ar.ID},
		{"return with a backslash", url.Values{"topic": {"un"}, "label": {"relevant"}, "return": {"/\\evil.example/"}}, viewerToken, http.StatusSeeOther, "/articles/" + ar.ID},
		{"a topic in force the article did not match", url.Values{"topic": {"migration"}, "label": {"not_relevant"}}, viewerToken, http.StatusSeeOther, "/articles/" + ar.ID},
		{"unknown topic", url.Values{"topic": {"sport"}, "label": {"relevant"}}, viewerToken, http.StatusBadRequest, ""},
		{"bad label", url.Values{"topic": {"un"}, "label": {"maybe"}}, viewerToken, http.StatusBadRequest, ""},
		{"no token: to the login", url.Values{"topic": {"un"}, "label": {"relevant"}}, "", http.StatusSeeOther, "/login"},
	} {
		if r := post(tt.token, tt.form); r.code != tt.code || r.location != tt.where {
			t.Errorf("%s: POST feedback = %d to %q, want %d to %q", tt.name, r.code, r.location, tt.code, tt.where)
		}
	}
	if rec := do(t, f.h, http.MethodPost, "/articles/0000/feedback", viewerToken, url.Values{"topic": {"un"}, "label": {"relevant"}}); rec.Code != http.StatusNotFound {
		t.Errorf("feedback on an unknown article = %d, want 404", rec.Code)
	}
}

// TestFeedbackNeedsAUser: the control socket is an admin without a name;
// feedback is kept per user, so it is refused there and no form shows.
func TestFeedbackNeedsAUser(t *testing.T) {
	t.Parallel()
	h, _, articles := fixtureHandler(t) // AuthLocal
	id := articles[0].ID
	if rec := do(t, h, http.MethodPost, "/articles/"+id+"/feedback", "", url.Values{"topic": {"trafficking"}, "label": {"relevant"}}); rec.Code != http.StatusForbidden {
		t.Errorf("feedback without a user = %d, want 403", rec.Code)
	}
	if body := get(t, h, "/articles/"+id).Body.String(); strings.Contains(body, "/feedback") {
		t.Error("the article page offers feedback to a caller without a name")
	}
}

type httpResult struct {
	code     int
	location string
	body     string
}

// TestArticlePageHistory: the article page lists the edits and takedowns
// refetches found, an edit with its diff.
func TestArticlePageHistory(t *testing.T) {
	t.Parallel()
	f := newPagesFixture(t)
	a := testArticle(t, "https://example.org/vi/2", "vi", "Triệt phá đường dây mua bán người",
		"Ba đối tượng bị bắt.", t0.Add(-time.Hour), hitOf{"trafficking", news.FieldTitle, "mua bán người", false})
	save(t, f.st, a)
	body := f.page(t, "/articles/"+a.ID, viewerToken, http.StatusOK)
	wantIn(t, "article page without revisions", body, "No edit or takedown seen")
	for _, rev := range []store.RevisionRecord{
		{Revision: news.Revision{Time: t0, Kind: news.RevisionEdited, DiffSize: 60}, Text: "Năm đối tượng bị bắt.", Diff: "-Ba đối tượng bị bắt.\n+Năm đối tượng bị bắt.\n"},
		{Revision: news.Revision{Time: t0.Add(time.Hour), Kind: news.RevisionRemoved, Status: 410}},
	} {
		r := store.Refetch{ArticleID: a.ID, URL: a.URL, Due: t0}
		if _, err := f.st.SaveRefetch(store.RefetchDone{Done: r, Revision: &rev}); err != nil {
			t.Fatal(err)
		}
	}
	body = f.page(t, "/articles/"+a.ID, viewerToken, http.StatusOK)
	wantIn(t, "article page history", body, `<h2 id="h-history">History</h2>`, "<strong>edited</strong> (60 bytes of diff)",
		"-Ba đối tượng bị bắt.\n&#43;Năm đối tượng bị bắt.", "<strong>removed</strong> (status 410")
}
