package acceptance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/newswatch/newswatch/internal/newstest"
)

// retryAfter is the 429 feed's Retry-After: longer than both polls.
const retryAfter = time.Hour

// hostileFeeds are served next to the healthy feeds, on the same host and
// port, each with its own kind of attack.
var hostileFeeds = map[string]func(base string) newstest.Route{
	"/h/gzip-bomb.rss": func(string) newstest.Route {
		return newstest.Route{Handler: newstest.GzipBomb("application/rss+xml", 10<<30)}
	},
	"/h/endless.rss": func(string) newstest.Route {
		return newstest.Route{Handler: newstest.EndlessBody("application/rss+xml", "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>x</title>", "<item><title>again</title></item>")}
	},
	"/h/trickle.rss": func(base string) newstest.Route {
		feed := newstest.RSS(newstest.Channel{Title: "slow", Link: base + "/"}, []newstest.FeedItem{{Title: "never", Link: base + "/h/never-post9.vnp", Published: time.Now()}})
		return newstest.Route{Handler: newstest.Trickle("application/rss+xml", feed, 8, time.Second)}
	},
	"/h/loop.rss": func(string) newstest.Route { return newstest.Route{Handler: newstest.RedirectLoop()} },
	"/h/huge.rss": func(string) newstest.Route { return newstest.Route{Handler: newstest.HugeFeed(36 << 20)} },
	"/h/entities.rss": func(string) newstest.Route {
		return newstest.Route{Handler: newstest.Body("application/rss+xml", newstest.EntityBomb())}
	},
	"/h/busy.rss": func(string) newstest.Route {
		return newstest.Route{Handler: newstest.TooManyRequests(retryAfter)}
	},
	"/h/slow-headers.rss": func(string) newstest.Route {
		return newstest.Route{Handler: newstest.SlowHeaders(10*time.Minute, newstest.Status(200))}
	},
	"/h/not-xml.rss": func(string) newstest.Route {
		return newstest.Route{Body: bytes.Repeat([]byte("<html><body><div>"), 200000), ContentType: "application/rss+xml"}
	},
}

// hostilePages are article pages linked from an otherwise valid feed.
var hostilePages = map[string]newstest.Route{
	"/h/p/bomb-post9001.vnp":    {Handler: newstest.GzipBomb("text/html", 10<<30)},
	"/h/p/endless-post9002.vnp": {Handler: newstest.EndlessBody("text/html", "<html><body>", "<div><p>deep")},
	"/h/p/trickle-post9003.vnp": {Handler: newstest.Trickle("text/html", bytes.Repeat([]byte("<p>slow text</p>"), 2000), 16, time.Second)},
	"/h/p/loop-post9004.vnp":    {Handler: newstest.RedirectLoop()},
	"/h/p/nested-post9005.vnp":  {Body: append(append([]byte("<html><body>"), bytes.Repeat([]byte("<div><span>"), 500000)...), "text</body></html>"...)},
	"/h/p/slow-post9006.vnp":    {Handler: newstest.SlowHeaders(10*time.Minute, newstest.Status(200))},
	"/h/p/script-post9007.vnp":  {Body: []byte("<html><body><script>" + strings.Repeat("var a='</p><p>';", 400000) + "</script><article><p>Only text</p></article></body></html>")},
}

// TestHostileNeighbours is issue 2's second check: hostile feeds and pages
// on the same host and port as healthy feeds. Both polls finish, every
// healthy article is stored intact, memory stays bounded, Retry-After is
// honoured and every hostile feed shows its error.
func TestHostileNeighbours(t *testing.T) {
	heavy(t)
	stories := allStories()
	site, feeds := newsSite(t, stories)
	var urls, names []string
	for _, f := range feeds {
		urls, names = append(urls, site.URL()+f.path), append(names, f.name)
	}
	for p, route := range hostileFeeds {
		site.Set(p, route(site.URL()))
		urls, names = append(urls, site.URL()+p), append(names, "hostile "+p)
	}
	var items []newstest.FeedItem
	for p, route := range hostilePages {
		site.Set(p, route)
		items = append(items, newstest.FeedItem{Title: "Hostile page " + p, Link: newstest.BasePlaceholder + p, Published: time.Now()})
	}
	site.Set("/h/pages.rss", newstest.Route{Body: newstest.RSS(newstest.Channel{Title: "hostile pages", Link: newstest.BasePlaceholder + "/"}, items)})
	urls, names = append(urls, site.URL()+"/h/pages.rss"), append(names, "hostile pages")

	dir := t.TempDir()
	cfg := stableConfig(t, dir, true, urls, names)
	for i := range 2 {
		r := measured(t, 5*time.Minute, "poll", "--config", cfg)
		t.Logf("poll %d: exit %d, %v wall, peak RSS %d KB", i+1, r.code, r.wall.Round(time.Millisecond), r.maxRSSKB)
		if r.code != 0 {
			t.Errorf("poll %d: exit %d\n%s", i+1, r.code, tail(r.stderr, 3000))
		}
		t.Logf("target: poll %d peak RSS < 300 MB: %s", i+1, verdict(r.maxRSSKB < 300<<10))
		if n := site.Requests("/h/busy.rss"); n != 1 {
			t.Errorf("after poll %d the 429 feed (Retry-After %v) was requested %d times, want 1", i+1, retryAfter, n)
		}
	}
	exp := newswatch(t, time.Minute, "export", "--all", "--config", cfg)
	if exp.code != 0 {
		t.Fatalf("export: exit %d\n%s", exp.code, exp.stderr)
	}
	var healthy []record
	for _, r := range parseExport(t, exp.stdout) {
		if u, _ := url.Parse(r.URL); u != nil && !strings.HasPrefix(u.Path, "/h/") && !strings.HasPrefix(u.Path, "/entity/") {
			healthy = append(healthy, r)
		}
	}
	checkArticles(t, site.URL(), stories, healthy)
	checkFeedErrors(t, cfg, site.URL())
	for p, c := range site.AllCounts() {
		if strings.HasPrefix(p, "/h/") {
			t.Logf("%s: %d requests", p, c.Requests)
		}
	}

	// The same feeds with the default SSRF guard: nothing reaches 127.0.0.1.
	site.ResetCounts()
	guarded := stableConfig(t, t.TempDir(), false, urls, names)
	// Every feed refused: the poll archived nothing, and says so.
	if r := newswatch(t, 5*time.Minute, "poll", "--config", guarded); r.code != 1 || !strings.Contains(r.stderr, "no feed could be polled") {
		t.Errorf("guarded poll: exit %d, want 1 saying no feed could be polled\n%s", r.code, tail(r.stderr, 3000))
	}
	if n := len(site.AllCounts()); n != 0 {
		t.Errorf("with the default config %d paths of the loopback site were requested, want 0: %v", n, site.AllCounts())
	}
	checkAllRefused(t, guarded, len(urls))
}

// checkAllRefused asserts that every feed shows the SSRF guard's error.
func checkAllRefused(t *testing.T, cfg string, feeds int) {
	t.Helper()
	js := newswatch(t, time.Minute, "feeds", "--format", "json", "--config", cfg)
	var rows []struct {
		URL       string `json:"url"`
		LastError string `json:"last_error"`
	}
	if err := json.Unmarshal([]byte(js.stdout), &rows); err != nil {
		t.Fatalf("feeds --format json: %v", err)
	}
	if len(rows) != feeds {
		t.Errorf("feeds lists %d feeds, want %d", len(rows), feeds)
	}
	for _, r := range rows {
		if r.LastError == "" {
			t.Errorf("feed %s polled with the SSRF guard on shows no error", r.URL)
		}
	}
	if len(rows) > 0 {
		t.Logf("guarded feed error: %s", rows[0].LastError)
	}
}

// checkFeedErrors asserts that `newswatch feeds` shows an error on every
// hostile feed and none on the healthy ones.
func checkFeedErrors(t *testing.T, cfg, base string) {
	t.Helper()
	text := newswatch(t, time.Minute, "feeds", "--config", cfg)
	if text.code != 0 {
		t.Fatalf("feeds: exit %d\n%s", text.code, text.stderr)
	}
	t.Logf("newswatch feeds:\n%s", text.stdout)
	js := newswatch(t, time.Minute, "feeds", "--format", "json", "--config", cfg)
	var rows []struct {
		URL       string `json:"url"`
		Status    int    `json:"status"`
		Errors    int    `json:"errors"`
		LastError string `json:"last_error"`
	}
	if err := json.Unmarshal([]byte(js.stdout), &rows); err != nil {
		t.Fatalf("feeds --format json: %v", err)
	}
	for _, r := range rows {
		p := strings.TrimPrefix(r.URL, base)
		_, hostile := hostileFeeds[p]
		switch {
		case hostile && (r.Errors == 0 || r.LastError == ""):
			t.Errorf("hostile feed %s shows no error: %+v", p, r)
		case hostile && !strings.Contains(text.stdout, firstWords(r.LastError)):
			t.Errorf("hostile feed %s: the feeds table does not show its error %q", p, r.LastError)
		case !hostile && p != "/h/pages.rss" && r.Errors > 0:
			t.Errorf("healthy feed %s shows an error: %+v", p, r)
		}
	}
}

func firstWords(s string) string { return fmt.Sprintf("%.30s", s) }
