package parser

import (
	"cmp"
	"fmt"
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// Rule is a per-host extraction rule, built in or user-defined in the
// config under `sites:`.
type Rule struct {
	Name   string   `yaml:"name"`   // defaults to the first host; a built-in rule's name with hosts alone extends that rule to them
	Hosts  []string `yaml:"hosts"`  // host or parent domain; applies when the final page URL's host equals or is a subdomain of one
	Title  string   `yaml:"title"`  // CSS selector
	Body   string   `yaml:"body"`   // CSS selector (all matches concatenated)
	Remove []string `yaml:"remove"` // selectors removed before extraction
	Date   string   `yaml:"date"`   // optional selector for the published time (datetime attr or text)
}

// siteRule is a compiled Rule. Its selectors are compiled once with
// cascadia, which reports a bad selector (goquery would compile it to one
// that matches nothing), and run through goquery's Matcher methods.
type siteRule struct {
	name              string
	hosts             []string
	title, body, date goquery.Matcher // nil when not set
	remove            []goquery.Matcher
	clean             func(line string) string // built-in line filter; "" drops the line
	zone              int                      // UTC offset in seconds for dates without a zone

	// boxes (built-in rules only) renders the body like the generic
	// extractor renders an article, leaving out boxes of links, captions
	// and widgets that a CMS may nest in it.
	boxes bool
}

// ruleResult is what a site rule found.
type ruleResult struct {
	text, title, date string
	bodies            []*html.Node // the body matches, outermost only
}

// userRule compiles a user's rule. One that names a built-in rule and
// gives hosts but no selectors is that built-in rule on those hosts.
func userRule(r Rule) (*siteRule, error) {
	if r.Title == "" && r.Body == "" && r.Date == "" && len(r.Remove) == 0 {
		hosts := compileHosts(r.Hosts)
		for _, b := range builtinRules {
			if b.name == r.Name && len(hosts) > 0 {
				c := *b
				c.hosts = hosts
				return &c, nil
			}
		}
	}
	return compileRule(r)
}

// compileHosts lower-cases host names and drops "*." and trailing dots.
func compileHosts(hosts []string) []string {
	var out []string
	for _, h := range hosts {
		h = strings.TrimPrefix(strings.ToLower(strings.TrimSpace(h)), "*.")
		if h != "" {
			out = append(out, strings.TrimSuffix(h, "."))
		}
	}
	return out
}

// compileRule validates and compiles r.
func compileRule(r Rule) (*siteRule, error) {
	c := &siteRule{name: r.Name, hosts: compileHosts(r.Hosts)}
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
	compile := func(field, sel string) goquery.Matcher {
		if err != nil || strings.TrimSpace(sel) == "" {
			return nil
		}
		s, e := cascadia.Compile(sel)
		if e != nil {
			err = fmt.Errorf("rule %q: %s selector %q: %v", c.name, field, sel, e)
			return nil
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
// from the tree, except the body elements and what holds them, and finds
// the title, the date and the body elements; the body text is rendered
// here unless the rule renders it through the scored document (boxes).
func (r *siteRule) apply(page *goquery.Document) ruleResult {
	var res ruleResult
	bodies := page.FindMatcher(r.body)
	for _, m := range r.remove {
		found := page.FindMatcher(m).NotSelection(bodies)
		found.NotSelection(found.HasSelection(bodies)).Remove()
	}
	if r.title != nil {
		if s := page.FindMatcher(goquery.SingleMatcher(r.title)); s.Length() > 0 {
			res.title = innerText(s.Get(0))
		}
	}
	if r.date != nil {
		if s := page.FindMatcher(goquery.SingleMatcher(r.date)); s.Length() > 0 {
			n := s.Get(0)
			res.date = strings.TrimSpace(cmp.Or(attr(n, "datetime"), attr(n, "content"), innerText(n)))
		}
	}
	outer := bodies.FilterFunction(func(_ int, b *goquery.Selection) bool {
		return b.ParentsMatcher(r.body).Length() == 0
	})
	res.bodies = outer.Nodes
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
