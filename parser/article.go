package parser

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/newswatch/newswatch/news"
	"golang.org/x/net/html"
	"golang.org/x/text/unicode/norm"
)

// ErrEmptyPage is returned by Extract for a page with no content at all.
var ErrEmptyPage = errors.New("empty page")

// Extractor turns article pages into news.Article values, using per-host
// site rules first and the generic extractor otherwise. It is safe for
// concurrent use.
type Extractor struct {
	rules []*siteRule // user rules first, then the built-in ones
}

// NewExtractor compiles the given user rules once. The built-in rules
// (VietnamPlus, every edition) are always present; a user rule for the same
// host takes precedence over a built-in one. A rule applies only to pages
// of its hosts; a user rule that gives only a built-in rule's name and
// hosts applies that built-in rule to more hosts (a mirror, a moved site).
func NewExtractor(rules []Rule) (*Extractor, error) {
	e := &Extractor{}
	var errs []error
	for i, r := range rules {
		c, err := userRule(r)
		if err != nil {
			errs = append(errs, fmt.Errorf("site rule %d: %w", i+1, err))
			continue
		}
		e.rules = append(e.rules, c)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	e.rules = append(e.rules, builtinRules...)
	return e, nil
}

var defaultExtractor = func() *Extractor {
	return &Extractor{rules: builtinRules}
}()

// ExtractArticle extracts an article from an HTML page with the built-in
// rules only. See (*Extractor).Extract.
func ExtractArticle(body []byte, contentType, pageURL string) (*news.Article, error) {
	return defaultExtractor.Extract(body, contentType, pageURL)
}

// Extract extracts the article of an HTML page. body holds the raw bytes as
// served, contentType the HTTP Content-Type header (may be empty) and
// pageURL the final URL of the page after redirects, which selects the site
// rule. It fails only on unusable input; a page without recognisable
// article text yields an Article whose Text is empty. body must not change
// during the call; the article shares no memory with it.
func (e *Extractor) Extract(body []byte, contentType, pageURL string) (*news.Article, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, ErrEmptyPage
	}
	s := getSlab()
	defer putSlab(s) // the article holds strings only, no node of the tree
	root, err := parsePage(decodePage(body, contentType), s)
	if err != nil {
		return nil, fmt.Errorf("parse page %s: %v", pageURL, err)
	}
	return e.extractTree(root, pageURL, s), nil
}

// extractTree extracts the article of a parsed page, with the element
// statistics in a block of s (nil: a fresh one).
func (e *Extractor) extractTree(root *html.Node, pageURL string, s *slab) *news.Article {
	a := &news.Article{}
	var res ruleResult
	rule := e.ruleFor(pageURL)
	if rule != nil {
		res = rule.apply(goquery.NewDocumentFromNode(root))
	}
	d := newDoc(root, rule == nil || rule.boxes || res.text == "", s)
	defer func() { s.noteElems(d.els) }() // the last build walks the most elements
	if rule != nil && rule.boxes {
		res.text = d.ruleText(res.bodies, rule.clean)
	}
	text := res.text
	switch {
	case rule == nil:
		a.Extractor = "generic"
	case text != "":
		a.Extractor, a.Rule = "site:"+rule.name, rule.name
	default:
		a.Extractor, a.Rule, a.RuleFellBack = "fallback:"+rule.name, rule.name, true
	}
	zone := ruleZone(rule)
	early := d.meta.earlyDate(zone, res.date) // parsed once: it decides whether JSON-LD is read too
	var ld ldInfo
	if d.meta.needsJSONLD(!early.IsZero(), text == "") {
		ld = parseJSONLD(d.meta.jsonLD)
	}
	if text == "" {
		text = withDeclaredBody(d.extractText(), ld)
	}
	d.fillMeta(a, pageURL, early, zone, ld)
	if res.title != "" {
		a.Title = res.title
	}
	a.Text = finishText(text)
	a.Title, a.Byline = dropInvisible(a.Title), dropInvisible(a.Byline) // from <meta> too, not only the text writer
	// Every string may be a substring of the page, whose memory is the
	// caller's body (see fastParse): copy them, so the article neither
	// changes with body nor keeps the whole page alive.
	a.Title, a.Byline, a.Lang = strings.Clone(a.Title), strings.Clone(a.Byline), strings.Clone(a.Lang)
	a.URL, a.Text, a.Image = strings.Clone(a.URL), strings.Clone(a.Text), strings.Clone(a.Image)
	return a
}

// finishText normalises extracted text to NFC and trims it.
func finishText(s string) string {
	s = strings.TrimSpace(s)
	if !isNFC(s) {
		s = norm.NFC.String(s)
	}
	return s
}
