package parser

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// sourceGolden is what a golden file records for one sitemap or page.
type sourceGolden struct {
	Feed  *Feed  `json:"feed,omitempty"`
	Error string `json:"error,omitempty"`
}

// checkGolden compares got with the golden file beside input, after the
// same JSON round trip; -update rewrites it.
func checkGolden(t *testing.T, input string, got sourceGolden) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(got); err != nil {
		t.Fatal(err)
	}
	path := strings.TrimSuffix(input, filepath.Ext(input)) + ".golden.json"
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wantJSON, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./parser -run 'Sitemap|Page' -update)", err)
	}
	var want, back sourceGolden
	if err := json.Unmarshal(wantJSON, &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, back); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", input, diff)
	}
}

// ict is the zone of VietnamPlus's zone-less dates.
var ict = time.FixedZone("ICT", 7*3600)

func TestParseSitemapGolden(t *testing.T) {
	inputs, err := filepath.Glob(filepath.Join("testdata", "sitemaps", "*.xml"))
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no sitemap inputs: %v", err)
	}
	for _, in := range inputs {
		t.Run(filepath.Base(in), func(t *testing.T) {
			body, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			u := "https://www.vietnamplus.vn/sitemaps/" + filepath.Base(in)
			if strings.HasSuffix(in, "_ar.xml") {
				u = "https://news.example.ae/sitemap.xml"
			}
			f, err := ParseSitemap(body, "application/xml", u, SourceOptions{Zone: ict})
			got := sourceGolden{Feed: f}
			if err != nil {
				got.Error = err.Error()
			}
			checkGolden(t, in, got)
		})
	}
}

// TestParseSitemapFacts checks, independently of the golden files, what
// each sitemap fixture exists for.
func TestParseSitemapFacts(t *testing.T) {
	read := func(name string, o SourceOptions) (*Feed, error) {
		body, err := os.ReadFile(filepath.Join("testdata", "sitemaps", name))
		if err != nil {
			t.Fatal(err)
		}
		return ParseSitemap(body, "", "https://www.vietnamplus.vn/sitemaps/"+name, o)
	}
	f, err := read("news_vi.xml", SourceOptions{Zone: ict})
	if err != nil {
		t.Fatalf("ParseSitemap(news_vi.xml) = %v", err)
	}
	if len(f.Items) != 4 {
		t.Fatalf("ParseSitemap(news_vi.xml) = %d items, want 4 (the partner's and the javascript: entries left out)", len(f.Items))
	}
	first := f.Items[0]
	if first.URL != "https://www.vietnamplus.vn/triet-pha-duong-day-mua-ban-nguoi-qua-bien-gioi-post1001.vnp" {
		t.Errorf("item 0 URL = %q: the image's <image:loc> must not replace the <loc>", first.URL)
	}
	if want := time.Date(2026, 11, 27, 1, 15, 0, 0, time.UTC); !first.Published.Equal(want) || first.Lang != "vi" {
		t.Errorf("item 0 = published %v, lang %q; want %v, vi", first.Published, first.Lang, want)
	}
	if want := time.Date(2026, 11, 26, 23, 40, 0, 0, time.UTC); !f.Items[1].Published.Equal(want) {
		t.Errorf("item 1 published = %v, want %v (a zone-less date is in the site's zone, UTC+7)", f.Items[1].Published, want)
	}
	if strings.Contains(f.Items[1].URL, "utm_") || !strings.HasPrefix(f.Items[2].URL, "https://www.vietnamplus.vn/xuat-khau") {
		t.Errorf("items 1, 2 = %q, %q: want tracking stripped, relative <loc> resolved", f.Items[1].URL, f.Items[2].URL)
	}
	if f.Items[3].Lang != "en" || !strings.Contains(fmt.Sprint(f.Notes), "other sites") {
		t.Errorf("item 3 lang %q, notes %q: want en (the English edition is the same site), a note on the partner's link", f.Items[3].Lang, f.Notes)
	}
	allowed, err := read("news_vi.xml", SourceOptions{Hosts: []string{"example.org"}})
	if err != nil || len(allowed.Items) != 5 {
		t.Errorf("ParseSitemap with hosts [example.org] = %d items (%v), want 5", len(allowed.Items), err)
	}

	idx, err := read("index.xml", SourceOptions{Zone: ict})
	if err != nil || len(idx.Items) != 0 || len(idx.Sitemaps) != 5 {
		t.Fatalf("ParseSitemap(index.xml) = %+v, %v; want 5 child sitemaps, no items", idx, err)
	}
	if !idx.Sitemaps[3].Modified.IsZero() || idx.Sitemaps[2].Modified.IsZero() {
		t.Errorf("index children modified = %v", idx.Sitemaps)
	}

	broken, err := read("broken.xml", SourceOptions{})
	if err != nil || len(broken.Items) != 3 || len(broken.Notes) != 1 || !strings.Contains(broken.Notes[0], "broken xml") {
		t.Errorf("ParseSitemap(broken.xml) = %v, %v; want the 3 entries before the break and a note", broken, err)
	}
	for _, name := range []string{"not_sitemap.xml", "garbage.xml"} {
		if _, err := read(name, SourceOptions{}); !errors.Is(err, ErrNotSitemap) {
			t.Errorf("ParseSitemap(%s) = %v, want ErrNotSitemap", name, err)
		}
	}
	if _, err := read("entity_bomb.xml", SourceOptions{}); !errors.Is(err, ErrEntityAttack) {
		t.Errorf("ParseSitemap(entity_bomb.xml) = %v, want ErrEntityAttack", err)
	}
}

// bigSitemap renders a news sitemap of n URLs, about 500 bytes each.
func bigSitemap(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">` + "\n")
	t0 := time.Date(2026, 11, 27, 9, 0, 0, 0, ict)
	for i := range n {
		fmt.Fprintf(&b, "<url><loc>https://www.vietnamplus.vn/bai-viet-so-%d-ve-tinh-hinh-xa-hoi-post%d.vnp</loc><lastmod>%s</lastmod>"+
			"<news:news><news:publication><news:name>VietnamPlus</news:name><news:language>vi</news:language></news:publication>"+
			"<news:publication_date>%s</news:publication_date><news:title>Bài viết số %d về tình hình xã hội và đời sống</news:title></news:news></url>\n",
			i, 100000+i, t0.Add(-time.Duration(i)*time.Minute).Format(time.RFC3339), t0.Add(-time.Duration(i)*time.Minute).Format(time.RFC3339), i)
	}
	b.WriteString("</urlset>\n")
	return b.Bytes()
}

func TestParseSitemapBounds(t *testing.T) {
	f, err := ParseSitemap(bigSitemap(MaxSitemapEntries+10), "", "https://www.vietnamplus.vn/sitemap.xml", SourceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Items) != MaxSitemapEntries || len(f.Notes) != 1 || !strings.Contains(f.Notes[0], "more than 50000") {
		t.Errorf("ParseSitemap(%d URLs) = %d items, notes %q; want %d and a note", MaxSitemapEntries+10, len(f.Items), f.Notes, MaxSitemapEntries)
	}
	long := `<urlset><url><loc>https://www.vietnamplus.vn/` + strings.Repeat("a", 3*maxSitemapText) + `-post1.vnp</loc></url>` +
		`<url><loc>https://www.vietnamplus.vn/ok-post2.vnp</loc></url></urlset>`
	f, err = ParseSitemap([]byte(long), "", "https://www.vietnamplus.vn/sitemap.xml", SourceOptions{})
	if err != nil || len(f.Items) != 1 || f.Items[0].URL != "https://www.vietnamplus.vn/ok-post2.vnp" {
		t.Errorf("ParseSitemap(an over-long <loc>) = %v, %v; want only the second entry", f, err)
	}
}

func BenchmarkParseSitemap50k(b *testing.B) {
	body := bigSitemap(50_000)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		f, err := ParseSitemap(body, "application/xml", "https://www.vietnamplus.vn/sitemap.xml", SourceOptions{Zone: ict})
		if err != nil || len(f.Items) != 50_000 {
			b.Fatalf("ParseSitemap = %d items, %v", len(f.Items), err)
		}
	}
}

func FuzzParseSitemap(f *testing.F) {
	inputs, _ := filepath.Glob(filepath.Join("testdata", "sitemaps", "*.xml"))
	for _, in := range inputs {
		if body, err := os.ReadFile(in); err == nil {
			f.Add(body)
		}
	}
	f.Add(bigSitemap(3))
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := ParseSitemap(body, "", "https://www.vietnamplus.vn/sitemap.xml", SourceOptions{})
		if err != nil {
			return
		}
		if len(got.Items)+len(got.Sitemaps) > MaxSitemapEntries {
			t.Fatalf("%d entries, over the bound", len(got.Items)+len(got.Sitemaps))
		}
		for _, it := range got.Items {
			if _, err := CanonicalURL(it.URL, ""); err != nil || !strings.Contains(it.URL, "vietnamplus.vn") {
				t.Fatalf("item URL %q is not an absolute URL of the site", it.URL)
			}
		}
	})
}
