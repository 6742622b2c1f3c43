package parser

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// pathological returns hostile pages: each must be handled in bounded time
// and memory without a panic. Timing is measured in BenchmarkPathological.
func pathological() map[string][]byte {
	var nested, links, broken bytes.Buffer
	nested.WriteString("<html><body>")
	for range 100_000 {
		nested.WriteString("<div>")
	}
	nested.WriteString("<p>deep text, at the bottom of the tree.</p>")
	links.WriteString("<html><body><div>")
	for i := range 50_000 {
		links.WriteString(`<a href="/x">link ` + strings.Repeat("x", i%7) + `</a> `)
	}
	links.WriteString("</div></body></html>")
	broken.WriteString("<html><body>")
	for range 20_000 {
		broken.WriteString(`<p class="a <div><b><i></p></b><table><td><tr></span><a href=">x</a`)
	}
	huge := "<html><body><article><p>" + strings.Repeat("word, ", 10<<20/6) + "</p></article></body></html>"
	return map[string][]byte{
		"nested100k": nested.Bytes(),
		"links50k":   links.Bytes(),
		"broken":     broken.Bytes(),
		"text10MB":   []byte(huge),
		"nul bytes":  []byte("<html>\x00<body>\x00<p>\x00\xff\xfe</p>"),
		"only text":  []byte("just some text, no tags at all."),
	}
}

func TestExtractPathological(t *testing.T) {
	if testing.Short() {
		t.Skip("pathological pages take a few seconds")
	}
	for name, page := range pathological() {
		t.Run(name, func(t *testing.T) {
			a, err := ExtractArticle(page, "", "https://example.org/x")
			if err != nil {
				t.Fatalf("ExtractArticle(%s) error: %v", name, err)
			}
			if name == "text10MB" && len(a.Text) < 10<<20-16 {
				t.Errorf("ExtractArticle(%s) text length = %d, want the whole 10 MB text", name, len(a.Text))
			}
			if name == "nested100k" && !strings.Contains(a.Text, "deep text") {
				t.Errorf("ExtractArticle(%s).Text = %q, want the deep paragraph", name, a.Text)
			}
		})
	}
}

func BenchmarkPathological(b *testing.B) {
	for name, page := range pathological() {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(page)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ExtractArticle(page, "", ""); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// FuzzExtractArticle checks that no page makes extraction panic, that the
// text is free of tabs, blank lines and invisible format characters.
func FuzzExtractArticle(f *testing.F) {
	files, _ := filepath.Glob("testdata/pages/*.html")
	bugs, _ := filepath.Glob("testdata/bugs/*.html")
	for _, file := range append(files, bugs...) {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b, "text/html", pageURL(filepath.Base(file)))
		}
	}
	f.Add([]byte("<p>a<p>b<div>c"), "text/html; charset=gbk", "https://www.vietnamplus.vn/x")
	f.Fuzz(func(t *testing.T, body []byte, contentType, url string) {
		a, err := ExtractArticle(body, contentType, url)
		if err != nil {
			return
		}
		if strings.Contains(a.Text, "\t") || strings.Contains(a.Text, "\n\n") {
			t.Errorf("ExtractArticle text has tabs or blank lines: %q", a.Text)
		}
		if strings.ContainsFunc(a.Text, invisible) || strings.ContainsFunc(a.Title, invisible) {
			t.Errorf("ExtractArticle title %q or text %q has invisible format characters", a.Title, a.Text)
		}
		if a.Dir != "ltr" && a.Dir != "rtl" {
			t.Errorf("ExtractArticle dir = %q", a.Dir)
		}
	})
}
