package topic

// Evaluation works on the nodes the document touches: after the scan, every
// term node with occurrences and the nodes above it are marked active, and
// each active node links its active kids. A node that is not active has no
// occurrence below it, so an OR looks only at its active kids and at the
// few kids that may match without any term (NOT, lang:); an OR of hundreds
// of terms costs as much as the terms the document contains.

// activate marks the term nodes of the atoms found, and their ancestors,
// and queues the topics they belong to.
func (st *state) activateAll() {
	m := st.m
	for _, a := range st.touched {
		for _, id := range m.atomNodes[a] {
			st.activate(id)
		}
	}
}

func (st *state) activate(id int32) {
	if st.ngen[id] == st.gen {
		return
	}
	st.ngen[id] = st.gen
	st.kid[id] = -1
	p := st.m.parent[id]
	if p < 0 {
		st.mark(st.m.topicOf[id])
		return
	}
	st.activate(p)
	st.sib[id] = st.kid[p]
	st.kid[p] = id
}

func (st *state) active(n *node) bool { return st.ngen[n.id] == st.gen }

// eval reports whether the document matches n. With collect, it also
// appends to st.proofs the occurrences and proximity spans that make n
// true; when it returns false it has appended nothing.
func (st *state) eval(n *node, collect bool) bool {
	switch n.kind {
	case kindTerm:
		return st.active(n) && st.evalTerm(n, collect)
	case kindLang:
		return st.lang == n.text
	case kindNot:
		return !st.eval(n.kids[0], false)
	case kindAnd:
		mark := len(st.proofs)
		for _, k := range n.kids {
			if !st.eval(k, collect) {
				st.proofs = st.proofs[:mark]
				return false
			}
		}
		return true
	case kindOr:
		return st.evalOr(n, collect)
	}
	return st.active(n) && st.evalNear(n, collect)
}

// evalTerm reports whether the term occurs in its scope. When collecting,
// it proves the first maxHitsPerTopic occurrences: occurrences are in
// document order, and a topic reports only its first hits.
func (st *state) evalTerm(n *node, collect bool) bool {
	found := 0
	for o := st.head[n.atom]; o >= 0 && found < maxHitsPerTopic; o = st.occ[o].next {
		oc := &st.occ[o]
		if n.scope&(1<<oc.seg) == 0 {
			continue
		}
		if !collect {
			return true
		}
		found++
		st.prove(oc.seg, oc.s, oc.e, n.id, n.id)
	}
	return found > 0
}

// maxProofs bounds the proofs collected for one topic: enough to choose
// the hits from, without evaluating every alternative of a topic that
// matches all over a long article.
const maxProofs = 4 * maxHitsPerTopic

// evalOr evaluates the active kids and the kids that need no term. When
// collecting, every true kid contributes its proofs, until the topic has
// maxProofs.
func (st *state) evalOr(n *node, collect bool) bool {
	found := false
	if st.active(n) {
		for k := st.kid[n.id]; k >= 0; k = st.sib[k] {
			if st.eval(st.m.nodes[k], collect) {
				if !collect || len(st.proofs)-st.proofFrom >= maxProofs {
					return true
				}
				found = true
			}
		}
	}
	for _, k := range n.empty {
		if !st.active(k) && st.eval(k, collect) {
			if !collect {
				return true
			}
			found = true
		}
	}
	return found
}

func (st *state) evalNear(n *node, collect bool) bool {
	mark := len(st.spans)
	from, to := st.near(n)
	if collect {
		for _, sp := range st.spans[from:to] {
			st.prove(sp.seg, sp.s, sp.e, sp.lt, sp.rt)
		}
	}
	st.spans = st.spans[:mark]
	return to > from
}

// span is a stretch of the document a positional expression matched.
type span struct {
	seg    int32
	su, eu int32 // first and last unit (word or Han character)
	s, e   int32 // byte range in the normalised text
	lt, rt int32 // term nodes of its first and last token
}

// positions appends the spans of a positional node (term, OR of positional
// nodes, NEAR) to st.spans and returns their index range.
func (st *state) positions(n *node) (int, int) {
	from := len(st.spans)
	if !st.active(n) {
		return from, from
	}
	switch n.kind {
	case kindTerm:
		for o := st.head[n.atom]; o >= 0; o = st.occ[o].next {
			oc := &st.occ[o]
			if n.scope&(1<<oc.seg) == 0 {
				continue
			}
			st.spans = append(st.spans, span{seg: oc.seg, su: oc.su, eu: st.lastUnit(oc.su, oc.e), s: oc.s, e: oc.e, lt: n.id, rt: n.id})
		}
	case kindOr:
		for k := st.kid[n.id]; k >= 0; k = st.sib[k] {
			end := len(st.spans)
			f, t := st.positions(st.m.nodes[k])
			if f != end { // a NEAR leaves its operands' spans before its own
				st.spans = st.spans[:end+copy(st.spans[end:], st.spans[f:t])]
			}
		}
	case kindNear:
		return st.near(n)
	}
	return from, len(st.spans)
}

// maxSpans bounds the work of one NEAR on pathological documents.
const maxSpans = 256

// near evaluates a NEAR/ONEAR node into spans.
func (st *state) near(n *node) (int, int) {
	l1, l2 := st.positions(n.kids[0])
	if l1 == l2 {
		return l2, l2
	}
	r1, r2 := st.positions(n.kids[1])
	from := len(st.spans)
	for i := l1; i < l2 && len(st.spans)-from < maxSpans; i++ {
		for j := r1; j < r2 && len(st.spans)-from < maxSpans; j++ {
			x, y := st.spans[i], st.spans[j]
			if x.seg != y.seg || !within(x, y, n.dist, n.ordered) {
				continue
			}
			sp := span{seg: x.seg, su: min(x.su, y.su), eu: max(x.eu, y.eu), s: x.s, e: x.e, lt: x.lt, rt: x.rt}
			if y.s < x.s {
				sp.s, sp.lt = y.s, y.lt
			}
			if y.e > x.e {
				sp.e, sp.rt = y.e, y.rt
			}
			st.spans = append(st.spans, sp)
		}
	}
	return from, len(st.spans)
}

// within reports whether y is within dist units of x (after it, if ordered).
func within(x, y span, dist int, ordered bool) bool {
	if ordered {
		return x.eu < y.su && int(y.su-x.eu-1) <= dist
	}
	return int(max(y.su-x.eu, x.su-y.eu)-1) <= dist
}

// lastUnit returns the unit in which a range starting in unit su and
// ending before buf[e] ends.
func (st *state) lastUnit(su, e int32) int32 {
	if int(su)+1 >= len(st.units) || st.units[su+1] >= e {
		return su // one word or character: the common case
	}
	// A term is a few words long: step over them rather than search.
	i := su + 1
	for int(i)+1 < len(st.units) && st.units[i+1] < e {
		i++
	}
	return i
}
