package newstest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"strings"
	"sync"
	"time"
)

// chromeOpts sizes the chrome of a page: how many headlines each menu
// section drops down, how many reader comments and CSS rules it has.
type chromeOpts struct{ dropdown, comments, cssRules int }

// chromeOptsOf varies the chrome from page to page.
func chromeOptsOf(id int) chromeOpts {
	return chromeOpts{dropdown: id % 5, comments: (id * 7) % 25, cssRules: 40 + (id*13)%90}
}

// shrink makes the chrome smaller; false when it cannot.
func (o *chromeOpts) shrink() bool {
	if o.comments == 0 && o.dropdown == 0 && o.cssRules <= 20 {
		return false
	}
	o.comments /= 2
	o.dropdown /= 2
	o.cssRules = max(20, o.cssRules/2)
	return true
}

// grow makes the chrome larger; false when it cannot.
func (o *chromeOpts) grow() bool {
	if o.comments >= 40 && o.dropdown >= 5 {
		return false
	}
	o.comments = min(40, o.comments+8)
	o.dropdown = min(5, o.dropdown+1)
	return true
}

// chromeHTML renders a page with the chrome of a real news site, sized
// so that markup makes about two thirds of p.Padding, and topped up to it
// with a state script.
func (p Page) chromeHTML() []byte {
	o := chromeOptsOf(p.ID)
	var out []byte
	for range 8 {
		out = p.render(&o)
		switch {
		case len(out) > p.Padding:
			if !o.shrink() {
				return out
			}
		case p.markup(out) < p.Padding*2/3:
			if !o.grow() {
				return out
			}
		default:
			return out
		}
	}
	return out
}

// markup returns the bytes of a rendered page before its state script.
func (p Page) markup(out []byte) int {
	if i := bytes.LastIndex(out, []byte(stateOpen)); i >= 0 {
		return i
	}
	return len(out)
}

// sameLang returns the corpus pages by language: the headlines of a
// site's menus and boxes are its other stories.
var sameLang = sync.OnceValue(func() map[string][]Page {
	out := map[string][]Page{}
	for _, part := range [][]CorpusPage{corpusVI, corpusEN, corpusAR, corpusZH, corpusOther} {
		for _, c := range part {
			out[c.Lang] = append(out[c.Lang], c.Page)
		}
	}
	return out
})

// story returns the i-th other story of p's language.
func (p Page) story(i int) Page {
	pages := sameLang()[p.Lang]
	if len(pages) == 0 {
		pages = sameLang()["en"]
	}
	return pages[(p.ID+i)%len(pages)]
}

// storyLink writes a link to the i-th other story with a thumbnail.
func (p Page) storyLink(b *bytes.Buffer, class string, i int, sapo bool) {
	s := p.story(i)
	id := 800000 + (p.ID*31+i)%100000
	href := fmt.Sprintf("%s/%s-post%d.vnp", BasePlaceholder, s.Slug, id)
	e := html.EscapeString
	fmt.Fprintf(b, "<article class=\"%s story\" data-id=\"%d\"><a class=\"story__thumb\" href=\"%s\" title=\"%s\">", class, id, href, e(s.Title))
	fmt.Fprintf(b, "<img class=\"lazyload\" src=\"data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7\" data-src=\"https://cdn.example.net/images/%d/320x180.jpg\" data-srcset=\"https://cdn.example.net/images/%d/320x180.jpg 320w, https://cdn.example.net/images/%d/640x360.jpg 640w\" alt=\"%s\" width=\"320\" height=\"180\"></a>", id, id, id, e(s.Title))
	fmt.Fprintf(b, "<h3 class=\"story__heading\"><a class=\"story__title\" href=\"%s\">%s</a></h3>", href, e(s.Title))
	if sapo {
		fmt.Fprintf(b, "<p class=\"story__summary\">%s</p>", e(s.Sapo))
	}
	b.WriteString("</article>\n")
}

// render writes the whole page with chrome of size o.
func (p Page) render(o *chromeOpts) []byte {
	var b bytes.Buffer
	b.Grow(p.Padding + 4096)
	p.head(&b, func() { p.headChrome(&b, o.cssRules) })
	b.WriteString("<body class=\"page-detail\">\n")
	p.consent(&b)
	p.header(&b)
	p.megaMenu(&b, o.dropdown)
	p.article(&b, func() {
		p.newsletter(&b)
		p.readMore(&b)
		p.commentBox(&b, o.comments)
	})
	p.mostRead(&b)
	b.WriteString("</div></div></main>\n")
	p.siteFooter(&b)
	p.tailScripts(&b)
	b.WriteString("</body>\n</html>\n")
	return b.Bytes()
}

// headChrome writes what a real site's <head> carries besides the title:
// social and robots metadata, preloads, alternates, critical CSS, JSON-LD
// and analytics scripts.
func (p Page) headChrome(b *bytes.Buffer, cssRules int) {
	e := html.EscapeString
	b.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1, shrink-to-fit=no\">\n<meta name=\"robots\" content=\"index, follow, max-image-preview:large, max-snippet:-1\">\n")
	fmt.Fprintf(b, "<meta property=\"og:type\" content=\"article\">\n<meta property=\"og:site_name\" content=\"Vietnam+ (VietnamPlus)\">\n<meta property=\"og:description\" content=\"%s\">\n", e(p.Sapo))
	fmt.Fprintf(b, "<meta property=\"og:image\" content=\"https://cdn.example.net/images/%d/1200x630.jpg\">\n<meta name=\"twitter:card\" content=\"summary_large_image\">\n<meta name=\"twitter:title\" content=\"%s\">\n", p.ID, e(p.Title))
	fmt.Fprintf(b, "<meta property=\"article:section\" content=\"%s\">\n<meta property=\"article:author\" content=\"%s\">\n", e(p.Section), e(p.Author))
	for _, h := range []string{"https://cdn.example.net", "https://www.googletagmanager.com", "https://securepubads.g.doubleclick.net"} {
		fmt.Fprintf(b, "<link rel=\"preconnect\" href=\"%s\" crossorigin>\n<link rel=\"dns-prefetch\" href=\"%s\">\n", h, h)
	}
	for _, l := range []string{"vi", "en", "fr", "es", "ru", "zh", "ar"} {
		fmt.Fprintf(b, "<link rel=\"alternate\" hreflang=\"%s\" href=\"https://%s.example.net/\">\n", l, l)
	}
	b.WriteString("<link rel=\"preload\" as=\"font\" type=\"font/woff2\" href=\"/static/fonts/NotoSans-Regular.woff2\" crossorigin>\n<link rel=\"icon\" type=\"image/png\" sizes=\"32x32\" href=\"/favicon-32x32.png\">\n<link rel=\"apple-touch-icon\" href=\"/apple-touch-icon.png\">\n")
	b.WriteString("<style>")
	props := []string{"display:flex;align-items:center", "margin:0 auto;max-width:1200px", "padding:8px 16px", "font:400 15px/1.5 \"Noto Sans\",Arial,sans-serif", "color:#222;background:#fff", "border-bottom:1px solid #e5e5e5", "position:relative;overflow:hidden", "text-decoration:none;color:inherit"}
	for i := range cssRules {
		fmt.Fprintf(b, ".c%d-%s,.c%d-%s:hover>a{%s;%s}", i, chromeClasses[i%len(chromeClasses)], i, chromeClasses[(i+3)%len(chromeClasses)], props[i%len(props)], props[(i*3+1)%len(props)])
		if i%10 == 9 {
			fmt.Fprintf(b, "@media (max-width:%dpx){.c%d-grid{grid-template-columns:repeat(%d,1fr);gap:%dpx}}\n", 480+i*8, i, 1+i%4, 8+i%16)
		}
	}
	b.WriteString("</style>\n")
	ld, _ := json.Marshal(map[string]any{
		"@context": "https://schema.org", "@type": "NewsArticle", "headline": p.Title, "description": p.Sapo,
		"datePublished": p.Published.In(ict).Format("2006-01-02T15:04:05-07:00"), "inLanguage": p.Lang, "articleSection": p.Section,
		"author":           []map[string]string{{"@type": "Person", "name": p.Author}},
		"image":            []string{fmt.Sprintf("https://cdn.example.net/images/%d/1200x630.jpg", p.ID)},
		"publisher":        map[string]any{"@type": "Organization", "name": "VietnamPlus", "logo": map[string]string{"@type": "ImageObject", "url": "https://cdn.example.net/logo.png"}},
		"mainEntityOfPage": map[string]string{"@type": "WebPage", "@id": BasePlaceholder + p.Path()},
	})
	fmt.Fprintf(b, "<script type=\"application/ld+json\">%s</script>\n", ld)
	b.WriteString(analyticsScript)
}

// chromeClasses are class names of the CSS and markup.
var chromeClasses = []string{"header", "menu", "mega-menu__item", "story", "story__title", "sidebar", "box-most-read", "footer", "btn", "comment-item", "newsletter", "grid", "ads", "cmp-banner", "social"}

const analyticsScript = `<script>(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':new Date().getTime(),event:'gtm.js'});var f=d.getElementsByTagName(s)[0],j=d.createElement(s),dl=l!='dataLayer'?'&l='+l:'';j.async=true;j.src='https://www.googletagmanager.com/gtm.js?id='+i+dl;f.parentNode.insertBefore(j,f);})(window,document,'script','dataLayer','GTM-XXXXXXX');</script>
<script async src="https://securepubads.g.doubleclick.net/tag/js/gpt.js"></script>
<script>window.googletag=window.googletag||{cmd:[]};googletag.cmd.push(function(){googletag.defineSlot('/1234567/detail_top',[[728,90],[970,250]],'ads-header').addService(googletag.pubads());googletag.defineSlot('/1234567/detail_inarticle',[[300,250],[336,280]],'ads-inarticle').addService(googletag.pubads());googletag.pubads().enableSingleRequest();googletag.pubads().collapseEmptyDivs();googletag.enableServices();});</script>
`

// consent writes a cookie consent dialog.
func (p Page) consent(b *bytes.Buffer) {
	w, e := siteWordsFor(p.Lang), html.EscapeString
	fmt.Fprintf(b, "<div id=\"cmp-consent\" class=\"cmp-banner cmp-banner--bottom\" role=\"dialog\" aria-modal=\"true\" aria-label=\"Cookies\"><div class=\"cmp-banner__text\"><p>%s</p></div>", e(w.consent))
	fmt.Fprintf(b, "<div class=\"cmp-banner__buttons\"><button type=\"button\" class=\"btn btn-primary\" data-action=\"accept\">%s</button><button type=\"button\" class=\"btn btn-link\" data-action=\"settings\">%s</button></div></div>\n", e(w.accept), e(w.settings))
}

// megaMenu writes the section menu, each section dropping down its
// latest headlines.
func (p Page) megaMenu(b *bytes.Buffer, dropdown int) {
	w, e := siteWordsFor(p.Lang), html.EscapeString
	fmt.Fprintf(b, "<div class=\"topbar\"><span class=\"topbar__date\">%s</span><form class=\"search-form\" action=\"/search\" role=\"search\"><input type=\"search\" name=\"q\" placeholder=\"%s\" aria-label=\"%s\"><button type=\"submit\" class=\"btn btn-search\">%s</button></form><a class=\"topbar__login\" href=\"/login\">%s</a></div>\n",
		p.Published.In(ict).Format("02/01/2006"), e(w.search), e(w.search), icon(0), e(w.login))
	b.WriteString("<nav class=\"mega-menu\" aria-label=\"sections\"><ul class=\"mega-menu__list\">\n")
	for i, s := range w.sections {
		fmt.Fprintf(b, "<li class=\"mega-menu__item c%d-menu\"><a class=\"mega-menu__link\" href=\"/section-%d/\">%s</a>", i, i, e(s))
		if dropdown > 0 {
			b.WriteString("<div class=\"mega-menu__dropdown\"><div class=\"grid\">")
			for j := range dropdown {
				p.storyLink(b, "mega-menu__story", i*5+j, false)
			}
			b.WriteString("</div></div>")
		}
		b.WriteString("</li>\n")
	}
	b.WriteString("</ul></nav>\n")
}

// newsletter writes a newsletter sign-up form.
func (p Page) newsletter(b *bytes.Buffer) {
	w, e := siteWordsFor(p.Lang), html.EscapeString
	fmt.Fprintf(b, "<div class=\"newsletter box\"><h3 class=\"newsletter__title\">%s</h3><p class=\"newsletter__text\">%s</p><form class=\"newsletter__form\" action=\"/newsletter\" method=\"post\"><input type=\"email\" name=\"email\" placeholder=\"%s\" required><input type=\"hidden\" name=\"src\" value=\"detail\"><button type=\"submit\" class=\"btn btn-primary\">%s</button></form></div>\n",
		e(w.newsletter), e(w.newsletterText), e(w.email), e(w.subscribe))
}

// readMore writes a box of other stories with their summaries.
func (p Page) readMore(b *bytes.Buffer) {
	w := siteWordsFor(p.Lang)
	fmt.Fprintf(b, "<section class=\"box-read-more\"><h2 class=\"box-heading\">%s</h2><div class=\"grid c%d-grid\">\n", html.EscapeString(w.readMore), p.ID%90)
	for i := range 4 + p.ID%5 {
		p.storyLink(b, "box-read-more__story", 60+i, true)
	}
	b.WriteString("</div></section>\n")
}

// commentBox writes a comment form and n reader comments.
func (p Page) commentBox(b *bytes.Buffer, n int) {
	w, e := siteWordsFor(p.Lang), html.EscapeString
	fmt.Fprintf(b, "<section id=\"comment\" class=\"comments box-comment\"><h3 class=\"comments__heading\">%s (%d)</h3>", e(w.commentsHead), n)
	fmt.Fprintf(b, "<form class=\"comment-form\" action=\"/comment\" method=\"post\"><textarea name=\"body\" rows=\"3\" placeholder=\"%s\"></textarea><button type=\"submit\" class=\"btn\">%s</button></form><ul class=\"comment-list\">\n", e(w.commentsHead), e(w.send))
	for i := range n {
		k := p.ID + i*5
		fmt.Fprintf(b, "<li class=\"comment-item\" id=\"c%d\"><div class=\"comment-item__avatar\"><img src=\"/static/avatar/%d.png\" alt=\"\" width=\"40\" height=\"40\" loading=\"lazy\"></div><div class=\"comment-item__body\">", k, k%40)
		fmt.Fprintf(b, "<span class=\"comment-item__name\">%s</span> <time class=\"comment-item__time\">%s</time><p class=\"comment-item__text\">%s</p>",
			e(w.names[k%len(w.names)]), p.Published.In(ict).Add(time.Duration(17*(i+1))*time.Minute).Format("15:04 02/01/2006"), e(w.comments[k%len(w.comments)]))
		fmt.Fprintf(b, "<div class=\"comment-item__actions\"><a class=\"like\" href=\"#\" data-id=\"%d\">%s (%d)</a> <a class=\"reply\" href=\"#\" data-id=\"%d\">%s</a></div></div></li>\n", k, e(w.like), k%37, k, e(w.reply))
	}
	b.WriteString("</ul></section>\n")
}

// mostRead writes the sidebar: the most read stories, an ad and videos.
func (p Page) mostRead(b *bytes.Buffer) {
	w, e := siteWordsFor(p.Lang), html.EscapeString
	fmt.Fprintf(b, "<aside class=\"sidebar\"><div class=\"box-most-read\"><h2 class=\"box-heading\">%s</h2><ol>\n", e(w.mostRead))
	for i := range 10 {
		b.WriteString("<li>")
		p.storyLink(b, "box-most-read__story", 20+i, false)
		b.WriteString("</li>\n")
	}
	fmt.Fprintf(b, "</ol></div><div class=\"ads ads-sidebar\" id=\"ads-sidebar-%d\" data-sizes=\"[[300,600],[300,250]]\"></div>\n", p.ID)
	fmt.Fprintf(b, "<div class=\"box-video\"><h2 class=\"box-heading\">%s</h2>", e(w.video))
	for i := range 3 {
		p.storyLink(b, "box-video__story", 40+i, false)
	}
	b.WriteString("</div></aside>\n")
}

// siteFooter writes the footer: sections, site links, social icons.
func (p Page) siteFooter(b *bytes.Buffer) {
	w, e := siteWordsFor(p.Lang), html.EscapeString
	b.WriteString("<footer class=\"footer\"><div class=\"footer__sections\"><ul>")
	for i, s := range w.sections {
		fmt.Fprintf(b, "<li><a href=\"/section-%d/\">%s</a></li>", i, e(s))
	}
	b.WriteString("</ul></div><div class=\"footer__links\"><ul>")
	for i, s := range w.footer {
		fmt.Fprintf(b, "<li><a href=\"/page/%d\">%s</a></li>", i, e(s))
	}
	b.WriteString("</ul></div><div class=\"footer__social social\">")
	for i, n := range []string{"facebook", "youtube", "x", "zalo", "tiktok"} {
		fmt.Fprintf(b, "<a class=\"social__%s\" href=\"https://%s.example.com/vietnamplus\" aria-label=\"%s\" rel=\"noopener\">%s</a>", n, n, n, icon(i+1))
	}
	fmt.Fprintf(b, "</div><p class=\"footer__copyright\">%s</p></footer>\n", e(wordsFor(p.Lang).footer))
}

// tailScripts writes the scripts at the end of a page, and an inline
// application state that tops the page up to p.Padding bytes.
func (p Page) tailScripts(b *bytes.Buffer) {
	b.WriteString(lazyScript)
	const end = "</body>\n</html>\n"
	const closing = "{}]};</script>\n"
	if n := p.Padding - b.Len() - len(end) - len(stateOpen) - len(closing); n > 0 {
		blob := chromeBlob()
		b.WriteString(stateOpen)
		b.WriteString(blob[:min(n, len(blob))])
		b.WriteString(closing)
	}
}

const stateOpen = "<script>window.__INITIAL_STATE__={\"zones\":["

const lazyScript = `<script>!function(){"use strict";var e=document.querySelectorAll("img.lazyload");if("IntersectionObserver"in window){var t=new IntersectionObserver(function(e,n){e.forEach(function(e){if(e.isIntersecting){var n=e.target;n.src=n.dataset.src,n.dataset.srcset&&(n.srcset=n.dataset.srcset),n.classList.remove("lazyload"),t.unobserve(n)}})},{rootMargin:"200px 0px"});e.forEach(function(e){t.observe(e)})}else e.forEach(function(e){e.src=e.dataset.src});document.querySelectorAll("[data-action]").forEach(function(e){e.addEventListener("click",function(){document.cookie="cmp="+e.dataset.action+";path=/;max-age=31536000";document.getElementById("cmp-consent").remove()})})}();</script>
<script async defer src="/static/js/comments.min.js?v=20261126"></script>
`

// icon returns inline SVG icon i of 6, as real pages carry dozens of.
func icon(i int) string { return icons()[i] }

var icons = sync.OnceValue(func() (out [6]string) {
	for i := range out {
		out[i] = makeIcon(i)
	}
	return out
})

// makeIcon draws icon i.
func makeIcon(i int) string {
	var d strings.Builder
	x, y := 2+i, 12
	fmt.Fprintf(&d, "M%d %d", x, y)
	for j := range 24 {
		x, y = (x*7+j*3+i)%24, (y*5+j*11+i)%24
		fmt.Fprintf(&d, "c%d.%d-%d.%d %d.%d-%d.%d %d %d", x%5, j%10, y%4, (j+i)%10, x%3, y%10, j%6, x%10, x-12, y-12)
	}
	return fmt.Sprintf("<svg class=\"icon icon-%d\" width=\"24\" height=\"24\" viewBox=\"0 0 24 24\" fill=\"currentColor\" aria-hidden=\"true\"><path d=\"%sz\"></path></svg>", i, d.String())
}
