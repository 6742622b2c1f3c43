package story

import "math"

// probe holds the article being assigned in small hash tables: its
// vector's terms, its sketch and its evidence keys, each to its index.
// Scoring it against a candidate then looks up the candidate's values
// one by one, independent loads that run side by side, where merging
// two sorted lists waits at every step for the step before. The values
// are visited in the candidate's order, ascending as a merge visits
// them, so sums come out the same to the bit.
type probe struct {
	of       *doc // the article the tables are of
	terms    table[uint32]
	sketch   table[uint32]
	evidence table[uint64]
}

// set makes the tables those of d, unless they are already.
func (p *probe) set(d *doc) {
	if p.of == d {
		return
	}
	p.of = d
	p.terms.reset(len(d.terms))
	for i, t := range d.terms {
		p.terms.put(t.h, i)
	}
	p.sketch.reset(len(d.sketch.h))
	for i, h := range d.sketch.h {
		p.sketch.put(h, i)
	}
	p.evidence.reset(len(d.evidence))
	for i, k := range d.evidence {
		p.evidence.put(k, i)
	}
}

// table maps distinct keys to their index in a list: open addressing,
// at most an eighth full, so that a key it lacks, the common case, is
// nearly always told at the first slot, and the branch that tells it
// is nearly always guessed right.
type table[K uint32 | uint64] struct {
	slots []slot[K] // a power of two of them
	shift uint8     // 64 minus log2(len(slots))
}

// slot is a key and its index plus one; 0 marks a free slot.
type slot[K uint32 | uint64] struct {
	k K
	i int32
}

// reset empties the table, with room for n keys.
func (t *table[K]) reset(n int) {
	size, shift := 64, uint8(58)
	for size < 8*n {
		size, shift = 2*size, shift-1
	}
	if cap(t.slots) < size {
		t.slots = make([]slot[K], size)
	} else {
		t.slots = t.slots[:size]
		clear(t.slots)
	}
	t.shift = shift
}

func (t *table[K]) home(k K) int { return int(uint64(k) * 0x9E3779B97F4A7C15 >> t.shift) }

// put maps k, not in the table yet, to i.
func (t *table[K]) put(k K, i int) {
	mask := len(t.slots) - 1
	s := t.home(k)
	for t.slots[s].i != 0 {
		s = (s + 1) & mask
	}
	t.slots[s] = slot[K]{k, int32(i + 1)}
}

// find returns the index of k, or -1.
func (t *table[K]) find(k K) int {
	mask := len(t.slots) - 1
	for s := t.home(k); ; s = (s + 1) & mask {
		e := t.slots[s]
		if e.i == 0 {
			return -1
		}
		if e.k == k {
			return int(e.i - 1)
		}
	}
}

// cosine of d's vector and c's, both unit length: the products of the
// weights of the terms they share, summed in ascending order of hash.
func (p *probe) cosine(d, c *doc) float64 {
	p.set(d)
	var s float64
	for _, t := range c.terms {
		if i := p.terms.find(t.h); i >= 0 {
			s += float64(d.terms[i].w) * float64(t.w)
		}
	}
	return s
}

// duplicate returns the share of the smaller text's sample that the
// other text has, and the sample's size, when d and c are in one
// language and share at least dupShare of it; else 0 and 0. The sample
// is what both sketches speak for.
func (p *probe) duplicate(d, c *doc) (float64, int) {
	if d.lang != c.lang {
		return 0, 0
	}
	upTo := min(d.sketch.max, c.sketch.max)
	a, b := d.sketch.upTo(upTo), c.sketch.upTo(upTo)
	n := min(len(a), len(b))
	if n == 0 {
		return 0, 0
	}
	// Give up when even a share a little below dupShare is out of reach:
	// the decision itself stays pair's, on the exact share. Every hash
	// of b is at most upTo, so finding it in d's sketch finds it in a.
	need := int(math.Floor(dupShare*float64(n))) - 1
	p.set(d)
	shared := 0
	for i, h := range b {
		if shared+len(b)-i < need {
			return 0, 0
		}
		if p.sketch.find(h) >= 0 {
			shared++
		}
	}
	if shared < need {
		return 0, 0
	}
	return float64(shared) / float64(n), n
}
