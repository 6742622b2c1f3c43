package story

import "slices"

// termCounts counts an article's terms by hash: an open-addressing table
// reused from article to article. A map does the same at several times
// the cost per word, and walks its buckets in a random order; this table
// hashes with one multiplication and is walked in the order the terms
// came, through the slots it used.
type termCounts struct {
	slots []termSlot // a power of two of them, at most half used
	used  []uint32   // the slots in use, in the order their terms came
	shift uint8      // 32 minus log2(len(slots))
}

// termSlot is one term and its count; a count of 0 marks a free slot
// (every count added is positive).
type termSlot struct {
	h uint32
	n int32
}

// minTermSlots is the table's smallest size: room for the terms of a
// long article without growing.
const minTermSlots = 1 << 11

// reset empties the table, shrinking it back when an article of many
// terms grew it: clearing costs what the table holds.
func (tc *termCounts) reset() {
	if len(tc.slots) > 4*minTermSlots || tc.slots == nil {
		tc.alloc(minTermSlots)
		return
	}
	for _, i := range tc.used {
		tc.slots[i] = termSlot{}
	}
	tc.used = tc.used[:0]
}

func (tc *termCounts) alloc(n int) {
	tc.slots = make([]termSlot, n)
	tc.used = tc.used[:0]
	tc.shift = 32
	for ; n > 1; n >>= 1 {
		tc.shift--
	}
}

// add adds w (positive) to the count of term h.
func (tc *termCounts) add(h uint32, w int32) {
	mask := uint32(len(tc.slots) - 1)
	for i := (h * 0x9E3779B1) >> tc.shift; ; i = (i + 1) & mask {
		s := &tc.slots[i]
		if s.n == 0 {
			*s = termSlot{h: h, n: w}
			tc.used = append(tc.used, i)
			if 2*len(tc.used) > len(tc.slots) {
				tc.grow()
			}
			return
		}
		if s.h == h {
			s.n += w
			return
		}
	}
}

// grow doubles the table, keeping the order of the terms.
func (tc *termCounts) grow() {
	old, order := tc.slots, slices.Clone(tc.used)
	tc.alloc(2 * len(old))
	for _, i := range order {
		tc.add(old[i].h, old[i].n)
	}
}

// len returns the number of distinct terms.
func (tc *termCounts) len() int { return len(tc.used) }
