package story

import "slices"

// postings is the inverted index from features (indexed terms and
// evidence keys) to the window's articles that have them. Most features
// are rare: their lists are chains of entries in one slice, in the order
// they were added, each linked to the previous entry of its feature, so
// such a list costs 8 bytes an article and no slice of its own, and
// expiry, which goes in the same order, drops a prefix of the slice. A
// list longer than maxChain moves to a slice of its own, which is read
// in sequence rather than hop by hop. A feature of more than maxPostings
// articles is too common to look candidates up by: its list is dropped,
// and only counted, until the feature leaves the window.
type postings struct {
	lists map[uint64]plist
	ents  []posting
	base  uint32     // number of ents[0]
	long  [][]uint32 // the long lists, oldest first
	free  []int32    // unused indexes of long
}

// maxChain is the longest list kept as a chain.
const maxChain = 16

// plist is a feature's list: its length, and either the number plus one
// of its newest chained entry, or its index in long plus one, or
// saturated.
type plist struct {
	head, n uint32
	long    int32
}

// saturated marks a list dropped for being too common.
const saturated = -1

// posting is one article of a feature's list, and the number plus one of
// the feature's previous entry (0: none).
type posting struct{ seq, prev uint32 }

func newPostings() postings { return postings{lists: map[uint64]plist{}} }

// add puts seq, the newest article, in the list of feature f.
func (p *postings) add(f uint64, seq uint32) {
	l := p.lists[f]
	l.n++
	switch {
	case l.long == saturated:
	case l.n > maxPostings:
		p.freeLong(l.long)
		l.long = saturated
	case l.long > 0:
		p.long[l.long-1] = append(p.long[l.long-1], seq)
	case l.n > maxChain:
		list := make([]uint32, 0, 2*l.n)
		list = p.appendChain(list, l.head)
		slices.Reverse(list)
		l.long = p.newLong(append(list, seq))
	default:
		p.ents = append(p.ents, posting{seq: seq, prev: l.head})
		l.head = p.base + uint32(len(p.ents))
	}
	p.lists[f] = l
}

func (p *postings) newLong(list []uint32) int32 {
	if n := len(p.free); n > 0 {
		i := p.free[n-1]
		p.free = p.free[:n-1]
		p.long[i] = list
		return i + 1
	}
	p.long = append(p.long, list)
	return int32(len(p.long))
}

// freeLong gives back the long list i (plus one), if it is one.
func (p *postings) freeLong(i int32) {
	if i > 0 {
		p.long[i-1] = nil
		p.free = append(p.free, i-1)
	}
}

// appendChain appends the articles of the chain from entry e on, newest
// first.
func (p *postings) appendChain(out []uint32, e uint32) []uint32 {
	for e > p.base {
		en := p.ents[e-1-p.base]
		out = append(out, en.seq)
		e = en.prev
	}
	return out
}

// list appends the articles of f's list to out.
func (p *postings) list(f uint64, out []uint32) []uint32 {
	l := p.lists[f]
	if l.long == saturated {
		return out
	}
	if l.long > 0 {
		return append(out, p.long[l.long-1]...)
	}
	return p.appendChain(out, l.head)
}

// len returns the length of f's list.
func (p *postings) len(f uint64) int { return int(p.lists[f].n) }

// common reports whether f's list was dropped for being too common.
func (p *postings) common(f uint64) bool { return p.lists[f].long == saturated }

// remove takes seq, the oldest article, off f's list; expiry then drops
// the chained entries with drop.
func (p *postings) remove(f uint64, seq uint32) {
	l, ok := p.lists[f]
	if !ok {
		return
	}
	if l.long > 0 {
		list := p.long[l.long-1]
		if i := slices.Index(list, seq); i >= 0 {
			list = slices.Delete(list, i, i+1) // nearly always the first
		}
		p.long[l.long-1] = list
	}
	if l.n--; l.n == 0 {
		p.freeLong(l.long)
		delete(p.lists, f)
		return
	}
	p.lists[f] = l
}

// drop forgets the chained entries of articles before seq from: they
// are a prefix of ents.
func (p *postings) drop(from uint32) {
	n := 0
	for n < len(p.ents) && p.ents[n].seq < from {
		n++
	}
	if n == 0 {
		return
	}
	p.ents = p.ents[n:]
	p.base += uint32(n)
	if len(p.ents) == 0 {
		p.ents = nil
	}
}
