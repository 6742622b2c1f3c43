package topic

import (
	"slices"
	"strings"
	"unicode"
)

// maxDepth bounds nesting so a hostile query cannot exhaust the stack.
const maxDepth = 100

// parser is a recursive-descent parser over the lexer's tokens:
//
//	query    = { "LET" name "=" weighted } or
//	or       = and { "OR" and }
//	and      = unary { ["AND"] unary }
//	unary    = "NOT" unary | near
//	near     = weighted { ["NOT"] ("NEAR/n" | "ONEAR/n") weighted }
//	weighted = primary [ "^" number ]
//	primary  = "(" or ")" | scope ":" primary | term | phrase | "$" name
//	         | "MIN/k(" list ")" | "SCORE(" list ")" ">=" number ["%"]
//	list     = operand { "," operand }
//	operand  = ["+"] or                (+ only in SCORE)
type parser struct {
	lex   lexer
	tok   token
	depth int
	defs  map[string]*node // LET groups, by name

	// rescoped holds the copies of shared nodes a scope was applied to, so
	// that a group used under the same scope twice is one copy.
	rescoped map[scopedKey]*node
}

// scopedKey is a node under a scope.
type scopedKey struct {
	n     *node
	scope field
}

// Parse parses a topic query. See the package documentation for the syntax.
func Parse(query string) (*Query, error) {
	p := &parser{lex: lexer{src: query}}
	if err := p.advance(); err != nil {
		return nil, err
	}
	if p.tok.kind == tokEOF {
		return nil, p.lex.errorf(0, "expected a term, found an empty query")
	}
	for p.tok.kind == tokLet {
		if err := p.define(); err != nil {
			return nil, err
		}
	}
	if p.tok.kind == tokEOF {
		return nil, p.lex.errorf(p.tok.pos, "expected a term after the LET groups, found end of query")
	}
	root, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tokEOF {
		if p.tok.kind == tokRParen {
			return nil, p.lex.errorf(p.tok.pos, "unexpected \")\" without a matching \"(\"")
		}
		return nil, p.lex.errorf(p.tok.pos, "unexpected %s", p.describe())
	}
	if onlyNegative(root) {
		return nil, p.lex.errorf(0, "expected at least one term that is not under NOT")
	}
	if err := p.checkWeights(root, nil); err != nil {
		return nil, err
	}
	return &Query{root: root}, nil
}

// checkWeights rejects negative weights outside SCORE: elsewhere nothing
// adds them up.
func (p *parser) checkWeights(n, parent *node) error {
	if n.weight < 0 && (parent == nil || parent.kind != kindScore) {
		return p.lex.errorf(int(n.wpos), "expected a negative weight only on an operand of SCORE(…)")
	}
	for _, k := range n.kids {
		if err := p.checkWeights(k, n); err != nil {
			return err
		}
	}
	return nil
}

func (p *parser) advance() error {
	t, err := p.lex.next()
	p.tok = t
	return err
}

func (p *parser) describe() string {
	switch p.tok.kind {
	case tokEOF:
		return "end of query"
	case tokLParen:
		return `"("`
	case tokRParen:
		return `")"`
	case tokComma:
		return `","`
	case tokWeight:
		return `"^"`
	}
	end := p.lex.pos
	return quoteShort(p.lex.src[p.tok.pos:end])
}

func quoteShort(s string) string {
	if r := []rune(s); len(r) > 24 {
		s = "…" + string(r[len(r)-24:])
	}
	return `"` + strings.TrimSpace(s) + `"`
}

func (p *parser) or() (*node, error) {
	left, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.tok.kind == tokOr {
		op := p.lex.src[p.tok.pos:p.lex.pos] // OR or ||
		if err := p.advance(); err != nil {
			return nil, err
		}
		if !p.startsPrimary() {
			return nil, p.lex.errorf(p.tok.pos, "expected a term after %q, found %s", op, p.describe())
		}
		right, err := p.and()
		if err != nil {
			return nil, err
		}
		left = join(kindOr, left, right)
	}
	return left, nil
}

func (p *parser) and() (*node, error) {
	left, err := p.unary()
	if err != nil {
		return nil, err
	}
	for {
		switch {
		case p.tok.kind == tokAnd:
			op := p.lex.src[p.tok.pos:p.lex.pos] // AND or &&
			if err := p.advance(); err != nil {
				return nil, err
			}
			if !p.startsPrimary() && p.tok.kind != tokNot {
				return nil, p.lex.errorf(p.tok.pos, "expected a term after %q, found %s", op, p.describe())
			}
		case p.startsPrimary() || p.tok.kind == tokNot:
		default:
			return left, nil
		}
		right, err := p.unary()
		if err != nil {
			return nil, err
		}
		left = join(kindAnd, left, right)
	}
}

func (p *parser) unary() (*node, error) {
	if p.tok.kind != tokNot {
		return p.near()
	}
	pos := p.tok.pos
	if err := p.advance(); err != nil {
		return nil, err
	}
	if !p.startsPrimary() && p.tok.kind != tokNot {
		return nil, p.lex.errorf(p.tok.pos, "expected a term after \"NOT\", found %s", p.describe())
	}
	p.depth++
	if p.depth > maxDepth {
		return nil, p.lex.errorf(pos, "expected at most %d levels of nesting", maxDepth)
	}
	kid, err := p.unary()
	p.depth--
	if err != nil {
		return nil, err
	}
	return &node{kind: kindNot, kids: []*node{kid}}, nil
}

func (p *parser) near() (*node, error) {
	left, err := p.weighted()
	if err != nil {
		return nil, err
	}
	for {
		kind, start := kindNear, p.tok.pos
		if p.tok.kind == tokNot { // NOT NEAR/n: a positional exclusion; "a NOT b" is an AND
			if next, err := p.peek(); err != nil || next.kind != tokNear {
				return left, nil
			}
			if err := p.advance(); err != nil {
				return nil, err
			}
			kind = kindNotNear
		}
		if p.tok.kind != tokNear {
			return left, nil
		}
		op := p.tok
		opText := p.lex.src[start:p.lex.pos]
		if err := p.advance(); err != nil {
			return nil, err
		}
		if !p.startsPrimary() {
			return nil, p.lex.errorf(p.tok.pos, "expected a term after %q, found %s", opText, p.describe())
		}
		right, err := p.weighted()
		if err != nil {
			return nil, err
		}
		for _, side := range []*node{left, right} {
			if !positional(side) {
				return nil, p.lex.errorf(start, "expected terms, phrases or OR groups around %q (AND, NOT, MIN, SCORE and lang: have no position)", opText)
			}
		}
		left = &node{kind: kind, kids: []*node{left, right}, dist: int32(op.dist), ordered: op.ordered}
	}
}

// peek returns the token after the current one.
func (p *parser) peek() (token, error) {
	l := p.lex
	return l.next()
}

// weighted parses a primary and the weight written after it.
func (p *parser) weighted() (*node, error) {
	n, err := p.primary()
	if err != nil || p.tok.kind != tokWeight {
		return n, err
	}
	if n.weighted {
		return nil, p.lex.errorf(p.tok.pos, "expected one weight, found a second \"^\"")
	}
	n = n.own()
	n.weight, n.weighted, n.wpos = p.tok.num, true, int32(p.tok.pos)
	if err := p.advance(); err != nil {
		return nil, err
	}
	if p.tok.kind == tokWeight {
		return nil, p.lex.errorf(p.tok.pos, "expected one weight, found a second \"^\"")
	}
	return n, nil
}

// positional reports whether n yields positions a NEAR can measure.
func positional(n *node) bool {
	switch n.kind {
	case kindTerm, kindNear, kindNotNear:
		return true
	case kindOr, kindMin:
		if n.kind == kindMin && n.window == 0 {
			return false
		}
		for _, k := range n.kids {
			if !positional(k) {
				return false
			}
		}
		return true
	}
	return false
}

func (p *parser) startsPrimary() bool {
	switch p.tok.kind {
	case tokWord, tokPhrase, tokLParen, tokScope, tokMin, tokScore, tokRef:
		return true
	}
	return false
}

func (p *parser) primary() (*node, error) {
	t := p.tok
	switch t.kind {
	case tokWord, tokPhrase:
		if err := p.advance(); err != nil {
			return nil, err
		}
		return &node{kind: kindTerm, text: t.text, phrase: t.kind == tokPhrase, exact: t.exact, scope: fieldDefault}, nil
	case tokLParen:
		p.depth++
		if p.depth > maxDepth {
			return nil, p.lex.errorf(t.pos, "expected at most %d levels of nesting", maxDepth)
		}
		if err := p.advance(); err != nil {
			return nil, err
		}
		if !p.startsPrimary() && p.tok.kind != tokNot {
			return nil, p.lex.errorf(p.tok.pos, "expected a term after \"(\", found %s", p.describe())
		}
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.tok.kind != tokRParen {
			return nil, p.lex.errorf(p.tok.pos, "expected \")\" after %s", quoteShort(p.lex.src[t.pos:p.tok.pos]))
		}
		p.depth--
		return n, p.advance()
	case tokScope:
		return p.scoped(t)
	case tokMin, tokScore:
		return p.list(t)
	case tokRef:
		def, ok := p.defs[t.text]
		if !ok {
			return nil, p.lex.errorf(t.pos, "expected a group defined by \"LET %s = …\" before the query, found \"$%s\"", t.text, t.text)
		}
		return def, p.advance() // shared: see node.shared
	case tokEOF:
		return nil, p.lex.errorf(t.pos, "expected a term, found end of query")
	}
	return nil, p.lex.errorf(t.pos, "expected a term, found %s", p.describe())
}

func (p *parser) scoped(t token) (*node, error) {
	if err := p.advance(); err != nil {
		return nil, err
	}
	if !p.startsPrimary() || p.tok.kind == tokScope {
		return nil, p.lex.errorf(p.tok.pos, "expected a term after %q, found %s", t.text+":", p.describe())
	}
	kid, err := p.primary()
	if err != nil {
		return nil, err
	}
	if t.text == "lang" {
		return langNode(p, t, kid)
	}
	var bad bool
	walk(kid, func(n *node) { bad = bad || n.kind == kindLang })
	if bad {
		return nil, p.lex.errorf(t.pos, "expected no lang: inside %q", t.text+":")
	}
	return p.rescope(kid, fieldNames[t.text]), nil
}

// rescope returns n with every node under it searched in scope: n itself
// where nothing under it is shared, else a copy of what is shared, one
// per shared node and scope.
func (p *parser) rescope(n *node, scope field) *node {
	if !n.shared {
		n.scope = scope
		for i, k := range n.kids {
			n.kids[i] = p.rescope(k, scope)
		}
		return n
	}
	key := scopedKey{n, scope}
	if c, ok := p.rescoped[key]; ok {
		return c
	}
	c := n.copy()
	c.scope = scope
	for i, k := range c.kids {
		if !k.shared {
			k = k.deepCopy()
		}
		c.kids[i] = p.rescope(k, scope)
	}
	c.shared = true // a copy others may reuse
	if p.rescoped == nil {
		p.rescoped = map[scopedKey]*node{}
	}
	p.rescoped[key] = c
	return c
}

// langNode turns lang:vi or lang:(vi OR en) into language tests.
func langNode(p *parser, t token, kid *node) (*node, error) {
	var err error
	kid = kid.deepCopy() // lang codes are not terms: not the group's nodes
	walk(kid, func(n *node) {
		switch n.kind {
		case kindTerm:
			if n.phrase || n.exact || strings.ContainsAny(n.text, "* ") {
				err = p.lex.errorf(t.pos, "expected a language code after \"lang:\", found %q", n.text)
			}
			tag := normalizeTag(n.text)
			if tag == "" && err == nil { // lang:_ or lang:-x
				err = p.lex.errorf(t.pos, "expected a language code after \"lang:\", found %q", n.text)
			}
			n.kind, n.text = kindLang, tag
		case kindNear:
			err = p.lex.errorf(t.pos, "expected language codes after \"lang:\", found NEAR")
		}
	})
	return kid, err
}

func walk(n *node, f func(*node)) {
	f(n)
	for _, k := range n.kids {
		walk(k, f)
	}
}

// join builds an n-ary node, flattening runs of the same operator (but
// not into a weighted group).
func join(kind nodeKind, left, right *node) *node {
	if left.kind == kind && !left.weighted {
		left = left.own() // a group's kids, with more after them
		left.kids = append(left.kids, right)
		return left
	}
	return &node{kind: kind, kids: []*node{left, right}}
}

// onlyNegative reports whether n can match without any positive term, which
// would make the topic fire on almost every article.
func onlyNegative(n *node) bool {
	switch n.kind {
	case kindTerm:
		return false
	case kindLang:
		return false
	case kindNot:
		return true
	case kindAnd:
		for _, k := range n.kids {
			if !onlyNegative(k) {
				return false
			}
		}
		return true
	case kindOr:
		for _, k := range n.kids {
			if onlyNegative(k) {
				return true
			}
		}
		return false
	case kindNotNear:
		return onlyNegative(n.kids[0])
	case kindMin:
		return countFunc(n.kids, onlyNegative) >= int(n.dist)
	case kindScore: // can it reach the threshold without a term?
		for _, k := range n.kids {
			if k.required && !onlyNegative(k) {
				return false
			}
		}
		sum := 0.0
		for _, k := range n.kids {
			if k.weight > 0 && onlyNegative(k) {
				sum += k.weight
			}
		}
		return sum > 0 && (n.percent || sum >= n.threshold)
	}
	return false
}

// countFunc returns the number of nodes for which f is true.
func countFunc(ns []*node, f func(*node) bool) int {
	c := 0
	for _, n := range ns {
		if f(n) {
			c++
		}
	}
	return c
}

// normalizeTag reduces a language tag to its lower-case primary subtag.
func normalizeTag(tag string) string {
	tag = strings.TrimSpace(tag)
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return strings.ToLower(tag)
}

// list parses the operands of MIN/k( or SCORE(, the ")" and, after
// SCORE, the threshold.
func (p *parser) list(t token) (*node, error) {
	p.depth++
	if p.depth > maxDepth {
		return nil, p.lex.errorf(t.pos, "expected at most %d levels of nesting", maxDepth)
	}
	name := strings.TrimRightFunc(p.lex.src[t.pos:p.lex.pos], func(r rune) bool { return r == '(' || unicode.IsSpace(r) })
	n := &node{kind: kindMin, dist: int32(t.dist), window: int32(t.window)}
	if t.kind == tokScore {
		n.kind = kindScore
	}
	after := name + "("
	for {
		if err := p.advance(); err != nil {
			return nil, err
		}
		required := p.tok.kind == tokPlus
		if required {
			if n.kind != kindScore {
				return nil, p.lex.errorf(p.tok.pos, "expected \"+\" only before an operand of SCORE(…)")
			}
			after += "+"
			if err := p.advance(); err != nil {
				return nil, err
			}
		}
		if !p.startsPrimary() && p.tok.kind != tokNot {
			return nil, p.lex.errorf(p.tok.pos, "expected a term after %q, found %s", after, p.describe())
		}
		k, err := p.or()
		if err != nil {
			return nil, err
		}
		if required {
			k = k.own()
			k.required = true
		}
		n.kids = append(n.kids, k)
		if p.tok.kind != tokComma {
			break
		}
		after = ","
	}
	if p.tok.kind != tokRParen {
		return nil, p.lex.errorf(p.tok.pos, "expected \",\" or \")\" after %s, found %s", quoteShort(p.lex.src[t.pos:p.tok.pos]), p.describe())
	}
	p.lex.closeList()
	p.depth--
	if n.kind == kindMin && int(n.dist) > len(n.kids) {
		return nil, p.lex.errorf(t.pos, "expected at least %d operands in %s(…), found %d", n.dist, name, len(n.kids))
	}
	if n.window > 0 && !positional(n) {
		return nil, p.lex.errorf(t.pos, "expected terms, phrases, OR groups or NEARs in %s(…): a window needs positions", name)
	}
	if n.kind == kindScore {
		if !slices.ContainsFunc(n.kids, func(k *node) bool { return k.weight > 0 || !k.weighted }) {
			return nil, p.lex.errorf(t.pos, "expected an operand with a positive weight in SCORE(…)")
		}
		var err error
		if n.threshold, n.percent, err = p.lex.threshold(); err != nil {
			return nil, err
		}
	}
	for _, k := range n.kids {
		if !k.weighted { // unweighted, a group's weight is read only here: 1 for every use
			k.weight = 1
		}
	}
	return n, p.advance()
}

// define parses "LET name = group": a named group that "$name" stands for
// in what follows. Every use shares the group's nodes (the compiled
// query is a DAG, and the matcher evaluates a group once per article);
// a use that scopes or weights the group differently gets a copy of what
// it changes.
func (p *parser) define() error {
	if err := p.advance(); err != nil {
		return err
	}
	name := p.tok
	if name.kind != tokWord || name.exact || !isRef("$"+name.text) {
		return p.lex.errorf(name.pos, "expected a name (a letter, then letters, digits or \"_\") after \"LET\", found %s", p.describe())
	}
	if _, ok := p.defs[name.text]; ok {
		return p.lex.errorf(name.pos, "expected one definition of %q, found a second", name.text)
	}
	if err := p.advance(); err != nil {
		return err
	}
	if p.tok.kind != tokWord || p.tok.text != "=" || p.tok.exact {
		return p.lex.errorf(p.tok.pos, "expected \"=\" after \"LET %s\", found %s", name.text, p.describe())
	}
	if err := p.advance(); err != nil {
		return err
	}
	if !p.startsPrimary() {
		return p.lex.errorf(p.tok.pos, "expected a term or a group after \"LET %s =\", found %s", name.text, p.describe())
	}
	def, err := p.weighted()
	if err != nil {
		return err
	}
	if p.defs == nil {
		p.defs = map[string]*node{}
	}
	def.shared = true
	p.defs[name.text] = def
	return nil
}

// copy returns a copy of n that shares n's kids but not the list of them.
func (n *node) copy() *node {
	c := *n
	c.kids = slices.Clone(n.kids)
	c.shared = false
	return &c
}

// own returns n, or a copy of it if n is shared, for a change that
// concerns one use of a group.
func (n *node) own() *node {
	if n.shared {
		return n.copy()
	}
	return n
}

// deepCopy returns a copy of n and of every node under it.
func (n *node) deepCopy() *node {
	c := n.copy()
	for i, k := range c.kids {
		c.kids[i] = k.deepCopy()
	}
	return c
}
