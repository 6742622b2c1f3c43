package parser

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/newswatch/newswatch/news"
)

// pageURLs are the addresses the test pages are served from; VietnamPlus
// hosts select the built-in rule.
var pageURLs = map[string]string{
	"vnp_vi.html": "https://www.vietnamplus.vn/bai-viet-post987654.vnp",
	"vnp_en.html": "https://en.vietnamplus.vn/bai-viet-post987654.vnp",
	"vnp_zh.html": "https://zh.vietnamplus.vn/bai-viet-post987654.vnp",
	"vnp_ar.html": "https://ar.vietnamplus.vn/bai-viet-post987654.vnp",
}

func pageURL(name string) string {
	if u, ok := pageURLs[name]; ok {
		return u
	}
	return "https://news.example/" + strings.TrimSuffix(name, ".html")
}

// goldenArticle is the part of news.Article that extraction fills.
type goldenArticle struct {
	URL, Title, Byline, Lang, Dir, Extractor string
	Published                                time.Time
	Text                                     string
}

func toGolden(a *news.Article) goldenArticle {
	return goldenArticle{URL: a.URL, Title: a.Title, Byline: a.Byline, Lang: a.Lang, Dir: a.Dir,
		Extractor: a.Extractor, Published: a.Published.UTC(), Text: a.Text}
}

func testPages(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob("testdata/pages/*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test pages: %v", err)
	}
	return files
}

// TestExtractArticleGolden compares every test page with its golden file
// (x.html -> x.golden.json); go test ./parser -run Golden -update rewrites them.
func TestExtractArticleGolden(t *testing.T) {
	for _, file := range testPages(t) {
		name := filepath.Base(file)
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			a, err := ExtractArticle(body, "text/html", pageURL(name))
			if err != nil {
				t.Fatalf("ExtractArticle(%q) error: %v", name, err)
			}
			got := toGolden(a)
			golden := strings.TrimSuffix(file, ".html") + ".golden.json"
			if *update {
				b, _ := json.MarshalIndent(got, "", "  ")
				if err := os.WriteFile(golden, append(b, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			b, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./parser -run Golden -update)", err)
			}
			var want goldenArticle
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ExtractArticle(%q) mismatch (-want +got):\n%s", name, diff)
			}
		})
	}
}

// TestExtractArticleVietnamPlus checks the properties the topic filter
// relies on: the body is there, the boilerplate around it is not.
func TestExtractArticleVietnamPlus(t *testing.T) {
	tests := []struct {
		page, lang, dir string
		want            []string // in the text
		absent          []string // never in the text
	}{
		{"vnp_vi.html", "vi", "ltr",
			[]string{"Bộ Công an cho biết", "150 vụ mua bán người", "tái hòa nhập cộng đồng cho nạn nhân."},
			[]string{"Triệt phá đường dây", "Tin liên quan", "Bình luận", "TTXVN", "Advertisement", "Facebook", "tag a"}},
		{"vnp_en.html", "en", "ltr",
			[]string{"Vietnam and Laos agreed", "remove obstacles to investment projects."},
			[]string{"human trafficking ring", "Related news", "Comments", "VNA/VNP", "Most read", "All rights"}},
		{"vnp_zh.html", "zh", "ltr",
			[]string{"越南与老挝两国工贸部长", "迈上新台阶。"},
			[]string{"拐卖人口", "相关新闻", "评论", "（完）"}},
		{"vnp_ar.html", "ar", "rtl",
			[]string{"اتفقت فيتنام ولاوس", "بتهيئة الظروف المواتية للشركات."},
			[]string{"للاتجار بالبشر", "أخبار ذات صلة", "تعليق", "TTXVN"}},
	}
	for _, tt := range tests {
		t.Run(tt.page, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("testdata/pages", tt.page))
			if err != nil {
				t.Fatal(err)
			}
			a, err := ExtractArticle(body, "text/html; charset=utf-8", pageURL(tt.page))
			if err != nil {
				t.Fatalf("ExtractArticle(%q) error: %v", tt.page, err)
			}
			if a.Extractor != "site:vietnamplus" {
				t.Errorf("ExtractArticle(%q).Extractor = %q, want %q", tt.page, a.Extractor, "site:vietnamplus")
			}
			if a.Lang != tt.lang || a.Dir != tt.dir {
				t.Errorf("ExtractArticle(%q) lang, dir = %q, %q, want %q, %q", tt.page, a.Lang, a.Dir, tt.lang, tt.dir)
			}
			if a.Published.IsZero() || a.Title == "" {
				t.Errorf("ExtractArticle(%q) published, title = %v, %q, want both set", tt.page, a.Published, a.Title)
			}
			for _, s := range tt.want {
				if !strings.Contains(a.Text, s) {
					t.Errorf("ExtractArticle(%q).Text lacks %q:\n%s", tt.page, s, a.Text)
				}
			}
			for _, s := range tt.absent {
				if strings.Contains(a.Text, s) {
					t.Errorf("ExtractArticle(%q).Text contains %q:\n%s", tt.page, s, a.Text)
				}
			}
		})
	}
}

// TestExtractArticleCharsets checks that every legacy-charset page decodes
// to the text it was written in.
func TestExtractArticleCharsets(t *testing.T) {
	tests := map[string]string{
		"ar_windows1256.html":         "أعلنت الأمم المتحدة، يوم الاثنين",
		"zh_gbk.html":                 "联合国毒品和犯罪问题办公室周一发布报告说",
		"zh_gbk_undeclared.html":      "联合国毒品和犯罪问题办公室周一发布报告说",
		"ja_shiftjis.html":            "国連の薬物犯罪事務所は月曜日",
		"ja_shiftjis_undeclared.html": "国連の薬物犯罪事務所は月曜日",
		"ko_euckr.html":               "유엔마약범죄사무소는 월요일",
		"ru_iso88595.html":            "Управление ООН по наркотикам",
		"pl_iso88592.html":            "Przestępczości opublikowało w poniedziałek",
		"vi_windows1258.html":         "Văn phòng Liên hợp quốc về Ma túy và Tội phạm",
		"en_mislabelled.html":         "said “clearly” on Monday",
	}
	for page, want := range tests {
		t.Run(page, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("testdata/pages", page))
			if err != nil {
				t.Fatal(err)
			}
			a, err := ExtractArticle(body, "text/html", pageURL(page))
			if err != nil {
				t.Fatalf("ExtractArticle(%q) error: %v", page, err)
			}
			if !strings.Contains(a.Text, want) {
				t.Errorf("ExtractArticle(%q).Text = %q, want it to contain %q", page, a.Text, want)
			}
			if a.Extractor != "generic" {
				t.Errorf("ExtractArticle(%q).Extractor = %q, want generic", page, a.Extractor)
			}
		})
	}
}

func TestExtractEmpty(t *testing.T) {
	for _, body := range []string{"", "  \n\t "} {
		if _, err := ExtractArticle([]byte(body), "", ""); !errors.Is(err, ErrEmptyPage) {
			t.Errorf("ExtractArticle(%q) error = %v, want ErrEmptyPage", body, err)
		}
	}
	a, err := ExtractArticle([]byte("<html><body><nav><a href=/>Home</a></nav></body></html>"), "", "")
	if err != nil || a.Text != "" {
		t.Errorf("ExtractArticle(nav only) = %q, %v, want empty text and no error", a.Text, err)
	}
}
