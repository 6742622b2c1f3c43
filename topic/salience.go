package topic

import (
	"slices"
	"unicode/utf8"
)

// Salience: MIN/k counts the operands that are true; SCORE adds up points,
// each operand's weight for each of its hits, and compares the sum with a
// threshold, either in points or in points per 100 words of the title and
// text. An operand's hits are its distinct places: the occurrences of a
// term or of an OR of terms, the occurrences of a NEAR's first operand that
// have the others near, or 1 for an operand without position (AND, NOT,
// MIN, SCORE) that is true.

// leadWords is how much of the text lead: covers after the title: about
// the first two sentences of a news story. Han characters count half.
const leadWords = 50

// evalMin evaluates MIN/k: at least k operands true. When collecting, the
// true operands contribute their proofs.
func (st *state) evalMin(n *node, collect bool) bool {
	got := 0
	st.eachKid(n, func(k *node) {
		if st.eval(k, false) {
			got++
		}
	})
	ok := got >= n.dist
	if collect && st.explaining {
		st.noteSalience(n, float64(got), ok)
	}
	if ok && collect {
		st.eachKid(n, func(k *node) { st.eval(k, true) })
	}
	return ok
}

// evalScore evaluates SCORE(...) >= t. When collecting, the operands that
// are true and do not weigh against the topic contribute their proofs.
func (st *state) evalScore(n *node, collect bool) bool {
	score := 0.0
	st.eachKid(n, func(k *node) { score += k.weight * float64(st.count(k)) })
	if n.percent {
		score = score * 100 / float64(max(st.words(), 1))
	}
	ok := score >= n.threshold
	if collect && st.explaining {
		st.noteSalience(n, score, ok)
	}
	if ok && collect {
		st.eachKid(n, func(k *node) {
			if k.weight >= 0 {
				st.eval(k, true)
			}
		})
	}
	return ok
}

// eachKid calls f for the kids of n that may be true: the active ones and
// those that need no term.
func (st *state) eachKid(n *node, f func(*node)) {
	if st.active(n) {
		for k := st.kid[n.id]; k >= 0; k = st.sib[k] {
			f(st.m.nodes[k])
		}
	}
	for _, k := range n.empty {
		if !st.active(k) {
			f(k)
		}
	}
}

// count returns the number of hits of n: distinct places for a
// positional node, else 1 if it is true.
func (st *state) count(n *node) int {
	if !n.positional {
		if st.eval(n, false) {
			return 1
		}
		return 0
	}
	mark := len(st.spans)
	from, to := st.positions(n)
	keys := st.places[:0]
	for _, sp := range st.spans[from:to] {
		keys = append(keys, uint64(sp.seg)<<32|uint64(uint32(sp.anchor)))
	}
	st.spans = st.spans[:mark]
	slices.Sort(keys)
	st.places = keys
	return len(slices.Compact(keys))
}

// words returns the number of words of the title and text, counting Han
// characters as words.
func (st *state) words() int {
	if st.nseg > segURL {
		return int(st.segs[segURL].u0 - st.segs[segTitle].u0)
	}
	return len(st.units)
}

// leadEnd returns the first unit of the text after its lead.
func (st *state) leadEnd() int32 {
	if st.lead >= 0 {
		return st.lead
	}
	if st.nseg <= segText {
		return 0
	}
	i, end := st.segs[segText].u0, int32(len(st.units))
	if st.nseg > segURL {
		end = st.segs[segURL].u0
	}
	for budget := 2 * leadWords; i < end && budget > 0; i++ {
		r, _ := utf8.DecodeRune(st.buf[st.units[i]:])
		if continuous(r) {
			budget--
		} else {
			budget -= 2
		}
	}
	st.lead = i
	return i
}
