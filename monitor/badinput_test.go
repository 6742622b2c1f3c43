package monitor_test

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/fetcher"
	"github.com/newswatch/newswatch/internal/newstest"
	"github.com/newswatch/newswatch/monitor"
	"github.com/newswatch/newswatch/news"
)

// badFeeds are hostile or broken feeds served next to healthy ones on the
// same host, with the error class each must be recorded with (nil: any
// error). Only those marked timed may end by the client's timeout; the
// others must fail for what they are (status, size, redirects, parsing)
// however slow a loaded machine makes them.
var badFeeds = []struct {
	path    string
	handler http.HandlerFunc
	want    error
	status  int  // the recorded HTTP status; -1: any
	timed   bool // ends by the client's timeout
}{
	{"/bad/not-a-feed.rss", newstest.Body("text/html; charset=utf-8", []byte("<!DOCTYPE html><html><body><h1>Trang không tồn tại</h1><p>Vui lòng quay lại trang chủ.</p></body></html>")), nil, -1, false},
	{"/bad/garbage.rss", newstest.Body("application/rss+xml", []byte("\x00\x01\x02\xff\xfe garbage \x00 <<<>>> \xc3\x28 not xml at all")), nil, -1, false},
	{"/bad/gone.rss", nil, nil, 404, false},
	{"/bad/unavailable.rss", newstest.Status(http.StatusServiceUnavailable), nil, 503, false},
	{"/bad/slow.rss", newstest.SlowHeaders(time.Minute, newstest.Body("application/rss+xml", nil)), context.DeadlineExceeded, 0, true},
	{"/bad/trickle.rss", newstest.Trickle("application/rss+xml", []byte(strings.Repeat("<rss><channel>", 100)), 8, 500*time.Millisecond), context.DeadlineExceeded, 0, true},
	{"/bad/endless.rss", newstest.EndlessBody("application/rss+xml", "<?xml version=\"1.0\"?><rss><channel><title>", "x"), fetcher.ErrTooLarge, 0, false},
	{"/bad/bomb.rss", newstest.GzipBomb("application/rss+xml", 1<<30), fetcher.ErrTooLarge, 0, false},
	{"/bad/huge.rss", newstest.HugeFeed(36 << 20), fetcher.ErrTooLarge, 0, false},
	{"/bad/loop.rss", newstest.RedirectLoop(), fetcher.ErrTooManyRedirects, 0, false},
}

// TestPollBadFeeds polls the bad feeds beside healthy ones on the same
// host: each bad one is recorded with its error and backed off, the
// healthy ones are stored in full. The feeds that only a timeout ends go
// through a client with a short timeout; the rest through one whose
// timeout no test reaches, so that a loaded machine cannot turn a bomb
// into a timeout.
func TestPollBadFeeds(t *testing.T) {
	t.Parallel()
	site := startE2ESite(t)
	for _, b := range badFeeds {
		if b.handler != nil {
			site.Handle(b.path, b.handler)
		}
	}
	site.Handle("/bad/entity.rss", newstest.Body("application/rss+xml", newstest.EntityBomb()))
	healthy := newstest.E2ELayout()[:2] // vi and en, on the same host
	feeds, timed := feedsOf(site.URL(), healthy), []news.Feed(nil)
	for _, b := range badFeeds {
		f := news.Feed{URL: site.URL() + b.path, Interval: 10 * time.Minute, Scrape: true}
		if b.timed {
			timed = append(timed, f)
		} else {
			feeds = append(feeds, f)
		}
	}
	feeds = append(feeds, news.Feed{URL: site.URL() + "/bad/entity.rss", Interval: 10 * time.Minute, Scrape: true})
	st := openStore(t)
	untimed := testFetchOptions()
	untimed.Timeout = 24 * time.Hour // only bytes end these fetches
	m := newMonitor(t, feeds, fetcher.New(untimed), st)
	mt := newMonitor(t, timed, fetcher.New(testFetchOptions()), st)

	start := time.Now()
	timedResults, timedErr := map[string]monitor.Result{}, error(nil)
	var wg sync.WaitGroup
	wg.Go(func() { timedErr = mt.PollAll(t.Context(), func(r monitor.Result) { timedResults[r.Feed.URL] = r }) })
	results := pollAll(t, t.Context(), m)
	wg.Wait()
	if timedErr != nil {
		t.Fatalf("PollAll of the feeds a timeout ends: %v", timedErr)
	}
	maps.Copy(results, timedResults)

	stored := storedTopics(t, st)
	entity := site.URL() + "/entity/a-post1.vnp"
	delete(stored, entity) // checked below
	if diff := cmp.Diff(wantTopics(site.URL(), newstest.PagesOf(healthy)), stored); diff != "" {
		t.Errorf("articles of the healthy feeds (URL -> topics) differ (-want +got):\n%s", diff)
	}
	for _, b := range badFeeds {
		u := site.URL() + b.path
		r := results[u]
		if r.Err == nil || (b.want != nil && !errors.Is(r.Err, b.want)) {
			t.Errorf("poll %s: error %v, want an error (%v)", b.path, r.Err, b.want)
		}
		fs, err := st.Feed(u)
		if err != nil {
			t.Errorf("Feed(%q): %v", u, err)
			continue
		}
		if fs.Errors != 1 || fs.LastError == "" || (b.status >= 0 && fs.Status != b.status) {
			t.Errorf("feed state of %s: errors %d, status %d, last error %q; want 1 error, status %d, a message", b.path, fs.Errors, fs.Status, fs.LastError, b.status)
		}
		if fs.NextPoll.Before(start.Add(10 * time.Minute)) {
			t.Errorf("feed %s: next poll %v, want at least one interval after %v", b.path, fs.NextPoll, start)
		}
	}
	if a, err := st.Article(news.ArticleID(entity)); err == nil && len(a.Title)+len(a.Text) > 10000 {
		t.Errorf("entity bomb expanded: stored title and text of %d bytes", len(a.Title)+len(a.Text))
	}

	// A failing feed backs off further on each consecutive error.
	gone := news.Feed{URL: site.URL() + "/bad/gone.rss", Interval: 10 * time.Minute, Scrape: true}
	before := time.Now()
	if _, err := m.PollFeed(t.Context(), gone); err != nil {
		t.Fatal(err)
	}
	fs, _ := st.Feed(gone.URL)
	if fs.Errors != 2 || fs.NextPoll.Before(before.Add(20*time.Minute)) {
		t.Errorf("after a second 404: errors %d, next poll in %v; want 2 errors, at least 20m", fs.Errors, fs.NextPoll.Sub(before))
	}
}

// TestPollRetryAfter checks that a 429 with Retry-After is recorded and
// honoured, and that it does not stop a healthy feed of another host.
func TestPollRetryAfter(t *testing.T) {
	t.Parallel()
	site := startE2ESite(t)
	busy, err := newstest.NewSiteMap(nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(busy.Close)
	busy.Handle("/rss/busy.rss", newstest.TooManyRequests(2*time.Hour))
	feeds := append(feedsOf(site.URL(), newstest.E2ELayout()[:1]), news.Feed{URL: busy.URL() + "/rss/busy.rss", Interval: 10 * time.Minute, Scrape: true})
	st := openStore(t)
	m := newMonitor(t, feeds, fetcher.New(testFetchOptions()), st)
	start := time.Now()
	r, err := m.PollFeed(t.Context(), feeds[1]) // the 429 first, so the healthy feed comes after it
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != 429 || r.Err == nil || r.NextPoll.Before(start.Add(2*time.Hour)) {
		t.Errorf("poll of a 429 feed: status %d, error %v, next poll in %v; want 429, an error, at least 2h", r.Status, r.Err, r.NextPoll.Sub(start))
	}
	if fs, err := st.Feed(feeds[1].URL); err != nil || fs.Status != 429 || fs.Errors != 1 {
		t.Errorf("feed state of the 429 feed: status %d, errors %d (%v); want 429, 1", fs.Status, fs.Errors, err)
	}
	r, err = m.PollFeed(t.Context(), feeds[0])
	if err != nil {
		t.Fatal(err)
	}
	if r.Err != nil || r.Stored != len(newstest.E2ELayout()[0].IDs) {
		t.Errorf("healthy feed polled after a 429 of another server: stored %d, error %v; want %d stored", r.Stored, r.Err, len(newstest.E2ELayout()[0].IDs))
	}
}

// TestPollRefusesPrivateAddress checks the SSRF guard through the
// monitor: with the default fetch options no request reaches 127.0.0.1,
// and the refusal is recorded on the feed.
func TestPollRefusesPrivateAddress(t *testing.T) {
	t.Parallel()
	site := startE2ESite(t)
	opts := testFetchOptions()
	opts.AllowPrivateNetworks = false
	st := openStore(t)
	feeds := feedsOf(site.URL(), newstest.E2ELayout()[:1])
	m := newMonitor(t, feeds, fetcher.New(opts), st)
	start := time.Now()
	res := pollAll(t, t.Context(), m)[feeds[0].URL]
	if !errors.Is(res.Err, fetcher.ErrBlocked) {
		t.Errorf("poll of a loopback feed: error %v, want %v", res.Err, fetcher.ErrBlocked)
	}
	if n := len(site.AllCounts()); n != 0 {
		t.Errorf("the loopback site received requests for %d paths, want none", n)
	}
	fs, err := st.Feed(feeds[0].URL)
	if err != nil || fs.Errors != 1 || !strings.Contains(fs.LastError, "blocked") || fs.NextPoll.Before(start.Add(10*time.Minute)) {
		t.Errorf("feed state = errors %d, last error %q, next poll in %v (%v); want 1 error mentioning the block, backed off", fs.Errors, fs.LastError, fs.NextPoll.Sub(start), err)
	}
}

var _ monitor.Fetcher = (*fetcher.Client)(nil)

// TestPollArticleRetriesThenFeedText checks that an article page failing
// for a transient reason is retried on later polls, not marked seen, and
// after maxArticleAttempts polls stored with the feed's own text, so a page
// that never answers cannot keep its story out of the archive.
func TestPollArticleRetriesThenFeedText(t *testing.T) {
	t.Parallel()
	site := startE2ESite(t)
	layout := newstest.E2ELayout()[:1]
	feeds := feedsOf(site.URL(), layout)
	pages := newstest.PagesOf(layout)
	broken := pages[0]
	site.Handle(broken.Path(), newstest.Status(http.StatusServiceUnavailable))
	st := openStore(t)
	m := newMonitor(t, feeds, fetcher.New(testFetchOptions()), st)
	brokenURL := newstest.PageURL(site.URL(), broken.Page)
	for poll := 1; poll <= 3; poll++ {
		r, err := m.PollFeed(t.Context(), feeds[0])
		if err != nil || r.Err != nil {
			t.Fatalf("poll %d: %v, %v", poll, err, r.Err)
		}
		_, stored := storedTopics(t, st)[brokenURL]
		if stored != (poll == 3) {
			t.Errorf("after poll %d the article behind a 503 is stored = %v, want %v", poll, stored, poll == 3)
		}
		if got := site.Counts(broken.Path()).Requests; got != poll {
			t.Errorf("after poll %d the 503 page was requested %d times, want %d", poll, got, poll)
		}
	}
	a, err := st.Article(news.ArticleID(brokenURL))
	if err != nil {
		t.Fatal(err)
	}
	if a.Extractor != "feed" || a.Text == "" {
		t.Errorf("article stored after repeated 503s: extractor %q, text %q; want the feed's text", a.Extractor, a.Text)
	}
	if fs, _ := st.Feed(feeds[0].URL); len(fs.ArticleRetries) != 0 {
		t.Errorf("retry counts left after the item was stored: %v", fs.ArticleRetries)
	}
	if _, err := m.PollFeed(t.Context(), feeds[0]); err != nil {
		t.Fatal(err)
	}
	if got := site.Counts(broken.Path()).Requests; got != 3 {
		t.Errorf("the 503 page was requested again after its item was stored: %d requests, want 3", got)
	}
}
