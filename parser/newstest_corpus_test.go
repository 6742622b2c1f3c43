package parser_test

import (
	"strings"
	"testing"

	"github.com/newswatch/newswatch/internal/newstest"
	"github.com/newswatch/newswatch/parser"
)

// plainMarkup renames the CMS's classes, so that the generic extractor,
// not the built-in rule, reads the page.
var plainMarkup = strings.NewReplacer(
	"article__title cms-title", "headline",
	"article__sapo cms-desc", "lead",
	"article__body cms-body", "story-text",
)

// TestExtractNewstestCorpus extracts every page of the sample VietnamPlus-
// like site: on VietnamPlus's host through the built-in rule, and served
// from a loopback address, as the pipeline's acceptance check does, through
// the generic extractor (the rule is bound to its hosts), also inside the
// chrome of a real site (the benchmark's pages). None may let a headline
// of the related boxes or menus into the text, which would raise a false
// topic alert.
func TestExtractNewstestCorpus(t *testing.T) {
	const base, vnp = "http://127.0.0.1:8080", "https://www.vietnamplus.vn"
	corpus := newstest.Corpus()
	for _, p := range corpus {
		page := strings.ReplaceAll(string(p.HTML()), newstest.BasePlaceholder, base)
		c := p.Page
		c.Chrome, c.Padding = true, 60<<10
		chrome := strings.ReplaceAll(string(c.HTML()), newstest.BasePlaceholder, base)
		for _, v := range []struct {
			name, html, base, extractor string
		}{
			{"cms", page, vnp, "site:vietnamplus"},
			{"cms-elsewhere", page, base, "generic"},
			{"plain", plainMarkup.Replace(page), base, "generic"},
			{"chrome", chrome, base, "generic"},
		} {
			t.Run(p.Lang+"/"+p.Slug+"/"+v.name, func(t *testing.T) {
				a, err := parser.ExtractArticle([]byte(v.html), "text/html", v.base+p.Path())
				if err != nil {
					t.Fatalf("ExtractArticle(%s) error: %v", p.Path(), err)
				}
				if a.Extractor != v.extractor {
					t.Errorf("ExtractArticle(%s).Extractor = %q, want %q", p.Path(), a.Extractor, v.extractor)
				}
				for _, para := range append([]string{p.Sapo}, p.Body...) {
					if !strings.Contains(a.Text, para) {
						t.Errorf("ExtractArticle(%s).Text lacks %q:\n%s", p.Path(), para, a.Text)
					}
				}
				for _, h := range append(append([]string{}, p.Related...), p.Sidebar...) {
					if strings.Contains(a.Text, h) {
						t.Errorf("ExtractArticle(%s).Text contains the related headline %q:\n%s", p.Path(), h, a.Text)
					}
				}
				if v.name == "chrome" { // no comment, consent text or menu either
					ref, err := parser.ExtractArticle([]byte(page), "text/html", base+p.Path())
					for _, line := range strings.Split(a.Text, "\n") {
						if err == nil && !strings.Contains(ref.Text, line) {
							t.Errorf("ExtractArticle(%s) in a real site's chrome has %q, not in the text without it:\n%s", p.Path(), line, ref.Text)
						}
					}
				}
				for _, q := range corpus {
					if q.Title != p.Title && strings.Contains(a.Text, q.Title) {
						t.Errorf("ExtractArticle(%s).Text contains the headline of another story %q:\n%s", p.Path(), q.Title, a.Text)
					}
				}
			})
		}
	}
}
