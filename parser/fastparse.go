package parser

import (
	"bytes"
	"errors"
	"strings"
	"unsafe"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The fast tree builder. golang.org/x/net/html allocates several strings
// per tag and attribute and reads the page a byte at a time through an
// io.Reader; its parse is two thirds of an extraction. This builder reads
// the page as one string, returns substrings of it and allocates nodes in
// blocks, three to four times faster. It pays for itself in the daemon:
// parse and extract take about 1.5 ms per page instead of 2.4
// (BenchmarkParseExtract, dev pages), and a poll of 300 feeds x 20
// articles takes 5.8 CPU-seconds instead of 8.0 (TestBigPoll).
//
// It builds the very tree x/net/html builds (TestFastParseSameTree and
// FuzzFastParse compare them) for the markup it follows: the head and body
// insertion modes, implied end tags, tables without misplaced content,
// formatting elements that are closed in order, and SVG and MathML
// without HTML inside. On anything else (misnested formatting elements,
// content to foster-parent out of a table, <select>, <template>, frames,
// NUL bytes, a construct left open at the end) it gives up with
// errFallback and the page is parsed by x/net/html.

// errFallback reports markup the fast builder does not follow exactly.
var errFallback = errors.New("fast parse: fall back to x/net/html")

// maxFastDepth is the nesting beyond which the fast builder gives up; the
// fallback handles such pages (see parsePage).
const maxFastDepth = 500

// Insertion modes before the body.
const (
	mBeforeHTML = iota
	mBeforeHead
	mInHead
	mInHeadNoscript
	mAfterHead
	mInBody
)

// fastTree is the state of one fast parse.
type fastTree struct {
	lx                    lexer
	tok                   token
	doc, html, head, form *html.Node
	oe                    []*html.Node // open elements
	afe                   []*html.Node // active formatting elements; nil marks a scope
	mode                  int
	afterBody             int // 1 after </body>, 2 after </html>: where comments go
	nodes                 []html.Node
	attrs                 []html.Attribute
	tableOpened           bool // an element that sets a table context was opened (see context)
	elements              int  // element nodes made
	// A search for a <p> in button scope from noPTop, the open element
	// at index noP-1, down found none (see pInButtonScope).
	noP    int
	noPTop *html.Node
}

// fastParse parses page like html.Parse with scripting disabled, or
// returns errFallback. The tree's first blocks of nodes and attributes come
// from s when it is not nil (see slab).
//
// The tree's strings share page's memory, without a copy of the page (a
// poll copied every page a second time, 1.1 GB over 20,000 pages): page
// must not change while the tree is used, and a string that outlives the
// tree must be cloned (see extractTree).
func fastParse(page []byte, s *slab) (*html.Node, error) {
	if bytes.IndexByte(page, 0) >= 0 {
		return nil, errFallback // NUL handling differs by context
	}
	b := &fastTree{lx: lexer{s: unsafe.String(unsafe.SliceData(page), len(page)), cr: bytes.IndexByte(page, '\r') >= 0}}
	b.nodes, b.attrs = s.take(nodesFor(len(page)))
	defer func() { s.noteNodes(b.nodes, b.attrs) }() // whatever the outcome: putSlab clears them
	b.doc = b.newNode(html.DocumentNode, "", 0)
	for {
		if err := b.lx.next(&b.tok); err != nil {
			return nil, err
		}
		if err := b.process(); err != nil {
			return nil, err
		}
		if b.tok.kind == tEOF {
			s.setElements(b.elements)
			return b.doc, nil
		}
		if len(b.oe) > maxFastDepth {
			return nil, errFallback
		}
	}
}

// bytesPerNode is what a page holds per node, a little below the median
// of real news pages (58 bytes on the extraction dev suites, 25–180 from
// page to page). A block sized from it rarely needs a second; sized for 40
// bytes a node, most of a block went unused, and a poll allocated twice
// the nodes it built (each 120 bytes, zeroed and scanned by the GC).
const bytesPerNode = 56

// nodesFor returns how many nodes to allocate for n bytes of page.
func nodesFor(n int) int { return min(n/bytesPerNode+16, 1<<16) }

// newNode allocates a node from the current block. A new block is sized
// for the rest of the page.
func (b *fastTree) newNode(typ html.NodeType, data string, a atom.Atom) *html.Node {
	if len(b.nodes) == cap(b.nodes) {
		b.nodes = make([]html.Node, 0, max(256, nodesFor(len(b.lx.s)-b.lx.pos)))
	}
	b.nodes = b.nodes[:len(b.nodes)+1]
	if typ == html.ElementNode {
		b.elements++
	}
	n := &b.nodes[len(b.nodes)-1]
	n.Type, n.Data, n.DataAtom = typ, data, a
	return n
}

// element makes an element of the current token.
func (b *fastTree) element() *html.Node {
	n := b.newNode(html.ElementNode, b.tok.data, b.tok.atom)
	if k := len(b.tok.attr); k > 0 {
		if cap(b.attrs)-len(b.attrs) < k {
			b.attrs = make([]html.Attribute, 0, max(256, k))
		}
		i := len(b.attrs)
		b.attrs = append(b.attrs, b.tok.attr...)
		n.Attr = b.attrs[i:len(b.attrs):len(b.attrs)]
	}
	return n
}

func appendChild(p, c *html.Node) {
	c.Parent = p
	if l := p.LastChild; l != nil {
		l.NextSibling, c.PrevSibling = c, l
	} else {
		p.FirstChild = c
	}
	p.LastChild = c
}

// top returns the current node.
func (b *fastTree) top() *html.Node {
	if len(b.oe) == 0 {
		return b.doc
	}
	return b.oe[len(b.oe)-1]
}

// insert adds an element for the current token to the current node and
// makes it the current node.
func (b *fastTree) insert() *html.Node {
	n := b.element()
	appendChild(b.top(), n)
	b.push(n)
	return n
}

// push makes n the current node.
func (b *fastTree) push(n *html.Node) {
	if !b.tableOpened {
		switch n.DataAtom {
		case atom.Td, atom.Th, atom.Tr, atom.Tbody, atom.Thead, atom.Tfoot, atom.Table,
			atom.Caption, atom.Colgroup, atom.Template, atom.Frameset:
			b.tableOpened = true
		}
	}
	b.oe = append(b.oe, n)
}

// insertVoid adds an element that is closed at once.
func (b *fastTree) insertVoid() {
	appendChild(b.top(), b.element())
}

// addText adds text to the current node, merging it with a text node
// before it.
func (b *fastTree) addText(s string) {
	if s == "" {
		return
	}
	t := b.top()
	if l := t.LastChild; l != nil && l.Type == html.TextNode {
		l.Data += s
		return
	}
	appendChild(t, b.newNode(html.TextNode, s, 0))
}

func (b *fastTree) addComment() {
	appendChild(b.top(), b.newNode(html.CommentNode, b.tok.data, 0))
}

// process handles the current token in the current mode, reprocessing it
// while a mode hands it on.
func (b *fastTree) process() error {
	for {
		var again bool
		var err error
		switch b.mode {
		case mBeforeHTML:
			again = b.beforeHTML()
		case mBeforeHead:
			again = b.beforeHead()
		case mInHead:
			again, err = b.inHead()
		case mInHeadNoscript:
			again, err = b.inHeadNoscript()
		case mAfterHead:
			again, err = b.afterHead()
		default:
			if b.tok.kind == tEOF {
				return nil
			}
			again, err = b.inBody()
		}
		if err != nil || !again {
			return err
		}
	}
}

// trimSpaceText drops the leading white space of a text token and reports
// whether nothing is left.
func (b *fastTree) trimSpaceText() bool {
	b.tok.data = strings.TrimLeft(b.tok.data, " \t\r\n\f")
	return b.tok.data == ""
}

func (b *fastTree) beforeHTML() bool {
	switch b.tok.kind {
	case tDoctype:
		appendChild(b.doc, b.newNode(html.DoctypeNode, b.tok.data, 0))
		return false
	case tComment:
		appendChild(b.doc, b.newNode(html.CommentNode, b.tok.data, 0))
		return false
	case tText:
		if b.trimSpaceText() {
			return false
		}
	case tStart:
		if b.tok.atom == atom.Html {
			b.html = b.insert()
			b.mode = mBeforeHead
			return false
		}
	case tEnd:
		switch b.tok.atom {
		case atom.Head, atom.Body, atom.Html, atom.Br:
		default:
			return false
		}
	}
	b.html = b.implied(atom.Html)
	b.mode = mBeforeHead
	return true
}

// implied inserts an element the markup leaves out.
func (b *fastTree) implied(a atom.Atom) *html.Node {
	n := b.newNode(html.ElementNode, a.String(), a)
	appendChild(b.top(), n)
	b.push(n)
	return n
}

func (b *fastTree) beforeHead() bool {
	switch b.tok.kind {
	case tText:
		if b.trimSpaceText() {
			return false
		}
	case tStart:
		switch b.tok.atom {
		case atom.Head:
			b.head = b.insert()
			b.mode = mInHead
			return false
		case atom.Html:
			b.copyAttrs(b.html)
			return false
		}
	case tEnd:
		switch b.tok.atom {
		case atom.Head, atom.Body, atom.Html, atom.Br:
		default:
			return false
		}
	case tComment:
		b.addComment()
		return false
	case tDoctype:
		return false
	}
	b.head = b.implied(atom.Head)
	b.mode = mInHead
	return true
}

// copyAttrs adds the token's attributes that n lacks (a repeated <html> or
// <body> tag).
func (b *fastTree) copyAttrs(n *html.Node) {
next:
	for _, a := range b.tok.attr {
		for _, x := range n.Attr {
			if x.Key == a.Key {
				continue next
			}
		}
		n.Attr = append(n.Attr, a)
	}
}

// leadingSpace adds the white space that starts a text token to the
// current node and reports whether the token held nothing else.
func (b *fastTree) leadingSpace() bool {
	s := strings.TrimLeft(b.tok.data, " \t\r\n\f")
	if len(s) < len(b.tok.data) {
		b.addText(b.tok.data[:len(b.tok.data)-len(s)])
		b.tok.data = s
	}
	return s == ""
}

func (b *fastTree) inHead() (bool, error) {
	switch b.tok.kind {
	case tText:
		if b.leadingSpace() {
			return false, nil
		}
	case tStart:
		switch b.tok.atom {
		case atom.Html:
			b.copyAttrs(b.html)
			return false, nil
		case atom.Base, atom.Basefont, atom.Bgsound, atom.Link, atom.Meta:
			b.insertVoid()
			return false, nil
		case atom.Script, atom.Title, atom.Noframes, atom.Style:
			return false, b.rawElement()
		case atom.Head:
			return false, nil
		case atom.Noscript: // scripting is off: its content is markup
			b.insert()
			b.mode = mInHeadNoscript
			return false, nil
		case atom.Template:
			return false, errFallback
		}
	case tEnd:
		switch b.tok.atom {
		case atom.Head:
			b.oe = b.oe[:len(b.oe)-1]
			b.mode = mAfterHead
			return false, nil
		case atom.Body, atom.Html, atom.Br:
		case atom.Template:
			return false, errFallback
		default:
			return false, nil
		}
	case tComment:
		b.addComment()
		return false, nil
	case tDoctype:
		return false, nil
	}
	b.oe = b.oe[:len(b.oe)-1] // implied </head>
	b.mode = mAfterHead
	return true, nil
}

// inHeadNoscript handles a token inside a <noscript> in the head, which
// may hold only what a head may; anything else ends it.
func (b *fastTree) inHeadNoscript() (bool, error) {
	switch b.tok.kind {
	case tDoctype:
		return false, nil
	case tStart:
		switch b.tok.atom {
		case atom.Html:
			b.copyAttrs(b.html)
			return false, nil
		case atom.Basefont, atom.Bgsound, atom.Link, atom.Meta, atom.Noframes, atom.Style:
			_, err := b.inHead() // inserted into the <noscript>
			return false, err
		case atom.Head, atom.Noscript:
			return false, nil
		}
	case tEnd:
		switch b.tok.atom {
		case atom.Noscript, atom.Br:
		default:
			return false, nil
		}
	case tText:
		if strings.Trim(b.tok.data, " \t\r\n\f") == "" {
			b.addText(b.tok.data)
			return false, nil
		}
	case tComment:
		b.addComment()
		return false, nil
	}
	b.oe = b.oe[:len(b.oe)-1]
	b.mode = mInHead
	return !(b.tok.kind == tEnd && b.tok.atom == atom.Noscript), nil
}

func (b *fastTree) afterHead() (bool, error) {
	switch b.tok.kind {
	case tText:
		if b.leadingSpace() {
			return false, nil
		}
	case tStart:
		switch b.tok.atom {
		case atom.Html:
			b.copyAttrs(b.html)
			return false, nil
		case atom.Body:
			b.insert()
			b.mode = mInBody
			return false, nil
		case atom.Frameset, atom.Template:
			return false, errFallback
		case atom.Base, atom.Basefont, atom.Bgsound, atom.Link, atom.Meta, atom.Noframes, atom.Script, atom.Style, atom.Title:
			b.push(b.head)
			_, err := b.inHead()
			b.removeOpen(b.head)
			return false, err
		case atom.Head:
			return false, nil
		}
	case tEnd:
		switch b.tok.atom {
		case atom.Body, atom.Html, atom.Br:
		case atom.Template:
			return false, errFallback
		default:
			return false, nil
		}
	case tComment:
		b.addComment()
		return false, nil
	case tDoctype:
		return false, nil
	}
	b.implied(atom.Body)
	b.mode = mInBody
	return b.tok.kind != tEOF, nil
}

// removeOpen removes n from the open elements, wherever it is.
func (b *fastTree) removeOpen(n *html.Node) {
	for i := len(b.oe) - 1; i >= 0; i-- {
		if b.oe[i] == n {
			b.oe = append(b.oe[:i], b.oe[i+1:]...)
			return
		}
	}
}

// rawElement inserts the raw-text or RCDATA element of the current token
// with its text, and closes it.
func (b *fastTree) rawElement() error {
	n := b.insert()
	text, err := b.lx.rawText(n.Data)
	if err != nil {
		return err
	}
	if n.DataAtom == atom.Textarea {
		text = trimLeadingNewline(text)
	}
	b.addText(text)
	b.oe = b.oe[:len(b.oe)-1]
	return nil
}
