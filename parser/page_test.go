package parser

import (
	"bufio"
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newswatch/newswatch/internal/newstest"
)

// sectionPages are the hand-written section pages under
// testdata/sections with the URL each is served at and the options it is
// read with; beside each, NAME.links.txt lists by hand the articles it
// links to, in page order.
var sectionPages = []struct {
	file, url string
	o         SourceOptions
}{
	{"vnp_xahoi_vi.html", "https://www.vietnamplus.vn/xahoi.vnp", SourceOptions{Zone: ict}},
	{"alkhabar_ar.html", "https://news.example.ae/ar/section/society", SourceOptions{Zone: time.FixedZone("GST", 4*3600)}},
	{"wordpress_en.html", "https://ledger.example.com/category/human-rights/", SourceOptions{}},
	{"vnp_zh_channel.html", "https://zh.vietnamplus.vn/politics/", SourceOptions{Zone: ict}},
	{"vnp_zh_channel.html", "https://zh.vietnamplus.vn/politics/", SourceOptions{Zone: ict, Items: ".abf-cate .story, .timeline .story", Title: "h2 a", Date: "time[datetime]"}},
}

func readSection(t testing.TB, name string) []byte {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", "sections", name))
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// wantLinks reads the hand-labelled article URLs of a section page.
func wantLinks(t testing.TB, page string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "sections", strings.TrimSuffix(page, ".html")+".links.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

func itemURLs(f *Feed) []string {
	var out []string
	for _, it := range f.Items {
		out = append(out, it.URL)
	}
	return out
}

// TestParsePageLinks measures the generic link discovery and the
// selectors against the hand-labelled pages: every article found, in page
// order, and nothing else.
func TestParsePageLinks(t *testing.T) {
	var tp, fp, fn int
	for _, p := range sectionPages {
		name := p.file
		if p.o.Items != "" {
			name += " (selectors)"
		}
		t.Run(name, func(t *testing.T) {
			f, err := ParsePage(readSection(t, p.file), "text/html", p.url, p.o)
			if err != nil {
				t.Fatalf("ParsePage(%s) = %v", p.file, err)
			}
			got, want := itemURLs(f), wantLinks(t, p.file)
			for _, u := range got {
				if slices.Contains(want, u) {
					tp++
				} else {
					fp++
					t.Errorf("ParsePage(%s) took %s, which is no article of the page", p.file, u)
				}
			}
			for _, u := range want {
				if !slices.Contains(got, u) {
					fn++
					t.Errorf("ParsePage(%s) missed %s", p.file, u)
				}
			}
			if !t.Failed() && !slices.Equal(got, want) {
				t.Errorf("ParsePage(%s) order = %q, want %q", p.file, got, want)
			}
			for _, it := range f.Items {
				if it.Title == "" {
					t.Errorf("ParsePage(%s): %s has no title", p.file, it.URL)
				}
			}
		})
	}
	t.Logf("link discovery on %d labelled pages: %d found, %d wrong, %d missed", len(sectionPages), tp, fp, fn)
}

func TestParsePageGolden(t *testing.T) {
	for _, p := range sectionPages[:4] {
		t.Run(p.file, func(t *testing.T) {
			f, err := ParsePage(readSection(t, p.file), "text/html", p.url, p.o)
			got := sourceGolden{Feed: f}
			if err != nil {
				got.Error = err.Error()
			}
			checkGolden(t, filepath.Join("testdata", "sections", p.file), got)
		})
	}
}

// TestParsePageFacts checks the dates, titles, languages and notes the
// pages exist for.
func TestParsePageFacts(t *testing.T) {
	vi, err := ParsePage(readSection(t, "vnp_xahoi_vi.html"), "", "https://www.vietnamplus.vn/xahoi.vnp", SourceOptions{Zone: ict})
	if err != nil {
		t.Fatal(err)
	}
	if vi.Lang != "vi" || vi.Items[0].Title != "Triệt phá đường dây mua bán người qua biên giới Việt Nam - Trung Quốc" {
		t.Errorf("vi page: lang %q, first title %q; want vi and the headline (not the image's alt text)", vi.Lang, vi.Items[0].Title)
	}
	if want := time.Date(2026, 11, 27, 0, 30, 0, 0, time.UTC); !vi.Items[1].Published.Equal(want) {
		t.Errorf("vi item 1 published %v, want %v: a zone-less datetime is in the site's zone", vi.Items[1].Published, want)
	}
	if want := time.Date(2026, 11, 26, 11, 0, 0, 0, time.UTC); !vi.Items[4].Published.Equal(want) {
		t.Errorf("vi item 4 published %v, want %v: read from the card's time text", vi.Items[4].Published, want)
	}
	ar, err := ParsePage(readSection(t, "alkhabar_ar.html"), "", "https://news.example.ae/ar/section/society", SourceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if ar.Lang != "ar" || !strings.Contains(fmt.Sprint(ar.Notes), "other sites") {
		t.Errorf("ar page: lang %q, notes %q; want ar and a note on the UN link", ar.Lang, ar.Notes)
	}
	if want := time.Date(2026, 11, 27, 7, 20, 0, 0, time.UTC); !ar.Items[0].Published.Equal(want) {
		t.Errorf("ar item 0 published %v, want %v", ar.Items[0].Published, want)
	}
	withUN, err := ParsePage(readSection(t, "alkhabar_ar.html"), "", "https://news.example.ae/ar/section/society", SourceOptions{Hosts: []string{"un.org"}})
	if err != nil || len(withUN.Items) != 5 {
		t.Errorf("ar page with hosts [un.org] = %d items (%v), want 5", len(withUN.Items), err)
	}
}

func TestParsePageBadInput(t *testing.T) {
	vi := readSection(t, "vnp_xahoi_vi.html")
	const u = "https://www.vietnamplus.vn/xahoi.vnp"
	tests := []struct {
		name, body string
		o          SourceOptions
		want       string // in the error
	}{
		{"selector matches nothing", string(vi), SourceOptions{Items: "div.no-such-list a"}, `items selector "div.no-such-list a" matched nothing on the page`},
		{"selector without links", string(vi), SourceOptions{Items: ".story__meta"}, "none is or holds a link"},
		{"bad selector", string(vi), SourceOptions{Items: "a[href"}, `items selector "a[href"`},
		{"title without items", string(vi), SourceOptions{Title: "h2"}, "need an items selector"},
		{"no article links", `<html><body><nav><a href="/a-b-c-d-e-post12345.vnp">x</a></nav><a href="/">Home</a></body></html>`, SourceOptions{}, "found no link that looks like an article"},
		{"only other sites", `<html><body><a href="https://other.example/a-very-long-article-slug-here">x</a></body></html>`, SourceOptions{}, "every article link leads to another site"},
		{"empty body", ``, SourceOptions{}, "found no link"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ParsePage([]byte(tc.body), "text/html", u, tc.o)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ParsePage = %v, %v; want an error containing %q", f, err, tc.want)
			}
		})
	}
}

// bigSection renders a section page of n story cards between the chrome
// of the test site, as a page with thousands of links looks.
func bigSection(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Tin mới</title></head><body>`)
	b.WriteString(`<div class="header"><ul class="menu"><li><a href="/thegioi.vnp">Thế giới</a></li><li><a href="/kinhte.vnp">Kinh tế</a></li></ul></div><div class="timeline">`)
	for i := range n {
		fmt.Fprintf(&b, `<article class="story"><a class="story__thumb" href="/bai-viet-so-%d-post%d.vnp"><img src="/i/%d.jpg" alt="Ảnh %d"></a>`+
			`<h2 class="story__heading"><a href="/bai-viet-so-%d-post%d.vnp">Bài viết số %d về tình hình xã hội</a></h2>`+
			`<time datetime="2026-11-27T08:%02d:00+07:00">27/11/2026</time><a href="/tag/xa-hoi-%d.vnp">#Xã hội</a></article>`, i, 100000+i, i, i, i, 100000+i, i, i%60, i%7)
	}
	b.WriteString(`</div><div class="footer"><a href="/lien-he.vnp">Liên hệ</a></div></body></html>`)
	return b.Bytes()
}

func TestParsePageBounds(t *testing.T) {
	f, err := ParsePage(bigSection(10_000), "text/html", "https://www.vietnamplus.vn/xahoi.vnp", SourceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Items) != MaxPageItems || len(f.Notes) != 1 || !strings.Contains(f.Notes[0], "more than 1000") {
		t.Errorf("ParsePage(10,000 stories) = %d items, notes %q; want %d and a note", len(f.Items), f.Notes, MaxPageItems)
	}
}

// TestParsePageTestSite measures the generic rule on the test kit's
// article pages, whose related-article boxes link to other articles
// between navigation, tag and section links.
func TestParsePageTestSite(t *testing.T) {
	const base = "https://www.vietnamplus.vn"
	found, wrong := 0, 0
	for _, p := range newstest.Corpus() {
		body := bytes.ReplaceAll(p.HTML(), []byte(newstest.BasePlaceholder), []byte(base))
		f, err := ParsePage(body, "text/html", base+p.Path(), SourceOptions{})
		want := len(p.Related) + len(p.Sidebar)
		if want == 0 {
			if err == nil {
				t.Errorf("page %d without related articles: ParsePage = %q, want an error", p.ID, itemURLs(f))
			}
			continue
		}
		if err != nil {
			t.Errorf("page %d: %v", p.ID, err)
			continue
		}
		for _, u := range itemURLs(f) {
			pu, _ := url.Parse(u)
			if strings.HasSuffix(pu.Path, ".vnp") && strings.Contains(pu.Path, "-post") {
				found++
			} else {
				wrong++
				t.Errorf("page %d: took %s", p.ID, u)
			}
		}
		if len(f.Items) != want {
			t.Errorf("page %d: %d links, want the %d of its related-article boxes (the rest is chrome)", p.ID, len(f.Items), want)
		}
	}
	t.Logf("link discovery on %d test-site pages: %d article links found, %d wrong", len(newstest.Corpus()), found, wrong)
}

func BenchmarkParsePage10k(b *testing.B) {
	body := bigSection(10_000)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParsePage(body, "text/html", "https://www.vietnamplus.vn/xahoi.vnp", SourceOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzParsePage(f *testing.F) {
	for _, p := range sectionPages {
		f.Add(readSection(f, p.file), p.o.Items)
	}
	f.Add(bigSection(3), "")
	f.Add([]byte(`<a href="/a-b-c-d-e-f">x</a><main><a href="//x/y/12345">y</a></main>`), "a")
	f.Fuzz(func(t *testing.T, body []byte, items string) {
		got, err := ParsePage(body, "text/html", "https://www.vietnamplus.vn/xahoi.vnp", SourceOptions{Items: items})
		if err != nil {
			return
		}
		if len(got.Items) == 0 || len(got.Items) > MaxPageItems {
			t.Fatalf("%d items without an error", len(got.Items))
		}
		for _, it := range got.Items {
			u, err := url.Parse(it.URL)
			if err != nil || siteOf(u.Hostname()) != "vietnamplus.vn" || it.URL == "https://www.vietnamplus.vn/xahoi.vnp" {
				t.Fatalf("item URL %q is not another page of the site", it.URL)
			}
		}
	})
}
