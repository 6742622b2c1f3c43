package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestFeeds(t *testing.T) {
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
		row := FeedHealth{Name: f.Name, URL: strings.Replace(f.URL, "s3cret", "xxxxx", 1), Health: "unknown"} // see TestRedaction
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
