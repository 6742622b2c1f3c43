package parser

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Scopes, special elements, the table modes and foreign content of the
// fast builder, after x/net/html's parse.go.

// Element scopes.
const (
	scopeDefault = iota
	scopeListItem
	scopeButton
	scopeTable
)

// indexInScope returns the index of the nearest open element with one of
// the tags, or -1 when a scope boundary comes first.
func (b *fastTree) indexInScope(s int, tags ...atom.Atom) int {
	if s == scopeButton && len(tags) == 1 && tags[0] == atom.P {
		return b.pInButtonScope()
	}
	return b.scanScope(0, s, tags...)
}

// pInButtonScope is indexInScope(scopeButton, atom.P), asked at every
// block start: it remembers that a search from the element noPTop down
// found no <p> (a boundary or the bottom came first), so a page's
// hundreds of block starts do not each walk the whole stack again. The
// note holds while noPTop is still at index noP-1: elements are pushed
// on top, a removal below it moves it down, and only <head>, with nothing
// but <html> below it, is pushed twice, so the elements up to it are
// still those the search saw.
func (b *fastTree) pInButtonScope() int {
	stop := 0
	if m := b.noP; m > 0 && m <= len(b.oe) && b.oe[m-1] == b.noPTop {
		stop = m
	}
	i := b.scanScope(stop, scopeButton, atom.P)
	if i < 0 && len(b.oe) > 0 {
		b.noP, b.noPTop = len(b.oe), b.oe[len(b.oe)-1]
	}
	return i
}

// scanScope is indexInScope over the open elements from index stop up,
// for a stop below which the search is known to find nothing.
func (b *fastTree) scanScope(stop, s int, tags ...atom.Atom) int {
	for i := len(b.oe) - 1; i >= stop; i-- {
		n := b.oe[i]
		a := n.DataAtom
		if n.Namespace == "" {
			for _, t := range tags {
				if t == a {
					return i
				}
			}
			switch s {
			case scopeListItem:
				if a == atom.Ol || a == atom.Ul {
					return -1
				}
			case scopeButton:
				if a == atom.Button {
					return -1
				}
			case scopeTable:
				if a == atom.Html || a == atom.Table || a == atom.Template {
					return -1
				}
			}
		}
		if s != scopeTable && isScopeBoundary(n) {
			return -1
		}
	}
	return -1
}

// isScopeBoundary reports the elements that end the default scope.
func isScopeBoundary(n *html.Node) bool {
	switch n.Namespace {
	case "":
		switch n.DataAtom {
		case atom.Applet, atom.Caption, atom.Html, atom.Table, atom.Td, atom.Th, atom.Marquee, atom.Object,
			atom.Template, atom.Select:
			return true
		}
	case "math":
		switch n.DataAtom {
		case atom.AnnotationXml, atom.Mi, atom.Mn, atom.Mo, atom.Ms, atom.Mtext:
			return true
		}
	case "svg":
		switch n.DataAtom {
		case atom.Desc, atom.ForeignObject, atom.Title:
			return true
		}
	}
	return false
}

func (b *fastTree) inScope(s int, tags ...atom.Atom) bool { return b.indexInScope(s, tags...) >= 0 }

// popUntil closes the nearest element with one of the tags, with all
// elements inside it, if it is in scope.
func (b *fastTree) popUntil(s int, tags ...atom.Atom) bool {
	if i := b.indexInScope(s, tags...); i >= 0 {
		b.oe = b.oe[:i]
		return true
	}
	return false
}

// clearTo closes elements until the current node is one of the tags (or
// <html>).
func (b *fastTree) clearTo(tags ...atom.Atom) {
	for i := len(b.oe) - 1; i >= 0; i-- {
		a := b.oe[i].DataAtom
		if a == atom.Html || a == atom.Template {
			b.oe = b.oe[:i+1]
			return
		}
		for _, t := range tags {
			if a == t {
				b.oe = b.oe[:i+1]
				return
			}
		}
	}
}

// isSpecial reports the elements of the HTML standard's "special"
// category, by name as x/net/html checks them.
func isSpecial(n *html.Node) bool {
	switch n.Namespace {
	case "":
		return isSpecialName(n.Data)
	case "math":
		switch n.Data {
		case "mi", "mo", "mn", "ms", "mtext", "annotation-xml":
			return true
		}
	case "svg":
		switch n.Data {
		case "foreignObject", "desc", "title":
			return true
		}
	}
	return false
}

func isSpecialName(s string) bool {
	switch s {
	case "address", "applet", "area", "article", "aside", "base", "basefont", "bgsound", "blockquote",
		"body", "br", "button", "caption", "center", "col", "colgroup", "dd", "details", "dir", "div", "dl",
		"dt", "embed", "fieldset", "figcaption", "figure", "footer", "form", "frame", "frameset", "h1", "h2",
		"h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr", "html", "iframe", "img", "input", "keygen",
		"li", "link", "listing", "main", "marquee", "menu", "meta", "nav", "noembed", "noframes", "noscript",
		"object", "ol", "p", "param", "plaintext", "pre", "script", "section", "select", "source", "style",
		"summary", "table", "tbody", "td", "template", "textarea", "tfoot", "th", "thead", "title", "tr",
		"track", "ul", "wbr", "xmp":
		return true
	}
	return false
}

// inTable handles a token whose current node is a table, tbody or tr.
// Content that would be moved out of the table makes it fall back.
func (b *fastTree) inTable() (bool, error) {
	switch b.tok.kind {
	case tText:
		switch b.top().DataAtom {
		case atom.Table, atom.Tbody, atom.Tfoot, atom.Thead, atom.Tr:
			if strings.Trim(b.tok.data, " \t\r\n\f") == "" {
				b.addText(b.tok.data)
				return false, nil
			}
		}
		return false, errFallback
	case tStart:
		switch b.tok.atom {
		case atom.Tbody, atom.Tfoot, atom.Thead:
			b.clearTo(atom.Table)
			b.insert()
			return false, nil
		case atom.Td, atom.Th, atom.Tr:
			b.clearTo(atom.Table)
			b.implied(atom.Tbody)
			return true, nil
		case atom.Style, atom.Script:
			return false, b.rawElement()
		case atom.Input:
			for _, a := range b.tok.attr {
				if a.Key == "type" && strings.EqualFold(a.Val, "hidden") {
					b.insertVoid()
					return false, nil
				}
			}
		case atom.Form:
			if b.form == nil {
				b.form = b.insert()
				b.oe = b.oe[:len(b.oe)-1]
			}
			return false, nil
		}
		return false, errFallback
	case tEnd:
		switch b.tok.atom {
		case atom.Table:
			b.popUntil(scopeTable, atom.Table)
			return false, nil
		case atom.Body, atom.Caption, atom.Col, atom.Colgroup, atom.Html, atom.Tbody, atom.Td, atom.Tfoot,
			atom.Th, atom.Thead, atom.Tr:
			return false, nil
		case atom.P, atom.Br, atom.Template:
			return false, errFallback // would insert an element out of the table
		}
		return b.bodyEnd() // end tags insert nothing, so none is moved
	case tComment:
		b.addComment()
	}
	return false, nil
}

// inTableBody handles a token inside <tbody>, <thead> or <tfoot>.
func (b *fastTree) inTableBody() (bool, error) {
	switch b.tok.kind {
	case tStart:
		switch b.tok.atom {
		case atom.Tr:
			b.clearTo(atom.Tbody, atom.Tfoot, atom.Thead)
			b.insert()
			return false, nil
		case atom.Td, atom.Th:
			b.clearTo(atom.Tbody, atom.Tfoot, atom.Thead)
			b.implied(atom.Tr)
			return true, nil
		case atom.Caption, atom.Col, atom.Colgroup, atom.Tbody, atom.Tfoot, atom.Thead:
			return b.popUntil(scopeTable, atom.Tbody, atom.Thead, atom.Tfoot), nil
		}
	case tEnd:
		switch b.tok.atom {
		case atom.Tbody, atom.Tfoot, atom.Thead:
			if b.inScope(scopeTable, b.tok.atom) {
				b.clearTo(atom.Tbody, atom.Tfoot, atom.Thead)
				b.oe = b.oe[:len(b.oe)-1]
			}
			return false, nil
		case atom.Table:
			return b.popUntil(scopeTable, atom.Tbody, atom.Thead, atom.Tfoot), nil
		case atom.Body, atom.Caption, atom.Col, atom.Colgroup, atom.Html, atom.Td, atom.Th, atom.Tr:
			return false, nil
		}
	case tComment:
		b.addComment()
		return false, nil
	}
	return b.inTable()
}

// inRow handles a token inside <tr>.
func (b *fastTree) inRow() (bool, error) {
	closeRow := func() bool {
		if !b.inScope(scopeTable, atom.Tr) {
			return false
		}
		b.clearTo(atom.Tr)
		b.oe = b.oe[:len(b.oe)-1]
		return true
	}
	switch b.tok.kind {
	case tStart:
		switch b.tok.atom {
		case atom.Td, atom.Th:
			b.clearTo(atom.Tr)
			b.insert()
			b.afe = append(b.afe, nil)
			return false, nil
		case atom.Caption, atom.Col, atom.Colgroup, atom.Tbody, atom.Tfoot, atom.Thead, atom.Tr:
			return closeRow(), nil
		}
	case tEnd:
		switch b.tok.atom {
		case atom.Tr:
			closeRow()
			return false, nil
		case atom.Table:
			return closeRow(), nil
		case atom.Tbody, atom.Tfoot, atom.Thead:
			if !b.inScope(scopeTable, b.tok.atom) {
				return false, nil
			}
			return closeRow(), nil
		case atom.Body, atom.Caption, atom.Col, atom.Colgroup, atom.Html, atom.Td, atom.Th:
			return false, nil
		}
	}
	return b.inTable()
}

// inCell handles a token inside <td> or <th>.
func (b *fastTree) inCell() (bool, error) {
	switch b.tok.kind {
	case tStart:
		switch b.tok.atom {
		case atom.Caption, atom.Col, atom.Colgroup, atom.Tbody, atom.Td, atom.Tfoot, atom.Th, atom.Thead, atom.Tr:
			if b.popUntil(scopeTable, atom.Td, atom.Th) {
				b.clearToMarker()
				return true, nil
			}
			return false, nil
		}
	case tEnd:
		switch b.tok.atom {
		case atom.Td, atom.Th:
			if b.popUntil(scopeTable, b.tok.atom) {
				b.clearToMarker()
			}
			return false, nil
		case atom.Body, atom.Caption, atom.Col, atom.Colgroup, atom.Html:
			return false, nil
		case atom.Table, atom.Tbody, atom.Tfoot, atom.Thead, atom.Tr:
			if !b.inScope(scopeTable, b.tok.atom) {
				return false, nil
			}
			if b.popUntil(scopeTable, atom.Td, atom.Th) {
				b.clearToMarker()
			}
			return true, nil
		}
	}
	return b.body()
}

// foreign handles a token inside SVG or MathML. HTML inside them (an
// integration point, or a tag that breaks out) makes it fall back.
func (b *fastTree) foreign(top *html.Node) (bool, error) {
	integration := isScopeBoundary(top) // desc, title, foreignObject; mi, mo ... annotation-xml
	switch b.tok.kind {
	case tText:
		if integration {
			return b.body()
		}
		b.addText(b.tok.data)
	case tComment:
		b.addComment()
	case tStart:
		if integration || breaksOut(b.tok.atom) || b.tok.data == "foreignobject" || b.tok.data == "annotation-xml" {
			return false, errFallback
		}
		n := b.insert()
		n.Namespace = top.Namespace
		if b.tok.selfClosing {
			b.oe = b.oe[:len(b.oe)-1]
		}
	case tEnd:
		for i := len(b.oe) - 1; i >= 0; i-- {
			if strings.EqualFold(b.oe[i].Data, b.tok.data) {
				b.oe = b.oe[:i]
				return false, nil
			}
			if i > 0 && b.oe[i-1].Namespace == "" {
				break
			}
		}
		return b.htmlContent()
	}
	return false, nil
}

// breaksOut reports the HTML start tags that end foreign content (and
// <font>, which does so with some attributes).
func breaksOut(a atom.Atom) bool {
	switch a {
	case atom.B, atom.Big, atom.Blockquote, atom.Body, atom.Br, atom.Center, atom.Code, atom.Dd, atom.Div,
		atom.Dl, atom.Dt, atom.Em, atom.Embed, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Head,
		atom.Hr, atom.I, atom.Img, atom.Li, atom.Listing, atom.Menu, atom.Meta, atom.Nobr, atom.Ol, atom.P,
		atom.Pre, atom.Ruby, atom.S, atom.Small, atom.Span, atom.Strike, atom.Strong, atom.Sub, atom.Sup,
		atom.Table, atom.Tt, atom.U, atom.Ul, atom.Var, atom.Font:
		return true
	}
	return false
}
