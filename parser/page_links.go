package parser

import (
	"net/url"
	"regexp"
	"strings"
	"unicode"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// discoverLinks adds to c the article links of a section page found
// without selectors: links inside the main content (<main> or
// role="main" when the page has one with articles, else the body) and
// outside navigation, whose URL looks like an article (articleLike).
// Each link's title is its longest link text on the page, else the card
// heading or image alt text; its date is the first time element of its
// card, the largest element around it that links to no other article.
func discoverLinks(root *html.Node, c *linkCollector) {
	var cands []candidate
	for _, content := range contentRoots(root) {
		if cands = candidates(content, c); len(cands) > 0 {
			break
		}
	}
	marks := cardMarks(cands)
	type found struct {
		title string
		card  *html.Node
	}
	best := map[string]*found{}
	var order []string
	for _, k := range cands {
		t := innerText(k.a)
		f := best[k.url]
		if f == nil {
			f = &found{card: cardOf(k.a, k.url, marks)}
			best[k.url] = f
			order = append(order, k.url)
		}
		if len(t) > len(f.title) {
			f.title = t
		}
	}
	for _, u := range order {
		f := best[u]
		title := f.title
		if title == "" {
			title = cardTitle(f.card)
		}
		c.add(u, title, dateText(firstTime(f.card)))
	}
}

// candidate is a link whose URL looks like an article.
type candidate struct {
	a   *html.Node
	url string
}

// contentRoots returns where to look for article links, best first: the
// page's main elements, then the whole page.
func contentRoots(root *html.Node) []*html.Node {
	var out []*html.Node
	if m := find(root, mainSel); m != nil {
		out = append(out, m)
	}
	return append(out, root)
}

var mainSel = cascadia.MustCompile("main, [role=main]")

// candidates returns the article-like links under content, outside
// navigational elements, in page order.
func candidates(content *html.Node, c *linkCollector) []candidate {
	var out []candidate
	walk(content, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return n.Type == html.DocumentNode
		}
		if n != content && navigational(n) {
			return false
		}
		if n.DataAtom == atom.A {
			if pu, u, ok := c.resolve(attr(n, "href")); ok && articleLike(pu) {
				out = append(out, candidate{n, u})
			}
		}
		return true
	}, func(*html.Node) {})
	return out
}

// cardMarks maps every ancestor of the candidates to the one URL its
// subtree links to, or to mixedCard when it links to several articles.
func cardMarks(cands []candidate) map[*html.Node]string {
	marks := make(map[*html.Node]string, len(cands)*4)
	for _, k := range cands {
		for p, depth := k.a.Parent, 0; p != nil && depth < maxCardDepth; p, depth = p.Parent, depth+1 {
			if m, ok := marks[p]; ok && m != k.url {
				marks[p] = mixedCard
			} else if !ok {
				marks[p] = k.url
			}
		}
	}
	return marks
}

// mixedCard marks an element that links to more than one article.
const mixedCard = "\x00"

// maxCardDepth is how far above a link its card may start.
const maxCardDepth = 6

// cardOf returns the largest element around a, at most maxCardDepth
// levels up, whose subtree links to no article other than u.
func cardOf(a *html.Node, u string, marks map[*html.Node]string) *html.Node {
	card := a
	for p, depth := a.Parent, 0; p != nil && depth < maxCardDepth; p, depth = p.Parent, depth+1 {
		if marks[p] != u || p.DataAtom == atom.Body || p.DataAtom == atom.Main {
			break
		}
		card = p
	}
	return card
}

// cardTitle returns the headline of a card whose links have no text: its
// heading, else an image's alt text.
func cardTitle(card *html.Node) string {
	if h := find(card, headingSel); h != nil {
		if t := innerText(h); t != "" {
			return t
		}
	}
	if card.DataAtom == atom.A {
		return linkText(card)
	}
	if img := find(card, imgSel); img != nil {
		return strings.TrimSpace(attr(img, "alt"))
	}
	return ""
}

var headingSel = cascadia.MustCompile("h1, h2, h3, h4, h5")

// navigational reports an element that holds navigation rather than
// content: <nav>, <aside>, forms, page-level headers and footers, ARIA
// landmarks of navigation, and elements whose class or id names a menu,
// header, footer, sidebar, breadcrumb, pagination or sharing box.
func navigational(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Nav, atom.Aside, atom.Form, atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Iframe, atom.Svg, atom.Select:
		return true
	case atom.Header, atom.Footer:
		if !insideArticle(n) {
			return true
		}
	}
	switch strings.ToLower(attr(n, "role")) {
	case "navigation", "banner", "contentinfo", "search", "menu", "menubar", "complementary":
		return true
	}
	if hiddenNode(n) {
		return true
	}
	for _, tok := range strings.Fields(attr(n, "class") + " " + attr(n, "id")) {
		if navToken(strings.ToLower(tok)) {
			return true
		}
	}
	return false
}

// insideArticle reports whether n stands in an <article> (a card's own
// header or footer).
func insideArticle(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.DataAtom == atom.Article {
			return true
		}
	}
	return false
}

// navToken reports a class or id naming navigation: its first word is a
// navigation word ("menu-item", "footer-links"), or its last one is and
// its first names no content ("site-header", not "article__header").
func navToken(tok string) bool {
	words := strings.FieldsFunc(tok, func(r rune) bool { return r == '-' || r == '_' })
	if len(words) == 0 {
		return false
	}
	first, last := words[0], words[len(words)-1]
	return navWords[first] || (navWords[last] && !contentWords[first])
}

var navWords = wordSet("header", "footer", "nav", "navbar", "navigation", "menu", "menubar", "submenu", "megamenu", "subnav", "topbar",
	"breadcrumb", "breadcrumbs", "pagination", "pager", "paging", "social", "share", "sharing", "copyright", "masthead", "sidebar", "sitemap")

var contentWords = wordSet("article", "story", "post", "news", "entry", "item", "card", "title", "headline", "content", "main", "list", "timeline")

func wordSet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// articleLike reports whether u looks like the URL of an article rather
// than of a section, tag, author, search or pagination page or a file:
// no path segment names such a page, the query asks for no page number,
// and the last segment carries a numeric id of five or more digits, or
// is a slug of five or more words, or follows a dated path
// (/2026/11/27/...). Section slugs such as /the-gioi/ or /bat-dong-san/
// are words too, so shorter slugs do not count.
func articleLike(u *url.URL) bool {
	segs := strings.FieldsFunc(u.Path, func(r rune) bool { return r == '/' })
	if len(segs) == 0 || pagedQuery(u.Query()) {
		return false
	}
	for _, s := range segs {
		if listingSegments[strings.ToLower(s)] || pageNumber.MatchString(s) {
			return false
		}
	}
	name, ext := splitExt(segs[len(segs)-1])
	if fileExts[ext] {
		return false
	}
	switch {
	case longNumber.MatchString(name):
		return true
	case len(segs) >= 2 && datedPath(segs[:len(segs)-1]):
		return true
	}
	return slugWords(name) >= 5
}

// listingSegments are path segments of pages that list articles or are
// no article: tags, topics, categories, authors, search, accounts, feeds
// (in English, Vietnamese and Arabic).
var listingSegments = wordSet("tag", "tags", "topic", "topics", "category", "categories", "cat", "section", "sections", "author", "authors",
	"writer", "writers", "page", "pages", "search", "login", "signin", "signup", "register", "account", "subscribe", "rss", "feed",
	"feeds", "contact", "about", "privacy", "terms", "archive", "archives", "label",
	"chu-de", "chuyen-muc", "tac-gia", "tim-kiem", "dang-nhap", "dang-ky", "lien-he", "gioi-thieu",
	"وسم", "قسم", "تصنيف", "كاتب", "بحث", "الكاتب")

var (
	// pageNumber matches pagination segments: p2, page2, trang-3, 2.html is not one.
	pageNumber = regexp.MustCompile(`(?i)^(?:p|page|trang|pg)[-_]?\d{1,4}$`)
	// longNumber matches a numeric id: a run of five digits or more.
	longNumber = regexp.MustCompile(`\d{5,}`)
	yearSeg    = regexp.MustCompile(`^(?:19|20)\d\d$`)
	monthSeg   = regexp.MustCompile(`^(?:0?[1-9]|1[0-2])$`)
)

// pagedQuery reports a query asking for a page number of a listing.
func pagedQuery(q url.Values) bool {
	for _, k := range []string{"page", "p", "paged", "pg", "trang", "offset", "start"} {
		if q.Has(k) {
			return true
		}
	}
	return false
}

var fileExts = wordSet("jpg", "jpeg", "png", "gif", "webp", "svg", "ico", "css", "js", "pdf", "xml", "rss", "atom", "json",
	"zip", "gz", "mp3", "mp4", "m3u8", "woff", "woff2", "txt", "doc", "docx", "xls", "xlsx")

// splitExt splits a path segment into its name and lower-case extension
// ("" when it has none).
func splitExt(seg string) (string, string) {
	i := strings.LastIndexByte(seg, '.')
	if i <= 0 || len(seg)-i > 6 {
		return seg, ""
	}
	return seg[:i], strings.ToLower(seg[i+1:])
}

// datedPath reports whether segs hold a year followed by a month.
func datedPath(segs []string) bool {
	for i := 0; i+1 < len(segs); i++ {
		if yearSeg.MatchString(segs[i]) && monthSeg.MatchString(segs[i+1]) {
			return true
		}
	}
	return false
}

// slugWords counts the words of a slug: runs of letters or digits
// separated by '-', '_' or '+'.
func slugWords(name string) int {
	n := 0
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return r == '-' || r == '_' || r == '+' }) {
		if strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			n++
		}
	}
	return n
}
