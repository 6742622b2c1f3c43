package parser

import (
	"sync"
	"unsafe"

	"golang.org/x/net/html"
)

// A slab holds the first blocks of nodes and attributes of a fast parse,
// reused from page to page. A poll parses thousands of pages whose trees
// are dropped as soon as their article is extracted; allocating the blocks
// anew made them a quarter of all the bytes a poll allocated, and the
// garbage collector's work grows with those bytes. Extract takes a slab
// for one page and puts it back when the article (strings only, no node)
// is made.
//
// It also holds the element statistics of the extractor's walk (doc.els),
// which were most of the rest of the bytes extraction allocated, and the
// hint values of the class and id values seen so far (see hintCache).
type slab struct {
	nodes []html.Node
	attrs []html.Attribute
	els   []elem
	hints hintCache
	// elements is the number of elements of the page the fast builder
	// built in the blocks (0: unknown), so the extractor sizes its
	// statistics without a walk to count them.
	elements int
	// How much of each block a page used, so putSlab clears that much
	// and not the whole block (up to 400 KB a page).
	nodesUsed, attrsUsed, elsUsed int
}

// Slabs bigger than these are not kept, so one huge page does not pin its
// blocks; its later blocks are allocated as usual.
const (
	maxSlabNodes = 4096 // 416 KB
	slabAttrs    = 1024 // 48 KB
	maxSlabElems = 4096 // 352 KB
	maxSlabHints = 4096 // distinct class and id values, about 300 KB
)

var slabs = sync.Pool{New: func() any { return new(slab) }}

func getSlab() *slab { return slabs.Get().(*slab) }

// putSlab clears s, so that it keeps no page alive, and pools it.
func putSlab(s *slab) {
	clear(s.nodes[:s.nodesUsed])
	clear(s.attrs[:s.attrsUsed])
	clear(s.els[:s.elsUsed])
	s.elements, s.nodesUsed, s.attrsUsed, s.elsUsed = 0, 0, 0, 0
	if len(s.hints) > maxSlabHints {
		s.hints = nil // kept from page to page up to a bound
	}
	slabs.Put(s)
}

// take returns empty node and attribute blocks with room for n nodes when
// s can hold them, reusing s's blocks. A nil s allocates fresh blocks.
func (s *slab) take(n int) ([]html.Node, []html.Attribute) {
	if s == nil {
		return make([]html.Node, 0, n), nil
	}
	s.elements = 0
	if cap(s.nodes) < n {
		nodes := make([]html.Node, 0, n)
		if n > maxSlabNodes {
			return nodes, s.attrs[:0]
		}
		s.nodes = nodes
	}
	if s.attrs == nil {
		s.attrs = make([]html.Attribute, 0, slabAttrs)
	}
	return s.nodes[:0], s.attrs[:0]
}

// elems returns an empty block with room for n elements, reusing s's
// when s can hold them. A nil s allocates a fresh block.
func (s *slab) elems(n int) []elem {
	if s == nil || n > maxSlabElems {
		return make([]elem, 0, n)
	}
	if cap(s.els) < n {
		s.els = make([]elem, 0, n)
	}
	return s.els[:0]
}

// used returns how much of block, whose last slice in use is last, was
// used: all of it when last is another block.
func used[T any](block, last []T) int {
	if unsafe.SliceData(block) == unsafe.SliceData(last) {
		return max(len(last), 0)
	}
	return cap(block)
}

// noteNodes records the last node and attribute slices of a parse in s's
// blocks.
func (s *slab) noteNodes(nodes []html.Node, attrs []html.Attribute) {
	if s != nil {
		s.nodesUsed = max(s.nodesUsed, used(s.nodes, nodes))
		s.attrsUsed = max(s.attrsUsed, used(s.attrs, attrs))
	}
}

// noteElems records the last element statistics of a page in s's block.
func (s *slab) noteElems(els []elem) {
	if s != nil {
		s.elsUsed = max(s.elsUsed, used(s.els, els))
	}
}

// setElements records the number of elements of the page just built.
func (s *slab) setElements(n int) {
	if s != nil {
		s.elements = n
	}
}

// treeElements returns the number of elements under root, the tree built
// in s's blocks.
func (s *slab) treeElements(root *html.Node) int {
	if s != nil && s.elements > 0 {
		return s.elements
	}
	return countElements(root)
}

// hintCache returns s's hint cache, which outlives its pages (see
// hintCache), or an empty one for a nil s.
func (s *slab) hintCache() hintCache {
	if s == nil {
		return hintCache{}
	}
	if s.hints == nil {
		s.hints = hintCache{}
	}
	return s.hints
}
