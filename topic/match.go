package topic

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/newswatch/newswatch/news"
)

// Segments of the normalised document, in the order of the field bits.
const (
	segTitle = iota
	segText
	segURL
	segSource
)

var segField = [numFields]string{news.FieldTitle, news.FieldText, news.FieldURL, "source"}

// maxHitsPerTopic bounds the hits reported for one topic of one article.
const maxHitsPerTopic = 16

// proof is one reason a topic matched: a term occurrence, as a byte range
// of the original field text.
type proof struct {
	seg     int32
	s, e    int32 // byte range in the field's original text
	term    int32 // the term node
	context bool  // the term only qualifies the match (news.Hit.Context)
}

// order is the sort key of a proof: by field, then start, longest first.
func (p proof) order() uint64 {
	return uint64(p.seg)<<62 | uint64(p.s)<<31 | uint64(math.MaxInt32-p.e)
}

// result is a matching topic and its proofs, st.proofs[from:to].
type result struct {
	topic    int32
	from, to int
}

// Match returns the hits of every topic the article matches, in topic
// order: for each, the terms that made it match with their offsets in the
// original field text, decisive hits first, each group in field and text
// order. A proximity match (NEAR) gives a hit for each of its terms; those
// that only qualify the match (NEAR's later operands, terms weighted ^0)
// are marked Context. Topics that do not match as a whole have no hits.
func (m *Matcher) Match(a *news.Article) []news.Hit {
	st := m.pool.Get().(*state)
	defer m.release(st)
	return m.match(st, a)
}

func (m *Matcher) match(st *state, a *news.Article) []news.Hit {
	st.addFields(a)
	st.lang = a.Lang
	if len(st.lang) > 2 {
		st.lang = normalizeTag(st.lang)
	}
	m.scan(st)
	st.activateAll()
	for _, t := range m.always {
		st.mark(t)
	}
	slices.Sort(st.todo)
	total := 0
	for _, t := range st.todo {
		from := len(st.proofs)
		st.proofFrom = from
		if !st.eval(m.roots[t], true) {
			continue
		}
		to := st.settle(from)
		st.results = append(st.results, result{topic: t, from: from, to: to})
		total += to - from
	}
	if total == 0 {
		return nil
	}
	return st.hits(total)
}

// hits builds the hits of the matching topics. Snippets that are not
// plain substrings of a field share one string, so a match allocates
// twice: the hits and the snippets' text.
func (st *state) hits(total int) []news.Hit {
	hits := make([]news.Hit, 0, total)
	size := 0
	for _, r := range st.results {
		for _, p := range st.proofs[r.from:r.to] {
			h := news.Hit{
				Topic: st.m.names[r.topic], Term: st.m.nodes[p.term].text, Field: segField[p.seg],
				Start: int(p.s), End: int(p.e), Context: p.context,
			}
			c := snippetAround(st.segs[p.seg].orig, h.Start, h.End)
			if !c.cutL && !c.cutR {
				h.Snippet = st.segs[p.seg].orig[c.from:c.to]
			} else {
				size += c.size()
			}
			st.snips = append(st.snips, c)
			hits = append(hits, h)
		}
	}
	if size == 0 {
		return hits
	}
	var b strings.Builder
	b.Grow(size)
	for i, c := range st.snips {
		if c.cutL || c.cutR {
			c.write(&b, st.segs[segIndex(hits[i].Field)].orig)
		}
	}
	text, off := b.String(), 0
	for i, c := range st.snips {
		if c.cutL || c.cutR {
			hits[i].Snippet = text[off : off+c.size()]
			off += c.size()
		}
	}
	return hits
}

// segIndex returns the segment of a field name.
func segIndex(field string) int {
	for i, f := range segField {
		if f == field {
			return i
		}
	}
	return 0
}

func (st *state) mark(t int32) {
	if !st.marked[t] {
		st.marked[t] = true
		st.todo = append(st.todo, t)
	}
}

// prove records a proof of a term node from a range of the normalised text.
func (st *state) prove(seg, s, e, term int32) {
	sg := &st.segs[seg]
	st.proofs = append(st.proofs, proof{seg: seg, s: st.offs[s], e: int32(st.origEnd(sg, int(e))), term: term, context: st.m.context[term]})
}

// settle sorts the proofs of one topic, st.proofs[from:], by field and
// position, drops duplicates (a range proved both ways is decisive), puts
// the decisive ones first and keeps the first maxHitsPerTopic. It returns
// the new end.
func (st *state) settle(from int) int {
	ps := st.proofs[from:]
	st.sortProofs(ps)
	ps = slices.CompactFunc(ps, func(a, b proof) bool { return a.seg == b.seg && a.s == b.s && a.e == b.e })
	if slices.ContainsFunc(ps, func(p proof) bool { return p.context }) {
		sorted := append(st.sorted[:0], ps...)
		n := 0
		for _, ctx := range [2]bool{false, true} {
			for _, p := range sorted {
				if p.context == ctx {
					ps[n] = p
					n++
				}
			}
		}
		st.sorted = sorted
	}
	ps = ps[:min(len(ps), maxHitsPerTopic)]
	st.proofs = st.proofs[:from+len(ps)]
	return len(st.proofs)
}

// proofKey is a proof's sort key and its index, which sortProofs sorts
// in place of the proofs: half the bytes to move, and no key to compute
// at every comparison.
type proofKey struct {
	order uint64
	i     int
}

// sortProofs sorts ps by order. It sorts keys with the algorithm and the
// comparisons that sorting ps by order directly would make, so proofs of
// the same range end up in the same order as they would then: which of
// them names the hit does not change.
func (st *state) sortProofs(ps []proof) {
	if len(ps) < 2 {
		return
	}
	keys := st.keys[:0]
	for i, p := range ps {
		keys = append(keys, proofKey{p.order(), i})
	}
	slices.SortFunc(keys, func(a, b proofKey) int {
		if c := cmp.Compare(a.order, b.order); c != 0 {
			return c
		}
		return cmp.Compare(b2i(ps[a.i].context), b2i(ps[b.i].context)) // decisive first
	})
	sorted := append(st.sorted[:0], ps...)
	for i, k := range keys {
		ps[i] = sorted[k.i]
	}
	st.keys, st.sorted = keys, sorted
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
