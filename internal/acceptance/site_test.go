package acceptance

import (
	"bytes"
	"fmt"
	"html"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/newswatch/newswatch/internal/newstest"
)

// allStories are the unseen stories plus the test kit's corpus.
func allStories() []story {
	out := append([]story(nil), unseenStories...)
	for _, p := range newstest.Corpus() {
		out = append(out, story{Page: p.Page, topics: p.Topics})
	}
	return out
}

// siteFeed is a feed of the acceptance site.
type siteFeed struct {
	path, name, lang string
	ids              []int
	query            string // tracking parameters added to each link
	gzip             bool
}

// newsSite serves stories under feeds per language (plus a second English
// feed in Atom that repeats an article with tracking parameters) and
// returns the site and its feeds.
func newsSite(t *testing.T, stories []story) (*newstest.Site, []siteFeed) {
	t.Helper()
	site, err := newstest.NewSite(nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(site.Close)
	byLang := map[string][]int{}
	var langs []string
	for _, s := range stories {
		if byLang[s.Lang] == nil {
			langs = append(langs, s.Lang)
		}
		byLang[s.Lang] = append(byLang[s.Lang], s.ID)
		body := s.HTML()
		if s.alt {
			body = altHTML(s.Page)
		}
		route := newstest.Route{Body: body, Gzip: s.ID%2 == 0}
		if s.Charset == "windows-1256" {
			if route.Body, err = charmap.Windows1256.NewEncoder().Bytes(body); err != nil {
				t.Fatal(err)
			}
			route.ContentType = "text/html" // the charset only in <meta>
		}
		site.Set(s.Path(), route)
	}
	var feeds []siteFeed
	for i, l := range langs {
		feeds = append(feeds, siteFeed{path: "/rss/" + l + ".rss", name: "VNP " + l, lang: l, ids: byLang[l], gzip: i%2 == 0})
	}
	if en := byLang["en"]; len(en) > 2 {
		feeds = append(feeds, siteFeed{path: "/atom/en-world.atom", name: "VNP world", lang: "en", ids: en[:2],
			query: "utm_source=rss&utm_medium=feed&fbclid=abc123"})
	}
	publish(site, feeds, stories, func(int) bool { return true })
	return site, feeds
}

// publish renders the feeds with the stories that visible accepts.
func publish(site *newstest.Site, feeds []siteFeed, stories []story, visible func(id int) bool) {
	index := map[int]story{}
	for _, s := range stories {
		index[s.ID] = s
	}
	for _, f := range feeds {
		items := []newstest.FeedItem{}
		for _, id := range f.ids {
			if !visible(id) {
				continue
			}
			it := index[id].Item()
			if f.query != "" {
				it.Link += "?" + f.query
				it.GUID = it.Link
			}
			items = append(items, it)
		}
		ch := newstest.Channel{Title: f.name, Link: newstest.BasePlaceholder + "/", Description: f.name, Lang: f.lang}
		body := newstest.RSS(ch, items)
		if strings.HasSuffix(f.path, ".atom") {
			body = newstest.Atom(ch, items)
		}
		site.Set(f.path, newstest.Route{Body: body, Gzip: f.gzip})
	}
}

// altHTML renders a page with another variant of the CMS markup: the lead
// in a div, inline markup and links in paragraphs, a photo table, and
// related boxes built from story cards rather than lists.
func altHTML(p newstest.Page) []byte {
	e := html.EscapeString
	var b bytes.Buffer
	dir := "ltr"
	if p.Lang == "ar" {
		dir = "rtl"
	}
	fmt.Fprintf(&b, "<!DOCTYPE html><html lang=%q dir=%q><head><meta charset=\"utf-8\"><title>%s - Vietnam+ (VietnamPlus)</title>\n", p.Lang, dir, e(p.Title))
	fmt.Fprintf(&b, "<meta property=\"og:title\" content=\"%s\"><link rel=\"canonical\" href=\"%s%s\">\n", e(p.Title), newstest.BasePlaceholder, p.Path())
	fmt.Fprintf(&b, "<meta property=\"article:published_time\" content=\"%s\">\n", p.Published.Format("2006-01-02T15:04:05-07:00"))
	b.WriteString("<script>var _vnp={zone:'detail',tags:['a','b']};</script></head>\n<body>\n")
	b.WriteString("<header class=\"site-header\"><nav><a href=\"/\">Vietnam+</a> <a href=\"/xa-hoi/\">Xã hội</a> <a href=\"/the-gioi/\">Thế giới</a> <a href=\"/kinh-te/\">Kinh tế</a></nav></header>\n")
	b.WriteString("<div class=\"container\"><div class=\"col-main\"><div class=\"detail-page\">\n")
	fmt.Fprintf(&b, "<div class=\"breadcrumb\"><a href=\"/\">Vietnam+</a> › <a href=\"/s/\">%s</a></div>\n", e(p.Section))
	fmt.Fprintf(&b, "<h1 class=\"article__title cms-title\">%s</h1>\n", e(p.Title))
	fmt.Fprintf(&b, "<div class=\"article__meta\"><span class=\"author\">%s</span> · <time datetime=\"%s\">%s</time></div>\n",
		e(p.Author), p.Published.Format("2006-01-02T15:04:05-07:00"), p.Published.Format("15:04 02/01/2006"))
	b.WriteString("<div class=\"article__social social\"><a href=\"#\" class=\"fb\">Facebook</a><a href=\"#\" class=\"zalo\">Zalo</a><a href=\"#\" class=\"copy\">Copy link</a></div>\n")
	fmt.Fprintf(&b, "<div class=\"article__sapo cms-desc\">%s</div>\n", e(p.Sapo))
	b.WriteString("<div class=\"article__body zce-content-body cms-body\" itemprop=\"articleBody\">\n")
	mid := len(p.Body) / 2
	for i, para := range p.Body {
		if i == mid && len(p.Related) > 0 {
			b.WriteString("<div class=\"article-relate\">\n")
			for j, h := range p.Related {
				fmt.Fprintf(&b, "<article class=\"story\"><figure class=\"story__thumb\"><a href=\"%s/rel-post%d.vnp\"><img src=\"/i/%d.jpg\" alt=\"%s\"></a></figure><h3 class=\"story__heading\"><a class=\"cms-link\" href=\"%s/rel-post%d.vnp\">%s</a></h3></article>\n",
					newstest.BasePlaceholder, 880000+p.ID*10+j, j, e(h), newstest.BasePlaceholder, 880000+p.ID*10+j, e(h))
			}
			b.WriteString("</div>\n")
		}
		if i == 1 {
			fmt.Fprintf(&b, "<table class=\"picture\" align=\"center\"><tbody><tr><td><img src=\"/images/%d.jpg\"></td></tr><tr><td class=\"caption\">(Ảnh: TTXVN)</td></tr></tbody></table>\n", p.ID)
		}
		if i == len(p.Body)-1 {
			para += " (TTXVN/Vietnam+)"
		}
		fmt.Fprintf(&b, "<p>%s</p>\n", emphasise(e(para)))
	}
	b.WriteString("</div>\n<div class=\"article__tag\"><a href=\"/tag/a\">#Tin nổi bật</a></div>\n<div class=\"article__comment\">Bình luận (0)</div>\n</div></div>\n")
	if len(p.Sidebar) > 0 {
		b.WriteString("<div class=\"col-right\"><section class=\"section-related\"><h2 class=\"box-heading\">Tin cùng chuyên mục</h2>\n")
		for j, h := range p.Sidebar {
			fmt.Fprintf(&b, "<article class=\"story\"><h2 class=\"story__heading\"><a href=\"%s/side-post%d.vnp\">%s</a></h2><div class=\"story__summary\">%s</div></article>\n",
				newstest.BasePlaceholder, 870000+p.ID*10+j, e(h), e(h))
		}
		b.WriteString("</section></div>\n")
	}
	b.WriteString("</div>\n<footer><p>Báo điện tử VietnamPlus. © Vietnam+</p></footer></body></html>\n")
	return b.Bytes()
}

// emphasise wraps the second word of a paragraph in <strong> and links
// its fourth, as editors do, so inline markup must not split the text.
func emphasise(para string) string {
	w := strings.Split(para, " ")
	if len(w) > 5 {
		w[1] = "<strong>" + w[1] + "</strong>"
		w[3] = "<a href=\"/tag/x\">" + w[3] + "</a>"
	}
	return strings.Join(w, " ")
}
