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
	for i, a := range st.touched {
		for _, id := range m.atomNodes[a] {
			st.activate(id, int32(i))
		}
	}
}

// The active kids of a node are a list of edges: st.kid[n] is the first
// edge from n, st.sib[e] the next after edge e, -1 at the end. A node
// shared by several parents (a LET group) is on each parent's list.
//
// A list is in the order evaluation visits kids: the kid activated last
// first, and of kids activated by the same atom (rank: its index in
// st.touched), the last in the query first. That is the order a tree of
// the query, each use of a group a copy, would give; it decides which
// proofs a topic collects first, and so, where two terms prove the same
// range, which one names the hit. A node's rank is kept in its ngen,
// as the distance from st.gen.
func (st *state) activate(id, rank int32) {
	if st.ngen[id] >= st.gen {
		return
	}
	st.ngen[id] = st.gen + uint32(rank)
	if id < st.m.inner {
		st.kid[id] = -1
	}
	m := st.m
	ups := m.ups[m.upFrom[id]:m.upFrom[id+1]]
	if len(ups) == 0 {
		st.mark(m.topicOf[id])
		return
	}
	for _, e := range ups {
		p := m.edges[e].parent
		st.activate(p, rank)
		// Edges from one parent are numbered in the order of its kids.
		at := &st.kid[p]
		for *at >= 0 && *at > e && st.ngen[m.edges[*at].kid] == st.gen+uint32(rank) {
			at = &st.sib[*at]
		}
		st.sib[e] = *at
		*at = e
	}
}

// kidAt returns the kid an edge leads to.
func (st *state) kidAt(e int32) *node { return st.m.nodes[st.m.edges[e].kid] }

func (st *state) active(n *node) bool { return st.ngen[n.id] >= st.gen }

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
	case kindMin:
		if n.window > 0 {
			return st.mayMatch(n) && st.evalNear(n, collect)
		}
		return st.evalMin(n, collect)
	case kindScore:
		return st.evalScore(n, collect)
	}
	return st.mayMatch(n) && st.evalNear(n, collect)
}

// evalTerm reports whether the term occurs in its scope. When collecting,
// it proves the first maxHitsPerTopic occurrences: occurrences are in
// document order, and a topic reports only its first hits.
func (st *state) evalTerm(n *node, collect bool) bool {
	found := 0
	for o := st.head[n.atom]; o >= 0 && found < maxHitsPerTopic; o = st.occ[o].next {
		oc := &st.occ[o]
		if !st.inScope(n.scope, oc) {
			continue
		}
		if !collect {
			return true
		}
		found++
		st.prove(oc.seg, oc.s, oc.e, n.id)
	}
	return found > 0
}

// inScope reports whether an occurrence lies in the fields of a scope.
func (st *state) inScope(scope field, oc *occurrence) bool {
	if scope&(1<<oc.seg) != 0 {
		return true
	}
	return scope&fieldLead != 0 && (oc.seg == segTitle || oc.seg == segText && oc.su < st.leadEnd())
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
			if st.eval(st.kidAt(k), collect) {
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
	from, to := st.positions(n)
	if collect {
		for i := from; i < to; i++ {
			st.proveSpan(int32(i))
		}
	}
	st.spans = st.spans[:mark]
	return to > from
}

// proveSpan records a proof for each term occurrence of a proximity match.
func (st *state) proveSpan(i int32) {
	sp := &st.spans[i]
	switch kl, kr := sp.kl, sp.kr; sp.term {
	case spanNear:
		st.proveSpan(kl)
		st.proveSpan(kr)
	case spanWindow:
		for _, m := range st.members[kl:kr] {
			st.proveSpan(m)
		}
	default:
		st.prove(sp.seg, sp.s, sp.e, sp.term)
	}
}

// span is a stretch of the document a positional expression matched: one
// term occurrence, a proximity match of two spans, or a MIN window of
// several, found before it in st.spans.
type span struct {
	seg    int32
	su, eu int32 // first and last unit (word or Han character)
	s, e   int32 // byte range in the normalised text
	as, ae int32 // byte range of the first operand's occurrence: the place SCORE counts
	term   int32 // the term node of an occurrence, or spanNear or spanWindow
	kl, kr int32 // spanNear: its two spans; spanWindow: its range of st.members
}

// Kinds of spans that are not one occurrence (span.term).
const (
	spanNear   = -1
	spanWindow = -2
)

// positions appends the spans of a positional node (term, OR of positional
// nodes, NEAR, NOT NEAR) to st.spans and returns their index range.
// Spans before the range may be the parts of the spans in it: the caller
// truncates st.spans only once done with them.
func (st *state) positions(n *node) (int, int) {
	from := len(st.spans)
	if !st.mayMatch(n) {
		return from, from
	}
	switch n.kind {
	case kindTerm:
		for o := st.head[n.atom]; o >= 0; o = st.occ[o].next {
			oc := &st.occ[o]
			if !st.inScope(n.scope, oc) {
				continue
			}
			st.spans = append(st.spans, span{seg: oc.seg, su: oc.su, eu: st.lastUnit(oc.su, oc.e), s: oc.s, e: oc.e, as: oc.s, ae: oc.e, term: n.id, kl: -1, kr: -1})
		}
	case kindOr:
		return st.orPositions(n)
	case kindNear:
		return st.near(n)
	case kindNotNear:
		return st.notNear(n)
	case kindMin:
		return st.minWindow(n)
	}
	return from, len(st.spans)
}

// orPositions returns the spans of the active kids of an OR as one range.
// A kid that leaves other spans before its own (a NEAR) makes the range
// a copy at the end, so that its spans' parts stay where they are.
func (st *state) orPositions(n *node) (int, int) {
	from, base := len(st.spans), len(st.ranges)
	contiguous := true
	for k := st.kid[n.id]; k >= 0; k = st.sib[k] {
		end := len(st.spans)
		f, t := st.positions(st.kidAt(k))
		contiguous = contiguous && f == end
		st.ranges = append(st.ranges, [2]int32{int32(f), int32(t)})
	}
	if !contiguous {
		from = len(st.spans)
		for _, r := range st.ranges[base:] {
			st.spans = append(st.spans, st.spans[r[0]:r[1]]...)
		}
	}
	st.ranges = st.ranges[:base]
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
			if x.seg != y.seg || !within(x, y, int(n.dist), n.ordered) {
				continue
			}
			st.spans = append(st.spans, span{
				seg: x.seg, su: min(x.su, y.su), eu: max(x.eu, y.eu), s: min(x.s, y.s), e: max(x.e, y.e),
				as: x.as, ae: x.ae, term: spanNear, kl: int32(i), kr: int32(j),
			})
		}
	}
	return from, len(st.spans)
}

// notNear evaluates a NOT NEAR/NOT ONEAR node: the spans of its first
// operand with no span of the second within the distance.
func (st *state) notNear(n *node) (int, int) {
	l1, l2 := st.positions(n.kids[0])
	if l1 == l2 {
		return l2, l2
	}
	r1, r2 := st.positions(n.kids[1])
	from := len(st.spans)
outer:
	for i := l1; i < l2; i++ {
		x := st.spans[i]
		for j := r1; j < r2; j++ {
			if y := st.spans[j]; x.seg == y.seg && within(x, y, int(n.dist), n.ordered) {
				continue outer
			}
		}
		st.spans = append(st.spans, x)
	}
	return from, len(st.spans)
}

// within reports whether y is within dist units of x (after it, if
// ordered). Unordered, overlapping spans are within any distance.
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

// mayMatch reports whether the positional node n can match in this
// document, judging only by which terms occur: a NEAR needs both sides, a
// MIN/k/w k operands. It saves computing the positions of the many rules
// whose common words occur in every article (no, not, home, pay) when a
// part they also need does not. The answer is cached per node.
func (st *state) mayMatch(n *node) bool {
	if !st.active(n) {
		return false
	}
	if n.kind == kindTerm {
		return true
	}
	if st.mgen[n.id] == st.gen {
		return st.may[n.id]
	}
	var ok bool
	switch n.kind {
	case kindNear:
		ok = st.mayMatch(n.kids[0]) && st.mayMatch(n.kids[1])
	case kindNotNear:
		ok = st.mayMatch(n.kids[0])
	case kindMin:
		c := 0
		for k := st.kid[n.id]; k >= 0 && c < int(n.dist); k = st.sib[k] {
			if st.mayMatch(st.kidAt(k)) {
				c++
			}
		}
		ok = c >= int(n.dist)
	case kindOr:
		for k := st.kid[n.id]; k >= 0 && !ok; k = st.sib[k] {
			ok = st.mayMatch(st.kidAt(k))
		}
	default:
		ok = true
	}
	st.mgen[n.id], st.may[n.id] = st.gen, ok
	return ok
}
