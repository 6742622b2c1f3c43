package parser

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Element flags.
const (
	fJunk      uint16 = 1 << iota // not content: scripts, head, hidden, boilerplate
	fUnlikely                     // class/id/role marks it as boilerplate
	fHasBlock                     // has a block-level child element
	fScored                       // a content-score candidate
	fInLink                       // inside <a>
	fHashLink                     // inside an in-page <a href="#...">
	fInList                       // inside <ul>/<ol>
	fInHead                       // inside <h1>..<h6>
	fInTable                      // inside <table> or <code>
	fDataTable                    // a table with headers or a caption
	fMain                         // is or contains <main> or the schema.org articleBody
	fBoiler                       // class/id/role marks it as boilerplate in every attempt (comments, consent)
)

// elem is one element of the page in document order, with the text
// statistics of its subtree.
type elem struct {
	node                *html.Node
	parent, end         int32 // parent index (-1 for the root), index after the last descendant
	flags               uint16
	weight              int16 // class/id weight
	text, links, commas int32 // weighted characters, in links, punctuation
	own, ownCommas      int32 // the same for direct text children
	paras, imgs, lis    int32
	inputs, embeds      int32
	pres                int32 // <pre> blocks
	listText, headText  int32
	raw                 int32 // own text of the subtree's elements that are not junk yet (see keepWrappers)
	hasH1               bool  // the subtree holds an <h1> that is not junk yet
	score               float64
}

// doc is a parsed page prepared for scoring: its elements in document order
// plus the metadata found on the way.
type doc struct {
	root     *html.Node
	els      []elem
	strip    bool // unlikely elements are junk
	boiler   bool // boilerplate elements (comments, consent dialogs) are junk even when not stripping
	noscript bool // <noscript> content counts
	meta     pageMeta
	hints    hintCache
}

// newDoc walks the page once, collecting metadata and, when content is
// true, the element statistics used by the generic extractor, in a block
// of s (nil: a fresh one).
func newDoc(root *html.Node, content bool, s *slab) *doc {
	d := &doc{root: root, strip: true}
	if content {
		d.els, d.hints = s.elems(s.treeElements(root)), s.hintCache()
	}
	d.build(content, true)
	return d
}

// build fills d.els (when content is true) and d.meta (when meta is true)
// in one walk of the tree.
func (d *doc) build(content, meta bool) {
	if content && d.els == nil {
		// Sized once: growing by appends would allocate and copy the
		// slice about twice over.
		d.els = make([]elem, 0, countElements(d.root))
	}
	if content && d.hints == nil {
		d.hints = hintCache{}
	}
	d.els = d.els[:0]
	cur := int32(-1)
	walk(d.root, func(n *html.Node) bool {
		switch n.Type {
		case html.TextNode:
			if content && cur >= 0 {
				d.addText(cur, n.Data)
			}
			return false
		case html.ElementNode:
		case html.DocumentNode:
			return true
		default:
			return false
		}
		ea := readAttrs(n)
		if meta {
			d.meta.visit(n, ea.itemprop)
		}
		if !content {
			return !isSkipped(n.DataAtom) || n.DataAtom == atom.Head
		}
		idx := int32(len(d.els))
		d.els = append(d.els, elem{node: n, parent: cur, end: idx + 1})
		d.initElem(idx, &ea)
		if d.opaque(n) {
			return false
		}
		cur = idx
		return true
	}, func(n *html.Node) {
		if content && n.Type == html.ElementNode && cur >= 0 {
			d.els[cur].end = int32(len(d.els))
			cur = d.els[cur].parent
		}
	})
	if content {
		d.aggregate()
	}
}

// countElements returns the number of elements under root.
func countElements(root *html.Node) int {
	n := 0
	walk(root, func(c *html.Node) bool {
		if c.Type == html.ElementNode {
			n++
		}
		return true
	}, func(*html.Node) {})
	return n
}

// opaque reports an element whose children are not walked.
func (d *doc) opaque(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Head:
		return false
	case atom.Noscript:
		return !d.noscript
	}
	return isSkipped(n.DataAtom)
}

// inherited are the flags an element takes from its parent.
const inherited = fJunk | fInLink | fHashLink | fInList | fInHead | fInTable

// initElem sets the flags and weight of a new element with attributes ea.
func (d *doc) initElem(i int32, ea *elemAttrs) {
	e := &d.els[i]
	n := e.node
	a := n.DataAtom
	if e.parent >= 0 {
		p := &d.els[e.parent]
		e.flags = p.flags & inherited
		if isBlock(a) || a == atom.Img {
			p.flags |= fHasBlock
		}
	}
	switch a {
	case atom.A:
		e.flags |= fInLink
		if strings.HasPrefix(ea.href, "#") {
			e.flags |= fHashLink
		}
	case atom.Ul, atom.Ol:
		e.flags |= fInList
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		e.flags |= fInHead
	case atom.Table, atom.Code:
		e.flags |= fInTable
		if a == atom.Table && isDataTable(n) {
			e.flags |= fDataTable
		}
	case atom.Img, atom.Picture:
		e.imgs = 1
	case atom.Li:
		e.lis = 1
	case atom.Input:
		e.inputs = 1
	case atom.Pre:
		e.pres = 1
	case atom.Object, atom.Embed, atom.Iframe:
		e.embeds = 1
	}
	if e.flags&fJunk != 0 {
		return
	}
	h, w := d.hints.hints(ea.class, ea.id)
	e.weight = w
	if (isSkipped(a) && !(a == atom.Noscript && d.noscript)) || ea.hidden || isByline(n, h, ea) || isAuthorBox(n, h) {
		e.flags |= fJunk
		return
	}
	if a == atom.Main || ea.itemprop == "articleBody" || ea.role == "main" {
		e.flags |= fMain
	}
	if unlikelyElem(ea.role, a, h, e.flags&fInTable != 0) {
		e.flags |= fUnlikely // becomes junk in aggregate, unless it holds the main content
	}
	if boilerElem(ea.role, a, h) {
		e.flags |= fBoiler
	}
}

// addText adds a text node's statistics to element i.
func (d *doc) addText(i int32, s string) {
	e := &d.els[i]
	if e.flags&fJunk != 0 {
		return
	}
	n, c := measure(s)
	if n == 0 {
		return
	}
	e.own += n
	e.ownCommas += c
	if e.flags&fInLink != 0 {
		if e.flags&fHashLink != 0 {
			e.links += (n*3 + 9) / 10
		} else {
			e.links += n
		}
	}
	if e.flags&fInList != 0 {
		e.listText += n
	}
	if e.flags&fInHead != 0 {
		e.headText += n
	}
}

// aggregate sums the statistics bottom-up; a reverse pass over document
// order visits every child before its parent.
func (d *doc) aggregate() {
	for i := len(d.els) - 1; i > 0; i-- {
		if e := &d.els[i]; e.flags&fMain != 0 && e.parent >= 0 {
			d.els[e.parent].flags |= fMain
		}
	}
	d.keepWrappers()
	for i := range d.els {
		e := &d.els[i]
		switch {
		case e.parent >= 0 && d.els[e.parent].flags&fJunk != 0:
			e.flags |= fJunk
		case e.flags&fMain != 0:
		case d.strip && e.flags&fUnlikely != 0, d.boiler && e.flags&fBoiler != 0:
			e.flags |= fJunk
		}
	}
	for i := len(d.els) - 1; i >= 0; i-- {
		e := &d.els[i]
		e.text += e.own
		e.commas += e.ownCommas
		if e.flags&fJunk != 0 {
			continue
		}
		if isParagraph(e) {
			e.paras++
		}
		if e.parent < 0 {
			continue
		}
		p := &d.els[e.parent]
		p.text += e.text
		p.links += e.links
		p.commas += e.commas
		p.paras += e.paras
		p.imgs += e.imgs
		p.lis += e.lis
		p.inputs += e.inputs
		p.embeds += e.embeds
		p.pres += e.pres
		p.listText += e.listText
		p.headText += e.headText
	}
}

// keepWrappers clears the unlikely and boilerplate flags of elements that
// wrap the article:
// a class or id that reads as boilerplate ("page-header-wrap", "with-
// comments") on an element holding half of the page's text and its
// headline (an <h1>) marks the layout, not boilerplate, and junking it
// would delete the whole article. Without an <h1>, only a wrapper whose
// class weighs nothing against it is kept.
func (d *doc) keepWrappers() {
	if len(d.els) == 0 {
		return
	}
	for i := range d.els {
		d.els[i].raw, d.els[i].hasH1 = 0, false
	}
	for i := len(d.els) - 1; i >= 0; i-- {
		e := &d.els[i]
		e.raw += e.own
		e.hasH1 = e.hasH1 || e.node.DataAtom == atom.H1 && e.flags&fJunk == 0
		if e.parent >= 0 && e.flags&fJunk == 0 {
			p := &d.els[e.parent]
			p.raw += e.raw
			p.hasH1 = p.hasH1 || e.hasH1
		}
	}
	for i := range d.els {
		e := &d.els[i]
		if e.flags&(fUnlikely|fBoiler) != 0 && e.raw*2 >= d.els[0].raw && (e.hasH1 || e.weight >= 0) {
			e.flags &^= fUnlikely | fBoiler
		}
	}
}

// isParagraph reports whether e is scored as a paragraph: a <p>, <pre> or
// table cell, or a container whose children are all inline.
func isParagraph(e *elem) bool {
	switch e.node.DataAtom {
	case atom.P, atom.Pre, atom.Td, atom.Blockquote:
		return true
	case atom.Div, atom.Section, atom.Article, atom.Span, atom.Font, atom.Center, atom.Li, atom.Dd:
		return e.flags&fHasBlock == 0
	}
	return false
}

// measure returns the weighted character count of s (white space runs
// count once; Han, kana and Hangul count more since one of them carries
// about as much as a Latin word part) and its clause punctuation.
func measure(s string) (n, commas int32) {
	space := true
	for i := 0; i < len(s); {
		c := s[i]
		if plainASCII[c] {
			// A run of letters, digits and punctuation other than
			// commas: each counts one.
			j := i + 1
			for j < len(s) && plainASCII[s[j]] {
				j++
			}
			n += int32(j - i)
			i, space = j, false
			continue
		}
		if c < utf8.RuneSelf {
			i++
			if c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' {
				if !space {
					n++
					space = true
				}
				continue
			}
			space = false
			n++
			if c == ',' {
				commas++
			}
			continue
		}
		if c >= 0xc2 && c <= 0xdf && c != 0xd8 && i+1 < len(s) && s[i+1]&0xc0 == 0x80 && (c != 0xc2 || s[i+1] != 0xa0) {
			// A two-byte rune other than U+00A0 and those of the Arabic
			// commas' block (lead byte 0xd8) counts one.
			i += 2
			n++
			space = false
			continue
		}
		if (c == 0xe1 || c >= 0xe5 && c <= 0xe9) && i+2 < len(s) && s[i+1]&0xc0 == 0x80 && s[i+2]&0xc0 == 0x80 &&
			(c != 0xe1 || s[i+1] != 0x8d || s[i+2] != 0xa3) {
			// U+1000–U+1FFF but the Ethiopic comma (Vietnamese letters
			// among them) counts one; U+5000–U+9FFF, CJK ideographs, three.
			i += 3
			if c == 0xe1 {
				n++
			} else {
				n += 3
			}
			space = false
			continue
		}
		r, w := decodeRune(s, i)
		i += w
		space = false
		switch {
		case r == '\u00a0' || r == '\u3000' || r == '\u200b':
			space = true
		case r >= 0x3040 && r <= 0x30ff, r >= 0x4e00 && r <= 0x9fff, r >= 0x3400 && r <= 0x4dbf:
			n += 3 // kana, CJK ideographs
		case r >= 0xac00 && r <= 0xd7a3:
			n += 2 // Hangul syllables
		case r == '،' || r == '؛' || r == '，' || r == '、' || r == '。' || r == '；' || r == '﹐' || r == '︐' || r == '፣':
			commas++
			n++
		default:
			n++
		}
	}
	return n, commas
}

// plainASCII marks the ASCII bytes measure counts one each with nothing
// more to note: not white space, not a comma.
var plainASCII = func() (t [256]bool) {
	for c := range utf8.RuneSelf {
		t[c] = c != ' ' && c != '\n' && c != '\t' && c != '\r' && c != '\f' && c != ','
	}
	return t
}()

// decodeRune decodes the rune at s[i], a non-ASCII byte, as
// utf8.DecodeRuneInString does, with the two- and three-byte forms most
// text is written in decoded inline.
func decodeRune(s string, i int) (rune, int) {
	c := s[i]
	switch {
	case c >= 0xc2 && c <= 0xdf && i+1 < len(s) && s[i+1]&0xc0 == 0x80:
		return rune(c&0x1f)<<6 | rune(s[i+1]&0x3f), 2
	case c >= 0xe1 && c <= 0xec || c == 0xee || c == 0xef:
		// No overlong form or surrogate starts with these lead bytes.
		if i+2 < len(s) && s[i+1]&0xc0 == 0x80 && s[i+2]&0xc0 == 0x80 {
			return rune(c&0x0f)<<12 | rune(s[i+1]&0x3f)<<6 | rune(s[i+2]&0x3f), 3
		}
	}
	return utf8.DecodeRuneInString(s[i:])
}
