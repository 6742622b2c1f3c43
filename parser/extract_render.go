package parser

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// minArticle is the weighted length an attempt must reach to be accepted
// without trying a less strict one.
const minArticle = 500

// minShortArticle is the weighted length of a first attempt that found a
// short article rather than nothing.
const minShortArticle = 100

// extractText runs the generic extractor. Like Readability it retries with
// looser settings when the first attempt finds too little, but each attempt
// is one linear pass over the already-parsed tree.
func (d *doc) extractText() string {
	best, bestLen := "", int32(-1)
	for attempt := 0; attempt < 3; attempt++ {
		if attempt > 0 {
			// The retry looks for a longer article among elements the
			// first attempt thought unlikely; when that attempt found a
			// short article, comment threads and consent dialogs are
			// never it. A page where it found nothing may be a forum,
			// whose posts are the content.
			d.strip, d.boiler = false, bestLen >= minShortArticle
			d.noscript = attempt == 2
			d.build(true, false)
		}
		text := d.attempt(attempt < 2)
		n, _ := measure(text)
		if n >= minArticle {
			return text
		}
		if float64(n) > 1.25*float64(bestLen) { // a looser attempt must find clearly more
			best, bestLen = text, n
		}
		if attempt == 0 && !d.hasUnlikely() {
			attempt++ // a rebuild without stripping would change nothing
		}
	}
	return best
}

// hasUnlikely reports whether any element was dropped as unlikely.
func (d *doc) hasUnlikely() bool {
	for i := range d.els {
		if d.els[i].flags&fUnlikely != 0 {
			return true
		}
	}
	return false
}

// attempt scores the page and renders the article, cleaning
// conditionally when clean is true.
func (d *doc) attempt(clean bool) string {
	d.score()
	top := d.topCandidate()
	if top < 0 {
		top = d.body()
		if top < 0 {
			return ""
		}
	}
	w := newTextWriter()
	// Conditional cleaning removes small boilerplate inside the article;
	// a block that holds half of the article's text is the article itself,
	// whatever its class says ("scrolling-tracker" is not a scroller).
	half := d.els[top].text / 2
	drop := func(i int32) bool { return i != top && d.drop(i, clean && d.els[i].text < half) }
	sibs := d.siblings(top)
	if lead := d.outerLead(top, sibs[0]); lead >= 0 {
		w.text(innerText(d.els[lead].node))
		w.breakLine()
	}
	for _, s := range sibs {
		d.render(w, s, drop)
		w.breakLine()
	}
	w.trimLinkTail()
	return dropDatelines(dropLabels(cleanLines(w.String(), nil)))
}

// body returns the index of <body>, or -1.
func (d *doc) body() int32 {
	for i := range d.els {
		if d.els[i].node.DataAtom == atom.Body {
			return int32(i)
		}
	}
	return -1
}

// siblings returns the top candidate together with the siblings that look
// like part of the same article, in document order.
func (d *doc) siblings(top int32) []int32 {
	p := d.els[top].parent
	if p < 0 || d.els[top].node.DataAtom == atom.Body {
		return []int32{top}
	}
	t := &d.els[top]
	threshold := max(10, t.score*0.2)
	topClass := attr(t.node, "class")
	least := d.leastText()
	var out []int32
	d.children(p, func(c int32) {
		e := &d.els[c]
		switch {
		case c == top:
			out = append(out, c)
		case e.flags&fJunk != 0:
		case e.flags&fScored != 0 && d.siblingScore(c, least)+d.classBonus(e, topClass, t.score) >= threshold:
			out = append(out, c)
		case c < top && d.isLead(c):
			out = append(out, c)
		case isParagraph(e) && e.node.DataAtom != atom.Td:
			ld := d.linkDensity(e)
			if (e.text > 80 && ld < 0.25) || (e.text > 0 && e.text <= 80 && ld == 0 && endsSentence(innerText(e.node))) {
				out = append(out, c)
			}
		}
	})
	return out
}

// siblingScore is the score of a sibling of the article; a positive class
// weight counts only for one that holds a share of the page (see
// holdsShare), so a short modal or heading whose class reads as content
// ("page-modal-text") is not taken for part of the article.
func (d *doc) siblingScore(i, least int32) float64 {
	e := &d.els[i]
	if e.weight > 0 && !d.holdsShare(i, least) {
		return e.score - float64(e.weight)
	}
	return e.score
}

func (d *doc) classBonus(e *elem, topClass string, topScore float64) float64 {
	if topClass != "" && attr(e.node, "class") == topClass {
		return topScore * 0.2
	}
	return 0
}

// endsSentence reports text that contains or ends a sentence.
func endsSentence(s string) bool {
	s = strings.TrimSpace(s)
	if strings.Contains(s, ". ") {
		return true
	}
	for _, end := range []string{".", "。", "!", "?", "！", "？", "؟", "۔"} {
		if strings.HasSuffix(s, end) {
			return true
		}
	}
	return false
}

// render writes the text of element root, skipping junk and the elements
// (root included) for which drop reports true. The walk visits elements in the same order
// as build, so the element index follows along.
func (d *doc) render(w *textWriter, root int32, drop func(i int32) bool) {
	next := root
	walk(d.els[root].node, func(n *html.Node) bool {
		switch n.Type {
		case html.TextNode:
			w.text(n.Data)
			return false
		case html.ElementNode:
		default:
			return false
		}
		i := next
		if int(i) >= len(d.els) || d.els[i].node != n {
			return false // not indexed (cannot happen); skip safely
		}
		e := &d.els[i]
		next++
		if e.flags&fJunk != 0 {
			if e.flags&fUnlikely != 0 && e.end > i+1 {
				w.dropLabel()
			}
			next = e.end
			return false
		}
		if drop(i) {
			if e.text > 0 && e.links > e.text/3 {
				w.dropLabel()
			}
			next = e.end
			return false
		}
		w.open(n.DataAtom)
		return true
	}, func(n *html.Node) {
		if n.Type == html.ElementNode {
			w.close(n.DataAtom)
		}
	})
}

// ruleText renders the body elements a built-in site rule selected,
// leaving out what a CMS nests in article bodies besides prose: boxes and
// lists of links to other stories, captions, asides and widgets.
func (d *doc) ruleText(bodies []*html.Node, clean func(string) string) string {
	if len(bodies) == 0 {
		return ""
	}
	w := newTextWriter()
	for _, n := range bodies {
		i := d.index(n)
		if i < 0 || d.els[i].flags&fJunk != 0 {
			continue
		}
		d.render(w, i, func(j int32) bool { return j != i && d.dropInBody(j) })
		w.breakLine()
	}
	return cleanLines(w.String(), clean)
}

// dropInBody reports an element of a site rule's body that is not prose.
func (d *doc) dropInBody(i int32) bool {
	switch d.els[i].node.DataAtom {
	case atom.Aside, atom.Nav, atom.Footer, atom.Figcaption, atom.Form:
		return true
	}
	e := &d.els[i]
	return (e.text < 300 && d.isCaption(e)) || d.isBox(i) || d.isLinkBlock(i)
}

// index returns the element index of n, or -1.
func (d *doc) index(n *html.Node) int32 {
	for i := range d.els {
		if d.els[i].node == n {
			return int32(i)
		}
	}
	return -1
}
