package topic

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// field is a bit set of article fields a term is searched in.
type field uint8

const (
	fieldTitle field = 1 << iota
	fieldText
	fieldURL
	fieldSource
	numFields = 4

	fieldDefault = fieldTitle | fieldText
)

// fieldNames maps scope prefixes to fields; "lang" is handled apart.
var fieldNames = map[string]field{
	"title":  fieldTitle,
	"text":   fieldText,
	"url":    fieldURL,
	"source": fieldSource,
}

type nodeKind uint8

const (
	kindTerm nodeKind = iota
	kindAnd
	kindOr
	kindNot
	kindNear
	kindLang
)

// node is one operator or operand of a parsed query.
type node struct {
	kind    nodeKind
	kids    []*node
	text    string  // term or phrase as written (without quotes and "="), or the lang code
	phrase  bool    // written in quotes
	exact   bool    // written with "=": case-sensitive token(s)
	scope   field   // fields a term is searched in
	dist    int     // NEAR distance
	ordered bool    // ONEAR
	atom    int32   // index into Matcher.atoms, set by Compile
	id      int32   // index into Matcher.nodes, set by Compile
	empty   []*node // OR: the kids that may match without any term, set by Compile
}

// Query is a parsed topic query. Its String method prints it in canonical
// form, fully parenthesised.
type Query struct {
	root *node
}

// String renders the query in canonical form.
func (q *Query) String() string {
	var b strings.Builder
	q.root.write(&b)
	return b.String()
}

func (n *node) write(b *strings.Builder) {
	switch n.kind {
	case kindTerm:
		if n.scope != fieldDefault {
			for name, f := range fieldNames {
				if n.scope == f {
					b.WriteString(name + ":")
				}
			}
		}
		if n.exact {
			b.WriteByte('=')
		}
		if n.phrase { // a phrase cannot contain '"', so no escaping is needed
			b.WriteString(`"` + n.text + `"`)
		} else {
			b.WriteString(n.text)
		}
	case kindLang:
		b.WriteString("lang:" + n.text)
	case kindNot:
		b.WriteString("NOT ")
		n.kids[0].write(b)
	default:
		op := map[nodeKind]string{kindAnd: " AND ", kindOr: " OR "}[n.kind]
		if n.kind == kindNear {
			op = fmt.Sprintf(" NEAR/%d ", n.dist)
			if n.ordered {
				op = fmt.Sprintf(" ONEAR/%d ", n.dist)
			}
		}
		b.WriteByte('(')
		for i, k := range n.kids {
			if i > 0 {
				b.WriteString(op)
			}
			k.write(b)
		}
		b.WriteByte(')')
	}
}

// SyntaxError reports where a query is malformed and what was expected.
type SyntaxError struct {
	Line, Col int // 1-based; Col counts characters
	Msg       string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg) }

type tokKind uint8

const (
	tokEOF tokKind = iota
	tokWord
	tokPhrase
	tokLParen
	tokRParen
	tokAnd
	tokOr
	tokNot
	tokNear
	tokScope // text is the scope name
)

type token struct {
	kind    tokKind
	text    string
	exact   bool
	pos     int // byte offset in the query
	dist    int
	ordered bool
}

// lexer splits a query into tokens.
type lexer struct {
	src string
	pos int
}

func (l *lexer) errorf(pos int, format string, args ...any) error {
	line, col := 1, 1
	for _, r := range l.src[:min(pos, len(l.src))] {
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return &SyntaxError{Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

func isSpecial(r rune) bool { return r == '(' || r == ')' || r == '"' || unicode.IsSpace(r) }

func (l *lexer) next() (token, error) {
	for l.pos < len(l.src) {
		r, n := utf8.DecodeRuneInString(l.src[l.pos:])
		if !unicode.IsSpace(r) {
			break
		}
		l.pos += n
	}
	start := l.pos
	if l.pos >= len(l.src) {
		return token{kind: tokEOF, pos: start}, nil
	}
	switch c := l.src[l.pos]; c {
	case '(':
		l.pos++
		return token{kind: tokLParen, pos: start}, nil
	case ')':
		l.pos++
		return token{kind: tokRParen, pos: start}, nil
	case '"':
		return l.phrase(start, false)
	case '=':
		if l.pos+1 < len(l.src) && l.src[l.pos+1] == '"' {
			l.pos++
			return l.phrase(start, true)
		}
	}
	end := l.pos
	for end < len(l.src) {
		r, n := utf8.DecodeRuneInString(l.src[end:])
		if isSpecial(r) {
			break
		}
		if r == ':' {
			if name := l.src[l.pos:end]; name == "lang" || fieldNames[name] != 0 {
				l.pos = end + 1
				return token{kind: tokScope, text: name, pos: start}, nil
			}
		}
		end += n
	}
	word := l.src[l.pos:end]
	l.pos = end
	switch {
	case word == "AND" || word == "&&":
		return token{kind: tokAnd, pos: start}, nil
	case word == "OR" || word == "||":
		return token{kind: tokOr, pos: start}, nil
	case word == "NOT":
		return token{kind: tokNot, pos: start}, nil
	case strings.HasPrefix(word, "NEAR/") || strings.HasPrefix(word, "ONEAR/"):
		_, num, _ := strings.Cut(word, "/")
		d, err := strconv.Atoi(num)
		if err != nil || d < 0 || d > 1000 {
			return token{}, l.errorf(start+strings.Index(word, "/")+1, "expected a distance from 0 to 1000 after %q", word[:strings.Index(word, "/")+1])
		}
		return token{kind: tokNear, pos: start, dist: d, ordered: word[0] == 'O'}, nil
	}
	exact := false
	if strings.HasPrefix(word, "=") && len(word) > 1 {
		exact, word = true, word[1:]
	}
	if err := l.checkWildcards(word, start); err != nil {
		return token{}, err
	}
	return token{kind: tokWord, text: word, exact: exact, pos: start}, nil
}

func (l *lexer) phrase(start int, exact bool) (token, error) {
	end := strings.IndexByte(l.src[l.pos+1:], '"')
	if end < 0 {
		return token{}, l.errorf(len(l.src), "expected closing '\"' for the phrase at %d", start+1)
	}
	text := l.src[l.pos+1 : l.pos+1+end]
	l.pos += end + 2
	if strings.TrimSpace(text) == "" {
		return token{}, l.errorf(start, "empty phrase")
	}
	for w := range strings.FieldsSeq(text) {
		if err := l.checkWildcards(w, start); err != nil {
			return token{}, err
		}
	}
	return token{kind: tokPhrase, text: text, exact: exact, pos: start}, nil
}

// checkWildcards allows "*" only at the end of a word with at least three
// letters before it.
func (l *lexer) checkWildcards(word string, pos int) error {
	i := strings.IndexByte(word, '*')
	if i < 0 {
		return nil
	}
	if i != len(word)-1 {
		return l.errorf(pos, "expected \"*\" only at the end of %q", word)
	}
	if utf8.RuneCountInString(strings.TrimRightFunc(word[:i], func(r rune) bool { return !unicode.IsLetter(r) })) < 3 {
		return l.errorf(pos, "expected at least 3 letters before \"*\" in %q", word)
	}
	return nil
}
