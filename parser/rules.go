package parser

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// Rule is a per-host extraction rule, built in or user-defined in the
// config under `sites:`.
type Rule struct {
	Name   string   `yaml:"name"`   // defaults to the first host
	Hosts  []string `yaml:"hosts"`  // host or parent domain; applies when the final page URL's host equals or is a subdomain of one
	Title  string   `yaml:"title"`  // CSS selector
	Body   string   `yaml:"body"`   // CSS selector (all matches concatenated)
	Remove []string `yaml:"remove"` // selectors removed before extraction
	Date   string   `yaml:"date"`   // optional selector for the published time (datetime attr or text)
}

// siteRule is a compiled Rule.
type siteRule struct {
	name              string
	hosts             []string
	title, body, date cascadia.Selector // nil when not set
	remove            []cascadia.Selector
	clean             func(line string) string // built-in line filter; "" drops the line
	zone              int                      // UTC offset in seconds for dates without a zone
}

// ruleResult is what a site rule found.
type ruleResult struct {
	text, title, date string
}

// compileRule validates and compiles r.
func compileRule(r Rule) (*siteRule, error) {
	c := &siteRule{name: r.Name}
	for _, h := range r.Hosts {
		h = strings.TrimPrefix(strings.ToLower(strings.TrimSpace(h)), "*.")
		if h != "" {
			c.hosts = append(c.hosts, strings.TrimSuffix(h, "."))
		}
	}
	if c.name == "" && len(c.hosts) > 0 {
		c.name = c.hosts[0]
	}
	if len(c.hosts) == 0 {
		return nil, fmt.Errorf("rule %q: no hosts", c.name)
	}
	if strings.TrimSpace(r.Body) == "" {
		return nil, fmt.Errorf("rule %q: no body selector", c.name)
	}
	var err error
	compile := func(field, sel string) cascadia.Selector {
		if err != nil || strings.TrimSpace(sel) == "" {
			return nil
		}
		s, e := cascadia.Compile(sel)
		if e != nil {
			err = fmt.Errorf("rule %q: %s selector %q: %v", c.name, field, sel, e)
		}
		return s
	}
	c.title = compile("title", r.Title)
	c.body = compile("body", r.Body)
	c.date = compile("date", r.Date)
	for _, sel := range r.Remove {
		if s := compile("remove", sel); s != nil {
			c.remove = append(c.remove, s)
		}
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

// matchHost returns the length of the rule host matching host, or 0.
func (r *siteRule) matchHost(host string) int {
	best := 0
	for _, h := range r.hosts {
		if (host == h || strings.HasSuffix(host, "."+h)) && len(h) > best {
			best = len(h)
		}
	}
	return best
}

// ruleFor returns the most specific rule for the page's host; among equally
// specific ones the first wins, so user rules beat built-in ones.
func (e *Extractor) ruleFor(pageURL string) *siteRule {
	u, err := url.Parse(strings.TrimSpace(pageURL))
	if err != nil || u.Host == "" {
		return nil
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	var best *siteRule
	bestLen := 0
	for _, r := range e.rules {
		if n := r.matchHost(host); n > bestLen {
			best, bestLen = r, n
		}
	}
	return best
}

// apply runs the rule on a parsed page. It removes the rule's boilerplate
// from the tree and returns the body text of every body match.
func (r *siteRule) apply(root *html.Node) ruleResult {
	for _, s := range r.remove {
		for _, n := range s.MatchAll(root) {
			if n.Parent != nil {
				n.Parent.RemoveChild(n)
			}
		}
	}
	var res ruleResult
	if r.title != nil {
		if n := r.title.MatchFirst(root); n != nil {
			res.title = innerText(n)
		}
	}
	if r.date != nil {
		if n := r.date.MatchFirst(root); n != nil {
			res.date = attr(n, "datetime")
			if res.date == "" {
				res.date = attr(n, "content")
			}
			if res.date == "" {
				res.date = innerText(n)
			}
		}
	}
	var parts []string
	var taken []*html.Node
	for _, n := range r.body.MatchAll(root) {
		if insideAny(n, taken) {
			continue
		}
		taken = append(taken, n)
		if t := cleanLines(nodeText(n, nil), r.clean); t != "" {
			parts = append(parts, t)
		}
	}
	res.text = strings.Join(parts, "\n")
	return res
}

// insideAny reports whether n is inside one of the nodes.
func insideAny(n *html.Node, nodes []*html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		for _, t := range nodes {
			if p == t {
				return true
			}
		}
	}
	return false
}

// builtinRules returns the rules that are always present, compiled once.
var builtinRules = sync.OnceValue(func() []*siteRule {
	vnp, err := compileRule(Rule{
		Name:  "vietnamplus",
		Hosts: []string{"vietnamplus.vn"},
		Title: "h1.article__title, .article__title.cms-title, h1.cms-title",
		Body:  ".article__sapo, .article__body, .cms-body",
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
	return []*siteRule{vnp}
})

// vnpCredit matches the agency credit VietnamPlus appends to articles,
// such as "(TTXVN/Vietnam+)" or "(VNA/VNP)".
var vnpCredit = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\s*[(（]\s*(?:TTXVN|VNA|越通社|Vietnam\+|VNP|Vietnam News Agency)(?:\s*[/–-]\s*(?:Vietnam\+|VNP|TTXVN|VNA|越通社))*\s*[)）]\s*`)
})

// cleanVietnamPlus drops the agency credit and the end marker "（完）".
func cleanVietnamPlus(line string) string {
	line = vnpCredit().ReplaceAllString(line, " ")
	line = strings.TrimSpace(line)
	line = strings.TrimSuffix(line, "（完）")
	return strings.TrimSpace(line)
}
