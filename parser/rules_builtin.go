package parser

import (
	"regexp"
	"strings"
	"sync"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// cmsMark recognises a content management system by its markup, so that a
// built-in rule also serves copies and mirrors of a site on other hosts,
// and the site itself when it moves.
type cmsMark struct {
	title, body cascadia.Selector // both must match an element
	siteNames   []string          // or og:site_name/application-name contains one (lower case)
	classWords  []string          // the selectors are tried only on elements whose class has one
}

// recognises reports whether the page carries the CMS's markup: its title
// and body elements, or its site name in the page's metadata.
func (m *cmsMark) recognises(root *html.Node) bool {
	title, body := false, false
	found := false
	walk(root, func(n *html.Node) bool {
		if found {
			return false
		}
		if n.Type != html.ElementNode {
			return n.Type == html.DocumentNode
		}
		switch {
		case n.DataAtom == atom.Meta:
			found = m.namesSite(n)
		case !containsAny(attr(n, "class"), m.classWords):
		case !title && m.title.Match(n):
			title = true
		case !body && m.body.Match(n):
			body = true
		}
		found = found || title && body
		return !isSkipped(n.DataAtom) || n.DataAtom == atom.Head
	}, func(*html.Node) {})
	return found
}

// namesSite reports a <meta> that gives the site's name as one of m's.
func (m *cmsMark) namesSite(n *html.Node) bool {
	switch strings.ToLower(firstNonEmpty(attr(n, "property"), attr(n, "name"))) {
	case "og:site_name", "application-name", "twitter:site":
	default:
		return false
	}
	v := strings.ToLower(attr(n, "content"))
	return v != "" && containsAny(v, m.siteNames)
}

// recognise returns the built-in rule whose CMS markup the page carries,
// or nil. It runs only when no rule is set up for the page's host.
func (e *Extractor) recognise(root *html.Node) *siteRule {
	for _, r := range e.rules {
		if r.mark != nil && r.mark.recognises(root) {
			return r
		}
	}
	return nil
}

// builtinRules returns the rules that are always present, compiled once.
var builtinRules = sync.OnceValue(func() []*siteRule {
	return []*siteRule{vietnamPlusRule()}
})

// vietnamPlusRule is the rule for every edition of VietnamPlus (vi, en,
// fr, es, ru, zh, ar), also applied to pages of its CMS on other hosts.
func vietnamPlusRule() *siteRule {
	const (
		title = "h1.article__title, .article__title.cms-title, h1.cms-title"
		body  = ".article__sapo, .cms-title ~ .cms-desc, .article__title ~ .cms-desc, .article__header .cms-desc, .article__body, .cms-body"
	)
	vnp, err := compileRule(Rule{
		Name:  "vietnamplus",
		Hosts: []string{"vietnamplus.vn"},
		Title: title,
		Body:  body,
		Date:  ".article__meta time[datetime], .article__header time[datetime], time[datetime]",
		Remove: []string{
			".article__social", ".social", ".share", ".sharing", ".article__share",
			".ads", ".ad", ".adv", ".advertisement", "[class*=banner]", "[id^=ads]", "[class*=ads-]", "[class^=ad-]",
			".article__related", ".related", ".related-news", ".box-related", ".article-relate",
			".cms-related", ".story--related", "[class*=relate]", ".article__tag", ".article__tags", ".tags",
			".comment", ".comments", ".article__comment", "[class*=comment]",
			"script", "style", "figure figcaption.ads",
		},
	})
	if err != nil {
		panic(err) // a bug in a constant, caught by every test
	}
	vnp.clean = cleanVietnamPlus
	vnp.zone = 7 * 3600
	vnp.boxes = true
	vnp.mark = &cmsMark{
		title:      cascadia.MustCompile(title),
		body:       cascadia.MustCompile(".article__body, .cms-body"),
		siteNames:  []string{"vietnamplus", "vietnam+"},
		classWords: []string{"article__", "cms-"},
	}
	return vnp
}

// vnpCredit matches the agency credit VietnamPlus appends to articles,
// such as "(TTXVN/Vietnam+)" or "(VNA/VNP)", at the end of a line; a
// dateline such as "Hanoi (VNA) –" is text and stays.
var vnpCredit = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\s*[(（]\s*(?:TTXVN|VNA|越通社|Vietnam\+|VNP|Vietnam News Agency)(?:\s*[/–-]\s*(?:Vietnam\+|VNP|TTXVN|VNA|越通社))*\s*[)）]\s*$`)
})

// cleanVietnamPlus drops the agency credit and the end marker "（完）".
func cleanVietnamPlus(line string) string {
	line = vnpCredit().ReplaceAllString(line, " ")
	line = strings.TrimSpace(line)
	line = strings.TrimSuffix(line, "（完）")
	return strings.TrimSpace(line)
}
