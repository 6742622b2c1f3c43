package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// A topic page lists topicPageSize matches; with a language or source
// filter it looks through at most topicBudget times store.Browse's scan
// factor of them (10,000) to fill the page.
const (
	topicPageSize = 25
	topicBudget   = 500
)

// topicData is the page of a topic.
type topicData struct {
	Topic     TopicInfo
	InForce   bool
	Filter    filter
	Problems  []string
	Sources   []string // suggestions for the source filter
	Rows      []articleRow
	Groups    []storyGroup // Rows by story
	Scan      scanned
	First     string // the first page, when this is a later one
	Precision []precisionRow
	CSV       string // the matches as CSV, with the filter's dates
	CSVExcel  string // the same with a byte-order mark, for Excel
	Feed      string // the topic's Atom feed with the user's feed key; "" without one
}

// precisionRow is what users judged of a topic's matches in a language.
type precisionRow struct {
	Lang                  string
	Relevant, NotRelevant int
	Percent               int // relevant of those judged
}

// topicPage serves GET /topics/{name}?lang=&source=&since=&until=&after=.
func (a *api) topicPage(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	list := a.topicList()
	i := slices.IndexFunc(list, func(t TopicInfo) bool { return t.Name == name })
	d := topicData{Topic: TopicInfo{Name: name}, InForce: i >= 0, Sources: a.sourceNames()}
	if d.InForce {
		d.Topic = list[i]
	}
	if !news.ValidTopicName(name) {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	d.Filter, d.Problems = readFilter(q)
	if len(d.Problems) > 0 {
		a.render(w, r, http.StatusBadRequest, "topic", "", d)
		return
	}
	after := q.Get("after")
	page, err := a.browseTopic(r.Context(), name, d.Filter, after)
	if errors.Is(err, store.ErrBadCursor) {
		d.Problems = []string{"the link to this page is damaged: start again from the newest matches"}
		a.render(w, r, http.StatusBadRequest, "topic", "", d)
		return
	}
	if err != nil {
		a.storeFailed(w, r, err)
		return
	}
	if !d.InForce && len(page.Articles) == 0 && after == "" {
		http.Error(w, "no topic "+name+" is in force or has matches", http.StatusNotFound)
		return
	}
	path := "/topics/" + url.PathEscape(name)
	d.Rows = a.rows(r, page.Articles, func(art *news.Article) []news.Hit { return decisive(art, name) }, name)
	if d.Groups, err = a.storyGroups(page.Articles, d.Rows, d.Filter.Lang); err != nil {
		a.storeFailed(w, r, err)
		return
	}
	d.Scan = scannedOf(page, topicPageSize, path, d.Filter.Values())
	if after != "" {
		d.First = pageURL(path, d.Filter.Values(), "")
	}
	if d.Precision, err = a.precision(r, name); err != nil {
		a.storeFailed(w, r, err)
		return
	}
	d.CSV, d.CSVExcel, d.Feed = a.topicLinks(r, path, d.Filter)
	a.render(w, r, http.StatusOK, "topic", "", d)
}

// topicLinks returns the links to a topic's matches as CSV (with the
// filter's dates, which the download honours), plain and with the UTF-8
// byte-order mark that Excel needs to read Arabic and Vietnamese, and to
// its Atom feed with the caller's feed key, if the caller is a user with
// one.
func (a *api) topicLinks(r *http.Request, path string, f filter) (csv, csvExcel, feed string) {
	v := url.Values{}
	for k, s := range map[string]string{"since": f.Since, "until": f.Until} {
		if s != "" {
			v.Set(k, s)
		}
	}
	csv = pageURL(path+"/matches.csv", v, "")
	v.Set("bom", "1")
	csvExcel = pageURL(path+"/matches.csv", v, "")
	if name := callerOf(r).name; name != "" {
		if u, err := a.pageStore().User(name); err == nil && u.FeedKey != "" {
			feed = dashboardBase(a.o, r) + path + "/feed.atom?" + url.Values{"key": {u.FeedKey}}.Encode()
		}
	}
	return csv, csvExcel, feed
}

// scannedOf describes how far page, of at most limit articles, read, with
// the link to the next page.
func scannedOf(page store.BrowsePage, limit int, path string, v url.Values) scanned {
	s := scanned{Read: page.Read, Oldest: page.Oldest, Partial: page.Next != "" && len(page.Articles) < limit}
	if page.Next != "" {
		s.More = pageURL(path, v, page.Next)
	}
	return s
}

// precision returns the labels users gave a topic's matches in the last
// 30 days, per language.
func (a *api) precision(r *http.Request, topic string) ([]precisionRow, error) {
	stats, err := a.pageStore().LabelStats(r.Context(), topic, a.now().Add(-30*24*time.Hour))
	if err != nil {
		return nil, err
	}
	var out []precisionRow
	for l, p := range stats {
		row := precisionRow{Lang: l, Relevant: p.Relevant, NotRelevant: p.NotRelevant}
		if n := p.Relevant + p.NotRelevant; n > 0 {
			row.Percent = (100*p.Relevant + n/2) / n
		}
		out = append(out, row)
	}
	slices.SortFunc(out, func(x, y precisionRow) int { return strings.Compare(x.Lang, y.Lang) })
	return out, nil
}
