package web

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestAPISearch calls GET /api/search through the Client over HTTP.
func TestAPISearch(t *testing.T) {
	t.Parallel()
	f := newPagesFixture(t)
	srv := httptest.NewServer(f.h)
	t.Cleanup(srv.Close)
	c := NewClient(srv.URL, viewerToken, nil)
	vi, ar := f.byLang(t, "vi"), f.byLang(t, "ar")

	res, err := c.Search(t.Context(), url.Values{"q": {`"mua bán người" OR "الاتجار بالبشر"`}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Results) != 2 || res.Results[0].ID != ar.ID || res.Results[1].ID != vi.ID || !res.Indexed || res.Next != "" {
		t.Fatalf("Search() = %+v, want the Arabic then the Vietnamese article, through the index, one page", res)
	}
	if r := res.Results[1]; r.Term != "mua bán người" || r.Field != "title" || !strings.Contains(r.Snippet, "mua bán người") || r.Published == nil {
		t.Errorf("result %+v, want its first decisive hit with a snippet", r)
	}

	page1, err := c.Search(t.Context(), url.Values{"q": {`"mua bán người" OR "الاتجار بالبشر"`}, "limit": {"1"}})
	if err != nil || len(page1.Results) != 1 || page1.Next == "" {
		t.Fatalf("Search(limit 1) = %+v, %v, want one result and a next page", page1, err)
	}
	page2, err := c.Search(t.Context(), url.Values{"q": {`"mua bán người" OR "الاتجار بالبشر"`}, "limit": {"1"}, "after": {page1.Next}})
	if err != nil || len(page2.Results) != 1 || page2.Results[0].ID != vi.ID {
		t.Errorf("Search(after) = %+v, %v, want the Vietnamese article", page2, err)
	}
	if res, err := c.Search(t.Context(), url.Values{"q": {`"mua bán người" OR "الاتجار بالبشر"`}, "lang": {"vi-VN"}}); err != nil || len(res.Results) != 1 || res.Results[0].ID != vi.ID {
		t.Errorf("Search(lang vi-VN) = %+v, %v, want the Vietnamese article", res, err)
	}

	for _, tt := range []struct {
		q    url.Values
		want string
	}{
		{url.Values{"q": {"(united OR nations"}}, "q: 1:19: expected"},
		{url.Values{"q": {" "}}, "q: want a query"},
		{url.Values{"q": {"un"}, "limit": {"0"}}, "limit"},
		{url.Values{"q": {"un"}, "lang": {"??"}}, "lang"},
		{url.Values{"q": {"un"}, "since": {"soon"}}, "since"},
		{url.Values{"q": {"un"}, "topic": {"nope"}}, "unknown topic"},
		{url.Values{"q": {"un"}, "sort": {"old"}}, "unknown parameter"},
		{url.Values{"q": {"un"}, "after": {"%%"}}, "after"},
	} {
		_, err := c.Search(t.Context(), tt.q)
		var ae *APIError
		if !errors.As(err, &ae) || ae.Status != http.StatusBadRequest || !strings.Contains(ae.Message, tt.want) {
			t.Errorf("Search(%v) = %v, want 400 saying %q", tt.q, err, tt.want)
		}
	}
}
