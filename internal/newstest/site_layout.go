package newstest

import (
	"fmt"
	"net/url"
	"path"
	"slices"

	"golang.org/x/text/encoding/charmap"
)

// SiteFeed is one feed of a sample site layout.
type SiteFeed struct {
	Path    string // such as "/rss/vi.rss"; ".atom" renders Atom
	Channel Channel
	IDs     []int // corpus post ids, in feed order
	// LinkQuery is appended to every item link (tracking parameters that
	// the parser must strip).
	LinkQuery string
	// Windows1256 encodes the feed in windows-1256 without declaring it in
	// the XML; serve it with the charset in the Content-Type header.
	Windows1256 bool
}

// Files renders a site of feeds and their corpus pages as file contents
// by path (without the leading "/"), ready to be written to testdata or
// served with NewSiteMap. Pages with Charset "windows-1256" are encoded so.
func Files(feeds []SiteFeed) (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, f := range feeds {
		var items []FeedItem
		for _, id := range f.IDs {
			p, ok := CorpusPageByID(id)
			if !ok {
				return nil, fmt.Errorf("feed %s: no corpus page %d", f.Path, id)
			}
			it := p.Item()
			if f.LinkQuery != "" {
				it.Link += "?" + f.LinkQuery
				it.GUID = it.Link
			}
			items = append(items, it)
			body := p.HTML()
			if p.Charset == "windows-1256" {
				var err error
				if body, err = charmap.Windows1256.NewEncoder().Bytes(body); err != nil {
					return nil, fmt.Errorf("page %d: encode windows-1256: %w", id, err)
				}
			}
			out[p.Path()[1:]] = body
		}
		var body []byte
		if path.Ext(f.Path) == ".atom" {
			body = Atom(f.Channel, items)
		} else {
			body = RSS(f.Channel, items)
		}
		if f.Windows1256 {
			var err error
			if body, err = charmap.Windows1256.NewEncoder().Bytes(body); err != nil {
				return nil, fmt.Errorf("feed %s: encode windows-1256: %w", f.Path, err)
			}
		}
		out[f.Path[1:]] = body
	}
	return out, nil
}

// E2ELayout is the site of the end-to-end test in monitor/testdata/site:
// feeds in Vietnamese, English (RSS and Atom), Arabic (UTF-8 and
// windows-1256) and Chinese, with one article in two feeds.
func E2ELayout() []SiteFeed {
	return []SiteFeed{
		{Path: "/rss/vi.rss", IDs: []int{1001, 1002, 1003, 1004, 1005, 1006}, Channel: channel("vi", "VietnamPlus - Tin mới nhất")},
		{Path: "/rss/en.rss", IDs: []int{2001, 2002, 2003, 2004}, Channel: channel("en", "VietnamPlus - Latest news")},
		{Path: "/atom/en-world.atom", IDs: []int{2001, 2005}, LinkQuery: "utm_source=rss&utm_medium=feed&utm_campaign=world", Channel: channel("en", "VietnamPlus - World")},
		{Path: "/rss/ar.rss", IDs: []int{3001, 3003, 3005}, Channel: channel("ar", "فيتنام بلس - آخر الأخبار")},
		{Path: "/rss/ar-1256.rss", IDs: []int{3002, 3004}, Windows1256: true, Channel: channel("ar", "فيتنام بلس - المجتمع")},
		{Path: "/rss/zh.rss", IDs: []int{4001, 4002, 4003}, Channel: channel("zh", "越通社 - 最新新闻")},
	}
}

// DemoLayout is the small site embedded in `newswatch demo`: three feeds
// (vi, en, ar) and eight articles, one of them a trap page.
func DemoLayout() []SiteFeed {
	return []SiteFeed{
		{Path: "/rss/vi.rss", IDs: []int{1001, 1002, 1003, 1005}, Channel: channel("vi", "VietnamPlus - Tin mới nhất")},
		{Path: "/rss/en.rss", IDs: []int{2001, 2004}, Channel: channel("en", "VietnamPlus - Latest news")},
		{Path: "/rss/ar.rss", IDs: []int{3001, 3005}, Channel: channel("ar", "فيتنام بلس - آخر الأخبار")},
	}
}

func channel(lang, title string) Channel {
	return Channel{Title: title, Link: BasePlaceholder + "/", Description: title, Lang: lang}
}

// PagesOf returns the corpus pages of a layout, each once, in feed order.
func PagesOf(feeds []SiteFeed) []CorpusPage {
	var ids []int
	for _, f := range feeds {
		for _, id := range f.IDs {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	out := make([]CorpusPage, 0, len(ids))
	for _, id := range ids {
		p, _ := CorpusPageByID(id)
		out = append(out, p)
	}
	return out
}

// PageURL returns the absolute URL of a page on a site at base.
func PageURL(base string, p Page) string {
	u, err := url.JoinPath(base, p.Path())
	if err != nil {
		return base + p.Path()
	}
	return u
}
