package monitor_test

import (
	"cmp"
	"strings"
	"testing"

	"github.com/newswatch/newswatch/fetcher"
	"github.com/newswatch/newswatch/internal/newstest"
	"github.com/newswatch/newswatch/monitor"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// TestPollRobotsDisallowed polls a feed whose site disallows /private/ in
// robots.txt: those article pages are never requested, their items are
// stored with the feed's text and marked, the others are fetched.
func TestPollRobotsDisallowed(t *testing.T) {
	t.Parallel()
	site, err := newstest.NewSiteMap(map[string]string{"/robots.txt": "User-agent: *\nDisallow: /private/\n"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(site.Close)
	corpus := newstest.Corpus()[:4]
	private := map[string]bool{}
	var items []newstest.FeedItem
	for i, p := range corpus {
		path := p.Path()
		if i%2 == 1 {
			path = "/private" + path
			private[site.URL()+path] = true
		}
		site.Set(path, newstest.Route{Body: p.HTML()})
		it := p.Item()
		it.Link = newstest.BasePlaceholder + path
		items = append(items, it)
	}
	site.Set("/rss.xml", newstest.Route{Body: newstest.RSS(newstest.Channel{Title: "Tin", Link: newstest.BasePlaceholder, Lang: "vi"}, items)})

	st := openStore(t)
	feed := news.Feed{URL: site.URL() + "/rss.xml", Name: "tin", Scrape: true}
	m := newMonitor(t, []news.Feed{feed}, fetcher.New(testFetchOptions()), st)
	res := pollAll(t, t.Context(), m)[feed.URL]
	if res.Err != nil || res.Stored != 4 || res.Disallowed != 2 {
		t.Errorf("poll: error %v, stored %d, disallowed %d; want no error, 4 stored, 2 disallowed", res.Err, res.Stored, res.Disallowed)
	}

	got := map[string]*news.Article{}
	err = st.ForEachArticle(t.Context(), store.Query{All: true}, func(a *news.Article) error {
		got[a.URL] = a
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range corpus {
		u := site.URL() + strings.TrimPrefix(items[i].Link, newstest.BasePlaceholder)
		a, requests := got[u], site.Requests(strings.TrimPrefix(u, site.URL()))
		switch {
		case a == nil:
			t.Errorf("%s: not stored", u)
		case private[u] && (requests != 0 || a.Extractor != monitor.ExtractorRobots || a.Text == "" || a.Text != cmp.Or(p.Summary, p.Sapo)):
			t.Errorf("%s: requested %d times, extractor %q, text %q; want 0 requests, %q, the feed's text",
				u, requests, a.Extractor, a.Text, monitor.ExtractorRobots)
		case !private[u] && (requests != 1 || a.Extractor == monitor.ExtractorRobots || a.Extractor == "feed"):
			t.Errorf("%s: requested %d times, extractor %q; want fetched once and extracted", u, requests, a.Extractor)
		}
	}
	if n := site.Requests("/robots.txt"); n != 1 {
		t.Errorf("robots.txt requested %d times, want 1", n)
	}
}
