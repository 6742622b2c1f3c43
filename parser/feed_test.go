package parser

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/newswatch/newswatch/news"
)

// update rewrites golden files: go test ./parser -run Feed -update
var update = flag.Bool("update", false, "rewrite golden files in testdata")

// feedGolden is what a golden file records for one feed input.
type feedGolden struct {
	Feed    *Feed  `json:"feed,omitempty"`
	Error   string `json:"error,omitempty"`
	NotFeed bool   `json:"not_feed,omitempty"`
}

// feedInputs lists the feed inputs under testdata/feeds.
func feedInputs(t testing.TB) []string {
	t.Helper()
	var files []string
	for _, pattern := range []string{"*.xml", "*.json"} {
		m, err := filepath.Glob(filepath.Join("testdata", "feeds", pattern))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range m {
			if !strings.HasSuffix(f, ".golden.json") {
				files = append(files, f)
			}
		}
	}
	if len(files) == 0 {
		t.Fatal("no feed inputs in testdata/feeds")
	}
	return files
}

// feedFixture reads an input and its optional .content-type sidecar,
// which holds the HTTP Content-Type header the feed is served with.
func feedFixture(t testing.TB, path string) (body []byte, contentType, feedURL string) {
	t.Helper()
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	stem := strings.TrimSuffix(path, filepath.Ext(path))
	if ct, err := os.ReadFile(stem + ".content-type"); err == nil {
		contentType = strings.TrimSpace(string(ct))
	}
	return body, contentType, "https://feeds.example.test/" + filepath.Base(path)
}

func TestParseFeedGolden(t *testing.T) {
	for _, path := range feedInputs(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			body, ct, feedURL := feedFixture(t, path)
			f, err := ParseFeed(body, ct, feedURL)
			got := feedGolden{Feed: f}
			if err != nil {
				got.Error, got.NotFeed = err.Error(), errors.Is(err, ErrNotFeed)
			}
			goldenPath := strings.TrimSuffix(path, filepath.Ext(path)) + ".golden.json"
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(got); err != nil {
				t.Fatal(err)
			}
			gotJSON := buf.Bytes()
			if *update {
				if err := os.WriteFile(goldenPath, gotJSON, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			wantJSON, err := os.ReadFile(goldenPath)
			if err != nil {
				t.Fatalf("%v (run go test ./parser -run Feed -update)", err)
			}
			var want feedGolden
			if err := json.Unmarshal(wantJSON, &want); err != nil {
				t.Fatal(err)
			}
			var gotBack feedGolden // compare after the same JSON round trip
			if err := json.Unmarshal(gotJSON, &gotBack); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, gotBack); diff != "" {
				t.Errorf("ParseFeed(%s) mismatch (-want +got):\n%s", path, diff)
			}
		})
	}
}

// parseFixture parses one testdata feed and fails the test on error.
func parseFixture(t *testing.T, name string) *Feed {
	t.Helper()
	body, ct, feedURL := feedFixture(t, filepath.Join("testdata", "feeds", name))
	f, err := ParseFeed(body, ct, feedURL)
	if err != nil {
		t.Fatalf("ParseFeed(%s) error: %v", name, err)
	}
	return f
}

// TestParseFeedFacts checks, independently of the golden files, the facts
// each fixture exists for.
func TestParseFeedFacts(t *testing.T) {
	utc := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm.UTC()
	}
	tests := []struct {
		file  string
		lang  string
		ttl   time.Duration
		items int
		first news.Item // only the non-zero fields are compared
	}{
		{"vietnamplus_vi.xml", "vi", 15 * time.Minute, 3, news.Item{
			GUID:      "post998877",
			URL:       "https://www.vietnamplus.vn/triet-pha-duong-day-mua-ban-nguoi-qua-bien-gioi-tay-nam-post998877.vnp",
			Title:     "Triệt phá đường dây mua bán người qua biên giới Tây Nam",
			Summary:   "(TTXVN/Vietnam+) Công an tỉnh An Giang vừa giải cứu 12 nạn nhân bị lừa bán sang Campuchia làm việc tại các cơ sở lừa đảo trực tuyến.",
			Published: utc("2026-11-27T03:15:00Z"),
		}},
		{"vietnamplus_en.xml", "en", 30 * time.Minute, 2, news.Item{
			Content:   "Hanoi (VNA) – Vietnam and the United Nations Office on Drugs and Crime (UNODC) on November 25 signed a plan to strengthen cross-border cooperation.\nThe plan targets trafficking in persons and the smuggling of migrants along the Mekong.\nDelegates at the signing ceremony. (Photo: VNA)",
			Published: utc("2026-11-25T09:20:00Z"),
			Authors:   []string{"VNA"},
		}},
		{"arabic_cp1256.xml", "ar", 0, 2, news.Item{
			URL:     "https://www.example-ar.net/news/2026/11/27/123.html",
			Title:   "الأمم المتحدة تحذر من تصاعد الاتجار بالبشر في المنطقة",
			Summary: "قال مكتب الأمم المتحدة المعني بالمخدرات والجريمة إن عدد ضحايا الاتجار بالبشر ارتفع هذا العام.",
		}},
		{"un_news_ar.xml", "ar", 0, 2, news.Item{
			GUID:  "1120001 at https://news.un.org/ar",
			URL:   "https://news.un.org/ar/story/2026/11/1120001",
			Title: "الأمين العام: يجب إنهاء الاتجار بالبشر وحماية الضحايا",
		}},
		{"chinese_atom.xml", "zh", 0, 2, news.Item{
			URL:        "https://news.example.cn/zh/story/2026/11/1130001",
			Title:      "联合国毒品和犯罪问题办公室：人口贩运受害者人数创新高",
			Content:    "联合国毒品和犯罪问题办公室周五发布报告。\n报告指出，儿童占受害者的三分之一。",
			Published:  utc("2026-11-27T08:30:00Z"),
			Categories: []string{"人权", "打击犯罪"},
		}},
		{"utf16_bom.xml", "ru", 0, 1, news.Item{
			Title:     "Генсек ООН призвал покончить с торговлей людьми",
			Published: utc("2026-11-27T08:00:00Z"),
		}},
		{"utf16le_nobom.xml", "vi", 0, 1, news.Item{
			Title:     "Thủ tướng chỉ đạo tăng cường phòng, chống tội phạm mua bán người",
			Published: utc("2026-11-27T10:15:00Z"),
		}},
		{"rdf_rss1.xml", "fr", 30 * time.Minute, 1, news.Item{
			URL:       "https://www.example.fr/article/2026/11/27/traite-des-etres-humains?xtor=RSS-1",
			Published: utc("2026-11-27T08:30:00Z"),
		}},
		{"jsonfeed.json", "vi", 0, 2, news.Item{
			URL:     "https://tin.example.vn/bai/1001?amp=1",
			Title:   `Cảnh báo thủ đoạn tuyển dụng "việc nhẹ lương cao"`,
			Content: "Nhiều thanh niên bị dụ sang nước ngoài làm việc.\nCông an khuyến cáo người dân cảnh giác.",
			Updated: utc("2026-11-27T01:30:00Z"),
		}},
		{"xml_base_relative.xml", "", 0, 4, news.Item{URL: "https://www.example.org/news/2026/11/relative-one.html"}},
		{"truncated.xml", "", 0, 2, news.Item{URL: "https://example.com/1"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f := parseFixture(t, tt.file)
			if f.Lang != tt.lang || f.TTL != tt.ttl || len(f.Items) != tt.items {
				t.Fatalf("ParseFeed(%s) lang, ttl, items = %q, %v, %d, want %q, %v, %d", tt.file, f.Lang, f.TTL, len(f.Items), tt.lang, tt.ttl, tt.items)
			}
			if diff := cmp.Diff(tt.first, feedOnlySet(f.Items[0], tt.first)); diff != "" {
				t.Errorf("ParseFeed(%s) first item mismatch (-want +got):\n%s", tt.file, diff)
			}
		})
	}
}

// feedOnlySet copies from got the fields that are set in want.
func feedOnlySet(got, want news.Item) news.Item {
	var out news.Item
	pick := func(dst *string, w, g string) {
		if w != "" {
			*dst = g
		}
	}
	pick(&out.GUID, want.GUID, got.GUID)
	pick(&out.URL, want.URL, got.URL)
	pick(&out.Title, want.Title, got.Title)
	pick(&out.Summary, want.Summary, got.Summary)
	pick(&out.Content, want.Content, got.Content)
	pick(&out.Lang, want.Lang, got.Lang)
	if !want.Published.IsZero() {
		out.Published = got.Published
	}
	if !want.Updated.IsZero() {
		out.Updated = got.Updated
	}
	if want.Authors != nil {
		out.Authors = got.Authors
	}
	if want.Categories != nil {
		out.Categories = got.Categories
	}
	return out
}

func TestParseFeedItemIdentity(t *testing.T) {
	f := parseFixture(t, "no_guid.xml")
	var got []string
	for _, it := range f.Items {
		got = append(got, it.Key())
	}
	want := []string{
		"https://blog.example.com/posts/only-a-link/?b=2&a=1",
		"https://blog.example.com/posts/guid-permalink",
		"https://blog.example.com/posts/not-a-permalink", // not a URL for the item, but its key
		"",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseFeed(no_guid.xml) keys mismatch (-want +got):\n%s", diff)
	}
	if f.Items[2].URL != "" {
		t.Errorf("ParseFeed(no_guid.xml) item 3 URL = %q, want none (isPermaLink=false)", f.Items[2].URL)
	}
}

func TestParseFeedErrors(t *testing.T) {
	tests := []struct {
		name, body string
		notFeed    bool
	}{
		{"empty", "", true},
		{"whitespace", " \r\n\t ", true},
		{"html page", "<!DOCTYPE html><html><head><title>Trang chủ</title></head><body>Xin chào</body></html>", true},
		{"plain text", "404 page not found", true},
		{"other xml", `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>`, true},
		{"broken rss", `<rss version="2.0"><channel><title>x</title><item><title>y</title><link>https://example.com/y`, false},
		{"broken atom", `<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>y</title><link href="https://example.com/y"/>`, false},
		{"broken json", `{"version": "https://jsonfeed.org/version/1.1", "items": [`, false},
		{"binary", "\x00\x01\x02\xff\xfe\x00garbage", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ParseFeed([]byte(tt.body), "", "https://example.com/feed")
			if err == nil {
				t.Fatalf("ParseFeed(%q) = %+v, nil, want error", tt.body, f)
			}
			if errors.Is(err, ErrNotFeed) != tt.notFeed {
				t.Errorf("ParseFeed(%q) error = %v, errors.Is(ErrNotFeed) = %v, want %v", tt.body, err, !tt.notFeed, tt.notFeed)
			}
		})
	}
}

// TestParseFeedEntityBomb checks that a "billion laughs" feed is refused
// with ErrEntityAttack, without expanding its entities or allocating much.
func TestParseFeedEntityBomb(t *testing.T) {
	body, _, _ := feedFixture(t, filepath.Join("testdata", "feeds", "billion_laughs.xml"))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := ParseFeed(body, "", "https://example.com/feed")
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrEntityAttack) {
		t.Errorf("ParseFeed(billion_laughs.xml) error = %v, want ErrEntityAttack", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 10<<20 {
		t.Errorf("ParseFeed(billion_laughs.xml) allocated %d bytes, want < 10 MiB", alloc)
	}
}

// TestFeedCheckDTD tells entity attacks from harmless document types.
func TestFeedCheckDTD(t *testing.T) {
	for _, tt := range []struct {
		name, doc string
		attack    bool
	}{
		{"no doctype", `<?xml version="1.0"?><rss version="2.0"><channel/></rss>`, false},
		{"netscape rss 0.91", `<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"/>`, false},
		{"character entity", `<!DOCTYPE rss [<!ENTITY nbsp "&#160;">]><rss/>`, false},
		{"plain text entity", `<!DOCTYPE rss [<!ENTITY org "Liên hợp quốc">]><rss/>`, false},
		{"nested entities", `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><rss/>`, true},
		{"external entity, never loaded", `<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss>&xxe;</rss>`, false},
		{"xhtml latin-1 set", `<!DOCTYPE rdf:RDF [<!ENTITY % HTMLlat1 PUBLIC "-//W3C//ENTITIES Latin 1 for XHTML//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml-lat1.ent"> %HTMLlat1;]><rdf:RDF/>`, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := feedCheckDTD([]byte(tt.doc)); errors.Is(err, ErrEntityAttack) != tt.attack {
				t.Errorf("feedCheckDTD(%q) = %v, want attack %v", tt.doc, err, tt.attack)
			}
		})
	}
}

// feedLarge builds an RSS feed of n items, each about 1 KiB.
func feedLarge(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Large</title><link>https://large.example.com/</link>`)
	para := strings.Repeat("Buôn bán người là tội phạm nghiêm trọng. 人口贩运 الاتجار بالبشر ", 8)
	for i := range n {
		fmt.Fprintf(&b, "<item><title>Item %d</title><link>https://large.example.com/a/%d?utm_source=rss</link><guid>g%d</guid>"+
			"<pubDate>Fri, 27 Nov 2026 10:%02d:00 ICT</pubDate><description><![CDATA[<p>%s</p>]]></description></item>\n", i, i, i, i%60, para)
	}
	b.WriteString("</channel></rss>")
	return b.Bytes()
}

// TestParseFeedLargeMemory parses a 2 MiB feed and bounds the memory
// the result retains relative to the input. (The transient garbage is
// about 52x the input, most of it gofeed's date parsing and image search;
// a 36 MB feed measured 184 MB peak RSS, see BenchmarkParseFeedLarge.)
func TestParseFeedLargeMemory(t *testing.T) {
	body := feedLarge(2000)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f, err := ParseFeed(body, "application/rss+xml", "https://large.example.com/rss")
	runtime.GC()
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatalf("ParseFeed(large) error: %v", err)
	}
	if len(f.Items) != 2000 {
		t.Fatalf("ParseFeed(large) items = %d, want 2000", len(f.Items))
	}
	if kept, limit := int64(after.HeapAlloc)-int64(before.HeapAlloc), int64(len(body))*2; kept > limit {
		t.Errorf("ParseFeed(large, %d bytes) retains %d bytes, want <= %d", len(body), kept, limit)
	}
	runtime.KeepAlive(f)
}

func BenchmarkParseFeed(b *testing.B) {
	body := feedLarge(50)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseFeed(body, "", "https://large.example.com/rss"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseFeedLarge parses a 36 MB feed, the size of the largest
// feeds seen in the wild.
func BenchmarkParseFeedLarge(b *testing.B) {
	body := feedLarge(36000)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseFeed(body, "", "https://large.example.com/rss"); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzParseFeed(f *testing.F) {
	for _, path := range feedInputs(f) {
		body, ct, _ := feedFixture(f, path)
		f.Add(body, ct)
	}
	f.Add([]byte(`<rss><channel><item><link>//x</link><pubDate>GMT+99</pubDate></item></channel></rss>`), "text/xml; charset=utf-16")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		feed, err := ParseFeed(body, contentType, "https://fuzz.example.com/feed")
		if err != nil {
			if feed != nil {
				t.Errorf("ParseFeed returned a feed with error %v", err)
			}
			return
		}
		for _, it := range feed.Items {
			if it.URL == "" && it.GUID == "" && it.Title == "" {
				t.Errorf("ParseFeed kept an item with no identity: %+v", it)
			}
			if it.URL != "" && !strings.HasPrefix(it.URL, "http://") && !strings.HasPrefix(it.URL, "https://") {
				t.Errorf("ParseFeed item URL %q is not http(s)", it.URL)
			}
		}
	})
}
