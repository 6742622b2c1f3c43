package web

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/newswatch/newswatch/news"
)

// AlertSource is the view of the outbox that alert listings read.
type AlertSource interface {
	ListAlerts(state news.AlertState) ([]news.Alert, error)
	Article(id string) (*news.Article, error)
}

// AlertRow is one alert as listed by `newswatch alerts list --format json`
// and GET /alerts.
type AlertRow struct {
	ID          string     `json:"id"`
	State       string     `json:"state"`
	Subscriber  string     `json:"subscriber"`
	Channel     string     `json:"channel"`
	ArticleID   string     `json:"article_id"`
	ArticleURL  string     `json:"article_url,omitempty"`
	Title       string     `json:"title,omitempty"`
	Topics      []string   `json:"topics"`
	Digest      string     `json:"digest,omitempty"`
	Attempts    int        `json:"attempts"`
	NextAt      *time.Time `json:"next_at,omitempty"`
	LastError   string     `json:"last_error,omitempty"`
	Created     time.Time  `json:"created"`
	LastAttempt *time.Time `json:"last_attempt,omitempty"`
	Delivered   *time.Time `json:"delivered,omitempty"`
	// Kind is "source_health" for a change of a feed's health, which has
	// no article: FeedURL names the feed and Title says what changed.
	Kind    string `json:"kind,omitempty"`
	FeedURL string `json:"feed_url,omitempty"`
}

// ParseAlertState checks a state filter: "" (all), pending, failed or
// delivered.
func ParseAlertState(s string) (news.AlertState, error) {
	switch st := news.AlertState(s); st {
	case "", news.AlertPending, news.AlertFailed, news.AlertDelivered:
		return st, nil
	}
	return "", fmt.Errorf("state %q: want pending, failed or delivered", s)
}

// AlertRows lists the alerts in state ("" for all), oldest first, with
// the URL and title of their article where it is still stored.
func AlertRows(src AlertSource, state news.AlertState) ([]AlertRow, error) {
	list, err := src.ListAlerts(state)
	if err != nil {
		return nil, err
	}
	rows := make([]AlertRow, len(list))
	for i, al := range list {
		rows[i] = newAlertRow(al)
		if al.ArticleID == "" {
			continue
		}
		if art, err := src.Article(al.ArticleID); err == nil {
			rows[i].ArticleURL, rows[i].Title = art.URL, art.Title
		}
	}
	return rows, nil
}

func newAlertRow(al news.Alert) AlertRow {
	r := AlertRow{
		ID: al.ID, State: string(al.State), Subscriber: al.Subscriber, Channel: al.Channel, ArticleID: al.ArticleID,
		Topics: al.Topics, Digest: al.Digest, Attempts: al.Attempts, LastError: al.LastError, Created: al.Created,
		LastAttempt: timePtr(al.LastAttempt), Delivered: timePtr(al.Delivered),
	}
	if al.State == news.AlertPending {
		r.NextAt = timePtr(al.NextAt)
	}
	if c := al.Health; c != nil {
		r.Kind, r.FeedURL = string(al.Kind), news.RedactURL(c.FeedURL)
		r.Title = fmt.Sprintf("source health: %s is %s (was %s)", cmp.Or(c.FeedName, r.FeedURL), c.To, c.From)
	}
	if r.Topics == nil {
		r.Topics = []string{}
	}
	return r
}

// alertsHandler serves GET /alerts?state=: the outbox as JSON, the same
// rows as `newswatch alerts list --format json`.
func alertsHandler(src AlertSource) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		for k := range q {
			if k != "state" {
				http.Error(w, fmt.Sprintf("unknown parameter %q: want state", k), http.StatusBadRequest)
				return
			}
		}
		state, err := ParseAlertState(q.Get("state"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		rows, err := AlertRows(src, state)
		if err != nil {
			http.Error(w, fmt.Sprintf("store: %v", err), http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		_ = enc.Encode(rows) // an error means the client went away
	}
}
