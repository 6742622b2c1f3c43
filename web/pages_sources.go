package web

import (
	"cmp"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/parser"
	"github.com/newswatch/newswatch/store"
)

// sourcesPerPage bounds the feeds of one sources page (each row carries
// a chart and, for an admin, a form).
const sourcesPerPage = 50

// sourcesData is the sources page.
type sourcesData struct {
	Rows         []sourceRow
	Total        int
	Health       map[string]int // feeds per health state
	Page, Pages  int
	Prev, Next   string
	Notice       *notice
	Add          FeedSpec // the add form, filled again after an error
	LangExamples []string
}

// sourceRow is a feed with its articles per day over chartDays days.
type sourceRow struct {
	FeedHealth
	Lang      string
	Month     int // articles in the chart
	Chart     chart
	Removable bool // added at run time
}

// sourcesPage serves GET /sources?page=N.
func (a *api) sourcesPage(w http.ResponseWriter, r *http.Request) {
	a.sources(w, r, http.StatusOK, nil, FeedSpec{})
}

// sources renders the sources page with the outcome of a form.
func (a *api) sources(w http.ResponseWriter, r *http.Request, status int, n *notice, add FeedSpec) {
	states, err := a.o.Store.Feeds()
	if err != nil {
		a.storeFailed(w, r, err)
		return
	}
	feeds := a.o.feeds()
	rows := sourceRows(feeds, states, a.now())
	d := sourcesData{Total: len(rows), Health: map[string]int{}, Notice: n, Add: add, LangExamples: monitoredLangs}
	for _, row := range rows {
		d.Health[row.Health]++
	}
	d.Pages = max(1, (len(rows)+sourcesPerPage-1)/sourcesPerPage)
	d.Page = 1
	if p, err := strconv.Atoi(r.URL.Query().Get("page")); err == nil && r.Method == http.MethodGet {
		d.Page = min(max(p, 1), d.Pages)
	}
	d.Rows = rows[min(len(rows), (d.Page-1)*sourcesPerPage):min(len(rows), d.Page*sourcesPerPage)]
	if d.Page > 1 {
		d.Prev = fmt.Sprintf("/sources?page=%d", d.Page-1)
	}
	if d.Page < d.Pages {
		d.Next = fmt.Sprintf("/sources?page=%d", d.Page+1)
	}
	a.render(w, r, status, "sources", "sources", d)
}

// sourceRows joins the feeds in force with their states, the feeds that
// need a look first (failing, rule_broken, quiet, never polled), each
// group in the order of the feeds.
func sourceRows(feeds []news.Feed, states []store.FeedState, now time.Time) []sourceRow {
	byURL := make(map[string]store.FeedState, len(states))
	for _, s := range states {
		byURL[s.URL] = s
	}
	health := FeedHealthRows(feeds, states)
	rows := make([]sourceRow, len(feeds))
	today := now.UTC().Truncate(24 * time.Hour)
	for i, f := range feeds {
		counts := byURL[f.URL].ArticlesPerDay(now, chartDays)
		row := sourceRow{FeedHealth: health[i], Lang: f.Lang, Chart: newChart(counts, today, "articles"), Removable: f.Origin == news.OriginAdded}
		for _, n := range counts {
			row.Month += n
		}
		rows[i] = row
	}
	slices.SortStableFunc(rows, func(x, y sourceRow) int { return cmp.Compare(healthRank(x.Health), healthRank(y.Health)) })
	return rows
}

// healthRank orders feeds by how urgently they need a look.
func healthRank(h string) int {
	switch news.SourceHealth(h) {
	case news.HealthFailing:
		return 0
	case news.HealthRuleBroken:
		return 1
	case news.HealthQuiet:
		return 2
	case news.HealthOK:
		return 4
	}
	return 3 // unknown: never polled
}

// addSource serves POST /sources/add (admin): url, name, lang.
func (a *api) addSource(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	spec := FeedSpec{URL: strings.TrimSpace(r.PostForm.Get("url")), Name: strings.TrimSpace(r.PostForm.Get("name")), Lang: strings.TrimSpace(r.PostForm.Get("lang"))}
	res, err := a.addFeeds(r, []FeedSpec{spec}, "dashboard")
	switch {
	case err != nil:
		a.sources(w, r, statusOf(err), &notice{Error: true, Text: err.Error()}, spec)
	case len(res.Skipped) > 0:
		status := http.StatusBadRequest
		if strings.HasPrefix(res.Skipped[0].Reason, AlreadyWatched) {
			status = http.StatusConflict
		}
		a.sources(w, r, status, &notice{Error: true, Text: fmt.Sprintf("Not added: %s: %s", res.Skipped[0].URL, res.Skipped[0].Reason)}, spec)
	default:
		a.sources(w, r, http.StatusOK, &notice{Text: fmt.Sprintf("Added %s; it is polled at once.", news.RedactURL(spec.URL))}, FeedSpec{})
	}
}

// addFeeds adds feeds through the Control.
func (a *api) addFeeds(r *http.Request, specs []FeedSpec, via string) (AddFeedsResult, error) {
	if a.o.Control == nil {
		return AddFeedsResult{}, ErrNoDaemon
	}
	return a.o.Control.AddFeeds(r.Context(), specs, via)
}

// removeSource serves POST /sources/remove (admin): url, as the page
// shows it (credentials redacted).
func (a *api) removeSource(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	shown := r.PostForm.Get("url")
	u := shown
	for _, f := range a.o.feeds() { // the page shows URLs redacted: find the real one
		if f.URL == shown || news.RedactURL(f.URL) == shown {
			u = f.URL
			break
		}
	}
	if a.o.Control == nil {
		a.sources(w, r, statusOf(ErrNoDaemon), &notice{Error: true, Text: ErrNoDaemon.Error()}, FeedSpec{})
		return
	}
	f, err := a.o.Control.RemoveFeed(r.Context(), u)
	if err != nil {
		a.sources(w, r, statusOf(err), &notice{Error: true, Text: err.Error()}, FeedSpec{})
		return
	}
	a.sources(w, r, http.StatusOK, &notice{Text: fmt.Sprintf("Removed %s. Its articles stay in the archive.", cmp.Or(f.Name, news.RedactURL(f.URL)))}, FeedSpec{})
}

// maxNoticeItems bounds the skipped feeds an import lists.
const maxNoticeItems = 50

// importSources serves POST /sources/import (admin): a multipart form
// with an OPML file in the field opml.
func (a *api) importSources(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxRequestBody)
	file, hdr, err := r.FormFile("opml")
	if err != nil {
		a.sources(w, r, http.StatusBadRequest, &notice{Error: true, Text: "choose an OPML file to import: " + err.Error()}, FeedSpec{})
		return
	}
	defer file.Close()
	body, err := io.ReadAll(file)
	if err != nil {
		a.sources(w, r, http.StatusBadRequest, &notice{Error: true, Text: "OPML file: " + err.Error()}, FeedSpec{})
		return
	}
	feeds, err := parser.ParseOPML(body)
	if err != nil {
		a.sources(w, r, http.StatusBadRequest, &notice{Error: true, Text: fmt.Sprintf("%s: %v", hdr.Filename, err)}, FeedSpec{})
		return
	}
	specs := make([]FeedSpec, len(feeds))
	for i, f := range feeds {
		specs[i] = FeedSpec{URL: f.URL, Name: f.Name, Lang: f.Lang}
	}
	res, err := a.addFeeds(r, specs, "feeds import "+cmp.Or(hdr.Filename, "OPML"))
	if err != nil {
		a.sources(w, r, statusOf(err), &notice{Error: true, Text: err.Error()}, FeedSpec{})
		return
	}
	n := &notice{Text: fmt.Sprintf("Imported %s: %d feeds added, %d skipped.", hdr.Filename, len(res.Added), len(res.Skipped))}
	for _, sk := range res.Skipped[:min(len(res.Skipped), maxNoticeItems)] {
		n.Items = append(n.Items, sk.URL+": "+sk.Reason)
	}
	a.sources(w, r, http.StatusOK, n, FeedSpec{})
}
