package parser

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// textWriter renders DOM text as lines: block elements start new lines,
// runs of white space collapse to one space, and no line is blank.
type textWriter struct {
	b         strings.Builder
	lineStart bool // nothing written on the current line yet
	space     bool // a space is pending before the next word
	pre       int  // depth inside <pre>
	lineAt    int  // offset where the current line starts
	prevAt    int  // offset where the previous line starts

	link             int    // depth inside <a>
	chars, linkChars int    // characters on the current line, and in links
	starts           []int  // offsets where the completed lines start
	linky            []bool // whether each completed line is mostly link text
}

func newTextWriter() *textWriter { return &textWriter{lineStart: true} }

// breakLine ends the current line, if it has any text.
func (w *textWriter) breakLine() {
	if !w.lineStart {
		w.b.WriteByte('\n')
		w.lineStart = true
		w.starts = append(w.starts, w.lineAt)
		w.linky = append(w.linky, w.linkChars*5 >= w.chars*4)
		w.chars, w.linkChars = 0, 0
		w.prevAt, w.lineAt = w.lineAt, w.b.Len()
	}
	w.space = false
}

// trimLinkTail removes the lines at the end of the text that are mostly
// links, with the label that introduces them: the "further reading" and
// "more from this column" lists that close many articles, whose headlines
// are not the article's. It keeps them when they are most of the text.
func (w *textWriter) trimLinkTail() {
	w.breakLine()
	k := len(w.linky)
	for k > 0 && w.linky[k-1] {
		k--
	}
	if k == len(w.linky) {
		return
	}
	s := w.b.String()
	if k > 0 && isLabel(strings.TrimSpace(s[w.starts[k-1]:w.starts[k]])) {
		k--
	}
	cut := w.starts[k]
	if (len(s)-cut)*2 > len(s) {
		return
	}
	w.b.Reset()
	w.b.WriteString(s[:cut])
	w.starts, w.linky = w.starts[:k], w.linky[:k]
	w.lineAt = cut
	w.prevAt = cut
	if k > 0 {
		w.prevAt = w.starts[k-1]
	}
}

// dropLabel removes the last line when it looks like the label of a block
// that was just left out ("Related articles:", "Auch interessant"), so the
// label does not dangle in the text.
func (w *textWriter) dropLabel() {
	if !w.lineStart {
		return // the label would be on the line being written; keep it
	}
	s := w.b.String()
	if w.prevAt >= len(s) {
		return
	}
	line := strings.TrimSpace(s[w.prevAt:])
	if !isLabel(line) {
		return
	}
	w.b.Reset()
	w.b.WriteString(s[:w.prevAt])
	if n := len(w.starts); n > 0 {
		w.starts, w.linky = w.starts[:n-1], w.linky[:n-1]
	}
	w.lineAt = w.prevAt
	w.prevAt = strings.LastIndexByte(strings.TrimSuffix(s[:w.prevAt], "\n"), '\n') + 1
}

// isLabel reports a short line that introduces something rather than says it.
func isLabel(line string) bool {
	if line == "" || runesOver(line, 50) || len(strings.Fields(line)) > 6 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(line)
	switch r {
	case '.', '?', '。', '？', '"', '”', '»', ')':
		return false
	}
	return true
}

// softSpace asks for a space before the next word (table cells).
func (w *textWriter) softSpace() {
	if !w.lineStart {
		w.space = true
	}
}

// text writes a text node's content.
func (w *textWriter) text(s string) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch c {
			case ' ', '\t', '\r', '\f', '\v':
				i++
				w.softSpace()
				continue
			case '\n':
				i++
				if w.pre > 0 {
					w.breakLine()
				} else {
					w.softSpace()
				}
				continue
			}
			// A run of ASCII other than white space is written as one.
			j := i + 1
			for j < len(s) && s[j] < utf8.RuneSelf && !asciiSpace[s[j]] {
				j++
			}
			w.word()
			w.b.WriteString(s[i:j])
			w.count(j - i)
			i = j
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if maySpace[c] {
			if invisible(r) {
				continue
			}
			if unicode.IsSpace(r) {
				w.softSpace()
				continue
			}
		}
		w.word()
		w.b.WriteRune(r)
		w.count(1)
	}
}

// asciiSpace marks the ASCII white space text handles.
var asciiSpace = [utf8.RuneSelf]bool{' ': true, '\t': true, '\n': true, '\r': true, '\f': true, '\v': true}

// maySpace marks the lead bytes of the runes that may be white space
// (U+0085, U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F,
// U+3000) or invisible (see invisible): text decides no other rune.
var maySpace = [256]bool{0xc2: true, 0xd8: true, 0xe1: true, 0xe2: true, 0xe3: true, 0xef: true}

// invisible reports the format characters that are left out of text. They
// are not displayed, and inside a word they stop the word from matching a
// topic's term ("traf\u00adficking"):
//   - U+00AD soft hyphen: a hyphenation hint; browsers show a hyphen only
//     at a line break, which plain text has none of.
//   - U+200B zero width space, U+2060 word joiner, U+FEFF (a BOM or the
//     old word joiner): line-break hints. Thai, Lao, Khmer and Myanmar
//     text uses U+200B between words without wanting a visible space, so
//     it is dropped rather than turned into one.
//   - U+2061..U+2064: invisible mathematical operators.
//   - U+200E, U+200F, U+061C (directional marks) and U+202A..U+202E,
//     U+2066..U+2069 (embeddings, overrides, isolates): they steer the
//     display of mixed right-to-left and left-to-right text; Article.Dir
//     carries the direction, and an unbalanced control would leak into
//     whatever shows the text next.
//
// Kept, because they change what the text says: U+200C zero width
// non-joiner (Persian, Kurdish and Indic spelling: "می‌خواهم"), U+200D
// zero width joiner (Indic conjuncts, Arabic shaping, emoji sequences),
// U+180E (Mongolian), variation selectors and tag characters (emoji).
func invisible(r rune) bool {
	switch {
	case r == '\u00ad', r == '\u200b', r == '\ufeff', r == '\u061c', r == '\u200e', r == '\u200f':
		return true
	case r >= '\u2060' && r <= '\u2064', r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
		return true
	}
	return false
}

// dropInvisible removes the invisible format characters from s.
func dropInvisible(s string) string {
	if !strings.ContainsFunc(s, invisible) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if invisible(r) {
			return -1
		}
		return r
	}, s)
}

// count adds n characters to the current line's statistics.
func (w *textWriter) count(n int) {
	w.chars += n
	if w.link > 0 {
		w.linkChars += n
	}
}

// word prepares for writing a non-space character.
func (w *textWriter) word() {
	if w.space && !w.lineStart {
		w.b.WriteByte(' ')
	}
	w.space = false
	w.lineStart = false
}

// open handles the start of an element; close its end.
func (w *textWriter) open(a atom.Atom) {
	switch {
	case a == atom.Br || a == atom.Hr:
		w.breakLine()
	case a == atom.Td || a == atom.Th:
		w.softSpace()
	case isBlock(a):
		w.breakLine()
	}
	switch a {
	case atom.Pre:
		w.pre++
	case atom.A:
		w.link++
	}
}

func (w *textWriter) close(a atom.Atom) {
	switch a {
	case atom.Pre:
		w.pre--
	case atom.A:
		w.link--
	}
	switch {
	case a == atom.Td || a == atom.Th:
		w.softSpace()
	case isBlock(a):
		w.breakLine()
	}
}

func (w *textWriter) String() string { return strings.TrimRight(w.b.String(), "\n") }

// isBlock reports the elements rendered on lines of their own. A switch
// rather than a map: it runs for every element.
func isBlock(a atom.Atom) bool {
	switch a {
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote,
		atom.Caption, atom.Center, atom.Dd, atom.Details,
		atom.Dialog, atom.Div, atom.Dl, atom.Dt,
		atom.Fieldset, atom.Figcaption, atom.Figure, atom.Footer,
		atom.Form, atom.H1, atom.H2, atom.H3, atom.H4,
		atom.H5, atom.H6, atom.Header, atom.Hgroup, atom.Li,
		atom.Main, atom.Nav, atom.Ol, atom.P, atom.Pre,
		atom.Section, atom.Summary, atom.Table, atom.Tr,
		atom.Ul, atom.Body, atom.Html, atom.Tbody, atom.Thead,
		atom.Tfoot, atom.Menu, atom.Legend, atom.Option:
		return true
	}
	return false
}

// isSkipped reports the elements that never contribute text. Ruby text
// (<rt>, <rp>) is a reading aid printed above the characters (furigana),
// not part of the sentence.
func isSkipped(a atom.Atom) bool {
	switch a {
	case atom.Rt, atom.Rp,
		atom.Script, atom.Style, atom.Noscript, atom.Template,
		atom.Svg, atom.Math, atom.Iframe, atom.Object,
		atom.Embed, atom.Canvas, atom.Button, atom.Input,
		atom.Select, atom.Textarea, atom.Head, atom.Link,
		atom.Meta, atom.Audio, atom.Video, atom.Map,
		atom.Dialog:
		return true
	}
	return false
}

// nodeText renders the text of n's subtree, skipping non-content elements
// and elements for which skip reports true (skip may be nil).
func nodeText(n *html.Node, skip func(*html.Node) bool) string {
	w := newTextWriter()
	walk(n, func(c *html.Node) bool {
		switch c.Type {
		case html.TextNode:
			w.text(c.Data)
		case html.ElementNode:
			if isSkipped(c.DataAtom) || (skip != nil && skip(c)) || hiddenNode(c) {
				return false
			}
			w.open(c.DataAtom)
		}
		return true
	}, func(c *html.Node) {
		if c.Type == html.ElementNode {
			w.close(c.DataAtom)
		}
	})
	return w.String()
}

// innerText is the text of n on one line.
func innerText(n *html.Node) string {
	return oneLine(nodeText(n, nil))
}

// oneLine is strings.Join(strings.Fields(s), " ") without the slice of
// fields, and without a copy when s is already on one line, as most
// headings and links are.
func oneLine(s string) string {
	clean := true // no space at either end, no run of spaces, no space other than ' '
	for i := 0; i < len(s) && clean; i++ {
		switch c := s[i]; {
		case c == ' ':
			clean = i > 0 && i+1 < len(s) && s[i+1] != ' ' && s[i+1] != '\t' && s[i+1] != '\n' && s[i+1] != '\v' && s[i+1] != '\f' && s[i+1] != '\r'
		case c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r':
			clean = false
		case c >= utf8.RuneSelf:
			// U+0085, U+00A0 and the spaces of U+1680, U+2000-U+200A,
			// U+2028, U+2029, U+202F, U+205F and U+3000 are the
			// non-ASCII white space: their lead bytes.
			clean = c != 0xc2 && c != 0xe1 && c != 0xe2 && c != 0xe3
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for f := range strings.FieldsSeq(s) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(f)
	}
	return b.String()
}

// walk visits root's subtree in document order without recursion, so deep
// trees cannot exhaust the stack. enter returns false to skip a node's
// children; leave is called after the children of every node entered with
// true.
func walk(root *html.Node, enter func(*html.Node) bool, leave func(*html.Node)) {
	n := root
	for {
		if enter(n) {
			if n.FirstChild != nil {
				n = n.FirstChild
				continue
			}
			leave(n)
		}
		for n != root && n.NextSibling == nil {
			n = n.Parent
			leave(n)
		}
		if n == root {
			return
		}
		n = n.NextSibling
	}
}

// attr returns the value of n's attribute key.
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key && a.Namespace == "" {
			return a.Val
		}
	}
	return ""
}

// elemAttrSlot returns the place of key in elemAttrs, or -1.
func elemAttrSlot(key string) int {
	switch key {
	case "class":
		return 0
	case "id":
		return 1
	case "href":
		return 2
	case "itemprop":
		return 3
	case "role":
		return 4
	case "rel":
		return 5
	}
	return -1
}

// hiddenNode reports elements that browsers do not display.
func hiddenNode(n *html.Node) bool { return readAttrs(n).hidden }

// elemAttrs are the attributes the extractor reads on every element, read
// in one pass over them: the values as attr returns them.
type elemAttrs struct {
	class, id, href, itemprop, role, rel string
	hidden                               bool // see hiddenNode
}

// readAttrs reads n's attributes.
func readAttrs(n *html.Node) elemAttrs {
	var ea elemAttrs
	dst := [...]*string{&ea.class, &ea.id, &ea.href, &ea.itemprop, &ea.role, &ea.rel}
	var seen uint8 // the keys found so far: attr takes the first
	ariaHidden := false
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			ea.hidden = true
		case "aria-hidden":
			ariaHidden = ariaHidden || a.Val == "true"
		case "style":
			ea.hidden = ea.hidden || styleHidden(a.Val)
		}
		if k := elemAttrSlot(a.Key); k >= 0 && a.Namespace == "" && seen&(1<<k) == 0 {
			seen |= 1 << k
			*dst[k] = a.Val
		}
	}
	if ariaHidden && !strings.Contains(ea.class, "fallback-image") {
		ea.hidden = true
	}
	return ea
}

// styleHidden reports an inline style with display:none or visibility:hidden.
func styleHidden(s string) bool {
	if !strings.Contains(s, "none") && !strings.Contains(s, "hidden") {
		return false
	}
	s = strings.ToLower(strings.ReplaceAll(s, " ", ""))
	return strings.Contains(s, "display:none") || strings.Contains(s, "visibility:hidden")
}
