package export

import (
	"testing"
	"time"

	"github.com/newswatch/newswatch/news"
)

func TestParseTime(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"", time.Time{}, true},
		{"2026-11-27", time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), true},
		{"2026-11-27T08:00:00Z", time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC), true},
		{"2026-11-27T15:00:00+07:00", time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC), true},
		{"2026-11-27T08:00:00", time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC), true},
		{"27/11/2026", time.Time{}, false},
		{"yesterday", time.Time{}, false},
	} {
		got, err := ParseTime("since", tt.in)
		if (err == nil) != tt.ok || !got.Equal(tt.want) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

// TestNewRecordRedactsFeedURL: the feed URL's credentials stay out of the
// export; the article's URL is the article's and stays as it is.
func TestNewRecordRedactsFeedURL(t *testing.T) {
	t.Parallel()
	a := &news.Article{ID: "x", URL: "https://example.org/a?id=7", FeedURL: "https://u:pw@example.org/rss?apikey=K", Fetched: time.Now()}
	r := NewRecord(a)
	if want := "https://u:xxxxx@example.org/rss?apikey=REDACTED"; r.FeedURL != want {
		t.Errorf("NewRecord().FeedURL = %q, want %q", r.FeedURL, want)
	}
	if r.URL != a.URL {
		t.Errorf("NewRecord().URL = %q, want %q", r.URL, a.URL)
	}
}
