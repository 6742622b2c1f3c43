package story

// postings is the inverted index from features (indexed terms and
// evidence keys) to the window's articles that have them. Entries sit in
// one slice in the order they were added, each linked to the previous
// entry of its feature, so an article costs 8 bytes per feature and no
// slice of its own, and expiry, which goes in the same order, drops a
// prefix of the slice.
type postings struct {
	lists map[uint64]plist
	ents  []posting
	base  uint32 // number of ents[0]
}

// plist is a feature's list: its newest entry's number plus one, and
// its length.
type plist struct{ head, n uint32 }

// posting is one article of a feature's list, and the number plus one of
// the feature's previous entry (0: none).
type posting struct{ seq, prev uint32 }

func newPostings() postings { return postings{lists: map[uint64]plist{}} }

// add puts seq in the list of feature f.
func (p *postings) add(f uint64, seq uint32) {
	l := p.lists[f]
	p.ents = append(p.ents, posting{seq: seq, prev: l.head})
	p.lists[f] = plist{head: p.base + uint32(len(p.ents)), n: l.n + 1}
}

// len returns the length of f's list.
func (p *postings) len(f uint64) int { return int(p.lists[f].n) }

// remove takes one entry off f's list: the oldest, which expiry drops
// with drop.
func (p *postings) remove(f uint64) {
	l, ok := p.lists[f]
	if !ok {
		return
	}
	if l.n <= 1 {
		delete(p.lists, f)
		return
	}
	l.n--
	p.lists[f] = l
}

// drop forgets the entries of articles before seq from: they are a
// prefix of ents.
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
