package web

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/news"
)

// TestAlertsEndpoint checks GET /api/alerts against the store's outbox: every
// alert, or those of one state, with their article's URL and title.
func TestAlertsEndpoint(t *testing.T) {
	t.Parallel()
	h, st, _ := fixtureHandler(t)
	all, err := st.ListAlerts("")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) == 0 {
		t.Fatal("the fixture has no alerts")
	}
	for _, state := range []news.AlertState{"", news.AlertPending, news.AlertFailed, news.AlertDelivered} {
		rec := get(t, h, "/api/alerts?state="+string(state))
		if rec.Code != http.StatusOK {
			t.Fatalf("GET /api/alerts?state=%s = %d %s", state, rec.Code, rec.Body)
		}
		var got []AlertRow
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
			t.Fatalf("GET /api/alerts?state=%s: %v", state, err)
		}
		var wantIDs, gotIDs []string
		for _, al := range all {
			if state == "" || al.State == state {
				wantIDs = append(wantIDs, al.ID)
			}
		}
		for _, r := range got {
			gotIDs = append(gotIDs, r.ID)
			a, err := st.Article(r.ArticleID)
			if err == nil && (r.ArticleURL != a.URL || r.Title != a.Title) {
				t.Errorf("alert %s: article %q %q, want %q %q", r.ID, r.ArticleURL, r.Title, a.URL, a.Title)
			}
		}
		if diff := cmp.Diff(wantIDs, gotIDs); diff != "" {
			t.Errorf("GET /api/alerts?state=%s ids differ (-want +got):\n%s", state, diff)
		}
	}
	for _, target := range []string{"/api/alerts?state=sent", "/api/alerts?topic=un"} {
		if rec := get(t, h, target); rec.Code != http.StatusBadRequest {
			t.Errorf("GET %s = %d, want 400", target, rec.Code)
		}
	}
}

// TestAlertsHealthRow lists a source-health alert: no article, the feed's
// URL without its password, and a title that says what changed.
func TestAlertsHealthRow(t *testing.T) {
	t.Parallel()
	h, st, _ := fixtureHandler(t)
	f := fixtureFeeds[neverPolled] // the feed with a password in its URL
	c := news.HealthChange{FeedURL: f.URL, FeedName: f.Name, From: news.HealthOK, To: news.HealthQuiet, Reason: "silent", At: t0}
	al := news.Alert{ID: "alt_health", Subscriber: "ops", Channel: news.ChannelWebhook, Kind: news.AlertSourceHealth, Health: &c,
		State: news.AlertPending, NextAt: t0, Created: t0.Add(time.Hour)}
	if _, err := st.EnqueueAlerts([]news.Alert{al}); err != nil {
		t.Fatal(err)
	}
	var rows []AlertRow
	if err := json.Unmarshal(get(t, h, "/api/alerts?state=pending").Body.Bytes(), &rows); err != nil {
		t.Fatal(err)
	}
	last := rows[len(rows)-1]
	want := AlertRow{ID: "alt_health", State: "pending", Subscriber: "ops", Channel: "webhook", Topics: []string{}, Attempts: 0,
		NextAt: &al.NextAt, Created: al.Created, Kind: "source_health", FeedURL: "https://user:xxxxx@feeds.example.org/private.rss",
		Title: "source health: Private feed is quiet (was ok)"}
	if diff := cmp.Diff(want, last, cmp.Comparer(time.Time.Equal)); diff != "" {
		t.Errorf("source-health alert row differs (-want +got):\n%s", diff)
	}
}
