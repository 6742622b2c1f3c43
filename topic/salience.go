package topic

import (
	"cmp"
	"slices"
	"unicode/utf8"
)

// Salience: MIN/k counts the operands that are true; SCORE adds up points,
// each operand's weight for each of its hits, and compares the sum with a
// threshold, either in points or in points per 100 words of the title and
// text; an operand written +a must have hits (Lucene's required clause). An operand's hits are its distinct places: the occurrences of a
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
	ok := got >= int(n.dist)
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
	missing := false
	for _, k := range n.kids {
		if k.required && (k.positional && !st.mayMatch(k) || st.count(k) == 0) {
			missing = true
			break
		}
	}
	if missing && !(collect && st.explaining) { // explanations show the score anyway
		return false
	}
	score, ok := st.score(n, collect)
	ok = ok && !missing
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

// score returns the points of a SCORE node and whether they reach its
// threshold. Unless it must report them all (collect), it counts the
// negative operands first and stops as soon as the threshold is reached.
func (st *state) score(n *node, collect bool) (float64, bool) {
	scale := 1.0
	if n.percent {
		scale = 100 / float64(max(st.words(), 1))
	}
	score, done := 0.0, false
	for _, negative := range [2]bool{true, false} {
		st.eachKid(n, func(k *node) {
			if done || (k.weight < 0) != negative || k.weight == 0 {
				return
			}
			score += k.weight * float64(st.count(k)) * scale
			done = !negative && !collect && score >= n.threshold
		})
	}
	return score, score >= n.threshold
}

// eachKid calls f for the kids of n that may be true: the active ones and
// those that need no term.
func (st *state) eachKid(n *node, f func(*node)) {
	if st.active(n) {
		for k := st.kid[n.id]; k >= 0; k = st.sib[k] {
			f(st.kidAt(k))
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
	places := append(st.places[:0], st.spans[from:to]...)
	st.spans = st.spans[:mark]
	slices.SortFunc(places, func(a, b span) int { return cmp.Or(cmp.Compare(a.seg, b.seg), cmp.Compare(a.as, b.as)) })
	st.places = places
	// Overlapping occurrences ("la trata", "trata de personas") are one place.
	c, seg, end := 0, int32(-1), int32(0)
	for _, p := range places {
		if p.seg != seg || p.as >= end {
			c++
			seg, end = p.seg, p.ae
		} else {
			end = max(end, p.ae)
		}
	}
	return c
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

// stream returns the run of text a MIN window may span: a headline and
// its story are read as one, the title's words just before the text's
// first (units are numbered across fields in that order), so a story
// whose parts are split between the two ("Sold for $500" over "the
// mother handed her newborn to a couple") is one place. The URL and the
// source stand alone.
func stream(seg int32) int32 {
	if seg == segTitle {
		return segText
	}
	return seg
}

// winItem is an operand's span in minWindow; seg is its stream.
type winItem struct {
	seg, su, eu int32
	span, op    int32
}

// minWindow evaluates MIN/k/w into spans: from left to right, each place
// where at least k operands occur within w units and that does not
// overlap the previous one gives a span whose members are the first span
// of each operand there.
func (st *state) minWindow(n *node) (int, int) {
	base := len(st.ranges)
	for _, k := range n.kids { // first, as an operand may be a window too
		f, t := st.positions(k)
		st.ranges = append(st.ranges, [2]int32{int32(f), int32(t)})
	}
	items, counts := st.window[:0], st.opCount[:0]
	for oi, r := range st.ranges[base:] {
		for i := r[0]; i < r[1]; i++ {
			sp := &st.spans[i]
			items = append(items, winItem{seg: stream(sp.seg), su: sp.su, eu: sp.eu, span: i, op: int32(oi)})
		}
		counts = append(counts, 0)
	}
	st.ranges = st.ranges[:base]
	slices.SortFunc(items, func(a, b winItem) int { return cmp.Or(cmp.Compare(a.seg, b.seg), cmp.Compare(a.su, b.su)) })
	st.window, st.opCount = items, counts
	from, distinct, j := len(st.spans), 0, 0
	lastSeg, lastEnd := int32(-1), int32(-1) // windows do not overlap: each is a place
	for i := range items {
		for j < len(items) && items[j].seg == items[i].seg && (j == i || int(items[j].eu-items[i].su) <= int(n.window)) {
			if counts[items[j].op]++; counts[items[j].op] == 1 {
				distinct++
			}
			j++
		}
		if distinct >= int(n.dist) && len(st.spans)-from < maxSpans && (items[i].seg != lastSeg || items[i].su > lastEnd) {
			st.addWindow(items[i:j], len(n.kids))
			lastSeg, lastEnd = items[i].seg, st.spans[len(st.spans)-1].eu
		}
		if counts[items[i].op]--; counts[items[i].op] == 0 {
			distinct--
		}
	}
	return from, len(st.spans)
}

// addWindow appends the span of a MIN window: its members are the first
// span of each operand among items, which are in order.
func (st *state) addWindow(items []winItem, ops int) {
	seen := st.opSeen[:0]
	for range ops {
		seen = append(seen, false)
	}
	st.opSeen = seen
	m0 := len(st.members)
	var sp span
	for _, it := range items {
		if seen[it.op] {
			continue
		}
		seen[it.op] = true
		x := &st.spans[it.span]
		if len(st.members) == m0 {
			sp = span{seg: x.seg, su: x.su, eu: x.eu, s: x.s, e: x.e, term: spanWindow}
		}
		st.members = append(st.members, it.span)
		sp.su, sp.eu = min(sp.su, x.su), max(sp.eu, x.eu)
		sp.s, sp.e = min(sp.s, x.s), max(sp.e, x.e)
	}
	sp.as, sp.ae = sp.s, sp.e // a window is one place
	sp.kl, sp.kr = int32(m0), int32(len(st.members))
	st.spans = append(st.spans, sp)
}
