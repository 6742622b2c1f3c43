package parser

import (
	"fmt"
	"net/url"
	"strings"

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

	// Built-in rules only. boxes renders the body like the generic
	// extractor renders an article, leaving out boxes of links, captions
	// and widgets that a CMS may nest in it; mark recognises the CMS's
	// markup on any host.
	boxes bool
	mark  *cmsMark
}

// ruleResult is what a site rule found.
type ruleResult struct {
	text, title, date string
	bodies            []*html.Node // the body matches, outermost only
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
// from the tree and finds the title, the date and the body elements; the
// body text is rendered here unless the rule renders it through the
// scored document (boxes).
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
			res.date = firstNonEmpty(attr(n, "datetime"), attr(n, "content"), innerText(n))
		}
	}
	for _, n := range r.body.MatchAll(root) {
		if !insideAny(n, res.bodies) {
			res.bodies = append(res.bodies, n)
		}
	}
	if !r.boxes {
		var parts []string
		for _, n := range res.bodies {
			if t := cleanLines(nodeText(n, nil), r.clean); t != "" {
				parts = append(parts, t)
			}
		}
		res.text = strings.Join(parts, "\n")
	}
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
