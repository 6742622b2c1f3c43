package parser

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Boxes of links to other articles ("Related news", "Most read", "See
// also") sit inside or next to article bodies on most news sites. Their
// headlines are the worst boilerplate for newswatch: a trafficking
// headline in a related box would raise an alert for an article about
// something else. They are recognised by class or id words, by a label as
// their first line, and by their link density.

// relatedHints are class/id fragments of related-article boxes and lists
// of other stories, matched in the lower-cased value with "_" read as "-".
// Unlike Readability's "related" hint, they are not cancelled by "article"
// or "content" in the same value: "article__related" is still a box.
var relatedHints = []string{
	"relate", "lien-quan", "lienquan", "tinlq", "readmore", "read-more", "see-also", "seealso",
	"more-news", "morenews", "more-stories", "morestories", "more-articles", "most-read", "mostread",
	"most-viewed", "mostviewed", "most-popular", "mostpopular", "xem-nhieu", "doc-nhieu", "tin-khac",
	"cung-chuyen-muc", "same-category", "also-read", "alsoread", "other-news", "othernews",
	"you-may-like", "read-next", "readnext", "recommend", "outbrain", "taboola", "trending",
}

// hasRelatedHint reports whether the class or id of element i names a
// box of links to other articles. Their lower-case forms come from the
// hint cache; no related hint holds a space, so class and id are searched
// apart.
func (d *doc) hasRelatedHint(i int32) bool {
	n := d.els[i].node
	return hasDashedHint(d.hints.value(attr(n, "class")).lower, relatedHints) ||
		hasDashedHint(d.hints.value(attr(n, "id")).lower, relatedHints)
}

// hasDashedHint reports whether the lower-case class or id value s, with
// "_" read as "-", holds one of words.
func hasDashedHint(s string, words []string) bool {
	return s != "" && containsAny(strings.ReplaceAll(s, "_", "-"), words)
}

// boxLabels are the headings of related-article boxes and "read more"
// lead-ins, lower-case, in the languages newswatch monitors.
var boxLabels = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range []string{
		// Vietnamese
		"tin liên quan", "bài liên quan", "tin bài liên quan", "xem thêm", "đọc thêm", "tin cùng chuyên mục",
		"tin khác", "các tin khác", "tin mới", "tin mới nhất", "đọc nhiều", "xem nhiều", "tin đọc nhiều",
		"tin xem nhiều", "có thể bạn quan tâm", "bạn có thể quan tâm", "tin nổi bật", "mời xem thêm",
		// English
		"related", "related news", "related articles", "related stories", "related content", "related posts",
		"related coverage", "related links", "related topics", "read more", "read also", "also read", "see also",
		"more news", "more stories", "more in this section", "more on this story", "more from this section",
		"most read", "most popular", "most viewed", "trending", "trending now", "you may also like",
		"you might also like", "recommended", "recommended for you", "latest news", "top stories",
		"further reading", "read next", "up next", "don't miss", "editor's picks", "similar posts",
		"popular posts", "recent posts", "more from", "share this", "share this article", "like this",
		// French, Spanish, Portuguese, Italian, German, Polish
		"articles liés", "à lire aussi", "a lire aussi", "lire aussi", "voir aussi", "dans la même rubrique",
		"les plus lus", "sur le même sujet", "noticias relacionadas", "lea también", "lee también",
		"ver también", "más en esta sección", "lo más leído", "te puede interesar", "leia também",
		"notícias relacionadas", "veja também", "leggi anche", "articoli correlati", "mehr zum thema",
		"auch interessant", "meistgelesen", "weitere artikel", "lesen sie auch", "zum thema", "auch lesen",
		"ähnliche beiträge", "ähnliche artikel", "das könnte sie auch interessieren", "das könnte dich auch interessieren",
		"das könnte dich interessieren", "das könnte sie interessieren", "empfohlene artikel", "beliebte artikel",
		"meistgelesene artikel", "neueste artikel", "neueste beiträge", "weitere beiträge", "teilen sie dies mit",
		"à lire également", "vous aimerez aussi", "les plus populaires", "también te puede interesar",
		"más noticias", "notas relacionadas", "te recomendamos", "przeczytaj również", "przeczytaj też",
		"polecamy", "najczęściej czytane", "le puede interesar", "también le puede interesar", "puede interesarle",
		"dowiedz się więcej", "zobacz również", "czytaj więcej", "czytaj również", "mira", "lee más", "leer más",
		"ver más", "weiterlesen", "mehr dazu", "mehr lesen", "see more", "more on this", "lire la suite",
		"à voir aussi", "voir plus", "подробнее", "читайте также на", "اقرأ ايضا", "اقرأ كذلك", "طالع أيضا",
		"czytaj też", "czytaj także", "zobacz też", "zobacz także", "powiązane",
		// Russian
		"связанные новости", "читайте также", "смотрите также", "ещё в рубрике", "еще в рубрике",
		"самое читаемое", "по теме", "похожие новости", "другие новости",
		// Arabic
		"أخبار ذات صلة", "اقرأ أيضا", "اقرأ أيضاً", "إقرأ أيضا", "إقرأ أيضاً", "مواضيع ذات صلة",
		"المزيد من هذا القسم", "الأكثر قراءة", "ذات صلة", "شاهد أيضا", "شاهد أيضاً", "اقرأ المزيد", "أخبار متعلقة",
		// Chinese, Japanese, Korean
		"相关新闻", "相关阅读", "相关文章", "相关报道", "延伸阅读", "推荐阅读", "同栏目新闻", "热门新闻",
		"最新新闻", "阅读更多", "更多新闻", "热点新闻", "相關新聞", "相關閱讀", "延伸閱讀", "相關文章",
		"関連記事", "関連ニュース", "관련기사", "관련 기사", "많이 본 뉴스",
	} {
		m[l] = true
	}
	return m
}()

// startsWithLabel reports whether the first line of n's text is the label
// of a box of links, such as "Tin liên quan" or "Read more:". The first
// line ends at a block boundary or where a link starts after some text.
func startsWithLabel(n *html.Node) bool {
	var b strings.Builder
	done := false
	walk(n, func(c *html.Node) bool {
		if done {
			return false
		}
		switch c.Type {
		case html.TextNode:
			b.WriteString(c.Data)
			if b.Len() > 80 {
				done = true
			}
		case html.ElementNode:
			if isSkipped(c.DataAtom) {
				return false
			}
			if (c.DataAtom == atom.A || isBlock(c.DataAtom)) && strings.TrimSpace(b.String()) != "" {
				done = true
				return false
			}
		}
		return true
	}, func(c *html.Node) {
		if c.Type == html.ElementNode && isBlock(c.DataAtom) && strings.TrimSpace(b.String()) != "" {
			done = true
		}
	})
	return isBoxLabel(b.String())
}

// isBoxLabel reports whether s, once trimmed of white space and of the
// punctuation around labels, is a known box label.
func isBoxLabel(s string) bool {
	if len(s) > 80 {
		return false
	}
	s = strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || r == utf8.RuneError
	})
	return s != "" && boxLabels[normKey(s)]
}

// isBox reports whether element i is a box of links to other articles, or
// the empty frame of one that scripts fill in.
func (d *doc) isBox(i int32) bool {
	e := &d.els[i]
	if e.text == 0 || e.flags&fMain != 0 {
		return false
	}
	switch e.node.DataAtom {
	case atom.Div, atom.Section, atom.Aside, atom.Nav, atom.Ul, atom.Ol, atom.Dl, atom.Table,
		atom.P, atom.Article, atom.Header, atom.Footer, atom.Span, atom.Li, atom.Blockquote, atom.Figure,
		atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
	default:
		return false
	}
	ld := d.linkDensity(e)
	if d.hasRelatedHint(i) && (ld >= 0.2 || e.text < 300) || d.isLinkList(i) {
		return true
	}
	if ld < 0.25 && e.text > 80 {
		return false
	}
	return startsWithLabel(e.node) && (ld >= 0.25 || isBoxLabel(innerText(e.node)))
}

// isLinkBlock reports a block that is mostly links: inside a body chosen
// by a site rule, where every block of text is expected to be prose, it
// is a list of other stories.
func (d *doc) isLinkBlock(i int32) bool {
	e := &d.els[i]
	switch e.node.DataAtom {
	case atom.Div, atom.Section, atom.Aside, atom.Nav, atom.Ul, atom.Ol, atom.Dl, atom.Table:
		return e.links > 0 && d.linkDensity(e) > 0.5
	}
	return false
}

// isLinkList reports a list of links that follows the label of a box of
// links ("Related news", "Đọc thêm") set apart as its own paragraph or
// heading: the headlines of other stories, not prose.
func (d *doc) isLinkList(i int32) bool {
	e := &d.els[i]
	if !isListTag(e.node.DataAtom) || e.links*2 < e.text {
		return false
	}
	prev := d.prevSibling(i)
	return prev >= 0 && d.els[prev].text <= 80 && isBoxLabel(innerText(d.els[prev].node))
}

// prevSibling returns the element sibling before i, or -1.
func (d *doc) prevSibling(i int32) int32 {
	p := d.els[i].parent
	if p < 0 {
		return -1
	}
	prev := int32(-1)
	for c := p + 1; c < i; c = d.els[c].end {
		prev = c
	}
	return prev
}
