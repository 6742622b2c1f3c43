package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

func TestFeeds(t *testing.T) {
	t.Parallel()
	h, _, _ := fixtureHandler(t)
	rec := get(t, h, "/feeds")
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /feeds = %d %s, want 200", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("GET /feeds: Content-Type = %q, want application/json", ct)
	}
	var got []FeedHealth
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatalf("GET /feeds: %v in %s", err, rec.Body)
	}
	var want []FeedHealth
	for i, f := range fixtureFeeds {
		row := FeedHealth{Name: f.Name, URL: strings.Replace(f.URL, "s3cret", "xxxxx", 1), Health: "unknown", Type: "feed"} // see TestRedaction
		if i != neverPolled {
			s := fixtureState(i)
			row.LastPoll, row.LastSuccess, row.NextPoll = &s.LastPoll, &s.LastSuccess, &s.NextPoll
			row.Status, row.Errors, row.LastError, row.ItemsSeen = s.Status, s.Errors, s.LastError, s.ItemsSeen
			row.ExtractFallbacks, row.Health = s.ExtractFallbacks, string(s.Health)
		}
		want = append(want, row)
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(time.Time.Equal)); diff != "" {
		t.Errorf("GET /feeds differs (-want +got):\n%s", diff)
	}
}

func TestFeedsNeverPolledIsNull(t *testing.T) {
	t.Parallel()
	h, _, _ := fixtureHandler(t)
	var rows []map[string]any
	if err := json.Unmarshal(get(t, h, "/feeds").Body.Bytes(), &rows); err != nil {
		t.Fatal(err)
	}
	r := rows[neverPolled]
	for _, k := range []string{"last_poll", "last_success", "next_poll"} {
		if v, ok := r[k]; !ok || v != nil {
			t.Errorf("GET /feeds: never-polled feed %s = %v (present %v), want null", k, v, ok)
		}
	}
}

// TestFeedHealthRowsSources: a row shows the source's type, its gaps, what
// its last poll left out, and its backfill with the backfill's last error.
func TestFeedHealthRowsSources(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)
	feeds := []news.Feed{
		{URL: "https://www.vietnamplus.vn/rss/home.rss", Name: "VietnamPlus (vi)", Backfill: "https://www.vietnamplus.vn/sitemaps/google-news.xml?token=s3cret"},
		{URL: "https://www.vietnamplus.vn/xahoi.vnp", Name: "Xã hội", Type: news.SourcePage},
	}
	states := []store.FeedState{
		{URL: feeds[0].URL, GapsTotal: 3, Gaps: []store.Gap{{At: at.Add(-time.Hour), Window: 50}, {At: at, Window: 48}}},
		{URL: feeds[0].Backfill, LastError: "fetch " + feeds[0].Backfill + ": HTTP 404 Not Found"},
		{URL: feeds[1].URL, Notes: []string{"ignored 2 link(s) to other sites"}},
	}
	rows := FeedHealthRows(feeds, states)
	redacted := "https://www.vietnamplus.vn/sitemaps/google-news.xml?token=REDACTED"
	want := []FeedHealth{
		{Name: feeds[0].Name, URL: feeds[0].URL, Health: "unknown", Type: "feed", Gaps: 3, LastGap: &at, LastGapWindow: 48,
			Backfill: redacted, BackfillError: news.RedactText(states[1].LastError)},
		{Name: feeds[1].Name, URL: feeds[1].URL, Health: "unknown", Type: "page", Notes: states[2].Notes},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("FeedHealthRows differs (-want +got):\n%s", diff)
	}
}
