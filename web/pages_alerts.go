package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// alertsPerPage bounds the alerts of one page.
const alertsPerPage = 50

// alertsData is the alerts page.
type alertsData struct {
	State       string // the state listed; "all" for every one
	Tabs        []alertTab
	Rows        []alertView
	Next, First string
	Subscribers []string
	Notice      *notice
}

// alertTab links to the alerts of one state.
type alertTab struct {
	State   string
	Count   int
	Current bool
}

// alertView is an alert as listed, with its article's language.
type alertView struct {
	AlertRow
	Lang string
}

// stateAll lists every state.
const stateAll = "all"

// alertsPage serves GET /alerts?state=&after=: the outbox by state,
// newest first; the failed alerts by default when there are any.
func (a *api) alertsPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	a.alerts(w, r, http.StatusOK, q.Get("state"), q.Get("after"), nil)
}

// alerts renders the alerts page of state with the outcome of a form.
func (a *api) alerts(w http.ResponseWriter, r *http.Request, status int, state, after string, n *notice) {
	d := alertsData{State: state, Subscribers: a.subscribers(), Notice: n}
	st, err := ParseAlertState(state)
	if state == stateAll {
		st, err = "", nil
	}
	if err != nil {
		d.Notice = &notice{Error: true, Text: "state " + state + ": want failed, pending, delivered or all"}
		a.render(w, r, http.StatusBadRequest, "alerts", "alerts", d)
		return
	}
	if state == "" {
		st, d.State = news.AlertFailed, string(news.AlertFailed)
	}
	page, err := a.pageStore().Outbox(store.OutboxQuery{State: st, After: after, Limit: alertsPerPage})
	if state == "" && err == nil && page.Counts[news.AlertFailed] == 0 {
		d.State = string(news.AlertPending)
		page, err = a.pageStore().Outbox(store.OutboxQuery{State: news.AlertPending, Limit: alertsPerPage})
	}
	if errors.Is(err, store.ErrBadCursor) {
		d.Notice = &notice{Error: true, Text: "the link to this page is damaged: start again from the newest alerts"}
		a.render(w, r, http.StatusBadRequest, "alerts", "alerts", d)
		return
	}
	if err != nil {
		a.storeFailed(w, r, err)
		return
	}
	total := 0
	for _, s := range []news.AlertState{news.AlertFailed, news.AlertPending, news.AlertDelivered} {
		d.Tabs = append(d.Tabs, alertTab{State: string(s), Count: page.Counts[s], Current: d.State == string(s)})
		total += page.Counts[s]
	}
	d.Tabs = append(d.Tabs, alertTab{State: stateAll, Count: total, Current: d.State == stateAll})
	for _, al := range page.Alerts {
		v := alertView{AlertRow: newAlertRow(al)}
		if al.ArticleID != "" {
			if art, err := a.o.Store.Article(al.ArticleID); err == nil {
				v.ArticleURL, v.Title, v.Lang = art.URL, art.Title, art.Lang
			}
		}
		d.Rows = append(d.Rows, v)
	}
	v := url.Values{"state": {d.State}}
	if page.Next != "" {
		d.Next = pageURL("/alerts", v, page.Next)
	}
	if after != "" {
		d.First = pageURL("/alerts", v, "")
	}
	a.render(w, r, status, "alerts", "alerts", d)
}

// retryAlert serves POST /alerts/retry (admin): id, or all=1 for every
// failed alert; state is the tab to show again.
func (a *api) retryAlert(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	f := r.PostForm
	ids := []string{f.Get("id")}
	if f.Get("all") != "" {
		failed, err := a.o.Store.ListAlerts(news.AlertFailed)
		if err != nil {
			a.storeFailed(w, r, err)
			return
		}
		ids = ids[:0]
		for _, al := range failed {
			ids = append(ids, al.ID)
		}
	}
	retried := 0
	for _, id := range ids {
		if err := a.o.Store.RetryAlert(id, a.now()); err != nil {
			a.alertsChanged(retried)
			status := statusOf(err)
			if errors.Is(err, store.ErrAlertState) {
				status = http.StatusConflict
			}
			a.alerts(w, r, status, f.Get("state"), "", &notice{Error: true, Text: err.Error()})
			return
		}
		retried++
	}
	a.alertsChanged(retried)
	a.alerts(w, r, http.StatusOK, f.Get("state"), "", &notice{Text: fmt.Sprintf("%d alerts queued for delivery again.", retried)})
}

// testAlert serves POST /alerts/test (admin): subscriber.
func (a *api) testAlert(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	sub := r.PostForm.Get("subscriber")
	err := ErrNoDaemon
	if a.o.Control != nil {
		err = a.o.Control.SendTestAlert(r.Context(), sub)
	}
	switch {
	case err == nil:
		a.alerts(w, r, http.StatusOK, r.PostForm.Get("state"), "", &notice{Text: "A sample alert was sent to " + sub + "."})
	case errors.Is(err, ErrInvalid), errors.Is(err, ErrNoDaemon):
		a.alerts(w, r, statusOf(err), r.PostForm.Get("state"), "", &notice{Error: true, Text: err.Error()})
	default: // the subscriber's server or relay refused it
		a.alerts(w, r, http.StatusBadGateway, r.PostForm.Get("state"), "", &notice{Error: true, Text: "The sample alert was not delivered: " + err.Error()})
	}
}
