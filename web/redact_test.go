package web

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// TestRedaction: a feed URL with a password and a token, stored as the
// feed's URL, in its last error and in its articles' feed_url, shows
// neither secret in /feeds, /metrics or /export.
func TestRedaction(t *testing.T) {
	t.Parallel()
	const raw = "https://reader:Pa55word@feeds.example.org/private.rss?lang=vi&token=T0KEN-123"
	st, err := store.Open(filepath.Join(t.TempDir(), "newswatch.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	a := &news.Article{URL: "https://feeds.example.org/a/1", FeedURL: raw, Title: "Tin", Text: "buôn bán người", Lang: "vi", Fetched: t0}
	a.ID = news.ArticleID(a.URL)
	a.SetHits([]news.Hit{{Topic: "trafficking", Term: "buôn bán người"}})
	state := store.FeedState{URL: raw, Name: "Private", LastPoll: t0, Status: http.StatusUnauthorized, Errors: 1,
		LastError: "fetch https://reader:xxxxx@feeds.example.org/private.rss?lang=vi&token=T0KEN-123: HTTP 401 Unauthorized", NextPoll: t0.Add(time.Hour)}
	if _, err := st.SavePoll(store.Poll{Feed: state, Articles: []*news.Article{a}}); err != nil {
		t.Fatal(err)
	}
	h := New(Options{Store: st, Control: staticControl{feeds: []news.Feed{{URL: raw, Name: "Private"}}, topics: []string{"trafficking"}}, Auth: AuthLocal})
	for _, path := range []string{"/feeds", "/metrics", "/export?all=1"} {
		rec := get(t, h, path)
		body := rec.Body.String()
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s = %d %s, want 200", path, rec.Code, body)
		}
		for _, secret := range []string{"Pa55word", "T0KEN-123"} {
			if strings.Contains(body, secret) {
				t.Errorf("GET %s shows the secret %q:\n%s", path, secret, body)
			}
		}
		for _, want := range []string{"reader:xxxxx@feeds.example.org/private.rss?lang=vi", "token=REDACTED"} {
			if !strings.Contains(body, want) {
				t.Errorf("GET %s does not name the feed with %q:\n%s", path, want, body)
			}
		}
	}
}
