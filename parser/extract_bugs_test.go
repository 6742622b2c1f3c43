package parser

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// bugCases are pages of testdata/bugs, one or more per class of
// extraction error seen on real pages (issue 10): what the text must hold,
// in order, and what it must not.
var bugCases = []struct {
	name, page, contentType string
	body                    []string // lines of the text, in order (a line contains its entry)
	traps                   []string // never in the text
}{
	// Charset: a charset= attribute on <script> is the charset of the
	// script it loads, never the page's.
	{"gb2312 meta after a script's charset", "charset_zh_gb2312_script.html", "",
		[]string{"本报讯 广西警方近日破获一起跨境拐卖妇女案件", "据介绍，犯罪团伙以介绍工作为名", "警方表示，将继续加强与邻国执法部门的合作", "目前，被解救的妇女已得到妥善安置"},
		[]string{"\ufffd", "首页", "版权所有"}},
	{"gb2312 undeclared, a script's charset", "charset_zh_undeclared_script.html", "",
		[]string{"本报讯 广西警方近日破获一起跨境拐卖妇女案件", "据介绍，犯罪团伙以介绍工作为名", "警方表示，将继续加强与邻国执法部门的合作", "目前，被解救的妇女已得到妥善安置"},
		[]string{"\ufffd"}},
	{"iso-8859-2 http-equiv after a script's charset", "charset_en_iso88592_script.html", "text/html",
		[]string{"farms near Łódź and Zgierz", "their passports were taken", "Prosecutors in Wrocław and Gdańsk", "Labour inspectors said"},
		[]string{"Å", "£ód", "Home"}},

	// A wrapper whose class says "header" holds the whole article.
	{"header wrapper around the article", "wrapper_header_fr.html", "",
		[]string{"Six personnes ont été mises en examen", "Les enquêteurs de l'office central ont interpellé mardi", "Selon le parquet",
			"Les suspects, âgés de 24 à 51 ans", "Les associations d'aide aux victimes"},
		[]string{"Directeur de la publication", "Accueil"}},

	// Short elements whose class has a positive word ("text", "page")
	// must not beat the article for want of a share of the page's text.
	{"heading and modal with text/page classes", "winner_share_en.html", "",
		[]string{"A court in London on Friday jailed four men", "The judge said", "The victims, aged between 15 and 44", "Relatives of several victims", "Police said the investigation"},
		[]string{"Sign in to save", "Live: follow the verdicts"}},
	{"link and heading with text/page classes", "winner_share_vi.html", "",
		[]string{"Công an tỉnh Lào Cai vừa giải cứu 5 thiếu nữ", "Theo cơ quan điều tra", "Khi đến khu vực biên giới", "Vụ án đang được cơ quan công an"},
		[]string{"Xem tất cả tin", "Nóng: Hà Nội cấm xe máy"}},

	// A short article: the retry may look further, but never at comment
	// threads, consent dialogs or newsletter boxes.
	{"short article, long comments and a consent dialog", "retry_boilerplate_ru.html", "",
		[]string{"Сотрудники пограничной службы задержали в Приморье", "По данным следствия"},
		[]string{"Иван", "Комментарии", "cookie", "Подпишитесь"}},

	// Invisible format characters are left out; the words they split
	// match again.
	{"soft hyphens in Russian", "invisible_ru.html", "",
		[]string{"Полиция задержала двух вербовщиков, которые обещали женщинам работу за границей, а затем продавали их. Дело о торговле людьми",
			"По словам следователей", "Суд арестовал"},
		[]string{"\u00ad", "Ольга Смирнова"}},
	{"soft hyphen, RLM, ZWSP and word joiner in Arabic", "invisible_ar.html", "",
		[]string{"حذرت الأمم المتحدة يوم الثلاثاء من تزايد حالات الاتجار بالبشر في منطقة الساحل، وقالت إن أكثر من 1200 ضحية",
			"الخارج، ثم تبيعهم", "وحماية الضحايا، وتوفير"},
		[]string{"\u00ad", "\u200f", "\u200b", "\u2060", "أ ف ب", "سارة الحسيني"}},

	// Captions, bylines, photo credits and related links are not the article.
	{"caption, byline, credit and related links", "captions_es.html", "",
		[]string{"La Oficina de las Naciones Unidas contra la Droga y el Delito advirtió", "Según el informe", "El organismo pidió", "Las organizaciones civiles"},
		[]string{"María López", "Foto: EFE", "puente fronterizo", "Lee también", "vendía bebés", "Con información de", "Cae banda", "Noticias relacionadas"}},
}

func TestExtractBugClasses(t *testing.T) {
	for _, tt := range bugCases {
		t.Run(tt.name, func(t *testing.T) {
			page, err := os.ReadFile(filepath.Join("testdata", "bugs", tt.page))
			if err != nil {
				t.Fatal(err)
			}
			a, err := ExtractArticle(page, tt.contentType, "https://news.example/"+tt.page)
			if err != nil {
				t.Fatalf("ExtractArticle(%s) error: %v", tt.page, err)
			}
			checkBody(t, tt.page, a.Text, tt.body, tt.traps)
			if a.Title == "" || strings.ContainsAny(a.Title, "\u00ad\u200f\ufffd") {
				t.Errorf("ExtractArticle(%s).Title = %q, want one without soft hyphens, RLM or replacement characters", tt.page, a.Title)
			}
		})
	}
}
