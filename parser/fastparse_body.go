package parser

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The "in body" insertion mode of the fast builder and the table modes it
// enters, after x/net/html's parse.go.

// inBody handles a token once the body has begun.
func (b *fastTree) inBody() (bool, error) {
	if b.afterBody > 0 {
		if b.tok.kind == tComment {
			p := b.html
			if b.afterBody == 2 {
				p = b.doc
			}
			appendChild(p, b.newNode(html.CommentNode, b.tok.data, 0))
			return false, nil
		}
		switch {
		case b.tok.kind == tText && strings.Trim(b.tok.data, " \t\r\n\f") == "",
			b.tok.kind == tStart && b.tok.atom == atom.Html:
		case b.tok.kind == tEnd && b.tok.atom == atom.Html && b.afterBody == 1:
			b.afterBody = 2
			return false, nil
		default:
			b.afterBody = 0
		}
	}
	if top := b.top(); top.Namespace != "" {
		return b.foreign(top)
	}
	return b.htmlContent()
}

// htmlContent dispatches a token in HTML content by the table context.
func (b *fastTree) htmlContent() (bool, error) {
	switch b.context() {
	case atom.Td:
		return b.inCell()
	case atom.Tr:
		return b.inRow()
	case atom.Tbody:
		return b.inTableBody()
	case atom.Table:
		return b.inTable()
	case atom.Caption:
		return false, errFallback
	}
	return b.body()
}

// context returns the table context of the current node, the insertion
// mode x/net/html would reset to: atom.Td for a cell, atom.Tr, atom.Tbody
// (also for thead and tfoot), atom.Table, 0 for the body, or atom.Caption
// for the modes the fast builder does not follow (caption, column group,
// template, frameset). Until such an element is opened, every token is
// in the body's context, and the open elements need no scan.
func (b *fastTree) context() atom.Atom {
	if !b.tableOpened {
		return 0
	}
	for i := len(b.oe) - 1; i >= 0; i-- {
		n := b.oe[i]
		if n.DataAtom == atom.Template && n.Namespace != "" {
			continue
		}
		switch n.DataAtom {
		case atom.Td, atom.Th:
			return atom.Td
		case atom.Tr:
			return atom.Tr
		case atom.Tbody, atom.Thead, atom.Tfoot:
			return atom.Tbody
		case atom.Table:
			return atom.Table
		case atom.Caption, atom.Colgroup, atom.Template, atom.Frameset:
			return atom.Caption
		case atom.Body, atom.Html:
			return 0
		}
	}
	return 0
}

// body is x/net/html's inBodyIM for the tokens the fast builder follows.
func (b *fastTree) body() (bool, error) {
	switch b.tok.kind {
	case tText:
		d := b.tok.data
		if t := b.top(); (t.DataAtom == atom.Pre || t.DataAtom == atom.Listing) && t.FirstChild == nil {
			d = trimLeadingNewline(d)
		}
		if d == "" {
			return false, nil
		}
		if err := b.reconstruct(); err != nil {
			return false, err
		}
		b.addText(d)
	case tStart:
		return b.bodyStart()
	case tEnd:
		return b.bodyEnd()
	case tComment:
		b.addComment()
	}
	return false, nil
}

// bodyStart handles a start tag in the body.
func (b *fastTree) bodyStart() (bool, error) {
	a := b.tok.atom
	switch a {
	case atom.Html:
		b.copyAttrs(b.html)
	case atom.Base, atom.Basefont, atom.Bgsound, atom.Link, atom.Meta:
		b.insertVoid()
	case atom.Noframes, atom.Script, atom.Style, atom.Title:
		return false, b.rawElement()
	case atom.Body:
		if len(b.oe) >= 2 && b.oe[1].DataAtom == atom.Body {
			b.copyAttrs(b.oe[1])
		}
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Center, atom.Details, atom.Dialog,
		atom.Dir, atom.Div, atom.Dl, atom.Fieldset, atom.Figcaption, atom.Figure, atom.Footer, atom.Header,
		atom.Hgroup, atom.Main, atom.Menu, atom.Nav, atom.Ol, atom.P, atom.Search, atom.Section, atom.Summary,
		atom.Ul, atom.Pre, atom.Listing:
		b.popUntil(scopeButton, atom.P)
		b.insert()
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		b.popUntil(scopeButton, atom.P)
		if isHeading(b.top().DataAtom) {
			b.oe = b.oe[:len(b.oe)-1]
		}
		b.insert()
	case atom.Form:
		if b.form != nil {
			return false, nil
		}
		b.popUntil(scopeButton, atom.P)
		b.form = b.insert()
	case atom.Li, atom.Dd, atom.Dt:
		b.closeListItem(a)
		b.popUntil(scopeButton, atom.P)
		b.insert()
	case atom.Button:
		if b.inScope(scopeDefault, atom.Button) {
			b.impliedEndTags("")
			b.popUntil(scopeDefault, atom.Button)
		}
		return false, b.reconstructInsert()
	case atom.A, atom.B, atom.Big, atom.Code, atom.Em, atom.Font, atom.I, atom.S, atom.Small, atom.Strike,
		atom.Strong, atom.Tt, atom.U:
		return false, b.formatting()
	case atom.Applet, atom.Marquee, atom.Object:
		if err := b.reconstructInsert(); err != nil {
			return false, err
		}
		b.afe = append(b.afe, nil)
	case atom.Table:
		if b.inScope(scopeButton, atom.P) {
			return false, errFallback // closing the <p> depends on quirks mode
		}
		b.insert()
	case atom.Area, atom.Br, atom.Embed, atom.Img, atom.Keygen, atom.Wbr, atom.Input:
		if a == atom.Input {
			b.popUntil(scopeDefault, atom.Select)
		}
		if err := b.reconstruct(); err != nil {
			return false, err
		}
		b.insertVoid()
	case atom.Param, atom.Source, atom.Track:
		b.insertVoid()
	case atom.Hr:
		if b.inScope(scopeButton, atom.P) {
			b.impliedEndTags("p")
			b.popUntil(scopeDefault, atom.P)
		}
		if b.inScope(scopeDefault, atom.Select) {
			b.impliedEndTags("")
		}
		b.insertVoid()
	case atom.Image:
		b.tok.data, b.tok.atom = "img", atom.Img
		return true, nil
	case atom.Textarea, atom.Iframe, atom.Noembed:
		return false, b.rawElement()
	case atom.Xmp:
		b.popUntil(scopeButton, atom.P)
		if err := b.reconstruct(); err != nil {
			return false, err
		}
		return false, b.rawElement()
	case atom.Select: // parsed like the body since the customizable <select>
		if b.popUntil(scopeDefault, atom.Select) {
			return false, nil
		}
		return false, b.reconstructInsert()
	case atom.Option, atom.Optgroup:
		if b.inScope(scopeDefault, atom.Select) {
			except := "optgroup"
			if a == atom.Optgroup {
				except = ""
			}
			b.impliedEndTags(except)
		} else if b.top().DataAtom == atom.Option {
			b.oe = b.oe[:len(b.oe)-1]
		}
		return false, b.reconstructInsert()
	case atom.Rb, atom.Rtc, atom.Rp, atom.Rt:
		if b.inScope(scopeDefault, atom.Ruby) {
			except := ""
			if a == atom.Rp || a == atom.Rt {
				except = "rtc"
			}
			b.impliedEndTags(except)
		}
		b.insert()
	case atom.Math, atom.Svg:
		if err := b.reconstructInsert(); err != nil {
			return false, err
		}
		b.top().Namespace = b.tok.data
		if b.tok.selfClosing {
			b.oe = b.oe[:len(b.oe)-1]
		}
	case atom.Caption, atom.Col, atom.Colgroup, atom.Frame, atom.Head, atom.Tbody, atom.Td, atom.Tfoot,
		atom.Th, atom.Thead, atom.Tr:
		// Ignored outside tables.
	case atom.Frameset, atom.Plaintext, atom.Nobr, atom.Template:
		return false, errFallback
	default:
		return false, b.reconstructInsert()
	}
	return false, nil
}

func isHeading(a atom.Atom) bool {
	switch a {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

// closeListItem closes an open <li> (or <dd>, <dt>) before a new one.
func (b *fastTree) closeListItem(a atom.Atom) {
	for i := len(b.oe) - 1; i >= 0; i-- {
		n := b.oe[i]
		switch n.DataAtom {
		case atom.Li:
			if a == atom.Li {
				b.oe = b.oe[:i]
				return
			}
		case atom.Dd, atom.Dt:
			if a != atom.Li {
				b.oe = b.oe[:i]
				return
			}
		}
		switch n.DataAtom {
		case atom.Address, atom.Div, atom.P:
			continue
		}
		if isSpecial(n) {
			return
		}
	}
}

// bodyEnd handles an end tag in the body.
func (b *fastTree) bodyEnd() (bool, error) {
	a := b.tok.atom
	switch a {
	case atom.Body:
		if b.inScope(scopeDefault, atom.Body) {
			b.afterBody = 1
		}
	case atom.Html:
		if b.inScope(scopeDefault, atom.Body) {
			b.afterBody = 2
		}
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Button, atom.Center, atom.Details,
		atom.Dialog, atom.Dir, atom.Div, atom.Dl, atom.Fieldset, atom.Figcaption, atom.Figure, atom.Footer,
		atom.Header, atom.Hgroup, atom.Listing, atom.Main, atom.Menu, atom.Nav, atom.Ol, atom.Pre, atom.Search,
		atom.Section, atom.Select, atom.Summary, atom.Ul:
		if b.inScope(scopeDefault, a) {
			b.impliedEndTags("")
			b.popUntil(scopeDefault, a)
		}
	case atom.Form:
		node := b.form
		b.form = nil
		i := b.indexInScope(scopeDefault, atom.Form)
		if node != nil && i >= 0 && b.oe[i] == node {
			b.impliedEndTags("")
			b.removeOpen(node)
		}
	case atom.P:
		if !b.inScope(scopeButton, atom.P) {
			b.implied(atom.P)
		}
		b.popUntil(scopeButton, atom.P)
	case atom.Li:
		b.popUntil(scopeListItem, atom.Li)
	case atom.Dd, atom.Dt:
		b.popUntil(scopeDefault, a)
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		b.popUntil(scopeDefault, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6)
	case atom.A, atom.B, atom.Big, atom.Code, atom.Em, atom.Font, atom.I, atom.Nobr, atom.S, atom.Small,
		atom.Strike, atom.Strong, atom.Tt, atom.U:
		return false, b.endFormatting(a)
	case atom.Applet, atom.Marquee, atom.Object:
		if b.popUntil(scopeDefault, a) {
			b.clearToMarker()
		}
	case atom.Br:
		b.tok.kind, b.tok.attr = tStart, b.tok.attr[:0]
		return true, nil
	case atom.Template:
		return false, errFallback
	default:
		b.endOther()
	}
	return false, nil
}

// endOther is "any other end tag": it closes the nearest element of that
// name unless a special element comes first.
func (b *fastTree) endOther() {
	for i := len(b.oe) - 1; i >= 0; i-- {
		n := b.oe[i]
		if n.Namespace == "" && n.DataAtom == b.tok.atom && (b.tok.atom != 0 || n.Data == b.tok.data) {
			b.oe = b.oe[:i]
			return
		}
		if isSpecial(n) {
			return
		}
	}
}

// formatting opens a formatting element. An <a> inside an open <a> and a
// fourth identical element need the adoption agency: fall back.
func (b *fastTree) formatting() error {
	same := 0
	for i := len(b.afe) - 1; i >= 0 && b.afe[i] != nil; i-- {
		n := b.afe[i]
		if b.tok.atom == atom.A && n.DataAtom == atom.A {
			return errFallback
		}
		if n.DataAtom == b.tok.atom && sameAttrs(n.Attr, b.tok.attr) {
			if same++; same >= 3 {
				return errFallback
			}
		}
	}
	if err := b.reconstructInsert(); err != nil {
		return err
	}
	b.afe = append(b.afe, b.top())
	return nil
}

// sameAttrs reports whether two attribute lists hold the same pairs.
func sameAttrs(x, y []html.Attribute) bool {
	if len(x) != len(y) {
		return false
	}
next:
	for _, a := range x {
		for _, c := range y {
			if a == c {
				continue next
			}
		}
		return false
	}
	return true
}

// endFormatting closes a formatting element when no special element is
// open inside it; otherwise the adoption agency moves nodes: fall back.
func (b *fastTree) endFormatting(a atom.Atom) error {
	if t := b.top(); t.Data == b.tok.data && !b.isActive(t) {
		b.oe = b.oe[:len(b.oe)-1]
		return nil
	}
	var fe *html.Node
	k := -1
	for i := len(b.afe) - 1; i >= 0 && b.afe[i] != nil; i-- {
		if b.afe[i].DataAtom == a {
			fe, k = b.afe[i], i
			break
		}
	}
	if fe == nil {
		b.endOther()
		return nil
	}
	idx := -1
	for i := len(b.oe) - 1; i >= 0; i-- {
		if b.oe[i] == fe {
			idx = i
			break
		}
	}
	if idx < 0 {
		b.afe = append(b.afe[:k], b.afe[k+1:]...)
		return nil
	}
	if !b.inScope(scopeDefault, a) {
		return nil
	}
	for _, n := range b.oe[idx+1:] {
		if isSpecial(n) {
			return errFallback
		}
	}
	b.oe = b.oe[:idx]
	b.afe = append(b.afe[:k], b.afe[k+1:]...)
	return nil
}

// reconstruct reopens formatting elements closed by other tags before new
// content; the fast builder only checks that there is none.
func (b *fastTree) reconstruct() error {
	if len(b.afe) == 0 {
		return nil
	}
	n := b.afe[len(b.afe)-1]
	if n == nil {
		return nil
	}
	for i := len(b.oe) - 1; i >= 0; i-- {
		if b.oe[i] == n {
			return nil
		}
	}
	return errFallback
}

func (b *fastTree) reconstructInsert() error {
	if err := b.reconstruct(); err != nil {
		return err
	}
	b.insert()
	return nil
}

// clearToMarker drops the active formatting elements up to the last marker.
func (b *fastTree) clearToMarker() {
	for len(b.afe) > 0 {
		n := b.afe[len(b.afe)-1]
		b.afe = b.afe[:len(b.afe)-1]
		if n == nil {
			return
		}
	}
}

// impliedEndTags closes elements whose end tag may be left out, except
// the one named except.
func (b *fastTree) impliedEndTags(except string) {
	for len(b.oe) > 0 {
		n := b.oe[len(b.oe)-1]
		switch n.DataAtom {
		case atom.Dd, atom.Dt, atom.Li, atom.Optgroup, atom.Option, atom.P, atom.Rb, atom.Rp, atom.Rt, atom.Rtc:
			if n.Data != except {
				b.oe = b.oe[:len(b.oe)-1]
				continue
			}
		}
		return
	}
}

// isActive reports whether n is in the list of active formatting elements.
func (b *fastTree) isActive(n *html.Node) bool {
	for _, x := range b.afe {
		if x == n {
			return true
		}
	}
	return false
}

// trimLeadingNewline drops the newline that starts a <pre>, <listing> or
// <textarea>: a "\r" and then a "\n", as x/net/html does after decoding.
func trimLeadingNewline(s string) string {
	return strings.TrimPrefix(strings.TrimPrefix(s, "\r"), "\n")
}
