package parser

import (
	"golang.org/x/net/html/atom"
)

// minParagraph is the weighted length below which a paragraph is not scored.
const minParagraph = 25

// tagScore is the initial score of a candidate container by its tag.
func tagScore(a atom.Atom) float64 {
	switch a {
	case atom.Div, atom.Article, atom.Main, atom.Section:
		return 5
	case atom.Pre, atom.Td, atom.Blockquote:
		return 3
	case atom.Address, atom.Ol, atom.Ul, atom.Dl, atom.Dd, atom.Dt, atom.Li, atom.Form:
		return -3
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Th:
		return -5
	}
	return 0
}

// scoresParagraph reports whether e is one of the elements whose text is
// scored: paragraphs, table cells, sections, headings and inline-only
// containers.
func scoresParagraph(e *elem) bool {
	switch e.node.DataAtom {
	case atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Section:
		return true
	}
	return isParagraph(e)
}

// score computes the content scores of every candidate in one pass.
func (d *doc) score() {
	for i := range d.els {
		e := &d.els[i]
		if e.flags&fJunk != 0 {
			continue
		}
		if scoresParagraph(e) && e.text >= minParagraph {
			d.addScore(e.parent, e.text, e.commas)
		}
		if e.flags&fHasBlock != 0 && e.own >= minParagraph && e.node.DataAtom == atom.Div {
			d.addScore(int32(i), e.own, e.ownCommas) // loose text in a div
		}
	}
	for i := range d.els {
		e := &d.els[i]
		if e.flags&fScored != 0 && e.text > 0 {
			e.score *= 1 - d.linkDensity(e)
		}
	}
}

// addScore gives a paragraph's score to its ancestors, decaying with distance.
func (d *doc) addScore(p int32, length, commas int32) {
	s := 1 + float64(commas) + float64(min(length/100, 3))
	for level := 0; p >= 0 && level < 5; level++ {
		a := &d.els[p]
		if a.node.DataAtom == atom.Html {
			return
		}
		if a.flags&fScored == 0 {
			a.flags |= fScored
			a.score = tagScore(a.node.DataAtom) + float64(a.weight)
		}
		switch level {
		case 0:
			a.score += s
		case 1:
			a.score += s / 2
		default:
			a.score += s / float64(level*3)
		}
		p = a.parent
	}
}

func (d *doc) linkDensity(e *elem) float64 {
	if e.text == 0 {
		return 0
	}
	return float64(e.links) / float64(e.text)
}

// topCandidate picks the element that holds the article, following
// Readability: the best scored container, promoted to a common ancestor
// of several strong candidates or to a parent that scores better.
func (d *doc) topCandidate() int32 {
	var top [5]int32
	for i := range top {
		top[i] = -1
	}
	least := d.leastText()
	for i := range d.els {
		if d.els[i].flags&fScored == 0 || !d.holdsShare(int32(i), least) {
			continue
		}
		s := d.els[i].score
		for k := range top {
			if top[k] < 0 || s > d.els[top[k]].score {
				copy(top[k+1:], top[k:len(top)-1])
				top[k] = int32(i)
				break
			}
		}
	}
	best := top[0]
	if best < 0 {
		return -1
	}
	best = d.commonAncestor(best, top[1:])
	best = d.climb(best)
	for p := d.els[best].parent; p >= 0 && d.els[p].node.DataAtom != atom.Body && d.childCount(p) == 1; p = d.els[best].parent {
		best = p
	}
	return best
}

// leastText is the text a candidate must hold: a fifth of the page's
// text, or 400 weighted characters if that is less. A heading, a link or
// a modal whose class reads as content ("page-title-text") scores high
// on its class alone; without holding a share of the page it is not the
// article.
func (d *doc) leastText() int32 {
	if len(d.els) == 0 {
		return 0
	}
	return min(d.els[0].text/5, 400)
}

// holdsShare reports whether element i holds enough of the page to be
// the article: least text, or two paragraphs or more (a short article).
func (d *doc) holdsShare(i, least int32) bool {
	return d.els[i].text >= least || d.els[i].paras >= 2
}

// commonAncestor promotes best to an ancestor shared by at least three
// other strong candidates.
func (d *doc) commonAncestor(best int32, others []int32) int32 {
	var alts []int32
	for _, o := range others {
		if o >= 0 && d.els[o].score/d.els[best].score >= 0.75 {
			alts = append(alts, o)
		}
	}
	if len(alts) < 3 {
		return best
	}
	for p := d.els[best].parent; p >= 0 && d.els[p].node.DataAtom != atom.Body; p = d.els[p].parent {
		n := 0
		for _, o := range alts {
			if d.isAncestor(p, o) {
				n++
			}
		}
		if n >= 3 {
			return p
		}
	}
	return best
}

// climb moves to a parent whose score beats the candidate's.
func (d *doc) climb(best int32) int32 {
	last := d.els[best].score
	threshold := last / 3
	for p := d.els[best].parent; p >= 0 && d.els[p].node.DataAtom != atom.Body; p = d.els[p].parent {
		e := &d.els[p]
		if e.flags&fScored == 0 {
			continue
		}
		if e.score < threshold {
			break
		}
		if e.score > last {
			return p
		}
		last = e.score
	}
	return best
}

// isAncestor reports whether a is an ancestor of (or equal to) i.
func (d *doc) isAncestor(a, i int32) bool { return i >= a && i < d.els[a].end }

// children calls f with the index of every element child of p.
func (d *doc) children(p int32, f func(int32)) {
	for c := p + 1; c < d.els[p].end; c = d.els[c].end {
		f(c)
	}
}

func (d *doc) childCount(p int32) int {
	n := 0
	d.children(p, func(c int32) {
		if d.els[c].flags&fJunk == 0 {
			n++
		}
	})
	return n
}
