package parser

import (
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Class and id hints, after Readability: words that mark boilerplate or
// content containers. Matching is by lower-case substring.
var (
	unlikelyHints = []string{"-ad-", "ai2html", "banner", "breadcrumb", "combx", "comment", "community",
		"cover-wrap", "disqus", "extra", "footer", "gdpr", "header", "legends", "menu", "related",
		"remark", "replies", "rss", "shoutbox", "sidebar", "skyscraper", "social", "sponsor",
		"supplemental", "ad-break", "agegate", "pagination", "pager", "popup", "yom-remote",
		"cookie", "newsletter", "consent", "entry-utility", "postmetadata", "post-ratings", "kommentar",
		"komentarz", "comentario", "binh-luan", "binhluan", "-cta", "cta-", "disclaimer", "disclosure"}
	maybeHints    = []string{"and", "article", "body", "column", "content", "main", "mathjax", "shadow"}
	positiveHints = []string{"article", "body", "content", "entry", "hentry", "h-entry", "main", "page",
		"pagination", "post", "text", "blog", "story"}
	negativeHints = []string{"-ad-", "hidden", "banner", "combx", "comment", "com-", "contact", "footer",
		"gdpr", "masthead", "media", "meta", "outbrain", "promo", "related", "scroll", "share",
		"shoutbox", "sidebar", "skyscraper", "sponsor", "shopping", "tags", "widget", "newsletter",
		"subscribe", "cookie"}
	bylineHints   = []string{"byline", "author", "dateline", "writtenby", "p-author", "autor", "auteur", "tac-gia", "tacgia", "reporter", "journalist"}
	unlikelyRoles = []string{"menu", "menubar", "complementary", "navigation", "alert", "alertdialog", "dialog"}
	// boilerHints name boilerplate that is never an article, however short
	// the article is: comment threads, consent dialogs, newsletter boxes.
	// Unlike the other unlikely hints, the retry for a short article does
	// not let them back in.
	boilerHints = []string{"comment", "disqus", "replies", "kommentar", "komentarz", "comentario", "binh-luan", "binhluan",
		"gdpr", "cookie", "consent", "newsletter", "subscribe", "popup", "agegate", "shoutbox"}
	boilerRoles = []string{"alert", "alertdialog", "dialog"}
)

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// isHid matches Readability's hid class patterns.
func isHid(s string) bool {
	for f := range strings.FieldsSeq(s) { // it runs for every class and id: no slice
		if f == "hid" {
			return true
		}
	}
	return false
}

// classHints are the hint classes of an element's class and id values.
type classHints struct {
	cls, id   string // lower case
	mCls, mID uint8
}

func (h classHints) all() uint8 { return h.mCls | h.mID }

// hintValue is what one class or id value gives: its lower case form,
// its hint classes and its weight (see hintWeight).
type hintValue struct {
	lower  string
	m      uint8
	weight int16
}

// hintCache keeps hint values by raw class or id value: a page repeats
// a few dozen of them over hundreds of elements, and the pages of a site
// share most of the rest. Its strings are copies, so that it keeps no
// page alive.
type hintCache map[string]hintValue

// value returns the hint value of a raw class or id value.
func (c hintCache) value(v string) hintValue {
	if v == "" {
		return hintValue{}
	}
	if h, ok := c[v]; ok {
		return h
	}
	key, lower := cloneWithLower(v)
	h := hintValue{lower: lower}
	m := scanHints(h.lower)
	h.m = m & hintLists
	h.weight = hintWeight(h.lower, m)
	c[key] = h
	return h
}

// cloneWithLower returns a copy of v and its lower case form, in one
// allocation: a class value the cache has not seen costs one, not two.
func cloneWithLower(v string) (string, string) {
	lower := strings.ToLower(v)
	if lower == v {
		c := strings.Clone(v)
		return c, c
	}
	var b strings.Builder
	b.Grow(len(v) + len(lower))
	b.WriteString(v)
	b.WriteString(lower)
	s := b.String()
	return s[:len(v)], s[len(v):]
}

// hints returns the hint classes of an element's class and id values
// and its class weight: Readability's, ±25 for the class, ±25 for the id.
func (c hintCache) hints(cls, id string) (classHints, int16) {
	hc, hi := c.value(cls), c.value(id)
	return classHints{cls: hc.lower, id: hi.lower, mCls: hc.m, mID: hi.m}, hc.weight + hi.weight
}

// hintWeight scores one lower-case class or id value with the classes m
// that scanHints found in it.
func hintWeight(s string, m uint8) int16 {
	if s == "" {
		return 0
	}
	if m&hUtility != 0 || strings.IndexByte(s, ':') >= 0 {
		s = dropUtilityClasses(s)
		m = scanHints(s)
	}
	var w int16
	if m&hNegative != 0 || m&hHid != 0 && isHid(s) {
		w -= 25
	}
	if m&hPositive != 0 {
		w += 25
	}
	return w
}

// dropUtilityClasses removes utility-CSS tokens such as "text-right" or
// "lg:mt-6", which say nothing about the content.
func dropUtilityClasses(s string) string {
	f := strings.Fields(s)
	out := f[:0]
	for _, t := range f {
		if !strings.HasPrefix(t, "text-") && !strings.Contains(t, ":") {
			out = append(out, t)
		}
	}
	return strings.Join(out, " ")
}

// unlikelyElem reports an element that is probably boilerplate.
func unlikelyElem(role string, a atom.Atom, h classHints, inTable bool) bool {
	switch a {
	case atom.Body, atom.A, atom.Html, atom.Article, atom.Main:
		return false
	case atom.Nav, atom.Aside, atom.Footer:
		return true
	}
	if role != "" {
		for _, r := range unlikelyRoles {
			if role == r {
				return true
			}
		}
	}
	return !inTable && h.all()&(hUnlikely|hMaybe) == hUnlikely
}

// boilerElem reports an element that is boilerplate in every attempt.
func boilerElem(role string, a atom.Atom, h classHints) bool {
	switch a {
	case atom.Body, atom.Html, atom.Article, atom.Main:
		return false
	}
	if h.all()&hBoiler != 0 {
		return true
	}
	return role != "" && slices.Contains(boilerRoles, role)
}

// isByline reports a short author line, which is metadata, not body.
func isByline(n *html.Node, h classHints, ea *elemAttrs) bool {
	switch n.DataAtom {
	case atom.Body, atom.Html, atom.Article, atom.Main, atom.Section:
		return false
	}
	if ea.rel != "author" && !strings.Contains(ea.itemprop, "author") {
		if h.all()&hByline == 0 {
			return false
		}
	}
	t := innerTextLimited(n, 400)
	if len(t) > 400 {
		return false
	}
	n0, _ := measure(t)
	return n0 > 0 && n0 < 100
}

// isAuthorBox reports the box about the author that closes many posts
// ("post-author-bio", "author-box", "about-author"): longer than a byline,
// but no more part of the article.
func isAuthorBox(n *html.Node, h classHints) bool {
	if h.all()&hByline == 0 || n.DataAtom == atom.Body || n.DataAtom == atom.Article || n.DataAtom == atom.Main {
		return false
	}
	box := false
	for _, f := range strings.Fields(h.cls + " " + h.id) {
		if strings.Contains(f, "author") && containsAny(f, authorBoxWords) {
			box = true
			break
		}
	}
	if !box {
		return false
	}
	t := innerTextLimited(n, 1500)
	return len(t) <= 1500
}

// authorBoxWords mark a class or id with "author" as the author's box.
var authorBoxWords = []string{"bio", "box", "about", "info", "description", "profile", "card", "details"}

// innerTextLimited returns up to max bytes of n's text, cheaply.
func innerTextLimited(n *html.Node, max int) string {
	var b strings.Builder
	walk(n, func(c *html.Node) bool {
		if b.Len() > max {
			return false
		}
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
		return c.Type != html.ElementNode || !isSkipped(c.DataAtom)
	}, func(*html.Node) {})
	return b.String()
}

// isDataTable reports a table that holds data rather than layout.
func isDataTable(n *html.Node) bool {
	if attr(n, "role") == "presentation" || attr(n, "datatable") == "0" {
		return false
	}
	if attr(n, "summary") != "" {
		return true
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch c.DataAtom {
		case atom.Caption, atom.Thead, atom.Tfoot, atom.Colgroup:
			return true
		case atom.Tbody:
			if r := c.FirstChild; r != nil {
				for r != nil && r.Type != html.ElementNode {
					r = r.NextSibling
				}
				if r != nil {
					for cell := r.FirstChild; cell != nil; cell = cell.NextSibling {
						if cell.DataAtom == atom.Th {
							return true
						}
					}
				}
			}
		}
	}
	return false
}
