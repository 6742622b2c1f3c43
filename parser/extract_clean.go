package parser

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html/atom"
)

// drop reports whether element i inside the article is boilerplate, after
// Readability's prepArticle: headings that repeat the title or carry
// negative hints, share bars, and containers that look like link lists,
// forms or image strips.
func (d *doc) drop(i int32, clean bool) bool {
	e := &d.els[i]
	a := e.node.DataAtom
	switch a {
	case atom.H1, atom.H2:
		if e.weight < 0 || d.isTitle(e) {
			return true
		}
	case atom.Footer, atom.Aside, atom.Nav, atom.Figcaption:
		return true
	case atom.Figure:
		return e.text < 400
	}
	if e.text < 300 && d.isCaption(e) {
		return true
	}
	if d.isBox(i) || e.text < 500 && isShare(e) {
		return true
	}
	if !clean {
		return false
	}
	switch a {
	case atom.Form, atom.Fieldset, atom.Table, atom.Ul, atom.Ol, atom.Div, atom.Section, atom.Dl:
		return d.dropConditionally(e)
	}
	return false
}

// captionHints are class fragments of image captions and credits, with
// "_" read as "-": "wp-caption", "pie-de-foto" (es), "légende" (fr),
// "chu-thich" (vi), "cutline" (US papers).
var captionHints = []string{"caption", "credit", "image-source", "photo-source", "img-source", "pie-de-foto", "piefoto",
	"pie-foto", "epigrafe", "legende", "légende", "chu-thich", "chuthich", "cutline", "img-desc", "image-desc", "photo-desc",
	"pic-desc", "foto-desc", "photo-info", "image-info"}

// isCaption matches image captions and credits by class.
func (d *doc) isCaption(e *elem) bool {
	return hasDashedHint(d.hints.value(attr(e.node, "class")).lower, captionHints)
}

// isShare matches class or id words "share" and "sharedaddy".
func isShare(e *elem) bool {
	s := strings.ToLower(attr(e.node, "class") + " " + attr(e.node, "id"))
	for {
		k := strings.Index(s, "share")
		if k < 0 {
			return false
		}
		before := k == 0 || !isWordByte(s[k-1])
		rest := strings.TrimPrefix(s[k+5:], "daddy")
		after := rest == "" || !isWordByte(rest[0])
		if before && after {
			return true
		}
		s = s[k+5:]
	}
}

// isWordByte reports an ASCII letter or digit ("_" separates words here).
func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// dropConditionally is Readability's _cleanConditionally for one element.
func (d *doc) dropConditionally(e *elem) bool {
	if e.flags&fDataTable != 0 {
		return false
	}
	score := 0.0
	if e.flags&fScored != 0 {
		score = e.score
	}
	ld := d.linkDensity(e)
	if float64(e.weight)+score < 0 && !(isListTag(e.node.DataAtom) && ld < 0.2 && e.weight >= 0) {
		return true // a list of prose (steps, ingredients) is scored down by its tag alone
	}
	if e.commas >= 10 {
		return false
	}
	isList := isListTag(e.node.DataAtom)
	if !isList && e.text > 0 && float64(e.listText)/float64(e.text) > 0.9 {
		isList = true
	}
	p := float64(e.paras)
	if isParagraph(e) {
		p--
	}
	img, li, input := float64(e.imgs), float64(e.lis-100), float64(e.inputs)
	headingDensity := 0.0
	if e.text > 0 {
		headingDensity = float64(e.headText) / float64(e.text)
	}
	switch {
	case img > 1 && p/img < 0.5:
	case !isList && li > p:
	case input > float64(int(p/3)):
	case !isList && headingDensity < 0.9 && e.text < 25 && (img == 0 || img > 2) && e.pres == 0:
	case !isList && e.weight < 25 && ld > 0.2:
	case e.weight >= 25 && ld > 0.5:
	case (e.embeds == 1 && e.text < 75) || e.embeds > 1:
	default:
		return false
	}
	return true
}

// isTitle reports a heading that repeats the page title.
func (d *doc) isTitle(e *elem) bool {
	if e.text > 400 {
		return false
	}
	h := normKey(nodeText(e.node, nil)) // normKey collapses white space as innerText would
	if h == "" {
		return false
	}
	for _, t := range d.meta.titleKeys() {
		short, long := h, t
		if len(short) > len(long) {
			short, long = long, short
		}
		if float64(len(short)) >= 0.75*float64(len(long)) && strings.Contains(long, short) {
			return true
		}
	}
	return false
}

// normKey lower-cases s and collapses its white space, for comparisons:
// strings.ToLower(strings.Join(strings.Fields(s), " ")) in one pass.
func normKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteByte(byte(r))
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

func isListTag(a atom.Atom) bool { return a == atom.Ul || a == atom.Ol }
