package web

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/news"
)

// TestAlertsEndpoint checks GET /alerts against the store's outbox: every
// alert, or those of one state, with their article's URL and title.
func TestAlertsEndpoint(t *testing.T) {
	h, st, _ := fixtureHandler(t)
	all, err := st.ListAlerts("")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) == 0 {
		t.Fatal("the fixture has no alerts")
	}
	for _, state := range []news.AlertState{"", news.AlertPending, news.AlertFailed, news.AlertDelivered} {
		rec := get(t, h, "/alerts?state="+string(state))
		if rec.Code != http.StatusOK {
			t.Fatalf("GET /alerts?state=%s = %d %s", state, rec.Code, rec.Body)
		}
		var got []AlertRow
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
			t.Fatalf("GET /alerts?state=%s: %v", state, err)
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
			t.Errorf("GET /alerts?state=%s ids differ (-want +got):\n%s", state, diff)
		}
	}
	for _, target := range []string{"/alerts?state=sent", "/alerts?topic=un"} {
		if rec := get(t, h, target); rec.Code != http.StatusBadRequest {
			t.Errorf("GET %s = %d, want 400", target, rec.Code)
		}
	}
}
