package parser

import (
	"strings"

	"golang.org/x/net/html/atom"
)

// leadHints are class/id fragments of an article's lead paragraph, which
// many sites set apart from the body: VietnamPlus's sapo, the standfirst
// of British papers, the chapô of French ones.
var leadHints = []string{"lead", "sapo", "standfirst", "summary", "intro", "chapo", "chapeau", "excerpt", "dek", "description", "teaser", "abstract", "subtitle", "subhead"}

// strongLeadHints are the lead hints that rarely name anything else; they
// are trusted further from the article block.
var strongLeadHints = []string{"lead", "sapo", "standfirst", "intro", "chapo", "chapeau", "excerpt", "dek", "abstract", "summary"}

// isLead reports a sibling before the article that is its lead: prose
// marked as a lead by its class or id, or a heading long enough to be one
// and ending like a sentence.
func (d *doc) isLead(i int32) bool {
	e := &d.els[i]
	if e.text < 40 || d.linkDensity(e) > 0.2 || e.flags&fHasBlock != 0 && e.paras > 2 {
		return false
	}
	switch e.node.DataAtom {
	case atom.P, atom.Div, atom.H2, atom.H3, atom.H4, atom.Section, atom.Header:
	default:
		return false
	}
	s := strings.ToLower(attr(e.node, "class") + " " + attr(e.node, "id"))
	if containsAny(s, leadHints) {
		return true
	}
	return e.node.DataAtom != atom.Div && e.text >= 100 && endsSentence(innerText(e.node))
}

// outerLead finds the lead paragraph of an article whose lead sits in a
// header apart from the block chosen as the article: an element before
// first (the first rendered block), within three levels above top, marked
// as a lead by its class or id and reading as prose. Page headers are
// often unlikely by their class ("header"), so the lead is looked for
// even among junk, but not among hidden elements. It returns -1 if there
// is none.
func (d *doc) outerLead(top, first int32) int32 {
	stop := first
	p := d.els[top].parent
	for level := 0; level < 3 && p >= 0; level++ {
		switch d.els[p].node.DataAtom {
		case atom.Body, atom.Html:
			return -1
		}
		for i := p + 1; i < stop; i++ {
			if d.isOuterLead(i, p) {
				return i
			}
		}
		stop = p
		p = d.els[p].parent
	}
	return -1
}

// isOuterLead reports whether element i, inside ancestor p, is a lead.
func (d *doc) isOuterLead(i, p int32) bool {
	e := &d.els[i]
	switch e.node.DataAtom {
	case atom.P, atom.Div, atom.H2, atom.H3, atom.Span:
	default:
		return false
	}
	if e.text < 40 || e.links*5 > e.text || e.flags&fHasBlock != 0 && e.node.DataAtom != atom.Div {
		return false
	}
	s := strings.ToLower(attr(e.node, "class") + " " + attr(e.node, "id"))
	if !containsAny(s, strongLeadHints) || strings.Contains(s, "leaderboard") {
		return false
	}
	for a := i; a != p; a = d.els[a].parent {
		if n := d.els[a].node; isSkipped(n.DataAtom) || hiddenNode(n) {
			return false
		}
	}
	return endsSentence(innerText(e.node))
}
