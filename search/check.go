package search

// Checker evaluates a query's plan on one article at a time from its
// index terms, for articles not yet in posting lists.
type Checker struct {
	q        *Query
	exact    map[string][]int // term -> leaves
	prefixes []*Plan
	present  []bool
}

// Checker returns a Checker of q's plan.
func (q *Query) Checker() *Checker {
	c := &Checker{q: q, exact: map[string][]int{}, present: make([]bool, len(q.Leaves))}
	for _, l := range q.Leaves {
		if l.Prefix {
			c.prefixes = append(c.prefixes, l)
		} else {
			c.exact[l.Term] = append(c.exact[l.Term], l.Leaf)
		}
	}
	return c
}

// Reset starts a new article.
func (c *Checker) Reset() { clear(c.present) }

// Add records one index term of the article.
func (c *Checker) Add(term []byte) {
	for _, l := range c.exact[string(term)] {
		c.present[l] = true
	}
	for _, p := range c.prefixes {
		if len(term) >= len(p.Term) && string(term[:len(p.Term)]) == p.Term {
			c.present[p.Leaf] = true
		}
	}
}

// Candidate reports whether the article's terms added since Reset satisfy
// the plan.
func (c *Checker) Candidate() bool { return c.q.Plan.Eval(c.present) }

// Candidate reports whether an article with the given index terms
// satisfies the plan.
func (q *Query) Candidate(terms []string) bool {
	c := q.Checker()
	for _, t := range terms {
		c.Add([]byte(t))
	}
	return c.Candidate()
}
