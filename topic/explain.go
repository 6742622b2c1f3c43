package topic

import (
	"slices"
	"strings"

	"github.com/newswatch/newswatch/news"
)

// Explanation says why an article matched a topic, or why not.
type Explanation struct {
	Topic   string     `json:"topic"`
	Matched bool       `json:"matched"`
	Hits    []news.Hit `json:"hits,omitempty"` // as Match returns them: decisive first
	// Salience lists how each SCORE and MIN of the query that the
	// evaluation reached came out, in the order they were evaluated.
	Salience []Salience `json:"salience,omitempty"`
}

// Salience is the outcome of one SCORE(...) >= t or MIN/k(...).
type Salience struct {
	Rule      string  `json:"rule"`  // "SCORE" or "MIN/k"
	Score     float64 `json:"score"` // points (per 100 words if Percent), or operands true for MIN
	Threshold float64 `json:"threshold"`
	Percent   bool    `json:"percent,omitempty"`
	Passed    bool    `json:"passed"`
	Parts     []Part  `json:"parts,omitempty"` // the operands with hits, and the required ones
}

// Part is what one operand of a SCORE or MIN found.
type Part struct {
	Operand  string   `json:"operand"` // the operand in canonical form, shortened
	Required bool     `json:"required,omitempty"`
	Weight   float64  `json:"weight"`
	Hits     int      `json:"hits"`            // distinct places, or 1 for an operand without position
	Terms    []string `json:"terms,omitempty"` // its terms found in the article
}

// salienceRecord is a SCORE or MIN node as evaluated on one document.
type salienceRecord struct {
	n      *node
	score  float64
	passed bool
	parts  []Part
}

// maxOperandText bounds Part.Operand.
const maxOperandText = 80

// noteSalience records the evaluation of a SCORE or MIN node for Explain.
func (st *state) noteSalience(n *node, score float64, passed bool) {
	if slices.ContainsFunc(st.salience, func(r salienceRecord) bool { return r.n == n }) {
		return
	}
	r := salienceRecord{n: n, score: score, passed: passed}
	for _, k := range n.kids {
		hits := 0
		if st.active(k) || evalEmpty(k) {
			hits = st.count(k)
		}
		if hits == 0 && !k.required { // a required operand shows why a score fell short
			continue
		}
		op := k.String()
		if rs := []rune(op); len(rs) > maxOperandText {
			op = string(rs[:maxOperandText-1]) + "…"
		}
		r.parts = append(r.parts, Part{Operand: op, Required: k.required, Weight: k.weight, Hits: hits, Terms: st.termsFound(k)})
	}
	st.salience = append(st.salience, r)
}

// termsFound returns the distinct terms under n that occur in their scope.
func (st *state) termsFound(n *node) []string {
	var out []string
	walk(n, func(t *node) {
		if t.kind != kindTerm || !st.active(t) || slices.Contains(out, t.text) {
			return
		}
		for o := st.head[t.atom]; o >= 0; o = st.occ[o].next {
			if st.inScope(t.scope, &st.occ[o]) {
				out = append(out, t.text)
				return
			}
		}
	})
	return out
}

// String renders the subtree in canonical form.
func (n *node) String() string {
	var b strings.Builder
	n.write(&b)
	return b.String()
}

// Explain matches a as Match does and explains the outcome for every
// topic the article touches (one of whose terms occurs in it, or that
// can match without terms): whether it matched, its hits, and how its
// SCORE and MIN parts came out. It is slower than Match and meant for
// people tuning topics (newswatch match --explain).
func (m *Matcher) Explain(a *news.Article) []Explanation {
	st := m.pool.Get().(*state)
	defer m.release(st)
	st.explaining = true
	hits := m.match(st, a)
	var out []Explanation
	for _, t := range st.todo {
		e := Explanation{Topic: m.names[t]}
		for _, h := range hits {
			if h.Topic == e.Topic {
				e.Matched = true
				e.Hits = append(e.Hits, h)
			}
		}
		for _, r := range st.salience {
			if m.topicOf[r.n.id] != t {
				continue
			}
			s := Salience{Rule: "SCORE", Score: r.score, Threshold: r.n.threshold, Percent: r.n.percent, Passed: r.passed, Parts: r.parts}
			if r.n.kind == kindMin {
				s.Rule, s.Threshold = "MIN/"+formatNumber(float64(r.n.dist)), float64(r.n.dist)
			}
			e.Salience = append(e.Salience, s)
		}
		out = append(out, e)
	}
	return out
}
