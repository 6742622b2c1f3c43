package parser

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// treeDiff describes the first difference between two trees, or returns
// "". The contents of SVG and MathML elements and doctype details are not
// compared: the fast builder does not adjust those names nor parse public
// identifiers (nothing reads them).
func treeDiff(got, want *html.Node, path string) string {
	sameData := got.Data == want.Data || got.Namespace != "" || got.Type == html.DoctypeNode
	if got.Type != want.Type || !sameData || got.Namespace != want.Namespace {
		return fmt.Sprintf("%s: node = %v %q %q, want %v %q %q", path, got.Type, got.Namespace, got.Data, want.Type, want.Namespace, want.Data)
	}
	if got.Type == html.ElementNode && got.Namespace == "" && !sameAttrSet(got.Attr, want.Attr) {
		return fmt.Sprintf("%s <%s>: attributes = %v, want %v", path, got.Data, got.Attr, want.Attr)
	}
	if got.Type == html.DoctypeNode || got.Namespace != "" && got.Parent != nil && got.Parent.Namespace != "" {
		return ""
	}
	if got.Type == html.ElementNode && got.Namespace != "" {
		return "" // the foreign element itself matched
	}
	g, w := got.FirstChild, want.FirstChild
	for i := 0; g != nil || w != nil; i++ {
		if g == nil || w == nil {
			return fmt.Sprintf("%s/%d: child count differs (got nil %v, want nil %v)", path, i, g == nil, w == nil)
		}
		if d := treeDiff(g, w, fmt.Sprintf("%s/%d:%s", path, i, g.Data)); d != "" {
			return d
		}
		g, w = g.NextSibling, w.NextSibling
	}
	return ""
}

func sameAttrSet(x, y []html.Attribute) bool {
	x, y = slices.Clone(x), slices.Clone(y)
	less := func(a, b html.Attribute) int { return strings.Compare(a.Key, b.Key) }
	slices.SortFunc(x, less)
	slices.SortFunc(y, less)
	return slices.Equal(x, y)
}

// checkFastParse compares the fast tree of page with x/net/html's and
// reports whether the fast builder took the page.
func checkFastParse(t *testing.T, name string, page []byte) bool {
	t.Helper()
	got, err := fastParse(page, nil)
	if err != nil {
		return false
	}
	want, err := html.ParseWithOptions(bytes.NewReader(page), html.ParseOptionEnableScripting(false))
	if err != nil {
		t.Errorf("fastParse(%s) succeeded where x/net/html fails: %v", name, err)
		return true
	}
	if d := treeDiff(got, want, ""); d != "" {
		t.Errorf("fastParse(%s) tree differs from x/net/html: %s", name, d)
	}
	// Again in a pooled slab, whose blocks an earlier page may have used.
	s := getSlab()
	defer putSlab(s)
	got, err = fastParse(page, s)
	if err != nil {
		t.Errorf("fastParse(%s) in a slab gave up where it took the page without one: %v", name, err)
	} else if d := treeDiff(got, want, ""); d != "" {
		t.Errorf("fastParse(%s) in a slab: tree differs from x/net/html: %s", name, d)
	}
	return true
}

// TestFastParseSameTree checks that the fast builder builds x/net/html's
// tree for every saved page it takes, and that it takes most of them.
// With NEWSWATCH_SHARED set it also runs over the shared dev pages.
func TestFastParseSameTree(t *testing.T) {
	var files []string
	for _, dir := range []string{"testdata/pages", "testdata/cms"} {
		m, _ := filepath.Glob(filepath.Join(dir, "*.html"))
		files = append(files, m...)
	}
	taken, total := 0, 0
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		total++
		if checkFastParse(t, f, decodePage(body, "")) {
			taken++
		}
	}
	if os.Getenv("NEWSWATCH_SHARED") != "" {
		for _, s := range []string{"scrapinghub", "trafilatura", "multilingual"} {
			for _, p := range devSuite(t, s) {
				total++
				if checkFastParse(t, s+"/"+p.id, decodePage(p.html, "")) {
					taken++
				}
			}
		}
	}
	t.Logf("fast builder took %d of %d pages", taken, total)
}

func TestFastParseCases(t *testing.T) {
	cases := []string{
		"",
		"hello",
		"<p>one<p>two<div>three</div>",
		"<!doctype html><html lang=vi><head><title>T&amp;t</title><meta charset=utf-8></head><body class=x><p>Xin chào</p></body></html>",
		"<ul><li>a<li>b</ul><dl><dt>t<dd>d</dl>",
		"<table><tr><td>a<td>b</tr><tr><th>c</table>after",
		"<table>\n<tbody>\n<tr>\n<td>x</td>\n</tr>\n</tbody>\n</table>",
		"<p><b>bold</b> <a href='/x?a=1&amp;b=2&c=3&copy=4&copy'>link</a></p>",
		"<div><span>a</div>b</span>",
		"<h1>a<h2>b</h2></h1>",
		"<pre>\nline</pre><textarea>\nt</textarea>",
		"<script>if (a < b) { x = '</scr' + 'ipt>'; }</script><p>after</p>",
		"<style>p { color: red }</style><p>styled</p>",
		"<svg viewBox='0 0 1 1'><title>icon</title><path d='M0'/></svg><p>تم</p>",
		"<!-- c --><p>a<!-- d -->b</p></body><!-- e --></html><!-- f -->",
		"<p>a</p></p><br></br>",
		"<form><input name=q></form><form></form>",
		"<p>中文<img src=x alt=y>，文字</p><hr><p>more",
		"</div><body><div>late body</div>",
		"<p title=\"a\r\nb\rc\">x\r\ny\rz</p><!-- c\r\n --><textarea>\r\nt\r</textarea>",
		"<DIV CLASS=a Id=b data-X=1 class=dup><P Title='t' TITLE=u>x</P></DIV>",
		// A <p> above or below where the last search for one stopped.
		"<div><p>a<button><div>b</div><p>c</button><div>d</div></div><p>e<section>f</section>",
		"<p>a<object><div>b</div><p>c</object><div>d</div><ul><li><p>e<li>f</ul>",
		"<table><tr><td><p>a<div>b</div></td></tr></table><div>c</div><p>d<div>e</div>",
		"<head><title>t</title></head><meta name=x content=y><p>a<div>b</div>",
	}
	for _, c := range cases {
		checkFastParse(t, fmt.Sprintf("%q", c), []byte(c))
	}
}

// FuzzFastParse checks that whenever the fast builder takes a page, its
// tree is x/net/html's.
func FuzzFastParse(f *testing.F) {
	for _, dir := range []string{"testdata/pages", "testdata/cms"} {
		m, _ := filepath.Glob(filepath.Join(dir, "*.html"))
		for _, p := range m {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte("<table><tr><td><b>x</td></tr></table><p><i>y</p>z"))
	f.Fuzz(func(t *testing.T, page []byte) {
		checkFastParse(t, "fuzz input", page)
	})
}

// BenchmarkParseExtract measures what the fast builder buys for one
// article: parse and extract with it (falling back to x/net/html where
// it gives up, as parsePage does) against x/net/html alone, over the same
// decoded pages. One op is one page.
func BenchmarkParseExtract(b *testing.B) {
	var pages [][]byte
	for _, p := range benchPages(b) {
		pages = append(pages, decodePage(p, ""))
	}
	ex := defaultExtractor
	for _, bb := range []struct {
		name  string
		parse func([]byte) (*html.Node, error)
	}{
		{"fastparse", func(page []byte) (*html.Node, error) { return parsePage(page, nil) }},
		{"xnethtml", func(page []byte) (*html.Node, error) {
			return html.ParseWithOptions(bytes.NewReader(page), html.ParseOptionEnableScripting(false))
		}},
	} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				root, err := bb.parse(pages[i%len(pages)])
				if err != nil {
					b.Fatal(err)
				}
				ex.extractTree(root, "https://example.org/article", nil)
				i++
			}
		})
	}
}

// TestPutSlabClearsAttributes: putSlab clears every attribute a page put
// in the slab's attribute block (an end tag's are read and dropped), so
// the pooled slab keeps no string of the page alive.
func TestPutSlabClearsAttributes(t *testing.T) {
	page := []byte(`<html><body><div class="a" id="b"><p title="t">x</p title="dropped" data-x="y"></div>` +
		`<body data-second="1"><a href="/1">1</a></a href="/2" rel="no"></body></html>`)
	s := new(slab)
	if _, err := fastParse(page, s); err != nil {
		t.Fatal(err)
	}
	putSlab(s)
	for i, a := range s.attrs[:cap(s.attrs)] {
		if a != (html.Attribute{}) {
			t.Errorf("attribute %d of the pooled block = %+v after putSlab, want it cleared", i, a)
		}
	}
}
