package parser

import (
	"cmp"
	"net/url"
	"strings"
	"time"

	"github.com/newswatch/newswatch/lang"
	"github.com/newswatch/newswatch/news"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// pageMeta is the metadata collected while walking a page.
type pageMeta struct {
	htmlLang, contentLang, ogLocale string
	dir                             string // dir attribute of <html> or <body>
	title, ogTitle, h1              string
	canonical, ogURL                string
	published, itemDate, metaDate   string
	timeDate                        string
	author, itemAuthor              string
	jsonLD                          []string
	keys                            []string // normalised titles, built lazily
}

// visit records what element n, whose itemprop attribute is itemprop, says
// about the page.
func (m *pageMeta) visit(n *html.Node, itemprop string) {
	switch n.DataAtom {
	case atom.Html, atom.Body:
		if m.htmlLang == "" {
			m.htmlLang = strings.TrimSpace(cmp.Or(attr(n, "lang"), attr(n, "xml:lang")))
		}
		if d := strings.ToLower(attr(n, "dir")); d != "" && m.dir == "" {
			m.dir = d
		}
	case atom.Meta:
		m.visitMeta(n)
	case atom.Link:
		if m.canonical == "" && strings.EqualFold(attr(n, "rel"), "canonical") {
			m.canonical = attr(n, "href")
		}
	case atom.Title:
		if m.title == "" && n.FirstChild != nil && n.Parent != nil && n.Parent.DataAtom == atom.Head {
			m.title = strings.Join(strings.Fields(n.FirstChild.Data), " ")
		}
	case atom.Script:
		if strings.Contains(attr(n, "type"), "ld+json") && n.FirstChild != nil && len(m.jsonLD) < 8 {
			m.jsonLD = append(m.jsonLD, n.FirstChild.Data)
		}
	case atom.Time:
		if m.timeDate == "" {
			m.timeDate = attr(n, "datetime")
		}
	case atom.H1:
		if m.h1 == "" {
			m.h1 = innerText(n)
		}
	}
	if n.DataAtom != atom.Meta {
		switch itemprop {
		case "datePublished":
			if m.itemDate == "" {
				m.itemDate = strings.TrimSpace(cmp.Or(attr(n, "datetime"), attr(n, "content"), innerTextLimited(n, 100)))
			}
		case "author":
			if m.itemAuthor == "" {
				m.itemAuthor = strings.TrimSpace(innerTextLimited(n, 200))
			}
		}
	}
}

// visitMeta records <meta> tags.
func (m *pageMeta) visitMeta(n *html.Node) {
	key := strings.ToLower(strings.TrimSpace(cmp.Or(attr(n, "property"), attr(n, "name"), attr(n, "itemprop"), attr(n, "http-equiv"))))
	val := strings.TrimSpace(attr(n, "content"))
	if val == "" {
		return
	}
	set := func(p *string) {
		if *p == "" {
			*p = val
		}
	}
	switch key {
	case "content-language":
		set(&m.contentLang)
	case "og:locale":
		set(&m.ogLocale)
	case "og:title", "twitter:title":
		set(&m.ogTitle)
	case "og:url":
		set(&m.ogURL)
	case "article:published_time", "og:published_time", "datepublished":
		set(&m.published)
	case "pubdate", "publishdate", "publish-date", "date", "dc.date", "dc.date.issued", "dcterms.created",
		"sailthru.date", "parsely-pub-date", "article.published", "publication_date":
		set(&m.metaDate)
	case "author", "dc.creator", "article:author", "parsely-author", "sailthru.author":
		if !strings.HasPrefix(val, "http") {
			set(&m.author)
		}
	}
}

// titleKeys returns the normalised titles the page announces, so headings
// that repeat them can be left out of the body.
func (m *pageMeta) titleKeys() []string {
	if m.keys == nil {
		m.keys = []string{}
		for _, t := range []string{m.ogTitle, m.title, cleanTitle(m.title)} {
			if k := normKey(t); k != "" {
				m.keys = append(m.keys, k)
			}
		}
	}
	return m.keys
}

// cleanTitle strips a site name from a <title> like "Headline | Site".
func cleanTitle(t string) string {
	for _, sep := range []string{" | ", " - ", " – ", " — ", " :: ", " » ", " / ", " · "} {
		if !strings.Contains(t, sep) {
			continue // no slice for the separators a title does not use
		}
		parts := strings.Split(t, sep)
		best := parts[0]
		if len(strings.Fields(best)) < 3 && len([]rune(best)) < 10 {
			for _, p := range parts {
				if len(p) > len(best) {
					best = p
				}
			}
		}
		return strings.TrimSpace(best)
	}
	return t
}

// fillMeta sets the article's URL, title, byline, language, direction and
// publication time. early is the date the page gives before its JSON-LD
// (see earlyDate), zero when none; zone is the site rule's UTC offset for
// the other dates; ld is what the page's JSON-LD says.
func (d *doc) fillMeta(a *news.Article, pageURL string, early time.Time, zone int, ld ldInfo) {
	m := &d.meta
	a.URL = pageURLOf(m, pageURL)
	// Every value here is trimmed where it is recorded.
	a.Title = cmp.Or(m.ogTitle, ld.headline, m.h1, cleanTitle(m.title))
	a.Byline = cmp.Or(m.author, ld.author, m.itemAuthor)
	a.Lang = lang.Normalize(cmp.Or(m.htmlLang, m.contentLang, m.ogLocale))
	a.Dir = lang.Dir(a.Lang)
	if m.dir == "rtl" {
		a.Dir = "rtl"
	}
	a.Published = early
	if early.IsZero() {
		a.Published = firstDate(zone, ld.published, m.itemDate, m.metaDate, m.timeDate)
	}
}

// ruleZone returns the UTC offset of the dates on a site rule's pages, 0
// without a rule.
func ruleZone(rule *siteRule) int {
	if rule == nil {
		return 0
	}
	return rule.zone
}

// earlyDate returns the publication time the page gives before its
// JSON-LD, the site rule's date or article:published_time, which wins
// over every other; zero when neither parses.
func (m *pageMeta) earlyDate(zone int, ruleDate string) time.Time {
	return firstDate(zone, ruleDate, m.published)
}

// needsJSONLD reports whether the page's JSON-LD blocks can change its
// article, so that they are decoded only then (encoding/json was a twentieth
// of an extraction): when a value the page gives before them is missing
// (og:title, the author, or the early date: dated is false), or, with
// declaredBody, when a block may hold an articleBody (see
// withDeclaredBody; a key may be written with \u escapes).
func (m *pageMeta) needsJSONLD(dated, declaredBody bool) bool {
	switch {
	case len(m.jsonLD) == 0:
		return false
	case m.ogTitle == "" || m.author == "" || !dated:
		return true
	case !declaredBody:
		return false
	}
	for _, b := range m.jsonLD {
		if strings.Contains(b, "articleBody") || strings.Contains(b, `\u`) {
			return true
		}
	}
	return false
}

// firstDate returns the first of dates that parses, zero when none does
// (parseTime takes no time before 1990).
func firstDate(zone int, dates ...string) time.Time {
	for _, s := range dates {
		if t, ok := parseTime(s, zone); ok {
			return t
		}
	}
	return time.Time{}
}

// pageURLOf returns the page's canonical URL when it declares a usable one.
func pageURLOf(m *pageMeta, pageURL string) string {
	base, _ := url.Parse(pageURL)
	for _, c := range []string{m.canonical, m.ogURL} {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		u, err := url.Parse(c)
		if err != nil {
			continue
		}
		if base != nil && base.IsAbs() {
			u = base.ResolveReference(u)
		}
		if (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
			return u.String()
		}
	}
	return pageURL
}
