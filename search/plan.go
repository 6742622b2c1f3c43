package search

import (
	"fmt"
	"strings"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/topic"
)

// Op is the operation of a Plan node.
type Op uint8

// Plan operations.
const (
	All  Op = iota // every article: the plan cannot narrow (NOT, for one)
	None           // no article
	Term           // the articles filed under Term (with Prefix, any term starting so)
	And            // the articles of every kid
	Or             // the articles of any kid
)

// Plan is a tree of posting-list operations. Its result holds every
// article the query it was made from matches, and usually few others.
type Plan struct {
	Op     Op
	Kids   []*Plan
	Term   string
	Prefix bool
	// Leaf numbers the Term nodes of a plan, from 0 (see Query.Leaves).
	Leaf int
}

// String renders the plan, for tests and debugging.
func (p *Plan) String() string {
	switch p.Op {
	case All:
		return "ALL"
	case None:
		return "NONE"
	case Term:
		s := fmt.Sprintf("%q", p.Term)
		if p.Prefix {
			s += "*"
		}
		return s
	}
	parts := make([]string, len(p.Kids))
	for i, k := range p.Kids {
		parts[i] = k.String()
	}
	op := map[Op]string{And: " AND ", Or: " OR "}[p.Op]
	return "(" + strings.Join(parts, op) + ")"
}

// Eval evaluates the plan on one article, given whether each leaf (by
// Leaf) is among its terms.
func (p *Plan) Eval(present []bool) bool {
	switch p.Op {
	case All:
		return true
	case None:
		return false
	case Term:
		return present[p.Leaf]
	case And:
		for _, k := range p.Kids {
			if !k.Eval(present) {
				return false
			}
		}
		return true
	}
	for _, k := range p.Kids {
		if k.Eval(present) {
			return true
		}
	}
	return false
}

// Query is a compiled search: the plan that finds candidates and the
// matcher that decides.
type Query struct {
	Text   string
	Plan   *Plan
	Leaves []*Plan // the Term nodes, by Leaf
	m      *topic.Matcher
}

// TopicName is the topic name a search query's hits carry.
const TopicName = "search"

// Compile compiles a query of the topic language. Its errors are those
// of topic.Compile, such as a *topic.SyntaxError, without the topic name.
func Compile(text string) (*Query, error) {
	m, err := topic.Compile([]topic.Topic{{Name: TopicName, Query: text}})
	if err != nil {
		return nil, unwrapTopic(err)
	}
	tq, err := topic.Parse(text) // cannot fail after Compile
	if err != nil {
		return nil, err
	}
	q := &Query{Text: text, Plan: plan(tq.Clause()), m: m}
	q.number(q.Plan)
	return q, nil
}

// unwrapTopic takes the topic name off a compile error, keeping its
// cause (a *topic.SyntaxError) reachable.
func unwrapTopic(err error) error {
	prefix := fmt.Sprintf("topic %q: ", TopicName)
	if !strings.HasPrefix(err.Error(), prefix) {
		return err
	}
	return &compileError{msg: strings.TrimPrefix(err.Error(), prefix), err: err}
}

type compileError struct {
	msg string
	err error
}

func (e *compileError) Error() string { return e.msg }
func (e *compileError) Unwrap() error { return e.err }

// Match returns the query's hits in a, as topic.Matcher.Match: none when
// it does not match.
func (q *Query) Match(a *news.Article) []news.Hit { return q.m.Match(a) }

// number gives each distinct leaf its Leaf and lists it in q.Leaves.
func (q *Query) number(p *Plan) {
	if p.Op == Term {
		for _, l := range q.Leaves {
			if l.Term == p.Term && l.Prefix == p.Prefix {
				p.Leaf = l.Leaf
				return
			}
		}
		p.Leaf = len(q.Leaves)
		q.Leaves = append(q.Leaves, p)
		return
	}
	for _, k := range p.Kids {
		q.number(k)
	}
}

// plan turns a clause into posting-list operations.
func plan(c topic.Clause) *Plan {
	switch c.Op {
	case topic.OpTerm:
		var forms []*Plan
		for _, f := range c.Forms {
			var terms []*Plan
			for _, t := range f {
				terms = append(terms, &Plan{Op: Term, Term: t.Text, Prefix: t.Prefix})
			}
			forms = append(forms, join(And, terms))
		}
		return join(Or, forms)
	case topic.OpLang:
		return &Plan{Op: Term, Term: LangTerm(c.Text)}
	case topic.OpNot:
		return &Plan{Op: All} // a NOT narrows nothing down: the matcher decides
	case topic.OpMin:
		return atLeast(c.Min, c.Kids)
	case topic.OpAnd, topic.OpNear:
		var kids []*Plan
		for _, k := range c.Kids {
			kids = append(kids, plan(k))
		}
		return join(And, kids)
	}
	var kids []*Plan
	for _, k := range c.Kids {
		kids = append(kids, plan(k))
	}
	return join(Or, kids)
}

// maxMinGroups bounds the ORs atLeast writes; past it, a plan of MIN/k
// asks for any operand.
const maxMinGroups = 16

// atLeast plans MIN/k over kids: with n kids, k are true exactly when
// every n-k+1 of them hold a true one, so the plan is the AND of the ORs
// of each n-k+1 kids, or for many kids the OR of all.
func atLeast(k int, kids []topic.Clause) *Plan {
	n := len(kids)
	if k <= 0 {
		return &Plan{Op: All}
	}
	plans := make([]*Plan, n)
	for i, c := range kids {
		plans[i] = plan(c)
	}
	size := n - k + 1
	if size <= 0 || binomial(n, size) > maxMinGroups {
		return join(Or, plans)
	}
	var groups []*Plan
	pick := make([]int, size)
	var choose func(from, depth int)
	choose = func(from, depth int) {
		if depth == size {
			group := make([]*Plan, size)
			for i, j := range pick {
				group[i] = plans[j]
			}
			groups = append(groups, join(Or, group))
			return
		}
		for j := from; j <= n-(size-depth); j++ {
			pick[depth] = j
			choose(j+1, depth+1)
		}
	}
	choose(0, 0)
	return join(And, groups)
}

// binomial returns n choose k.
func binomial(n, k int) int {
	r := 1
	for i := 1; i <= k; i++ {
		r = r * (n - k + i) / i
	}
	return r
}

// join builds an And or Or of kids, simplified: nested nodes of the same
// operation flattened, All and None folded, duplicates dropped.
func join(op Op, kids []*Plan) *Plan {
	absorbing, neutral := None, All // And
	if op == Or {
		absorbing, neutral = All, None
	}
	var out []*Plan
	seen := map[string]bool{}
	add := func(p *Plan) {
		if s := p.String(); !seen[s] {
			seen[s] = true
			out = append(out, p)
		}
	}
	for _, k := range kids {
		switch {
		case k.Op == absorbing:
			return &Plan{Op: absorbing}
		case k.Op == neutral:
			continue
		case k.Op == op:
			for _, kk := range k.Kids {
				add(kk)
			}
		default:
			add(k)
		}
	}
	switch len(out) {
	case 0:
		return &Plan{Op: neutral}
	case 1:
		return out[0]
	}
	return &Plan{Op: op, Kids: out}
}

// InLang returns the query restricted to articles in language lang (a
// primary subtag such as "vi"), as if "AND lang:" were written after it.
func (q *Query) InLang(lang string) (*Query, error) {
	if lang == "" {
		return q, nil
	}
	r, err := Compile("(" + q.Text + ")\nAND lang:" + lang)
	if err != nil {
		return nil, fmt.Errorf("lang %q: %w", lang, err)
	}
	r.Text = q.Text
	return r, nil
}
