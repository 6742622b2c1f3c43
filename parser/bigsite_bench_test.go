package parser

import (
	"bytes"
	"fmt"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"github.com/newswatch/newswatch/internal/newstest"
)

// bigSitePages returns the decoded pages of feeds × items of the poll
// benchmark's site (newstest.BigSite: 30–80 KB, mostly a news site's
// chrome).
func bigSitePages(feeds, items int) [][]byte {
	site := newstest.NewBigSite(feeds, items)
	var pages [][]byte
	for n := range site.Feeds {
		for i := range site.Items {
			pages = append(pages, decodePage(site.Page(n, i).HTML(), "text/html; charset=utf-8"))
		}
	}
	return pages
}

// TestExtractReusesSlabs: Extract reuses node blocks from page to page; an
// article must come out the same as from a tree of its own, whatever page
// used the blocks before.
func TestExtractReusesSlabs(t *testing.T) {
	pages := bigSitePages(2, 10)
	for _, f := range testPages(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, decodePage(b, ""))
	}
	for i, page := range pages {
		root, err := parsePage(page, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := defaultExtractor.extractTree(root, "https://example.org/article", nil)
		// Extract the previous page first, so the blocks were used.
		if _, err := ExtractArticle(pages[(i+len(pages)-1)%len(pages)], "", "https://example.org/article"); err != nil {
			t.Fatal(err)
		}
		got, err := ExtractArticle(page, "", "https://example.org/article")
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("page %d: Extract differs from a fresh tree's extraction (-fresh +Extract):\n%s", i, d)
		}
	}
}

// TestExtractSharesNothingWithBody: the fast builder's strings share the
// page's memory; the article must not, or it would change when the
// caller reuses body.
func TestExtractSharesNothingWithBody(t *testing.T) {
	pages := bigSitePages(1, 5)
	for _, f := range testPages(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, b)
	}
	for i, body := range pages {
		a, err := ExtractArticle(body, "", "https://example.org/article")
		if err != nil {
			t.Fatal(err)
		}
		before := fmt.Sprintf("%#v", *a)
		for j := range body {
			body[j] = 'x'
		}
		if after := fmt.Sprintf("%#v", *a); after != before {
			t.Errorf("page %d: the article changed with its body:\nbefore %.300s\nafter  %.300s", i, before, after)
		}
	}
}

// BenchmarkExtractBigSite measures parse and extraction of the poll
// benchmark's pages, the pages the per-article CPU target is measured on:
// as Extract runs (the fast builder with pooled node blocks) and with
// x/net/html alone. One op is one page.
func BenchmarkExtractBigSite(b *testing.B) {
	pages := bigSitePages(10, 20)
	for _, bb := range []struct {
		name    string
		extract func([]byte) error
	}{
		{"fastparse", func(page []byte) error {
			_, err := ExtractArticle(page, "text/html; charset=utf-8", "https://example.org/article")
			return err
		}},
		{"xnethtml", func(page []byte) error {
			page = decodePage(page, "text/html; charset=utf-8") // as Extract does
			root, err := html.ParseWithOptions(bytes.NewReader(page), html.ParseOptionEnableScripting(false))
			if err == nil {
				defaultExtractor.extractTree(root, "https://example.org/article", nil)
			}
			return err
		}},
	} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if err := bb.extract(pages[i%len(pages)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
