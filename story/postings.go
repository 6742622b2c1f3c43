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
	lists hashTable[uint64, plist]
	ents  []posting
	base  uint32     // number of ents[0]
	long  [][]uint32 // the long lists, oldest first
	free  []int32    // unused indexes of long
}

// maxChain is the longest list kept as a chain.
const maxChain = 16

// plist is a feature's list: its length, and where its articles are
// (see ref), in 8 bytes, since the window holds a list for each of its
// tens of thousands of features.
type plist struct {
	n   uint32
	ref ref
}

// ref is where a list's articles are: the number plus one of its newest
// chained entry (0: none), or with longRef set its index in long, or
// saturated. Entry numbers count every entry ever chained: they stay
// below longRef for 2^31 entries, some decades of a busy daemon.
type ref uint32

const (
	longRef   ref = 1 << 31
	saturated ref = 1<<32 - 1 // a list dropped for being too common
)

// long returns the index in long of a long list, or -1.
func (r ref) long() int {
	if r&longRef == 0 || r == saturated {
		return -1
	}
	return int(r &^ longRef)
}

// posting is one article of a feature's list, and the number plus one of
// the feature's previous entry (0: none).
type posting struct{ seq, prev uint32 }

func newPostings() postings { return postings{lists: newHashTable[uint64, plist]()} }

// add puts seq, the newest article, in the list of feature f.
func (p *postings) add(f uint64, seq uint32) {
	at := p.lists.find(f)
	l := *p.lists.at(at)
	l.n++
	switch i := l.ref.long(); {
	case l.ref == saturated:
	case l.n > maxPostings:
		p.freeLong(i)
		l.ref = saturated
	case i >= 0:
		p.long[i] = append(p.long[i], seq)
	case l.n > maxChain:
		list := make([]uint32, 0, 2*l.n)
		list = p.appendChain(list, uint32(l.ref))
		slices.Reverse(list)
		l.ref = p.newLong(append(list, seq))
	default:
		p.ents = append(p.ents, posting{seq: seq, prev: uint32(l.ref)})
		l.ref = ref(p.base + uint32(len(p.ents)))
	}
	p.lists.put(at, f, l)
}

func (p *postings) newLong(list []uint32) ref {
	if n := len(p.free); n > 0 {
		i := p.free[n-1]
		p.free = p.free[:n-1]
		p.long[i] = list
		return longRef | ref(i)
	}
	p.long = append(p.long, list)
	return longRef | ref(len(p.long)-1)
}

// freeLong gives back the long list i, if it is one (i >= 0).
func (p *postings) freeLong(i int) {
	if i >= 0 {
		p.long[i] = nil
		p.free = append(p.free, int32(i))
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
	l := p.lists.get(f)
	if i := l.ref.long(); i >= 0 {
		return append(out, p.long[i]...)
	}
	if l.ref == saturated {
		return out
	}
	return p.appendChain(out, uint32(l.ref))
}

// len returns the length of f's list.
func (p *postings) len(f uint64) int { return int(p.lists.get(f).n) }

// common reports whether f's list was dropped for being too common.
func (p *postings) common(f uint64) bool { return p.lists.get(f).ref == saturated }

// remove takes seq, the oldest article, off f's list; expiry then drops
// the chained entries with drop.
func (p *postings) remove(f uint64, seq uint32) {
	at := p.lists.find(f)
	l := *p.lists.at(at)
	if l.n == 0 {
		return
	}
	i := l.ref.long()
	if i >= 0 {
		list := p.long[i]
		if len(list) > 0 && list[0] == seq {
			list = list[1:] // nearly always: no copy, append reallocates the rest in time
		} else if j := slices.Index(list, seq); j >= 0 {
			list = slices.Delete(list, j, j+1)
		}
		p.long[i] = list
	}
	if l.n--; l.n == 0 {
		p.freeLong(i)
		p.lists.remove(at)
		return
	}
	*p.lists.at(at) = l
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
