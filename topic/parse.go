package topic

import (
	"strings"
)

// maxDepth bounds nesting so a hostile query cannot exhaust the stack.
const maxDepth = 100

// parser is a recursive-descent parser over the lexer's tokens:
//
//	or      = and { "OR" and }
//	and     = unary { ["AND"] unary }
//	unary   = "NOT" unary | near
//	near    = primary { ("NEAR/n" | "ONEAR/n") primary }
//	primary = "(" or ")" | scope ":" primary | term | phrase
type parser struct {
	lex   lexer
	tok   token
	depth int
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
	return &Query{root: root}, nil
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
		opPos := p.tok.pos
		if err := p.advance(); err != nil {
			return nil, err
		}
		if !p.startsPrimary() {
			return nil, p.lex.errorf(p.tok.pos, "expected a term after %q, found %s", p.lex.src[opPos:opPos+2], p.describe())
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
			opPos := p.tok.pos
			if err := p.advance(); err != nil {
				return nil, err
			}
			if !p.startsPrimary() && p.tok.kind != tokNot {
				return nil, p.lex.errorf(p.tok.pos, "expected a term after %q, found %s", p.lex.src[opPos:opPos+3], p.describe())
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
	left, err := p.primary()
	if err != nil {
		return nil, err
	}
	for p.tok.kind == tokNear {
		op := p.tok
		opText := p.lex.src[op.pos:p.lex.pos]
		if err := p.advance(); err != nil {
			return nil, err
		}
		if !p.startsPrimary() {
			return nil, p.lex.errorf(p.tok.pos, "expected a term after %q, found %s", opText, p.describe())
		}
		right, err := p.primary()
		if err != nil {
			return nil, err
		}
		for _, side := range []*node{left, right} {
			if !positional(side) {
				return nil, p.lex.errorf(op.pos, "expected terms, phrases or OR groups around %q (AND, NOT and lang: have no position)", opText)
			}
		}
		left = &node{kind: kindNear, kids: []*node{left, right}, dist: op.dist, ordered: op.ordered}
	}
	return left, nil
}

// positional reports whether n yields positions a NEAR can measure.
func positional(n *node) bool {
	switch n.kind {
	case kindTerm, kindNear:
		return true
	case kindOr:
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
	case tokWord, tokPhrase, tokLParen, tokScope:
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
	walk(kid, func(n *node) {
		if n.kind == kindLang {
			bad = true
		}
		n.scope = fieldNames[t.text]
	})
	if bad {
		return nil, p.lex.errorf(t.pos, "expected no lang: inside %q", t.text+":")
	}
	return kid, nil
}

// langNode turns lang:vi or lang:(vi OR en) into language tests.
func langNode(p *parser, t token, kid *node) (*node, error) {
	var err error
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

// join builds an n-ary node, flattening runs of the same operator.
func join(kind nodeKind, left, right *node) *node {
	if left.kind == kind {
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
	}
	return false
}

// normalizeTag reduces a language tag to its lower-case primary subtag.
func normalizeTag(tag string) string {
	tag = strings.TrimSpace(tag)
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return strings.ToLower(tag)
}
