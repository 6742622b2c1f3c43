package topic

import (
	"slices"

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

// span is a stretch of the document a positional expression matched.
type span struct {
	seg      int32
	su, eu   int32 // first and last unit (word or Han character)
	s, e     int32 // byte range in the normalised text
	occ, alt int32 // occurrences it was built from (-1 if none)
}

// Match returns the hits of every topic the article matches, in topic
// order: for each, the terms that made it match with their offsets in the
// original field text. Topics that do not match as a whole have no hits.
func (m *Matcher) Match(a *news.Article) []news.Hit {
	st := m.pool.Get().(*state)
	defer m.release(st)
	st.add(a.Title)
	st.add(a.Text)
	st.add(a.URL)
	st.add(a.Source)
	st.lang = a.Lang
	if len(st.lang) > 2 {
		st.lang = normalizeTag(st.lang)
	}
	m.scan(st)

	for _, a := range st.touched {
		for _, t := range m.topicsOf[a] {
			st.mark(t)
		}
	}
	for _, t := range m.always {
		st.mark(t)
	}
	slices.Sort(st.todo)
	var hits []news.Hit
	for _, t := range st.todo {
		root := m.roots[t]
		if !st.eval(root) {
			continue
		}
		first := len(hits)
		hits = st.collect(root, m.names[t], hits, first)
		sortHits(hits[first:])
	}
	return hits
}

func (st *state) mark(t int32) {
	if !st.marked[t] {
		st.marked[t] = true
		st.todo = append(st.todo, t)
	}
}

// eval reports whether the document matches n.
func (st *state) eval(n *node) bool {
	switch n.kind {
	case kindTerm:
		for o := st.head[n.atom]; o >= 0; o = st.occ[o].next {
			if n.scope&(1<<st.occ[o].seg) != 0 {
				return true
			}
		}
		return false
	case kindLang:
		return st.lang == n.text
	case kindNot:
		return !st.eval(n.kids[0])
	case kindAnd:
		for _, k := range n.kids {
			if !st.eval(k) {
				return false
			}
		}
		return true
	case kindOr:
		for _, k := range n.kids {
			if st.eval(k) {
				return true
			}
		}
		return false
	}
	from, to := st.near(n)
	return to > from
}

// positions appends the spans of a positional node to st.spans and returns
// their index range.
func (st *state) positions(n *node) (int, int) {
	from := len(st.spans)
	switch n.kind {
	case kindTerm:
		for o := st.head[n.atom]; o >= 0; o = st.occ[o].next {
			oc := &st.occ[o]
			if n.scope&(1<<oc.seg) == 0 {
				continue
			}
			st.spans = append(st.spans, span{seg: oc.seg, su: st.unit(oc.s), eu: st.unit(oc.e - 1), s: oc.s, e: oc.e, occ: o, alt: -1})
		}
	case kindOr:
		for _, k := range n.kids {
			st.positions(k) // appends contiguously after from
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
	r1, r2 := st.positions(n.kids[1])
	from := len(st.spans)
	for i := l1; i < l2 && len(st.spans)-from < maxSpans; i++ {
		for j := r1; j < r2 && len(st.spans)-from < maxSpans; j++ {
			x, y := st.spans[i], st.spans[j]
			if x.seg != y.seg || !within(x, y, n.dist, n.ordered) {
				continue
			}
			st.spans = append(st.spans, span{
				seg: x.seg, su: min(x.su, y.su), eu: max(x.eu, y.eu),
				s: min(x.s, y.s), e: max(x.e, y.e), occ: -1, alt: -1,
			})
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

// unit returns the index of the word or Han character containing buf[p].
func (st *state) unit(p int32) int32 {
	i, found := slices.BinarySearch(st.units, p)
	if !found {
		i--
	}
	return int32(i)
}

// collect appends the hits of a matching topic: the occurrences of the
// terms that make its query true (inside NEAR, those within a matching span).
func (st *state) collect(n *node, topic string, hits []news.Hit, first int) []news.Hit {
	switch n.kind {
	case kindTerm:
		for o := st.head[n.atom]; o >= 0 && len(hits)-first < maxHitsPerTopic; o = st.occ[o].next {
			if oc := &st.occ[o]; n.scope&(1<<oc.seg) != 0 {
				hits = st.hit(hits, first, topic, n.text, oc)
			}
		}
	case kindAnd, kindOr:
		for _, k := range n.kids {
			if st.eval(k) {
				hits = st.collect(k, topic, hits, first)
			}
		}
	case kindNear:
		from, to := st.near(n)
		walk(n, func(t *node) {
			if t.kind != kindTerm {
				return
			}
			for o := st.head[t.atom]; o >= 0 && len(hits)-first < maxHitsPerTopic; o = st.occ[o].next {
				oc := &st.occ[o]
				for _, sp := range st.spans[from:to] {
					if sp.seg == oc.seg && oc.s >= sp.s && oc.e <= sp.e {
						hits = st.hit(hits, first, topic, t.text, oc)
						break
					}
				}
			}
		})
	}
	return hits
}

// hit appends the hit for one occurrence unless the topic already has it.
func (st *state) hit(hits []news.Hit, first int, topic, term string, oc *occurrence) []news.Hit {
	sg := &st.segs[oc.seg]
	start, end := int(st.offs[oc.s]), st.origEnd(sg, int(oc.e))
	for _, h := range hits[first:] {
		if h.Start == start && h.End == end && h.Field == segField[oc.seg] {
			return hits
		}
	}
	return append(hits, news.Hit{
		Topic: topic, Term: term, Field: segField[oc.seg],
		Start: start, End: end, Snippet: snippet(sg.orig, start, end),
	})
}

func sortHits(hits []news.Hit) {
	order := func(f string) int { return slices.Index(segField[:], f) }
	slices.SortStableFunc(hits, func(a, b news.Hit) int {
		if d := order(a.Field) - order(b.Field); d != 0 {
			return d
		}
		return a.Start - b.Start
	})
}

// Snippet context, in characters before and after a hit.
const (
	snippetBefore = 50
	snippetAfter  = 70
)

// snippet returns about 120 characters of s around s[start:end]. It steps
// over UTF-8 continuation bytes rather than decoding runes.
func snippet(s string, start, end int) string {
	from := start
	for k := 0; k < snippetBefore && from > 0; k++ {
		from--
		for from > 0 && s[from]&0xC0 == 0x80 {
			from--
		}
	}
	to := end
	for k := 0; k < snippetAfter && to < len(s); k++ {
		to++
		for to < len(s) && s[to]&0xC0 == 0x80 {
			to++
		}
	}
	return s[from:to]
}
