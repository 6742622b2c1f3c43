package newstest

import (
	"bytes"
	"fmt"
	"html"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Stories returns n distinct article pages in lang, made from the
// corpus pages of that language (all languages when it has none): post
// ids from firstID up, unique slugs, and publish times from newest back,
// step apart, newest first.
func Stories(lang string, n, firstID int, newest time.Time, step time.Duration) []Page {
	var src []Page
	for _, p := range Corpus() {
		if p.Lang == lang {
			src = append(src, p.Page)
		}
	}
	if len(src) == 0 {
		for _, p := range Corpus() {
			src = append(src, p.Page)
		}
	}
	out := make([]Page, n)
	for i := range n {
		p := src[i%len(src)]
		p.ID = firstID + i
		p.Slug = fmt.Sprintf("%s-%d", p.Slug, i)
		p.Published = newest.Add(-time.Duration(i) * step)
		p.Charset = "" // served as UTF-8
		out[i] = p
	}
	return out
}

// StoryTopics returns the topics a correct matcher finds in a page made by
// Stories: those of the corpus page it was made from, sorted; empty (not
// nil) when none.
func StoryTopics(p Page) []string {
	topics := []string{}
	for _, c := range Corpus() {
		if c.Lang == p.Lang && strings.HasPrefix(p.Slug, c.Slug+"-") {
			topics = append(topics, c.Topics...)
		}
	}
	slices.Sort(topics)
	return topics
}

// NewsSitemap renders a Google News sitemap of pages: each <url> with its
// absolute link (through BasePlaceholder), publication date in UTC+7 as
// VietnamPlus writes it, language and title.
func NewsSitemap(pages []Page) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">` + "\n")
	for _, p := range pages {
		fmt.Fprintf(&b, "<url><loc>%s%s</loc><news:news><news:publication><news:name>VietnamPlus</news:name><news:language>%s</news:language></news:publication>"+
			"<news:publication_date>%s</news:publication_date><news:title>%s</news:title></news:news></url>\n",
			BasePlaceholder, p.Path(), p.Lang, p.Published.In(ict).Format(time.RFC3339), html.EscapeString(p.Title))
	}
	b.WriteString("</urlset>\n")
	return b.Bytes()
}

// SitemapChild is an entry of a sitemap index: a path on the site and its
// last modification (zero: none given).
type SitemapChild struct {
	Path     string
	Modified time.Time
}

// SitemapIndex renders a sitemap index of children.
func SitemapIndex(children []SitemapChild) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, c := range children {
		fmt.Fprintf(&b, "<sitemap><loc>%s%s</loc>", BasePlaceholder, c.Path)
		if !c.Modified.IsZero() {
			fmt.Fprintf(&b, "<lastmod>%s</lastmod>", c.Modified.In(ict).Format(time.RFC3339))
		}
		b.WriteString("</sitemap>\n")
	}
	b.WriteString("</sitemapindex>\n")
	return b.Bytes()
}

// SectionPage renders a section page of the VietnamPlus CMS listing pages
// newest first, as the Chinese edition's channel pages are built: a menu
// of sections, a featured story (.abf-cate .story), a timeline of stories
// (.timeline .story, headline in h2 a, time[datetime]) with tag links, a
// pager, a most-read sidebar and a footer, all in the section's language.
func SectionPage(lang, section string, pages []Page) []byte {
	w := wordsFor(lang)
	dir := "ltr"
	if lang == "ar" {
		dir = "rtl"
	}
	e := html.EscapeString
	var b bytes.Buffer
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=%q dir=%q>\n<head><meta charset=\"utf-8\"><title>%s | Vietnam+ (VietnamPlus)</title></head>\n<body class=\"page-cate\">\n", lang, dir, e(section))
	fmt.Fprintf(&b, "<div class=\"header\"><a class=\"logo\" href=\"/\">Vietnam+</a><ul class=\"menu\"><li><a href=\"/\">%s</a></li>"+
		"<li><a href=\"/thegioi.vnp\">%s</a></li><li><a href=\"/the-thao-quoc-te-trong-nuoc-moi-nhat.vnp\">%s</a></li></ul></div>\n", e(w.home), e(section), e(w.sameSection))
	fmt.Fprintf(&b, "<div class=\"breadcrumb\"><a href=\"/\">%s</a> › <a href=\"/section.vnp\">%s</a></div>\n", e(w.home), e(section))
	for i, p := range pages {
		switch i {
		case 0:
			b.WriteString("<div class=\"abf-cate\">\n")
		case 1:
			b.WriteString("<div class=\"timeline\">\n")
		}
		pub := p.Published.In(ict)
		fmt.Fprintf(&b, "<article class=\"story\"><a class=\"story__thumb\" href=\"%s%s\"><img src=\"/images/%d.jpg\" alt=\"%s\"></a>\n"+
			"<h2 class=\"story__heading\"><a class=\"cms-link\" href=\"%s\">%s</a></h2>\n<div class=\"story__summary\">%s</div>\n"+
			"<div class=\"story__meta\"><time datetime=\"%s\">%s</time> <a href=\"/tag/%s.vnp\">#%s</a></div></article>\n",
			BasePlaceholder, p.Path(), p.ID, e(w.photo), p.Path(), e(p.Title), e(p.Sapo),
			pub.Format("2006-01-02T15:04:05-07:00"), pub.Format("02/01/2006 15:04"), slugify(p.Section, i), e(p.Section))
		if i == 0 || i == len(pages)-1 {
			b.WriteString("</div>\n")
		}
	}
	b.WriteString("<div class=\"pagination\"><a href=\"/section/trang-2.vnp\">2</a> <a href=\"/section.vnp?page=3\">3</a></div>\n")
	fmt.Fprintf(&b, "<div class=\"sidebar\"><div class=\"box-heading\">%s</div><a href=\"/mot-bai-doc-nhieu-khong-thuoc-chuyen-muc-post999999.vnp\">%s</a></div>\n", e(w.related), e(w.related))
	fmt.Fprintf(&b, "<div class=\"footer\"><p>%s</p><a href=\"/lien-he.vnp\">%s</a></div>\n</body>\n</html>\n", e(w.footer), e(w.home))
	return b.Bytes()
}

// LinkFarm renders a section page of n stories, each linking an article of
// the site (none of which exists): a page with far more links than any
// poll should follow.
func LinkFarm(n int) []byte {
	var b bytes.Buffer
	b.WriteString("<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Tin mới</title></head><body><div class=\"timeline\">\n")
	for i := range n {
		fmt.Fprintf(&b, "<article class=\"story\"><h2><a href=\"/farm/tin-tuc-tong-hop-so-%d-post%d.vnp\">Tin tức tổng hợp số %d</a></h2></article>\n", i, 3_000_000+i, i)
	}
	b.WriteString("</div></body></html>\n")
	return b.Bytes()
}

// HugeSitemap serves a news sitemap of about size bytes, streamed: a
// sitemap past any sane size limit.
func HugeSitemap(size int64) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/xml; charset=utf-8")
		base := "http://" + r.Host
		n, err := fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`+"\n")
		written := int64(n)
		for i := 0; err == nil && written < size && r.Context().Err() == nil; i++ {
			n, err = fmt.Fprintf(w, "<url><loc>%s/huge/ban-tin-tong-hop-so-%d-post%d.vnp</loc><lastmod>2026-11-27T08:15:00+07:00</lastmod></url>\n", base, i, 4_000_000+i)
			written += int64(n)
		}
		if err == nil {
			fmt.Fprint(w, "</urlset>\n")
		}
	}
}
