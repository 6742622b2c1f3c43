package monitor_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/fetcher"
	"github.com/newswatch/newswatch/internal/newstest"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/parser"
	"github.com/newswatch/newswatch/store"
)

// newSourceSite starts an empty test site, closed with the test.
func newSourceSite(t *testing.T) *newstest.Site {
	t.Helper()
	site, err := newstest.NewSite(nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(site.Close)
	return site
}

// setPages serves the article pages of stories.
func setPages(site *newstest.Site, stories []newstest.Page) {
	for _, p := range stories {
		site.Set(p.Path(), newstest.Route{Body: p.HTML()})
	}
}

// rssOf renders a feed of stories in lang.
func rssOf(lang string, stories []newstest.Page) []byte {
	items := make([]newstest.FeedItem, 0, len(stories))
	for _, p := range stories {
		items = append(items, p.Item())
	}
	return newstest.RSS(newstest.Channel{Title: "VietnamPlus " + lang, Link: newstest.BasePlaceholder + "/", Lang: lang}, items)
}

// storyTopics returns the topics a correct matcher finds in each story,
// by URL.
func storyTopics(base string, stories []newstest.Page) map[string][]string {
	out := map[string][]string{}
	for _, p := range stories {
		out[newstest.PageURL(base, p)] = newstest.StoryTopics(p)
	}
	return out
}

// storedArticles returns every stored article by URL.
func storedArticles(t *testing.T, st *store.Store) map[string]*news.Article {
	t.Helper()
	out := map[string]*news.Article{}
	err := st.ForEachArticle(t.Context(), store.Query{All: true}, func(a *news.Article) error {
		out[a.URL] = a
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestFeedOverflowBackfilledFromNewsSitemap is the first test of issue 11:
// the RSS feed shows only the latest 10 items, 40 are published between
// two polls, and the news sitemap named as the feed's backfill lists them
// all: every article is stored and the gap recorded.
func TestFeedOverflowBackfilledFromNewsSitemap(t *testing.T) {
	t.Parallel()
	site := newSourceSite(t)
	stories := newstest.Stories("vi", 50, 700000, time.Now().Add(-time.Minute), 3*time.Minute) // newest first
	publish := func(n int) {
		visible := stories[len(stories)-n:]
		setPages(site, visible)
		site.Set("/rss/vi.rss", newstest.Route{Body: rssOf("vi", visible[:10])})
		site.Set("/sitemaps/google-news.xml", newstest.Route{Body: newstest.NewsSitemap(visible)})
	}
	sitemap := site.URL() + "/sitemaps/google-news.xml"
	feed := news.Feed{URL: site.URL() + "/rss/vi.rss", Name: "VietnamPlus (vi)", Interval: 10 * time.Minute, Scrape: true, Lang: "vi", Backfill: sitemap}
	st := openStore(t)
	m := newMonitor(t, []news.Feed{feed}, fetcher.New(testFetchOptions()), st)

	publish(10)
	first, err := m.PollFeed(t.Context(), feed)
	if err != nil || first.Err != nil || first.Stored != 10 || first.Gap || first.Backfill != nil {
		t.Fatalf("first poll = %+v, %v; want 10 stored, no gap, no backfill", first, err)
	}
	publish(50)
	second, err := m.PollFeed(t.Context(), feed)
	if err != nil || second.Err != nil {
		t.Fatalf("second poll = %v, %v", second.Err, err)
	}
	if !second.Gap || second.Backfill == nil || second.Backfill.Err != nil || second.Stored != 40 {
		t.Errorf("second poll: gap %v, backfill %+v, stored %d; want a gap, the sitemap read, 40 stored", second.Gap, second.Backfill, second.Stored)
	}
	if diff := cmp.Diff(storyTopics(site.URL(), stories), storedTopics(t, st)); diff != "" {
		t.Errorf("stored articles (URL -> topics) differ (-want +got):\n%s", diff)
	}
	fs, err := st.Feed(feed.URL)
	if err != nil {
		t.Fatal(err)
	}
	if fs.GapsTotal != 1 || len(fs.Gaps) != 1 || fs.Gaps[0].Window != 10 {
		t.Errorf("feed gaps: total %d, %+v; want one gap of a 10-item window", fs.GapsTotal, fs.Gaps)
	}
	if fs.Turnover <= 0 || fs.Turnover >= feed.Interval || fs.Interval != fs.Turnover {
		t.Errorf("feed interval after the gap: %v (turnover %v); want shorter than %v", fs.Interval, fs.Turnover, feed.Interval)
	}
	// An article found only in the sitemap has its date and language.
	oldest := stories[10] // in neither window of the feed
	a := storedArticles(t, st)[newstest.PageURL(site.URL(), oldest)]
	if a == nil || !a.Published.Equal(oldest.Published.Truncate(time.Second)) || a.Lang != "vi" || a.Text == "" {
		t.Errorf("article from the sitemap = %+v; want published %v, lang vi, its text", a, oldest.Published)
	}

	requests := site.Requests("/sitemaps/google-news.xml")
	third, err := m.PollFeed(t.Context(), feed)
	if err != nil || third.Gap || third.Backfill != nil || site.Requests("/sitemaps/google-news.xml") != requests {
		t.Errorf("third poll: gap %v, backfill %v (%v): the feed did not move, the sitemap must not be read", third.Gap, third.Backfill, err)
	}
}

// TestSectionPagesOnly collects a Vietnamese and an Arabic edition that
// publish no feed, only a section page: the Vietnamese by the generic
// rule, the Arabic by selectors.
func TestSectionPagesOnly(t *testing.T) {
	t.Parallel()
	site := newSourceSite(t)
	now := time.Now().Add(-time.Minute)
	vi := newstest.Stories("vi", 8, 710000, now, time.Hour)
	ar := newstest.Stories("ar", 6, 720000, now, time.Hour)
	site.Set("/xahoi.vnp", newstest.Route{Body: newstest.SectionPage("vi", "Xã hội", vi)})
	site.Set("/ar/society.vnp", newstest.Route{Body: newstest.SectionPage("ar", "المجتمع", ar)})
	setPages(site, append(slices.Clone(vi), ar...))
	feeds := []news.Feed{
		{URL: site.URL() + "/xahoi.vnp", Name: "VietnamPlus (vi) Xã hội", Type: news.SourcePage, Interval: 10 * time.Minute, Scrape: true},
		{URL: site.URL() + "/ar/society.vnp", Name: "VietnamPlus (ar)", Type: news.SourcePage, Interval: 10 * time.Minute, Scrape: true,
			Select: news.Selectors{Items: ".abf-cate .story, .timeline .story", Title: "h2 a", Date: "time[datetime]"}},
	}
	st := openStore(t)
	m := newMonitor(t, feeds, fetcher.New(testFetchOptions()), st)
	for u, r := range pollAll(t, t.Context(), m) {
		if r.Err != nil {
			t.Errorf("poll %s: %v", u, r.Err)
		}
	}
	want := storyTopics(site.URL(), append(slices.Clone(vi), ar...))
	if diff := cmp.Diff(want, storedTopics(t, st)); diff != "" {
		t.Errorf("stored articles (URL -> topics) differ (-want +got):\n%s", diff)
	}
	arts := storedArticles(t, st)
	for _, p := range append(slices.Clone(vi), ar...) {
		a := arts[newstest.PageURL(site.URL(), p)]
		if a == nil {
			continue // reported above
		}
		if a.Lang != p.Lang || !a.Published.Equal(p.Published.Truncate(time.Second)) || a.Text == "" || a.Title != p.Title {
			t.Errorf("article %d: lang %q, published %v, title %q, %d bytes of text; want %s, %v, %q and its text",
				p.ID, a.Lang, a.Published, a.Title, len(a.Text), p.Lang, p.Published, p.Title)
		}
	}
	if ar := arts[newstest.PageURL(site.URL(), ar[0])]; ar != nil && ar.Dir != "rtl" {
		t.Errorf("Arabic article dir = %q, want rtl", ar.Dir)
	}

	site.ResetCounts()
	again := pollAll(t, t.Context(), m)
	for _, f := range feeds {
		if r := again[f.URL]; !r.NotModified || r.New != 0 {
			t.Errorf("second poll of %s: not modified %v, new %d; want a 304", f.URL, r.NotModified, r.New)
		}
	}
	if n := len(site.AllCounts()); n != len(feeds) {
		t.Errorf("second poll requested %d paths, want only the %d section pages", n, len(feeds))
	}
}

// TestSitemapIndexChildrenReadAgain: an index that answers 304 still has
// its children fetched, conditionally, so a static index listing a
// sitemap that grows misses nothing.
func TestSitemapIndexChildrenReadAgain(t *testing.T) {
	t.Parallel()
	site := newSourceSite(t)
	stories := newstest.Stories("en", 6, 730000, time.Now().Add(-time.Minute), time.Hour)
	setPages(site, stories)
	now := time.Now()
	site.Set("/sitemap.xml", newstest.Route{Body: newstest.SitemapIndex([]newstest.SitemapChild{
		{Path: "/sitemaps/news-old.xml", Modified: now.Add(-30 * 24 * time.Hour)}, // past the horizon: never read
		{Path: "/sitemaps/news-month.xml", Modified: now.Add(-time.Hour)},
	})})
	site.Set("/sitemaps/news-old.xml", newstest.Route{Body: newstest.NewsSitemap(newstest.Stories("en", 3, 739000, now.Add(-30*24*time.Hour), time.Hour))})
	site.Set("/sitemaps/news-month.xml", newstest.Route{Body: newstest.NewsSitemap(stories[3:]), Gzip: true})
	src := news.Feed{URL: site.URL() + "/sitemap.xml", Name: "VietnamPlus (en)", Type: news.SourceSitemap, Interval: 10 * time.Minute, Scrape: true}
	st := openStore(t)
	m := newMonitor(t, []news.Feed{src}, fetcher.New(testFetchOptions()), st)
	if r, err := m.PollFeed(t.Context(), src); err != nil || r.Err != nil || r.Stored != 3 {
		t.Fatalf("first poll = stored %d, %v, %v; want the month's 3 articles", r.Stored, r.Err, err)
	}
	site.SetBody("/sitemaps/news-month.xml", newstest.NewsSitemap(stories)) // the index stays as it was
	r, err := m.PollFeed(t.Context(), src)
	if err != nil || r.Err != nil || r.Stored != 3 {
		t.Errorf("second poll = stored %d, %v, %v; want the 3 articles added to the month's sitemap", r.Stored, r.Err, err)
	}
	if c := site.Counts("/sitemap.xml"); c.NotModified != 1 {
		t.Errorf("index: %+v; want the second request answered 304", c)
	}
	if n := site.Requests("/sitemaps/news-old.xml"); n != 0 {
		t.Errorf("a child last modified before the horizon was fetched %d times", n)
	}
	third, err := m.PollFeed(t.Context(), src)
	if c := site.Counts("/sitemaps/news-month.xml"); err != nil || !third.NotModified || c.Conditional != 2 || c.NotModified != 1 {
		t.Errorf("third poll: not modified %v (%v), child %+v; want the child asked conditionally, 304", third.NotModified, err, c)
	}
	if diff := cmp.Diff(storyTopics(site.URL(), stories), storedTopics(t, st)); diff != "" {
		t.Errorf("stored articles differ (-want +got):\n%s", diff)
	}
}

// TestBadSources polls, next to a healthy feed, the bad inputs of issue
// 11: each is bounded and reported on its own source.
func TestBadSources(t *testing.T) {
	t.Parallel()
	site := newSourceSite(t)
	now := time.Now().Add(-time.Minute)
	healthy := newstest.Stories("vi", 2, 740000, now, time.Minute)
	setPages(site, healthy)
	site.Set("/rss/vi.rss", newstest.Route{Body: rssOf("vi", healthy)})

	// An index that lists itself and 5,000 children; the newest three exist.
	children := []newstest.SitemapChild{{Path: "/bad/index-self.xml"}}
	for i := range 5000 {
		children = append(children, newstest.SitemapChild{Path: fmt.Sprintf("/sm/child-%d.xml", i), Modified: now.Add(-time.Duration(i) * time.Minute)})
	}
	site.Set("/bad/index-self.xml", newstest.Route{Body: newstest.SitemapIndex(children)})
	inChildren := newstest.Stories("en", 6, 741000, now, time.Minute)
	setPages(site, inChildren)
	for i := range 3 {
		site.Set(fmt.Sprintf("/sm/child-%d.xml", i), newstest.Route{Body: newstest.NewsSitemap(inChildren[2*i : 2*i+2])})
	}
	// Two indexes that point to each other.
	site.Set("/bad/loop-a.xml", newstest.Route{Body: newstest.SitemapIndex([]newstest.SitemapChild{{Path: "/bad/loop-b.xml"}})})
	site.Set("/bad/loop-b.xml", newstest.Route{Body: newstest.SitemapIndex([]newstest.SitemapChild{{Path: "/bad/loop-a.xml"}})})
	site.Handle("/bad/huge.xml", newstest.HugeSitemap(50<<20))
	site.Set("/bad/farm.vnp", newstest.Route{Body: newstest.LinkFarm(10_000)})
	site.Set("/bad/nothing.vnp", newstest.Route{Body: newstest.SectionPage("vi", "Xã hội", healthy)})
	offsite := newstest.Stories("vi", 3, 742000, now, time.Minute)
	mixed := string(newstest.SectionPage("vi", "Xã hội", append(slices.Clone(healthy), offsite...)))
	for _, p := range offsite[:2] { // two stories link to another site
		mixed = strings.ReplaceAll(mixed, newstest.BasePlaceholder+p.Path(), "http://localhost:9"+p.Path())
		mixed = strings.ReplaceAll(mixed, `href="`+p.Path(), `href="http://localhost:9`+p.Path())
	}
	setPages(site, offsite[2:])
	site.Set("/bad/mixed.vnp", newstest.Route{Body: []byte(mixed)})
	site.Set("/bad/garbage.xml", newstest.Route{Body: []byte("<urlset><url><loc>&&&<<<\x00")})

	page := func(p string, sel news.Selectors) news.Feed {
		return news.Feed{URL: site.URL() + p, Type: news.SourcePage, Select: sel, Interval: 10 * time.Minute, Scrape: true}
	}
	sitemap := func(p string) news.Feed {
		return news.Feed{URL: site.URL() + p, Type: news.SourceSitemap, Interval: 10 * time.Minute, Scrape: true}
	}
	feeds := []news.Feed{
		{URL: site.URL() + "/rss/vi.rss", Name: "healthy", Interval: 10 * time.Minute, Scrape: true},
		sitemap("/bad/index-self.xml"), sitemap("/bad/loop-a.xml"), sitemap("/bad/huge.xml"), sitemap("/bad/garbage.xml"),
		page("/bad/farm.vnp", news.Selectors{}), page("/bad/nothing.vnp", news.Selectors{Items: "div.no-such-list a"}), page("/bad/mixed.vnp", news.Selectors{}),
	}
	st := openStore(t)
	m := newMonitor(t, feeds, fetcher.New(testFetchOptions()), st)
	results := pollAll(t, t.Context(), m)

	state := func(p string) store.FeedState {
		fs, err := st.Feed(site.URL() + p)
		if err != nil {
			t.Fatalf("Feed(%s): %v", p, err)
		}
		return fs
	}
	if r := results[site.URL()+"/rss/vi.rss"]; r.Err != nil || r.Stored != 2 {
		t.Errorf("healthy feed: stored %d, %v; want its 2 articles whatever the others do", r.Stored, r.Err)
	}
	for _, tc := range []struct {
		path, err string // err: in the recorded error
	}{
		{"/bad/loop-a.xml", "is itself an index: not followed"},
		{"/bad/huge.xml", fetcher.ErrTooLarge.Error()},
		{"/bad/garbage.xml", "broken xml"},
		{"/bad/nothing.vnp", `items selector "div.no-such-list a" matched nothing on the page`},
	} {
		if fs := state(tc.path); fs.Errors != 1 || !strings.Contains(fs.LastError, tc.err) {
			t.Errorf("%s: errors %d, last error %q; want one, saying %q", tc.path, fs.Errors, fs.LastError, tc.err)
		}
	}
	self := state("/bad/index-self.xml")
	if self.Errors != 0 || !strings.Contains(strings.Join(self.Notes, "; "), "lists itself") ||
		!strings.Contains(strings.Join(self.Notes, "; "), "lists 5001 child sitemaps") {
		t.Errorf("self-listing index: errors %d (%s), notes %q; want a success with notes", self.Errors, self.LastError, self.Notes)
	}
	requested := 0
	for p := range site.AllCounts() {
		if strings.HasPrefix(p, "/sm/") {
			requested++
		}
	}
	if requested != 3 || results[site.URL()+"/bad/index-self.xml"].Stored != 6 {
		t.Errorf("self-listing index: %d children requested, %d stored; want the newest 3 and their 6 articles", requested, results[site.URL()+"/bad/index-self.xml"].Stored)
	}
	if fs, err := st.Feed(site.URL() + "/bad/loop-b.xml"); !errors.Is(err, store.ErrNotFound) || site.Requests("/bad/loop-b.xml") != 1 {
		t.Errorf("loop: the child index was requested %d times, its state %+v; want once, no state", site.Requests("/bad/loop-b.xml"), fs)
	}
	farm := state("/bad/farm.vnp")
	if r := results[site.URL()+"/bad/farm.vnp"]; r.Items != parser.MaxPageItems || !strings.Contains(strings.Join(farm.Notes, ";"), "more than 1000") {
		t.Errorf("10,000-link page: %d items, notes %q; want %d and a note", r.Items, farm.Notes, parser.MaxPageItems)
	}
	mixedState := state("/bad/mixed.vnp")
	if r := results[site.URL()+"/bad/mixed.vnp"]; r.Err != nil || r.Items != 3 || !strings.Contains(strings.Join(mixedState.Notes, ";"), "ignored 2 link(s) to other sites") {
		t.Errorf("page with off-site links: %d items (%v), notes %q; want 3, a note on the 2 others", r.Items, r.Err, mixedState.Notes)
	}
}
