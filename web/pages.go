package web

import (
	"context"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/newswatch/newswatch/export"
	"github.com/newswatch/newswatch/lang"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// The dashboard's pages (the templates under ui/templates):
//
//	GET  /                         overview: topics with counts and charts, latest matches, failing feeds, alerts
//	GET  /topics/{name}            a topic's matches, newest first, filtered, with relevance feedback
//	GET  /articles/{id}            an article with its hits highlighted, alerts and feedback
//	POST /articles/{id}/feedback   record a user's judgement: topic, label, return
//	GET  /search                   the query language over the archive, through the search index
//	POST /topics                   (admin) save a query as a topic
//	GET  /sources                  every feed's health; (admin) add, remove, import OPML
//	GET  /alerts                   the outbox by state; (admin) retry, send a test alert
//
// Every page is server-rendered and works with JavaScript off; every
// listing reads a bounded amount of the store (store.Browse, store.Outbox).

// PageStore is what the pages read from the store, and the one thing
// they write to it themselves: relevance labels.
type PageStore interface {
	Browse(ctx context.Context, b store.Browse) (store.BrowsePage, error)
	Search(ctx context.Context, q store.Search) (store.SearchPage, error)
	TopicTimes(topic string, since, until time.Time, fn func(time.Time)) error
	Outbox(q store.OutboxQuery) (store.OutboxPage, error)
	Alert(id string) (news.Alert, error)
	ArticleLabels(articleID string) ([]store.Label, error)
	UserLabels(user string, articleIDs []string) (map[string]map[string]string, error)
	LabelStats(ctx context.Context, topic string, since time.Time) (map[string]store.Precision, error)
	SetLabel(l store.Label) error
	User(name string) (store.User, error)
}

// routePages adds the dashboard's pages and forms to mux.
func (a *api) routePages(mux *http.ServeMux) {
	read := func(pattern string, h http.HandlerFunc) { mux.Handle(pattern, a.require(RoleViewer, h)) }
	admin := func(pattern string, h http.HandlerFunc) { mux.Handle(pattern, a.require(RoleAdmin, h)) }
	read("GET /{$}", a.overview)
	read("GET /api/{$}", a.index)
	read("GET /topics/{name}", a.topicPage)
	read("GET /articles/{id}", a.articlePage)
	read("GET /stories/{id}", a.storyPage)
	read("POST /articles/{id}/feedback", a.feedback) // a viewer judges too
	read("GET /search", a.searchPage)
	admin("POST /topics", a.saveSearch)
	read("GET /sources", a.sourcesPage)
	admin("POST /sources/add", a.addSource)
	admin("POST /sources/remove", a.removeSource)
	admin("POST /sources/import", a.importSources)
	read("GET /alerts", a.alertsPage)
	admin("POST /alerts/retry", a.retryAlert)
	admin("POST /alerts/test", a.testAlert)
}

func init() { maps.Copy(templateFuncs, pageFuncs) }

// pageFuncs are the template functions of the pages.
var pageFuncs = template.FuncMap{
	"textDir": textDir,
	"stamp":   stamp,
	"query":   func(v url.Values) string { return v.Encode() },
}

// textDir is the dir attribute of a text in language tag: rtl or ltr
// (lang.Dir) when the language is known, auto otherwise, so the browser
// decides from the text's first strong letter.
func textDir(tag string) string {
	if lang.Normalize(tag) == "" {
		return "auto"
	}
	return lang.Dir(tag)
}

// stamp shows t in UTC with its offset, minutes precision; the page's
// script shows it in the viewer's time zone instead.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 -07:00") }

// Admin reports whether the page is shown to an admin, who sees the
// forms that change things.
func (p page) Admin() bool { return p.Role == RoleAdmin }

// notice is the outcome of a form, shown at the top of the page it
// returns to.
type notice struct {
	Error bool
	Text  string
	Items []string // details: skipped feeds with their reasons
}

// pageStore returns the store's page view.
func (a *api) pageStore() PageStore { return a.o.Store }

// indexTime is the time an article is listed by: published, or fetched.
func indexTime(art *news.Article) time.Time {
	if art.Published.IsZero() {
		return art.Fetched
	}
	return art.Published
}

// filter is the filter form of the topic page and the search page.
type filter struct {
	Lang, Source, Since, Until string
	since, until               time.Time
}

// monitoredLangs are offered in the language filter.
var monitoredLangs = []string{"vi", "en", "ar", "fr", "es", "ru", "zh"}

// Langs returns the languages the filter offers, with the one chosen.
func (f filter) Langs() []string {
	if f.Lang == "" || slices.Contains(monitoredLangs, f.Lang) {
		return monitoredLangs
	}
	return append(monitoredLangs[:len(monitoredLangs):len(monitoredLangs)], f.Lang)
}

// readFilter reads lang, source, since and until. A date alone as until
// includes that day.
func readFilter(q url.Values) (filter, []string) {
	f := filter{Lang: lang.Normalize(q.Get("lang")), Source: strings.TrimSpace(q.Get("source")), Since: q.Get("since"), Until: q.Get("until")}
	var problems []string
	if q.Get("lang") != "" && f.Lang == "" {
		problems = append(problems, fmt.Sprintf("lang %q: want a language code such as vi, en or ar", q.Get("lang")))
	}
	var err error
	if f.since, err = export.ParseTime("since", f.Since); err != nil {
		problems = append(problems, err.Error())
	}
	if f.until, err = export.ParseTime("until", f.Until); err != nil {
		problems = append(problems, err.Error())
	} else if len(f.Until) == len(time.DateOnly) {
		f.until = f.until.AddDate(0, 0, 1)
	}
	if !f.since.IsZero() && !f.until.IsZero() && !f.since.Before(f.until) {
		problems = append(problems, "since "+f.Since+" is not before until "+f.Until)
	}
	return f, problems
}

// browse returns the store query of the filter, from the cursor after.
func (f filter) browse(after string) store.Browse {
	return store.Browse{Lang: f.Lang, Source: f.Source, Since: f.since, Until: f.until, After: after}
}

// Values returns the filter as query parameters.
func (f filter) Values() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"lang": f.Lang, "source": f.Source, "since": f.Since, "until": f.Until} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// sourceNames returns the names of the feeds in force, for the source
// filter's suggestions.
func (a *api) sourceNames() []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range a.o.feeds() {
		if f.Name != "" && !seen[f.Name] {
			seen[f.Name] = true
			out = append(out, f.Name)
		}
	}
	return out
}

// scanned describes how far a bounded listing read: the articles read,
// back to when, and the link that reads further.
type scanned struct {
	Read    int
	Oldest  time.Time
	More    string // the URL of the next page, "" at the end
	Partial bool   // the page stopped at its read budget, not its size
}

// pageURL returns path with the values v and after set as the cursor.
func pageURL(path string, v url.Values, after string) string {
	w := maps.Clone(v)
	if w == nil {
		w = url.Values{}
	}
	w.Del("after")
	if after != "" {
		w.Set("after", after)
	}
	if len(w) == 0 {
		return path
	}
	return path + "?" + w.Encode()
}

// parseForm reads a urlencoded form of at most 64 KB.
func parseForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "form: "+err.Error(), http.StatusBadRequest)
		return false
	}
	return true
}
