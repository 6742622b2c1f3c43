package newstest

import (
	"bytes"
	"cmp"
	"fmt"
	"html"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/unicode/norm"
)

// Page is one article of a VietnamPlus-like site, rendered with the
// markup of the real CMS by HTML.
type Page struct {
	ID        int    // the CMS post id: the URL ends in -post{ID}.vnp
	Slug      string // URL slug, without the id
	Lang      string // "vi", "en", "ar", "zh", ...
	Section   string // breadcrumb
	Title     string
	Sapo      string // the lead paragraph (and the feed's description)
	Body      []string
	Author    string
	Published time.Time
	// Related are headlines of the inline related-articles box placed in
	// the middle of the body; Sidebar those of the box after the article.
	Related []string
	Sidebar []string
	// Summary, when set, is the feed description instead of Sapo.
	Summary string
	// Charset, when set, is declared in a <meta> (the bytes must be
	// converted by the caller).
	Charset string
	// Padding adds this many bytes of page chrome (menus, scripts), as the
	// real site's pages are mostly chrome.
	Padding int
	// Chrome renders the page with the chrome of a real news site around
	// the article instead of a script of Padding bytes: a consent dialog,
	// a mega menu of headlines, SVG icons, a newsletter form, reader
	// comments, read-more and most-read boxes, a footer, inline CSS,
	// JSON-LD and scripts. Padding is then the page's size: the chrome
	// shrinks to fit it and a state script tops the page up to it.
	Chrome bool
}

// Path returns the page's URL path: /{slug}-post{ID}.vnp.
func (p Page) Path() string { return fmt.Sprintf("/%s-post%d.vnp", p.Slug, p.ID) }

// words holds the fixed strings of the page chrome per language.
type words struct{ home, comments, share, related, sameSection, ad, credit, tags, footer, photo string }

var chrome = map[string]words{
	"vi": {"Trang chủ", "Bình luận (0)", "Chia sẻ", "Tin liên quan", "Tin cùng chuyên mục", "Quảng cáo", "(TTXVN/Vietnam+)", "Từ khóa", "Báo điện tử VietnamPlus, cơ quan của Thông tấn xã Việt Nam (TTXVN). © Vietnam+", "Ảnh minh họa. (Ảnh: TTXVN)"},
	"en": {"Home", "Comments (0)", "Share", "Related news", "More in this section", "Advertisement", "(VNA/VNP)", "Tags", "VietnamPlus, the online newspaper of the Vietnam News Agency. © Vietnam+", "Illustrative photo (Photo: VNA)"},
	"ar": {"الرئيسية", "تعليق (0)", "مشاركة", "أخبار ذات صلة", "المزيد من هذا القسم", "إعلان", "(TTXVN/Vietnam+)", "الكلمات المفتاحية", "فيتنام بلس، صحيفة إلكترونية تابعة لوكالة الأنباء الفيتنامية. © Vietnam+", "صورة توضيحية"},
	"zh": {"首页", "评论 (0)", "分享", "相关新闻", "同栏目新闻", "广告", "（越通社-VNA）", "关键词", "越南通讯社电子报 VietnamPlus。© Vietnam+", "图片来源：越通社"},
	"fr": {"Accueil", "Commentaires (0)", "Partager", "Articles liés", "Dans la même rubrique", "Publicité", "(VNA/VNP)", "Mots-clés", "VietnamPlus, journal électronique de l'Agence vietnamienne d'information. © Vietnam+", "Photo d'illustration (Photo : VNA)"},
	"es": {"Inicio", "Comentarios (0)", "Compartir", "Noticias relacionadas", "Más en esta sección", "Publicidad", "(VNA/VNP)", "Etiquetas", "VietnamPlus, periódico electrónico de la Agencia Vietnamita de Noticias. © Vietnam+", "Foto ilustrativa (Foto: VNA)"},
	"ru": {"Главная", "Комментарии (0)", "Поделиться", "Связанные новости", "Ещё в рубрике", "Реклама", "(VNA/VNP)", "Теги", "VietnamPlus, электронная газета Вьетнамского информационного агентства. © Vietnam+", "Иллюстративное фото (Фото: VNA)"},
}

func wordsFor(lang string) words {
	if w, ok := chrome[lang]; ok {
		return w
	}
	return chrome["en"]
}

// HTML renders the page. Links are absolute through BasePlaceholder.
func (p Page) HTML() []byte {
	if p.Chrome {
		return p.chromeHTML()
	}
	var b bytes.Buffer
	p.head(&b, func() { p.padding(&b) })
	b.WriteString("<body class=\"page-detail\">\n")
	p.header(&b)
	p.article(&b, func() {})
	b.WriteString("</div></div></main>\n")
	fmt.Fprintf(&b, "<div class=\"ads ads-bottom\" id=\"ads-footer\">%s</div>\n", html.EscapeString(wordsFor(p.Lang).ad))
	fmt.Fprintf(&b, "<footer class=\"footer\"><p>%s</p></footer>\n</body>\n</html>\n", html.EscapeString(wordsFor(p.Lang).footer))
	return b.Bytes()
}

// head writes the <head>, calling extra before it closes.
func (p Page) head(b *bytes.Buffer, extra func()) {
	dir := "ltr"
	if p.Lang == "ar" {
		dir = "rtl"
	}
	e := html.EscapeString
	charset := cmp.Or(p.Charset, "utf-8")
	pub := p.Published.In(ict).Format("2006-01-02T15:04:05-07:00")
	fmt.Fprintf(b, "<!DOCTYPE html>\n<html lang=%q dir=%q>\n<head>\n<meta charset=%q>\n", p.Lang, dir, charset)
	fmt.Fprintf(b, "<title>%s | Vietnam+ (VietnamPlus)</title>\n<meta name=\"description\" content=\"%s\">\n", e(p.Title), e(p.Sapo))
	fmt.Fprintf(b, "<meta property=\"og:title\" content=\"%s\">\n<meta property=\"og:url\" content=\"%s%s\">\n", e(p.Title), BasePlaceholder, p.Path())
	fmt.Fprintf(b, "<link rel=\"canonical\" href=\"%s%s\">\n<meta property=\"article:published_time\" content=\"%s\">\n", BasePlaceholder, p.Path(), pub)
	b.WriteString("<link rel=\"stylesheet\" href=\"/static/css/main.min.css\">\n")
	extra()
	b.WriteString("</head>\n")
}

// header writes the site header and the top ad.
func (p Page) header(b *bytes.Buffer) {
	w, e := wordsFor(p.Lang), html.EscapeString
	fmt.Fprintf(b, "<header class=\"header\"><div class=\"header__logo\"><a href=\"/\">Vietnam+</a></div>\n<nav class=\"menu\"><ul><li><a href=\"/\">%s</a></li><li><a href=\"/section/\">%s</a></li></ul></nav></header>\n",
		e(w.home), e(p.Section))
	fmt.Fprintf(b, "<div class=\"ads ads-top\" id=\"ads-header\"><span class=\"ads__label\">%s</span></div>\n", e(w.ad))
}

// article writes the article and the box of related stories after it,
// calling after between them.
func (p Page) article(b *bytes.Buffer, after func()) {
	w, e := wordsFor(p.Lang), html.EscapeString
	pub := p.Published.In(ict).Format("2006-01-02T15:04:05-07:00")
	b.WriteString("<main class=\"main\"><div class=\"container\"><div class=\"detail-page\">\n<article class=\"article\">\n")
	fmt.Fprintf(b, "<div class=\"breadcrumb\"><a href=\"/\">%s</a> <a href=\"/section/\">%s</a></div>\n", e(w.home), e(p.Section))
	fmt.Fprintf(b, "<h1 class=\"article__title cms-title\">%s</h1>\n", e(p.Title))
	fmt.Fprintf(b, "<div class=\"article__meta\"><span class=\"author\">%s</span> <time class=\"time\" datetime=\"%s\">%s</time></div>\n",
		e(p.Author), pub, p.Published.In(ict).Format("02/01/2006 15:04 GMT+7"))
	fmt.Fprintf(b, "<div class=\"article__social social\"><span>%s</span> <a class=\"share-fb\" href=\"#\">Facebook</a> <a class=\"share-zalo\" href=\"#\">Zalo</a> <a class=\"share-x\" href=\"#\">X</a> <a class=\"print\" href=\"#\">In</a></div>\n", e(w.share))
	fmt.Fprintf(b, "<h2 class=\"article__sapo cms-desc\">%s</h2>\n", e(p.Sapo))
	b.WriteString("<div class=\"article__body cms-body\">\n")
	mid := len(p.Body) / 2
	for i, para := range p.Body {
		if i == mid && len(p.Related) > 0 {
			p.relatedBox(b, "article-relate", w.related, p.Related, 0)
		}
		if i == 1 {
			fmt.Fprintf(b, "<figure class=\"picture\"><img src=\"/images/%d.jpg\" alt=\"%s\"><figcaption>%s</figcaption></figure>\n", p.ID, e(p.Title), e(w.photo))
			fmt.Fprintf(b, "<div class=\"ads ads-inline\" id=\"ads-inarticle-%d\">%s</div>\n", p.ID, e(w.ad))
		}
		if i == len(p.Body)-1 {
			para += " " + w.credit
		}
		fmt.Fprintf(b, "<p>%s</p>\n", e(para))
	}
	b.WriteString("</div>\n")
	fmt.Fprintf(b, "<div class=\"article__tag\"><span>%s:</span> <a href=\"/tag/\">%s</a></div>\n", e(w.tags), e(p.Section))
	fmt.Fprintf(b, "<div class=\"article__comment\"><a href=\"#comment\">%s</a></div>\n", e(w.comments))
	b.WriteString("</article>\n")
	after()
	if len(p.Sidebar) > 0 {
		p.relatedBox(b, "box-related", w.sameSection, p.Sidebar, 5)
	}
}

// relatedBox writes a box of headlines linking to other posts.
func (p Page) relatedBox(b *bytes.Buffer, class, heading string, headlines []string, first int) {
	fmt.Fprintf(b, "<div class=\"%s\"><h3 class=\"box-heading\">%s</h3><ul>\n", class, html.EscapeString(heading))
	for i, h := range headlines {
		fmt.Fprintf(b, "<li><a href=\"%s/%s-post%d.vnp\">%s</a></li>\n", BasePlaceholder, slugify(h, i), 900000+p.ID*10+first+i, html.EscapeString(h))
	}
	b.WriteString("</ul></div>\n")
}

// padding writes page chrome of about p.Padding bytes: a tracking
// configuration script as real pages carry.
func (p Page) padding(b *bytes.Buffer) {
	if n := p.Padding - b.Len(); n > 0 {
		blob := chromeBlob()
		b.WriteString("<script type=\"text/javascript\">window.__CMS_CONFIG__={\"zones\":[")
		b.WriteString(blob[:min(n, len(blob))])
		b.WriteString("{}]};</script>\n")
	}
}

// chromeBlob is the filler of padding, built once.
var chromeBlob = sync.OnceValue(func() string {
	var b strings.Builder
	for i := 0; b.Len() < 256<<10; i++ {
		fmt.Fprintf(&b, "{\"id\":%d,\"slot\":\"ads-zone-%d\",\"sizes\":[[300,250],[728,90]],\"lazy\":true},", i, i)
	}
	return b.String()
})

// slugify makes an ASCII slug for a related headline.
func slugify(s string, i int) string {
	var b strings.Builder
	s = strings.NewReplacer("đ", "d", "Đ", "d").Replace(s)
	for _, r := range strings.ToLower(norm.NFD.String(s)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' && b.Len() > 0:
			b.WriteByte('-')
		}
		if b.Len() > 40 {
			break
		}
	}
	if b.Len() == 0 {
		return fmt.Sprintf("tin-%d", i)
	}
	return strings.Trim(b.String(), "-")
}

// ict is Indochina Time, UTC+7, the zone VietnamPlus writes dates in.
var ict = time.FixedZone("ICT", 7*3600)
