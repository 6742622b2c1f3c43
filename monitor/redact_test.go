package monitor_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newswatch/newswatch/fetcher"
	"github.com/newswatch/newswatch/internal/newstest"
	"github.com/newswatch/newswatch/monitor"
	"github.com/newswatch/newswatch/news"
)

// TestPollRedactsFeedCredentials: a feed whose URL carries a password and
// a token is fetched with them, yet neither appears in the log (at debug
// level) or in the error stored for a feed that fails.
func TestPollRedactsFeedCredentials(t *testing.T) {
	t.Parallel()
	const user, password, token = "reader", "Pa55-word", "T0KEN-secret"
	site := startE2ESite(t)
	feed, ok := site.Route("/rss/en.rss")
	if !ok {
		t.Fatal("no /rss/en.rss in the test site")
	}
	var authorized atomic.Int32
	site.Handle("/private/en.rss", func(w http.ResponseWriter, r *http.Request) {
		u, p, _ := r.BasicAuth()
		if u != user || p != password || r.URL.Query().Get("token") != token {
			http.Error(w, "who are you?", http.StatusUnauthorized)
			return
		}
		authorized.Add(1)
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(bytes.ReplaceAll(feed.Body, []byte(newstest.BasePlaceholder), []byte("http://"+r.Host)))
	})
	creds := "http://" + user + ":" + password + "@" + strings.TrimPrefix(site.URL(), "http://")
	good := news.Feed{URL: creds + "/private/en.rss?lang=en&token=" + token, Name: "private", Interval: 10 * time.Minute, Scrape: true}
	bad := news.Feed{URL: creds + "/private/gone.rss?token=" + token, Name: "gone", Interval: 10 * time.Minute}

	var logs bytes.Buffer
	st := openStore(t)
	m := monitor.New([]news.Feed{good, bad}, monitor.Deps{Fetcher: fetcher.New(testFetchOptions()), Store: st,
		Extractor: extractor(t), Matcher: builtinTopics(t), Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))},
		monitor.Options{Workers: 2, Interval: 10 * time.Minute, Jitter: -1, MaxBackoff: 6 * time.Hour})
	results := pollAll(t, t.Context(), m)

	if r := results[good.URL]; r.Err != nil || authorized.Load() != 1 || r.Stored == 0 {
		t.Errorf("feed with credentials: err %v, %d authorized fetches, %d stored; want it fetched with them", r.Err, authorized.Load(), r.Stored)
	}
	gone, err := st.Feed(bad.URL)
	if err != nil {
		t.Fatal(err)
	}
	if gone.Errors != 1 || !strings.Contains(gone.LastError, "/private/gone.rss?token=REDACTED") {
		t.Errorf("failing feed's last error = %q (%d errors), want one error naming the redacted URL", gone.LastError, gone.Errors)
	}
	for _, secret := range []string{password, token} {
		if strings.Contains(gone.LastError, secret) {
			t.Errorf("stored last error holds %q: %s", secret, gone.LastError)
		}
		if strings.Contains(logs.String(), secret) {
			t.Errorf("log holds %q:\n%s", secret, logs.String())
		}
	}
	if !strings.Contains(logs.String(), `"feed_url":"http://reader:xxxxx@`) {
		t.Errorf("log does not name the feeds by their redacted URL:\n%s", logs.String())
	}
}
