package web

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// FeedHealth is one feed in /feeds. Its JSON is the same as a row of
// `newswatch feeds --format json`: monitoring scripts may use either.
type FeedHealth struct {
	Name             string     `json:"name"`
	URL              string     `json:"url"`
	Origin           string     `json:"origin"`          // "config" or "added" (at run time)
	Added            *time.Time `json:"added,omitempty"` // when added at run time
	Via              string     `json:"via,omitempty"`   // how: "feeds add", "feeds import subs.opml"
	LastPoll         *time.Time `json:"last_poll"`
	LastSuccess      *time.Time `json:"last_success"`
	Status           int        `json:"status"`
	Errors           int        `json:"errors"`
	LastError        string     `json:"last_error"`
	NextPoll         *time.Time `json:"next_poll"`
	ItemsSeen        int        `json:"items_seen"`
	ExtractFallbacks int        `json:"extract_fallbacks"`
	// Health is the feed's source health (ok, failing, quiet,
	// rule_broken), or unknown before its first poll.
	Health string `json:"health"`
	// Type is what the source is: feed, sitemap or page.
	Type string `json:"type"`
	// Backfill is the URL of the source read after a gap or downtime,
	// and BackfillError the error of its last poll, if it failed.
	Backfill      string `json:"backfill,omitempty"`
	BackfillError string `json:"backfill_error,omitempty"`
	// Gaps counts the polls that shared no item with the previous one
	// (items may have scrolled out of the feed unseen); LastGap is the
	// latest, when the feed held LastGapWindow items.
	Gaps          int        `json:"gaps"`
	LastGap       *time.Time `json:"last_gap,omitempty"`
	LastGapWindow int        `json:"last_gap_window,omitempty"`
	// Notes say what the last poll of a sitemap or page left out.
	Notes []string `json:"notes,omitempty"`
}

// FeedHealthRows joins the feeds in force with their stored states, in
// the order of feeds. A feed without a state has never been polled. URLs
// are shown redacted, in the URL and in the last error (news.RedactURL).
func FeedHealthRows(feeds []news.Feed, states []store.FeedState) []FeedHealth {
	byURL := make(map[string]store.FeedState, len(states))
	for _, s := range states {
		byURL[s.URL] = s
	}
	rows := make([]FeedHealth, 0, len(feeds))
	for _, f := range feeds {
		s := byURL[f.URL]
		rows = append(rows, FeedHealth{
			Name: f.Name, URL: news.RedactURL(f.URL), Origin: f.Origin, Added: timePtr(f.Added), Via: f.Via, LastPoll: timePtr(s.LastPoll), LastSuccess: timePtr(s.LastSuccess),
			Status: s.Status, Errors: s.Errors, LastError: news.RedactText(s.LastError), NextPoll: timePtr(s.NextPoll),
			ItemsSeen: s.ItemsSeen, ExtractFallbacks: s.ExtractFallbacks, Health: cmp.Or(string(s.Health), "unknown"),
		})
		sourceColumns(&rows[len(rows)-1], f, s, byURL)
	}
	return rows
}

// sourceColumns fills the row's source type, backfill and gaps.
func sourceColumns(r *FeedHealth, f news.Feed, s store.FeedState, byURL map[string]store.FeedState) {
	r.Type, r.Gaps, r.Notes = string(f.Kind()), s.GapsTotal, s.Notes
	if f.Backfill != "" {
		r.Backfill = news.RedactURL(f.Backfill)
		r.BackfillError = news.RedactText(byURL[f.Backfill].LastError)
	}
	if n := len(s.Gaps); n > 0 {
		r.LastGap, r.LastGapWindow = timePtr(s.Gaps[n-1].At), s.Gaps[n-1].Window
	}
}

// feedsHandler serves FeedHealthRows as indented JSON.
func feedsHandler(o Options) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !checkParams(w, r.URL.Query()) {
			return
		}
		states, err := o.Store.Feeds()
		if err != nil {
			http.Error(w, fmt.Sprintf("store: %v", err), http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(FeedHealthRows(o.feeds(), states)); err != nil {
			o.Logger.Warn("feeds response not sent", "error", err)
		}
	}
}

// timePtr returns nil for the zero time, so JSON shows null for "never".
func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
