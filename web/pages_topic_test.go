package web

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// rowIDs lists the articles of a listing page, in order.
func rowIDs(body string) []string {
	var ids []string
	for _, m := range regexp.MustCompile(`<li id="a-([0-9a-f]+)">`).FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// nextLink returns the page's link to older results, or "".
func nextLink(body string) string {
	m := regexp.MustCompile(`<a href="([^"]+)" rel="next">`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

func TestTopicPage(t *testing.T) {
	t.Parallel()
	f := newPagesFixture(t)
	near := testArticle(t, "https://example.org/near", "vi", "Cảnh báo lừa đảo việc làm",
		"Nhiều phụ nữ bị bán sang Campuchia sau lời hứa việc làm.", t0.Add(-time.Hour),
		hitOf{"trafficking", news.FieldText, "bị bán", false}, hitOf{"trafficking", news.FieldText, "Campuchia", true})
	save(t, f.st, near)
	body := f.page(t, "/topics/trafficking", viewerToken, http.StatusOK)
	vi, ar, ru := f.byLang(t, "vi"), f.byLang(t, "ar"), f.byLang(t, "ru")
	if got, want := rowIDs(body), []string{near.ID, ru.ID, ar.ID, vi.ID}; !slices.Equal(got, want) {
		t.Errorf("rows = %v, want newest first %v", got, want)
	}
	wantIn(t, "topic page", body,
		"Triệt phá đường dây <mark>mua bán người</mark> qua biên giới", // the decisive hit, in the title
		`<p class="evidence" lang="vi" dir="ltr">Nhiều phụ nữ <mark>bị bán</mark> sang Campuchia sau lời hứa việc làm.</p>`,
		"VietnamPlus (vi)", `<time datetime="2026-11-02T01:15:00Z">2026-11-02 01:15 &#43;00:00</time>`,
		"Precision, last 30 days", "Nobody has judged",
	)
	wantNotIn(t, "topic page", body, "<mark>Campuchia</mark>", `<mark class="context">`) // context words are not evidence
	wantIn(t, "topic page", body, `<a href="/topics/trafficking/matches.csv">`, `<a href="/topics/trafficking/matches.csv?bom=1">for Excel</a>`)
	wantNotIn(t, "topic page of a token's bearer", body, "feed.atom")
	if err := f.st.CreateUser(store.User{Name: "mai", Role: string(RoleViewer), FeedKey: "fk_secret", Created: t0}); err != nil {
		t.Fatal(err)
	}
	body = f.page(t, "/topics/trafficking?since=2026-11-01", viewerToken, http.StatusOK)
	wantIn(t, "topic page of a user", body, `<a href="/topics/trafficking/matches.csv?since=2026-11-01">`, `href="http://example.com/topics/trafficking/feed.atom?key=fk_secret"`)
	if attrs := titleAttrs(t, body, ar.ID); !strings.Contains(attrs, `lang="ar" dir="rtl"`) {
		t.Errorf("Arabic title link %s, want lang=ar dir=rtl", attrs)
	}
	if attrs := titleAttrs(t, body, ru.ID); !strings.Contains(attrs, `lang="ru" dir="ltr"`) {
		t.Errorf("Russian title link %s, want lang=ru dir=ltr", attrs)
	}
}

func TestTopicFilters(t *testing.T) {
	t.Parallel()
	f := newPagesFixture(t)
	vi, ar, ru := f.byLang(t, "vi"), f.byLang(t, "ar"), f.byLang(t, "ru")
	for _, tt := range []struct {
		query string
		want  []string
	}{
		{"lang=ar", []string{ar.ID}},
		{"lang=ar-EG", []string{ar.ID}},
		{"source=" + strings.ReplaceAll(vi.Source, " ", "+"), []string{vi.ID}},
		{"since=2026-11-10", []string{ru.ID, ar.ID}},
		{"until=2026-11-10", []string{ar.ID, vi.ID}}, // the whole day
		{"since=2026-11-03&until=2026-11-12T00:00:00Z", []string{ar.ID}},
		{"lang=zh", nil},
	} {
		body := f.page(t, "/topics/trafficking?"+tt.query, viewerToken, http.StatusOK)
		if got := rowIDs(body); !slices.Equal(got, tt.want) {
			t.Errorf("/topics/trafficking?%s rows = %v, want %v", tt.query, got, tt.want)
		}
	}
	for _, bad := range []string{"since=yesterday", "lang=Arabic", "since=2026-11-10&until=2026-11-01", "after=!!"} {
		body := f.page(t, "/topics/trafficking?"+bad, viewerToken, http.StatusBadRequest)
		wantIn(t, "page of "+bad, body, `class="notice error"`)
	}
	f.page(t, "/topics/nothing", viewerToken, http.StatusNotFound)
	f.page(t, "/topics/%3Cscript%3E", viewerToken, http.StatusNotFound)
}

// TestTopicPagination walks a topic of 60 matches page by page: newest
// first, each once, 25 a page, a filtered walk reading a bounded number
// of articles per page.
func TestTopicPagination(t *testing.T) {
	t.Parallel()
	f := newPagesFixture(t)
	var want []string
	var as []*news.Article
	for i := range 60 {
		l := []string{"en", "ar", "zh"}[i%3]
		a := testArticle(t, fmt.Sprintf("https://example.org/p/%d", i), l, fmt.Sprintf("Page test %d: United Nations", i), "",
			t0.Add(-time.Duration(i)*time.Hour), hitOf{"un", news.FieldTitle, "United Nations", false})
		as = append(as, a)
		want = append(want, a.ID)
	}
	save(t, f.st, as...)
	for _, a := range f.articles { // the fixture's own un matches are older
		if slices.Contains(a.Topics, "un") {
			want = append(want, a.ID)
		}
	}
	slices.SortStableFunc(want[60:], func(x, y string) int { return strings.Compare(y, x) })
	var got []string
	pages := 0
	for p := "/topics/un"; p != ""; pages++ {
		body := f.page(t, p, viewerToken, http.StatusOK)
		ids := rowIDs(body)
		if len(ids) > topicPageSize {
			t.Fatalf("page %d has %d rows", pages, len(ids))
		}
		got = append(got, ids...)
		p = nextLink(body)
		if pages > 0 {
			wantIn(t, "a later page", body, `<a href="/topics/un">Newest matches</a>`)
		}
	}
	if pages != 3 || !slices.Equal(got[:60], want[:60]) || len(got) != 62 {
		t.Errorf("%d pages, %d rows; want 3 pages of the 62 matches, newest first", pages, len(got))
	}
	var ar []string
	for p := "/topics/un?lang=ar"; p != ""; {
		body := f.page(t, p, viewerToken, http.StatusOK)
		ar = append(ar, rowIDs(body)...)
		p = nextLink(body)
		if p != "" && !strings.Contains(p, "lang=ar") {
			t.Errorf("next page %s loses the filter", p)
		}
	}
	if len(ar) != 21 { // 20 of the test's and the fixture's
		t.Errorf("lang=ar walk found %d rows, want 21", len(ar))
	}
}

func TestTopicPrecision(t *testing.T) {
	t.Parallel()
	f := newPagesFixture(t)
	vi, ar := f.byLang(t, "vi"), f.byLang(t, "ar")
	for _, l := range []store.Label{
		{ArticleID: vi.ID, Topic: "trafficking", User: "mai", Label: store.LabelRelevant, Lang: "vi", At: t0},
		{ArticleID: vi.ID, Topic: "trafficking", User: "an", Label: store.LabelRelevant, Lang: "vi", At: t0},
		{ArticleID: ar.ID, Topic: "trafficking", User: "mai", Label: store.LabelNotRelevant, Lang: "ar", At: t0},
		{ArticleID: ar.ID, Topic: "trafficking", User: "an", Label: store.LabelRelevant, Lang: "ar", At: t0},
		{ArticleID: ar.ID, Topic: "trafficking", User: "old", Label: store.LabelRelevant, Lang: "ar", At: t0.AddDate(0, 0, -40)},
	} {
		if err := f.st.SetLabel(l); err != nil {
			t.Fatal(err)
		}
	}
	body := f.page(t, "/topics/trafficking", viewerToken, http.StatusOK)
	wantIn(t, "precision", body,
		`<tr><th scope="row">ar</th><td class="num">1</td><td class="num">1</td><td class="num">50 %</td></tr>`,
		`<tr><th scope="row">vi</th><td class="num">2</td><td class="num">0</td><td class="num">100 %</td></tr>`,
	)
	// mai's own labels show on her rows
	row := body[strings.Index(body, `<li id="a-`+ar.ID):]
	row = row[:strings.Index(row, "</li>")]
	wantIn(t, "mai's row of the Arabic article", row, `value="not_relevant" aria-pressed="true"`, `value="relevant" aria-pressed="false"`, `value="clear"`)
}
