package acceptance

import (
	"bufio"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/newswatch/newswatch/internal/newstest"
)

// TestPollObeysRobots polls, with the binary and the config a user would
// write, a site whose robots.txt disallows /private/: its article pages
// there are never requested, their items are still archived with the
// feed's text and say why, and the other pages are fetched as usual.
func TestPollObeysRobots(t *testing.T) {
	t.Parallel()
	site, err := newstest.NewSiteMap(map[string]string{"/robots.txt": "User-agent: *\nDisallow: /private/\n"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(site.Close)
	var items []newstest.FeedItem
	private := map[string]bool{} // article URL → under /private/
	for _, s := range unseenStories {
		if s.Charset != "" || len(items) == 6 {
			continue
		}
		path := s.Path()
		if len(items)%2 == 1 {
			path = "/private" + path
		}
		site.Set(path, newstest.Route{Body: s.HTML()})
		it := s.Item()
		it.Link = newstest.BasePlaceholder + path
		items = append(items, it)
		private[site.URL()+path] = strings.HasPrefix(path, "/private/")
	}
	ch := newstest.Channel{Title: "VNP", Link: newstest.BasePlaceholder + "/", Description: "VNP", Lang: "vi"}
	site.Set("/rss/home.rss", newstest.Route{Body: newstest.RSS(ch, items)})
	dir := t.TempDir()
	cfg := stableConfig(t, dir, true, []string{site.URL() + "/rss/home.rss"}, []string{"VNP"})

	if r := newswatch(t, 2*time.Minute, "poll", "--config", cfg); r.code != 0 {
		t.Fatalf("poll exit %d\n%s", r.code, tail(r.stderr, 4000))
	}
	exp := newswatch(t, time.Minute, "export", "--all", "--config", cfg)
	if exp.code != 0 {
		t.Fatalf("export --all exit %d\n%s", exp.code, tail(exp.stderr, 4000))
	}
	got := exportedExtractors(t, exp.stdout)
	if len(got) != len(private) {
		t.Errorf("exported %d articles, want %d (every item, disallowed or not)", len(got), len(private))
	}
	for u, isPrivate := range private {
		a, ok := got[u]
		requests := site.Requests(strings.TrimPrefix(u, site.URL()))
		switch {
		case !ok:
			t.Errorf("%s: not exported", u)
		case isPrivate && (requests != 0 || a.Extractor != "feed:robots" || a.Text == ""):
			t.Errorf("%s: requested %d times, extractor %q, text %q; want never requested, feed:robots, the feed's text",
				u, requests, a.Extractor, a.Text)
		case !isPrivate && (requests != 1 || a.Extractor == "feed:robots" || a.Extractor == "feed"):
			t.Errorf("%s: requested %d times, extractor %q; want fetched once and extracted", u, requests, a.Extractor)
		}
	}
	if n := site.Requests("/robots.txt"); n != 1 {
		t.Errorf("robots.txt requested %d times, want 1", n)
	}
}

// exported is what TestPollObeysRobots reads of an exported article.
type exported struct {
	URL       string `json:"url"`
	Text      string `json:"text"`
	Extractor string `json:"extractor"`
}

// exportedExtractors reads the export's JSON Lines by article URL.
func exportedExtractors(t *testing.T, out string) map[string]exported {
	t.Helper()
	got := map[string]exported{}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var a exported
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("export line: %v: %.200s", err, sc.Text())
		}
		got[a.URL] = a
	}
	return got
}
