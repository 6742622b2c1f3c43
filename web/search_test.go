package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newswatch/newswatch/news"
)

func TestSearch(t *testing.T) {
	t.Parallel()
	f := newPagesFixture(t)
	vi, ar, zh, ru, es := f.byLang(t, "vi"), f.byLang(t, "ar"), f.byLang(t, "zh"), f.byLang(t, "ru"), f.byLang(t, "es")
	for _, tt := range []struct {
		query string
		want  []string
	}{
		{`q="mua bán người" OR "الاتجار بالبشر"`, []string{ar.ID, vi.ID}},
		{`q=联合国 OR "торговл* людьми"`, []string{zh.ID, ru.ID}},
		{`q=linternas`, []string{es.ID}}, // an article no topic matched
		{`q="الاتجار بالبشر" OR "mua bán người"&lang=vi`, []string{vi.ID}},
		{`q=联合国&until=2026-11-19`, nil},
		{`q=联合国&since=2026-11-19&source=UN+News+(zh)`, []string{zh.ID}},
		{`q=nothing`, nil},
	} {
		v, _ := url.ParseQuery(tt.query)
		body := f.page(t, "/search?"+v.Encode(), viewerToken, http.StatusOK)
		if got := rowIDs(body); !slices.Equal(got, tt.want) {
			t.Errorf("/search?%s rows = %v, want %v", tt.query, got, tt.want)
		}
		wantIn(t, "search "+tt.query, body, fmt.Sprintf("%d article", len(tt.want)), `aria-current="page">Search`)
	}
	body := f.page(t, "/search?q="+url.QueryEscape(`"mua bán người"`), viewerToken, http.StatusOK)
	wantIn(t, "search results", body, "Triệt phá đường dây <mark>mua bán người</mark> qua biên giới", "1 article.")
	wantIn(t, "empty search", f.page(t, "/search", viewerToken, http.StatusOK), `<textarea id="q" name="q"`)
}

// TestSearchErrors: a wrong query shows where it is wrong, in the page.
func TestSearchErrors(t *testing.T) {
	t.Parallel()
	f := newPagesFixture(t)
	for _, tt := range []struct {
		query string
		want  []string
	}{
		{"(united OR nations", []string{"line 1, column 19", `expected &#34;)&#34;`, `<bdi>(united OR nations</bdi><mark> </mark>`}},
		{"trafficking AND\nOR <b>", []string{"line 2, column 1", "<bdi></bdi><mark><bdi>O</bdi></mark><bdi>R &lt;b&gt;</bdi>"}},
		{`"الاتجار بالبشر" NEAR/x بيع`, []string{"line 1, column 23", "expected a distance"}},
		{"NOT trafficking", []string{"line 1, column 1", "not under NOT"}},
	} {
		body := f.page(t, "/search?q="+url.QueryEscape(tt.query), viewerToken, http.StatusBadRequest)
		wantIn(t, fmt.Sprintf("search %q", tt.query), body, append(tt.want, `aria-invalid="true"`, "The query is wrong")...)
		if ids := rowIDs(body); len(ids) > 0 {
			t.Errorf("search %q lists %v", tt.query, ids)
		}
	}
	f.page(t, "/search?q=un&since=soon", viewerToken, http.StatusBadRequest)
	f.page(t, "/search?q=un&after=%25", viewerToken, http.StatusBadRequest)
}

// TestSearchBudget: a search goes through the index and pages its
// results; while the index is being built, it reads at most searchBudget
// articles per request, says how far it went, and searches further from
// there.
func TestSearchBudget(t *testing.T) {
	t.Parallel()
	f := newPagesFixture(t)
	n := searchBudget + 300
	var as []*news.Article
	for i := range n {
		title := fmt.Sprintf("Ordinary news %d", i)
		if i == n-1 || i == n-2 { // the two oldest, beyond the first budget
			title = fmt.Sprintf("Needle story %d", i)
		}
		as = append(as, testArticle(t, fmt.Sprintf("https://example.org/budget/%d", i), "en", title, "", t0.Add(-time.Duration(i)*time.Minute)))
	}
	for i := 0; i < n; i += 500 {
		save(t, f.st, as[i:min(i+500, n)]...)
	}
	body := f.page(t, "/search?q=needle", viewerToken, http.StatusOK)
	if got, want := rowIDs(body), []string{as[n-2].ID, as[n-1].ID}; !slices.Equal(got, want) {
		t.Errorf("search through the index found %v, want %v", got, want)
	}
	wantIn(t, "indexed search", body, "2 articles.")
	body = f.page(t, "/search?q=ordinary", viewerToken, http.StatusOK)
	wantIn(t, "first page of many", body, "20 articles; more below.", "Older results")
	if got := rowIDs(f.page(t, nextLink(body), viewerToken, http.StatusOK)); len(got) != searchPageSize || got[0] != as[searchPageSize].ID {
		t.Errorf("second page = %v, want %d rows from %s", got, searchPageSize, as[searchPageSize].ID)
	}

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := f.st.Reindex(ctx, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("Reindex(cancelled) = %v, want the index emptied and left to build", err)
	}
	body = f.page(t, "/search?q=needle", viewerToken, http.StatusOK)
	wantIn(t, "first search page", body, fmt.Sprintf("searched the %d newest articles, back to", searchBudget), "; 0 matched.", "Search further back")
	more := nextLink(body)
	if !strings.Contains(more, "q=needle") || !strings.Contains(more, "after=") {
		t.Fatalf("search further link = %q", more)
	}
	body = f.page(t, more, viewerToken, http.StatusOK)
	if got, want := rowIDs(body), []string{as[n-2].ID, as[n-1].ID}; !slices.Equal(got, want) {
		t.Errorf("searching further found %v, want %v", got, want)
	}
	wantIn(t, "second search page", body, "searched 306 more articles: every article in range; 2 matched.") // 300 more, and the fixture's 6
}

func TestSaveSearch(t *testing.T) {
	t.Parallel()
	f := newPagesFixture(t)
	form := url.Values{"q": {`"mua bán người" OR 拐卖`}, "name": {"trafficking-vi-zh"}, "lang": {"vi"}}
	rec := do(t, f.h, http.MethodPost, "/topics", adminToken, form)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/topics/trafficking-vi-zh" {
		t.Fatalf("POST /topics = %d to %q, want 303 to the topic", rec.Code, rec.Header().Get("Location"))
	}
	if len(f.ctl.saved) != 1 || f.ctl.saved[0].Query != form.Get("q") || f.ctl.saved[0].By != "boss" {
		t.Errorf("saved %+v, want the query saved by boss", f.ctl.saved)
	}
	body := f.page(t, "/", viewerToken, http.StatusOK)
	wantIn(t, "overview", body, `<a href="/topics/trafficking-vi-zh">trafficking-vi-zh</a>`, "saved by boss")
	for _, tt := range []struct {
		name string
		code int
		want string
	}{
		{"trafficking", http.StatusConflict, "exists"},
		{"bad name!", http.StatusBadRequest, "use 1 to 64 letters"},
	} {
		form.Set("name", tt.name)
		rec := do(t, f.h, http.MethodPost, "/topics", adminToken, form)
		if rec.Code != tt.code {
			t.Errorf("save as %q = %d, want %d", tt.name, rec.Code, tt.code)
		}
		wantIn(t, "save as "+tt.name, rec.Body.String(), tt.want, `id="save-error"`, `<textarea id="q" name="q"`, `value="`+strings.ReplaceAll(tt.name, "!", "!")+`"`)
	}
}
