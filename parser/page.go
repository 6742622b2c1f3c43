package parser

import (
	"bytes"
	"cmp"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newswatch/newswatch/lang"
	"github.com/newswatch/newswatch/news"
)

// MaxPageItems is how many article links ParsePage takes from one page, in
// page order; the rest are left out with a note.
const MaxPageItems = 1000

// find returns the first element under n that m matches, or nil. Like
// the site rules, pages are read with goquery's matcher methods, their
// selectors compiled by cascadia (which reports a bad one).
func find(n *html.Node, m goquery.Matcher) *html.Node {
	if n == nil {
		return nil
	}
	s := goquery.NewDocumentFromNode(n).FindMatcher(goquery.SingleMatcher(m))
	if s.Length() == 0 {
		return nil
	}
	return s.Get(0)
}

// findAll returns every element under n that m matches, in page order.
func findAll(n *html.Node, m goquery.Matcher) []*html.Node {
	return goquery.NewDocumentFromNode(n).FindMatcher(m).Nodes
}

// The selectors ParsePage uses on every page.
var (
	linkSel     = cascadia.MustCompile("a[href]")
	imgSel      = cascadia.MustCompile("img[alt]")
	datetimeSel = cascadia.MustCompile("time[datetime], [datetime]")
	dateSel     = cascadia.MustCompile("time, [class*=date], [class*=time]")
	baseSel     = cascadia.MustCompile("head base[href]")
	titleSel    = cascadia.MustCompile("head title")
	htmlSel     = cascadia.MustCompile("html[lang]")
)

// ParsePage reads a section or tag page fetched from pageURL and returns
// an item for each article it links to, in page order: its canonical URL,
// headline and, when the page shows one, publication date; the page's
// <html lang> is Feed.Lang.
//
// With o.Items the articles are the links those selectors pick. Without,
// a generic rule finds them (see discoverLinks): links in the page's main
// content, outside navigation, headers, footers and asides, whose URL
// looks like an article of the same site (a numeric id, a slug of several
// words or a dated path, never a tag, category, search or pagination
// link).
//
// Links to other sites are left out unless o.Hosts allows them. A page on
// which the selectors match nothing, or the rule finds no article, is an
// error that says so, since an empty section page means the selectors or
// the page are wrong.
func ParsePage(body []byte, contentType, pageURL string, o SourceOptions) (f *Feed, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("parse page %s: parser panic: %v", pageURL, r)
		}
	}()
	sel, err := o.selectors()
	if err != nil {
		return nil, fmt.Errorf("parse page %s: %w", pageURL, err)
	}
	// The feed keeps strings of the tree, which share the page's memory
	// (see fastParse): parse a copy, not the caller's body.
	root, err := parsePage(bytes.Clone(decodePage(body, contentType)), nil)
	if err != nil {
		return nil, fmt.Errorf("parse page %s: %v", pageURL, err)
	}
	c := newLinkCollector(pageBase(root, pageURL), pageURL, o)
	if sel.items != nil {
		err = selectLinks(root, sel, o, c)
	} else {
		discoverLinks(root, c)
	}
	if err == nil && len(c.links) == 0 {
		err = c.nothingFound(sel.items != nil)
	}
	if err != nil {
		return nil, fmt.Errorf("parse page %s: %w", pageURL, err)
	}
	f = &Feed{Title: pageTitle(root), Link: pageURL, Lang: pageLang(root), Items: c.items(o.zone())}
	f.Notes = c.notes()
	return f, nil
}

// selectLinks adds the links the selectors pick: for each item its link
// (the item itself, the link the title selector picks, or the item's first
// link), title and date.
func selectLinks(root *html.Node, sel pageSelectors, o SourceOptions, c *linkCollector) error {
	items := findAll(root, sel.items)
	if len(items) == 0 {
		return fmt.Errorf("items selector %q matched nothing on the page", o.Items)
	}
	linked := 0
	for _, it := range items {
		scope := it
		if it.DataAtom == atom.A && it.Parent != nil {
			scope = it.Parent // a link's title and date stand beside it
		}
		var titleNode *html.Node
		if sel.title != nil {
			titleNode = find(scope, sel.title)
		}
		a := linkIn(it, titleNode)
		if a == nil {
			continue
		}
		linked++
		title := cmp.Or(textOf(titleNode), linkText(a))
		var date string
		if sel.date != nil {
			date = dateText(find(scope, sel.date))
		} else {
			date = dateText(firstTime(scope))
		}
		c.add(attr(a, "href"), title, date)
	}
	if linked == 0 {
		return fmt.Errorf("items selector %q matched %d element(s) but none is or holds a link", o.Items, len(items))
	}
	return nil
}

// linkIn returns the link of an item: the item if it is a link, else the
// title element or a link inside it, else the item's first link.
func linkIn(item, title *html.Node) *html.Node {
	for _, n := range []*html.Node{item, title} {
		if n == nil {
			continue
		}
		if n.DataAtom == atom.A && attr(n, "href") != "" {
			return n
		}
	}
	for _, n := range []*html.Node{title, item} {
		if n == nil {
			continue
		}
		if a := find(n, linkSel); a != nil {
			return a
		}
	}
	return nil
}

// firstTime returns the first element in n with a datetime attribute,
// else the first time element or element whose class names a date or
// time, or nil.
func firstTime(n *html.Node) *html.Node {
	if t := find(n, datetimeSel); t != nil {
		return t
	}
	return find(n, dateSel)
}

// dateText returns the date an element carries: its datetime or content
// attribute, else its text.
func dateText(n *html.Node) string {
	if n == nil {
		return ""
	}
	return strings.TrimSpace(cmp.Or(attr(n, "datetime"), attr(n, "content"), innerText(n)))
}

func textOf(n *html.Node) string {
	if n == nil {
		return ""
	}
	return innerText(n)
}

// linkText returns a link's text, else its title attribute, else the alt
// text of an image inside it.
func linkText(a *html.Node) string {
	if t := innerText(a); t != "" {
		return t
	}
	if t := strings.TrimSpace(attr(a, "title")); t != "" {
		return t
	}
	if img := find(a, imgSel); img != nil {
		return strings.TrimSpace(attr(img, "alt"))
	}
	return ""
}

// pageBase returns the URL relative links resolve against: the page's
// <base href> when it has a valid one, else pageURL.
func pageBase(root *html.Node, pageURL string) string {
	if b := find(root, baseSel); b != nil {
		if u, err := CanonicalURL(attr(b, "href"), pageURL); err == nil {
			return u
		}
	}
	return pageURL
}

func pageTitle(root *html.Node) string { return textOf(find(root, titleSel)) }

func pageLang(root *html.Node) string {
	if n := find(root, htmlSel); n != nil {
		return lang.Normalize(attr(n, "lang"))
	}
	return ""
}

// pageLink is one article a page links to.
type pageLink struct {
	url, title, date string
}

// linkCollector gathers a page's article links, each once, in page order,
// within MaxPageItems, and counts what it leaves out.
type linkCollector struct {
	base  string
	self  string // the page's own canonical URL
	hosts *hostFilter
	links []pageLink
	index map[string]int // URL -> position in links
	cache map[string]resolved
	off   int // links to other sites
	over  int // links past MaxPageItems
	bad   int // links that are no http(s) URL, or the page itself
}

func newLinkCollector(base, pageURL string, o SourceOptions) *linkCollector {
	self, _ := CanonicalURL(pageURL, "")
	return &linkCollector{base: base, self: self, hosts: newHostFilter(pageURL, o.Hosts), index: map[string]int{}, cache: map[string]resolved{}}
}

// resolved is a link's canonical URL, parsed, and whether it is taken.
type resolved struct {
	u  *url.URL
	s  string
	ok bool
}

// resolve returns the canonical URL of href and whether the collector
// would take it: an http(s) URL of the page's site (or an allowed host)
// other than the page itself.
func (c *linkCollector) resolve(href string) (*url.URL, string, bool) {
	if r, ok := c.cache[href]; ok { // a card links its image and its headline
		return r.u, r.s, r.ok
	}
	var r resolved
	if u, err := CanonicalURL(href, c.base); err == nil && u != c.self {
		if pu, err := url.Parse(u); err == nil {
			r = resolved{pu, u, true}
		}
	}
	c.cache[href] = r
	return r.u, r.s, r.ok
}

// add takes the link at href with its title and date; a link seen before
// keeps its first position, its longest title and its first date.
func (c *linkCollector) add(href, title, date string) {
	_, u, ok := c.resolve(href)
	switch {
	case !ok:
		c.bad++
		return
	case !c.hosts.allows(u):
		c.off++
		return
	}
	if i, seen := c.index[u]; seen {
		l := &c.links[i]
		if len(title) > len(l.title) {
			l.title = title
		}
		l.date = cmp.Or(l.date, date)
		return
	}
	if len(c.links) >= MaxPageItems {
		c.over++
		return
	}
	c.index[u] = len(c.links)
	c.links = append(c.links, pageLink{url: u, title: title, date: date})
}

// items converts the links, dates read in zone when they name none.
func (c *linkCollector) items(zone *time.Location) []news.Item {
	out := make([]news.Item, 0, len(c.links))
	for _, l := range c.links {
		it := news.Item{URL: l.url, Title: feedJoin([]string{l.title}, false)}
		it.Published, _ = ParseDateIn(l.date, zone)
		out = append(out, it)
	}
	return out
}

// notes says what the collector left out.
func (c *linkCollector) notes() []string {
	var out []string
	if c.over > 0 {
		out = append(out, fmt.Sprintf("the page links to more than %d articles; took the first %d (%d more left out)", MaxPageItems, MaxPageItems, c.over))
	}
	if c.off > 0 {
		out = append(out, offHostNote(c.off))
	}
	return out
}

// nothingFound explains a page that gave no article.
func (c *linkCollector) nothingFound(selected bool) error {
	switch {
	case c.off > 0:
		return fmt.Errorf("every article link leads to another site (%d); list their hosts under hosts: to take them", c.off)
	case selected:
		return fmt.Errorf("the items selector found no usable link")
	}
	return fmt.Errorf("found no link that looks like an article on the page; give an items: selector of its article links")
}
