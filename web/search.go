package web

import (
	"cmp"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/search"
	"github.com/newswatch/newswatch/store"
	"github.com/newswatch/newswatch/topic"
)

// Search runs a query of the topic language over the archive, newest
// first, through the search index (store.Search), a page at a time. While
// the index is being built, a page matches at most searchBudget articles
// (a bounded scan) and says how far back it looked.
const (
	searchPageSize = 20
	searchBudget   = 800
)

// searchTopic names the query while it is compiled.
const searchTopic = "search"

// searchData is the search page.
type searchData struct {
	Query    string
	Filter   filter
	Problems []string     // bad filters
	QueryErr *queryError  // where the query is wrong
	Sources  []string     // suggestions for the source filter
	Ran      bool         // a search ran
	Further  bool         // this page continues an earlier one
	Rows     []articleRow // results
	Indexed  bool         // the index answered; else Scan says how far the scan read
	Scan     scanned
	Save     saveForm
}

// queryError shows where a query is wrong: its line cut at the column.
type queryError struct {
	Line, Col         int
	Msg               string
	Before, At, After string // the line of the query around the column
}

// saveForm is the admin's form that saves the query as a topic.
type saveForm struct {
	Name   string
	Error  string
	status int // of the page showing Error
}

// searchPage serves GET /search?q=&lang=&source=&since=&until=&after=.
func (a *api) searchPage(w http.ResponseWriter, r *http.Request) {
	a.search(w, r, r.URL.Query(), saveForm{})
}

// search renders the search page for the parameters q, with the state of
// the save form.
func (a *api) search(w http.ResponseWriter, r *http.Request, q url.Values, save saveForm) {
	d := searchData{Query: q.Get("q"), Sources: a.sourceNames(), Save: save}
	d.Filter, d.Problems = readFilter(q)
	status := cmp.Or(save.status, http.StatusOK)
	if strings.TrimSpace(d.Query) == "" {
		a.render(w, r, status, "search", "search", d)
		return
	}
	sq, err := search.Compile(d.Query)
	if err == nil {
		sq, err = sq.InLang(d.Filter.Lang)
	}
	if err != nil {
		d.QueryErr = newQueryError(d.Query, err)
	}
	if d.QueryErr != nil || len(d.Problems) > 0 {
		a.render(w, r, http.StatusBadRequest, "search", "search", d)
		return
	}
	f := d.Filter
	req := store.Search{Query: sq, Source: f.Source, Since: f.since, Until: f.until, After: q.Get("after"), Limit: searchPageSize, Budget: searchBudget}
	page, err := a.pageStore().Search(r.Context(), req)
	if errors.Is(err, store.ErrBadCursor) {
		d.Problems = []string{"the link to this page is damaged: search again from the newest articles"}
		a.render(w, r, http.StatusBadRequest, "search", "search", d)
		return
	}
	if err != nil {
		a.storeFailed(w, r, err)
		return
	}
	hits := map[string][]news.Hit{}
	arts := make([]*news.Article, len(page.Results))
	for i, res := range page.Results {
		arts[i], hits[res.Article.ID] = res.Article, res.Hits
	}
	d.Ran, d.Further, d.Indexed = true, req.After != "", page.Indexed
	d.Rows = a.rows(r, arts, func(art *news.Article) []news.Hit { return hits[art.ID] }, "")
	v := d.Filter.Values()
	v.Set("q", d.Query)
	d.Scan = scannedOf(store.BrowsePage{Articles: arts, Next: page.Next, Read: page.Read, Oldest: page.Oldest}, searchPageSize, "/search", v)
	a.render(w, r, status, "search", "search", d)
}

// newQueryError locates a compile error in query: a *topic.SyntaxError
// gives the line and column (in characters); another error only its text.
func newQueryError(query string, err error) *queryError {
	var se *topic.SyntaxError
	if !errors.As(err, &se) {
		return &queryError{Msg: strings.TrimPrefix(err.Error(), `topic "`+searchTopic+`": `)}
	}
	qe := &queryError{Line: se.Line, Col: se.Col, Msg: se.Msg}
	lines := strings.Split(query, "\n")
	if se.Line < 1 || se.Line > len(lines) {
		return qe
	}
	line := []rune(lines[se.Line-1])
	col := min(max(se.Col-1, 0), len(line))
	qe.Before = string(line[:col])
	if col < len(line) {
		qe.At, qe.After = string(line[col]), string(line[col+1:])
	}
	return qe
}

// saveSearch serves POST /topics (admin): the form's query saved as a
// topic named name, kept in the store and matched by the daemon from now
// on; then 303 to the topic's page. A bad name or query, or a name in
// use, shows the search page again with the reason.
func (a *api) saveSearch(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	name, query := strings.TrimSpace(r.PostForm.Get("name")), r.PostForm.Get("q")
	if a.o.Control == nil {
		a.search(w, r, r.PostForm, saveForm{Name: name, Error: ErrNoDaemon.Error(), status: statusOf(ErrNoDaemon)})
		return
	}
	if _, err := a.o.Control.SaveTopic(r.Context(), name, query, callerOf(r).name); err != nil {
		a.search(w, r, r.PostForm, saveForm{Name: name, Error: err.Error(), status: statusOf(err)})
		return
	}
	http.Redirect(w, r, "/topics/"+url.PathEscape(name), http.StatusSeeOther)
}
