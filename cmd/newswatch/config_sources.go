package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/parser"
)

// sourceTypes are the values of feeds[].type.
var sourceTypes = []news.SourceType{news.SourceFeed, news.SourceSitemap, news.SourcePage}

// kind returns the feed's source type; "" is a feed.
func (f FeedConfig) kind() news.SourceType {
	return news.Feed{Type: news.SourceType(f.Type)}.Kind()
}

// sourceProblems checks the keys of a feeds[] entry that say what kind
// of source it is: type, the selectors, hosts and scrape. Each problem
// is (key, message), the key relative to the entry.
func (f FeedConfig) sourceProblems() [][2]string {
	var out [][2]string
	add := func(key, format string, args ...any) { out = append(out, [2]string{key, fmt.Sprintf(format, args...)}) }
	if !slices.Contains(sourceTypes, f.kind()) {
		add("type", "%q is not one of feed, sitemap, page", f.Type)
		return out
	}
	if f.kind() != news.SourcePage {
		for _, k := range []struct{ key, sel string }{{"items", f.Items}, {"title", f.Title}, {"date", f.Date}} {
			if k.sel != "" {
				add(k.key, "only a section page has selectors: add type: page, or remove it")
			}
		}
	} else if f.Items == "" && (f.Title != "" || f.Date != "") {
		key := "title"
		if f.Title == "" {
			key = "date"
		}
		add(key, "is looked up inside each item: give items too, a selector of the article links or of the elements holding one each")
	} else if err := (parser.SourceOptions{Items: f.Items, Title: f.Title, Date: f.Date}).Check(); err != nil {
		key, _, _ := strings.Cut(err.Error(), " ") // "items selector ...", "title selector ..."
		add(key, "%v", err)
	}
	if f.kind() != news.SourceFeed && f.Scrape != nil && !*f.Scrape {
		add("scrape", "a %s gives no article text, only links: leave scrape true", f.kind())
	}
	if len(f.Hosts) > 0 && f.kind() == news.SourceFeed && f.Backfill == "" {
		add("hosts", "only a sitemap or page source, or a feed's backfill sitemap, takes links by host")
	}
	for i, h := range f.Hosts {
		if h = strings.TrimSpace(h); h == "" || strings.ContainsAny(h, "/:@?# ") {
			add(fmt.Sprintf("hosts[%d]", i), "%q is not a host name such as example.org", f.Hosts[i])
		}
	}
	return out
}

// feedSources checks what each entry of feeds says about its kind of
// source and its backfill.
func (v *validator) feedSources() {
	for i, f := range v.c.Feeds {
		p := fmt.Sprintf("feeds[%d]", i)
		for _, pr := range f.sourceProblems() {
			v.at(p+"."+pr[0], "%s", pr[1])
		}
		if f.Backfill == "" {
			continue
		}
		if _, err := backfillURL(f.Backfill, f.URL, v.c.backfillTargets()); err != nil {
			v.at(p+".backfill", "%v", err)
		}
	}
}

// backfillTarget is a source a backfill may name: its name and URL.
type backfillTarget struct{ name, url string }

// backfillTargets are the config's feeds a backfill may name.
func (c *Config) backfillTargets() []backfillTarget {
	out := make([]backfillTarget, 0, len(c.Feeds))
	for _, f := range c.Feeds {
		out = append(out, backfillTarget{f.Name, f.URL})
	}
	return out
}

// backfillURL resolves the backfill b of the feed at self: an http(s) URL
// is taken as written (the URL of another entry, compared canonically,
// is that source; any other is read as a sitemap); other text must be the
// name of exactly one other entry among targets, whose URL is returned.
func backfillURL(b, self string, targets []backfillTarget) (string, error) {
	b = strings.TrimSpace(b)
	key, err := feedKey(b)
	isURL := err == nil
	selfKey, _ := feedKey(self)
	var found []string
	for _, t := range targets {
		if tk, _ := feedKey(t.url); isURL && tk == key || !isURL && t.name == b {
			found = append(found, t.url)
		}
	}
	if !isURL && len(found) == 1 {
		key, _ = feedKey(found[0])
	}
	switch {
	case !isURL && len(found) == 0:
		return "", fmt.Errorf("%q is neither the name or URL of another feeds[] entry nor an http(s) URL (of a sitemap)", redactURL(b))
	case !isURL && len(found) > 1:
		return "", fmt.Errorf("%q names %d feeds; give the URL of one", b, len(found))
	case key == selfKey:
		return "", fmt.Errorf("%q is this feed itself: name another source, such as the site's news sitemap", redactURL(b))
	case len(found) > 0:
		return found[0], nil
	}
	return b, nil
}

// newsSource sets the source fields of n from f: type, selectors,
// hosts and the backfill resolved among targets. Validate has checked f.
func (f FeedConfig) newsSource(n *news.Feed, targets []backfillTarget) {
	n.Type = news.SourceType(f.Type)
	if n.Type == news.SourceFeed {
		n.Type = ""
	}
	n.Select = news.Selectors{Items: f.Items, Title: f.Title, Date: f.Date}
	n.Hosts = slices.Clone(f.Hosts)
	if f.Backfill != "" {
		n.Backfill, _ = backfillURL(f.Backfill, f.URL, targets)
	}
}
