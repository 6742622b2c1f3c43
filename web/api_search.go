package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/newswatch/newswatch/export"
	"github.com/newswatch/newswatch/lang"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/search"
	"github.com/newswatch/newswatch/store"
	"github.com/newswatch/newswatch/topic"
)

// SearchResult is one article of a search: its identity, and the first
// decisive hit of the query in it with its snippet.
type SearchResult struct {
	ID        string     `json:"id"`
	URL       string     `json:"url"`
	Title     string     `json:"title"`
	Source    string     `json:"source"`
	Lang      string     `json:"lang"`
	Published *time.Time `json:"published"` // null when the source gave no date
	Fetched   time.Time  `json:"fetched"`
	Topics    []string   `json:"topics"`
	Term      string     `json:"term"`
	Field     string     `json:"field"`
	Snippet   string     `json:"snippet"`
}

// SearchResults is the answer of GET /api/search: a page of results,
// newest first.
type SearchResults struct {
	Results []SearchResult `json:"results"`
	// Next is the after parameter of the next page; empty at the end.
	Next string `json:"next,omitempty"`
	// Indexed is false while the search index is being built: the
	// archive was scanned instead (same results, slower).
	Indexed bool `json:"indexed"`
}

// Bounds of a page of /api/search.
const (
	defaultSearchLimit = 20
	maxSearchLimit     = 1000
)

var searchParams = []string{"q", "since", "until", "lang", "topic", "limit", "after"}

// apiSearch serves GET /api/search?q=QUERY&since=&until=&lang=&topic=&limit=&after=.
func (a *api) apiSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if !checkParams(w, q, searchParams...) {
		return
	}
	sq, err := searchRequest(q)
	if err == nil && sq.Topic != "" {
		err = a.o.knownTopic(sq.Topic)
	}
	if err != nil {
		badRequest(w, "search: %v", err)
		return
	}
	page, err := a.pageStore().Search(r.Context(), sq)
	if errors.Is(err, store.ErrBadCursor) {
		badRequest(w, "search: after: %v", err)
		return
	}
	if err != nil {
		writeError(w, err)
		return
	}
	out := SearchResults{Results: []SearchResult{}, Next: page.Next, Indexed: page.Indexed}
	for _, res := range page.Results {
		out.Results = append(out.Results, newSearchResult(res))
	}
	writeJSON(w, http.StatusOK, out)
}

// searchRequest reads the parameters of /api/search.
func searchRequest(q url.Values) (store.Search, error) {
	text := q.Get("q")
	if strings.TrimSpace(text) == "" {
		return store.Search{}, errors.New("q: want a query of the topic language")
	}
	sq, err := search.Compile(text)
	if err != nil {
		return store.Search{}, queryProblem(err)
	}
	var o export.Options
	if problems := timeRange(q, &o); len(problems) > 0 {
		return store.Search{}, errors.New(strings.Join(problems, "; "))
	}
	l := q.Get("lang")
	if l != "" {
		if l = lang.Normalize(l); l == "" {
			return store.Search{}, fmt.Errorf("lang %q: want a language code such as vi, en or ar", q.Get("lang"))
		}
		if sq, err = sq.InLang(l); err != nil {
			return store.Search{}, err
		}
	}
	limit := defaultSearchLimit
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > maxSearchLimit {
			return store.Search{}, fmt.Errorf("limit %q: want 1 to %d", v, maxSearchLimit)
		}
	}
	t := q.Get("topic")
	if t != "" && !news.ValidTopicName(t) {
		return store.Search{}, fmt.Errorf("topic %q: a topic name is letters, digits, '-' and '_'", t)
	}
	return store.Search{Query: sq, Topic: t, Since: o.Since, Until: o.Until, After: q.Get("after"), Limit: limit}, nil
}

// queryProblem says where a query is wrong: "query 1:7: expected ...".
func queryProblem(err error) error {
	if se, ok := errors.AsType[*topic.SyntaxError](err); ok {
		return fmt.Errorf("q: %d:%d: %s", se.Line, se.Col, se.Msg)
	}
	return fmt.Errorf("q: %v", err)
}

// newSearchResult is the API form of a result.
func newSearchResult(res store.SearchResult) SearchResult {
	a := res.Article
	r := SearchResult{ID: a.ID, URL: a.URL, Title: a.Title, Source: a.Source, Lang: a.Lang, Fetched: a.Fetched.UTC(), Topics: a.Topics}
	if r.Topics == nil {
		r.Topics = []string{}
	}
	if !a.Published.IsZero() {
		p := a.Published.UTC()
		r.Published = &p
	}
	if h, ok := firstDecisive(res.Hits); ok {
		r.Term, r.Field, r.Snippet = h.Term, h.Field, h.Snippet
	}
	return r
}

// firstDecisive returns the first hit that is not mere context of a NEAR.
func firstDecisive(hits []news.Hit) (news.Hit, bool) {
	for _, h := range hits {
		if !h.Context {
			return h, true
		}
	}
	if len(hits) > 0 {
		return hits[0], true
	}
	return news.Hit{}, false
}

// Search runs GET /api/search with the parameters q (see searchRequest).
func (c *Client) Search(ctx context.Context, q url.Values) (SearchResults, error) {
	var out SearchResults
	err := c.call(ctx, http.MethodGet, "/api/search", q, nil, &out)
	return out, err
}
