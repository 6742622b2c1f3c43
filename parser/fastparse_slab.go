package parser

import (
	"sync"

	"golang.org/x/net/html"
)

// A slab holds the first blocks of nodes and attributes of a fast parse,
// reused from page to page. A poll parses thousands of pages whose trees
// are dropped as soon as their article is extracted; allocating the blocks
// anew made them a quarter of all the bytes a poll allocated, and the
// garbage collector's work grows with those bytes. Extract takes a slab
// for one page and puts it back when the article (strings only, no node)
// is made.
type slab struct {
	nodes []html.Node
	attrs []html.Attribute
}

// Slabs bigger than these are not kept, so one huge page does not pin its
// blocks; its later blocks are allocated as usual.
const (
	maxSlabNodes = 4096 // 416 KB
	slabAttrs    = 1024 // 48 KB
)

var slabs = sync.Pool{New: func() any { return new(slab) }}

func getSlab() *slab { return slabs.Get().(*slab) }

// putSlab clears s, so that it keeps no page alive, and pools it.
func putSlab(s *slab) {
	clear(s.nodes[:cap(s.nodes)])
	clear(s.attrs[:cap(s.attrs)])
	slabs.Put(s)
}

// take returns empty node and attribute blocks with room for n nodes when
// s can hold them, reusing s's blocks. A nil s allocates fresh blocks.
func (s *slab) take(n int) ([]html.Node, []html.Attribute) {
	if s == nil {
		return make([]html.Node, 0, n), nil
	}
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
