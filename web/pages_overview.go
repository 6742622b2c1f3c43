package web

import (
	"net/http"
	"slices"
	"time"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// Sizes of the overview's lists.
const (
	overviewLatest  = 15
	overviewFailing = 20
	chartDays       = 30
)

// overviewData is the overview page.
type overviewData struct {
	Topics      []topicSummary
	Latest      []articleRow
	Failing     []FeedHealth // failing, quiet or rule_broken feeds, failing first
	MoreFailing int          // beyond those listed
	Pending     int
	Failed      int
}

// topicSummary is a topic in force with its recent matches.
type topicSummary struct {
	TopicInfo
	Day, Week, Month int // matches in the last 24 hours, 7 and 30 days
	Chart            chart
}

// overview serves GET /: what needs attention first.
func (a *api) overview(w http.ResponseWriter, r *http.Request) {
	now := a.now()
	var d overviewData
	var err error
	for _, t := range a.topicList() {
		s := topicSummary{TopicInfo: t}
		if s.Day, s.Week, s.Month, s.Chart, err = a.topicActivity(t.Name, now); err != nil {
			a.storeFailed(w, r, err)
			return
		}
		d.Topics = append(d.Topics, s)
	}
	page, err := a.pageStore().Browse(r.Context(), store.Browse{MatchedOnly: true, Limit: overviewLatest, Budget: 40 * overviewLatest})
	if err != nil {
		a.storeFailed(w, r, err)
		return
	}
	d.Latest = a.rows(r, page.Articles, func(*news.Article) []news.Hit { return nil }, "")
	states, err := a.o.Store.Feeds()
	if err != nil {
		a.storeFailed(w, r, err)
		return
	}
	d.Failing = troubled(FeedHealthRows(a.o.feeds(), states))
	if len(d.Failing) > overviewFailing {
		d.MoreFailing, d.Failing = len(d.Failing)-overviewFailing, d.Failing[:overviewFailing]
	}
	out, err := a.pageStore().Outbox(store.OutboxQuery{State: news.AlertFailed, Limit: 1})
	if err != nil {
		a.storeFailed(w, r, err)
		return
	}
	d.Pending, d.Failed = out.Counts[news.AlertPending], out.Counts[news.AlertFailed]
	a.render(w, r, http.StatusOK, "overview", "overview", d)
}

// topicList returns the topics in force with their origin.
func (a *api) topicList() []TopicInfo {
	if a.o.Control == nil {
		return nil
	}
	return a.o.Control.TopicList()
}

// topicActivity counts a topic's matches in the last 24 hours, 7 and 30
// days before now, and charts them per UTC day, from the topic index
// alone. An article dated in the future counts as today's.
func (a *api) topicActivity(name string, now time.Time) (day, week, month int, c chart, err error) {
	today := now.UTC().Truncate(24 * time.Hour)
	first := today.AddDate(0, 0, -(chartDays - 1))
	counts := make([]int, chartDays)
	since := now.Add(-30 * 24 * time.Hour)
	if first.Before(since) {
		since = first
	}
	err = a.pageStore().TopicTimes(name, since, time.Time{}, func(t time.Time) {
		age := now.Sub(t)
		if age < 24*time.Hour {
			day++
		}
		if age < 7*24*time.Hour {
			week++
		}
		if age < 30*24*time.Hour {
			month++
		}
		if !t.Before(first) {
			counts[min(int(t.Sub(first)/(24*time.Hour)), chartDays-1)]++
		}
	})
	return day, week, month, newChart(counts, today, "matches"), err
}

// troubled returns the feeds whose health needs a look, failing first.
func troubled(rows []FeedHealth) []FeedHealth {
	var out []FeedHealth
	for _, r := range rows {
		if r.Health != string(news.HealthOK) && r.Health != "unknown" {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(x, y FeedHealth) int { return healthRank(x.Health) - healthRank(y.Health) })
	return out
}

// storeFailed answers 503 when the store cannot be read.
func (a *api) storeFailed(w http.ResponseWriter, r *http.Request, err error) {
	if r.Context().Err() != nil {
		return // the client left
	}
	a.o.Logger.Warn("page not served: store error", "path", r.URL.Path, "error", err)
	http.Error(w, "store: "+err.Error(), http.StatusServiceUnavailable)
}
