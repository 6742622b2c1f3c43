package topic

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

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
	tokScope  // text is the scope name
	tokWeight // ^w: num is the weight
	tokComma  // between the operands of MIN and SCORE
	tokMin    // MIN/k( or MIN/k/w( : dist is k, window w; the "(" is part of the token
	tokScore  // SCORE( : the "(" is part of the token
	tokPlus   // + before a SCORE operand: it must hit
	tokLet    // LET: defines a named group
	tokRef    // $name: a named group; text is the name
)

type token struct {
	kind    tokKind
	text    string
	exact   bool
	pos     int // byte offset in the query
	dist    int
	window  int
	ordered bool
	num     float64
}

// lexer splits a query into tokens.
type lexer struct {
	src      string
	pos      int
	lists    int      // open MIN and SCORE lists: a comma separates operands only inside one
	comments [][2]int // if not nil, the comments skipped: byte ranges up to their line end
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

func (l *lexer) isSpecial(r rune) bool {
	return r == '(' || r == ')' || r == '"' || r == '^' || r == ',' && l.lists > 0 || unicode.IsSpace(r)
}

// skipSpace skips white space and comments: a "#" followed by white
// space (or the end) runs to the end of the line. "#MeToo" is a word.
func (l *lexer) skipSpace() {
	for l.pos < len(l.src) {
		r, n := utf8.DecodeRuneInString(l.src[l.pos:])
		if r == '#' && l.pos+1 < len(l.src) && !unicode.IsSpace(rune(l.src[l.pos+1])) {
			break
		}
		if r == '#' {
			end := len(l.src)
			if nl := strings.IndexByte(l.src[l.pos:], '\n'); nl >= 0 {
				end = l.pos + nl
			}
			if l.comments != nil {
				l.comments = append(l.comments, [2]int{l.pos, end})
			}
			l.pos = end
			continue
		}
		if !unicode.IsSpace(r) {
			break
		}
		l.pos += n
	}
}

func (l *lexer) next() (token, error) {
	l.skipSpace()
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
	case '^':
		return l.weight(start)
	case ',', '+':
		if l.lists > 0 {
			l.pos++
			if c == '+' {
				return token{kind: tokPlus, pos: start}, nil
			}
			return token{kind: tokComma, pos: start}, nil
		}
	case '=':
		if l.pos+1 < len(l.src) && l.src[l.pos+1] == '"' {
			l.pos++
			return l.phrase(start, true)
		}
	}
	end := l.pos
	for end < len(l.src) {
		r, n := utf8.DecodeRuneInString(l.src[end:])
		if l.isSpecial(r) {
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
	case word == "LET":
		return token{kind: tokLet, pos: start}, nil
	case isRef(word):
		return token{kind: tokRef, text: word[1:], pos: start}, nil
	case strings.HasPrefix(word, "NEAR/") || strings.HasPrefix(word, "ONEAR/"):
		prefix, num, _ := strings.Cut(word, "/")
		d, err := l.slashNumber(prefix+"/", num, "a distance", start, 0)
		return token{kind: tokNear, pos: start, dist: d, ordered: word[0] == 'O'}, err
	case strings.HasPrefix(word, "MIN/"):
		count, window, hasWindow := strings.Cut(word[len("MIN/"):], "/")
		k, err := l.slashNumber("MIN/", count, "a count", start, 1)
		w := 0
		if err == nil && hasWindow {
			w, err = l.slashNumber("MIN/"+count+"/", window, "a window", start, 1)
		}
		if err == nil {
			err = l.openList(word, start)
		}
		return token{kind: tokMin, pos: start, dist: k, window: w}, err
	case word == "SCORE" && l.opensList():
		return token{kind: tokScore, pos: start}, l.openList(word, start)
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

// isRef reports whether word is $name: "$" then a letter, then letters,
// digits and "_". "$5" is an ordinary word.
func isRef(word string) bool {
	if len(word) < 2 || word[0] != '$' {
		return false
	}
	for i, r := range word[1:] {
		if !unicode.IsLetter(r) && (i == 0 || !unicode.IsDigit(r) && r != '_') {
			return false
		}
	}
	return true
}

// slashNumber reads the number num written after prefix (NEAR/, ONEAR/,
// MIN/ or MIN/k/), from least to 1000.
func (l *lexer) slashNumber(prefix, num, what string, start, least int) (int, error) {
	d, err := strconv.Atoi(num)
	if err != nil || d < least || d > 1000 {
		return 0, l.errorf(start+len(prefix), "expected %s from %d to 1000 after %q", what, least, prefix)
	}
	return d, nil
}

// opensList reports whether "(" comes next, after optional spaces.
func (l *lexer) opensList() bool {
	rest := strings.TrimLeftFunc(l.src[l.pos:], unicode.IsSpace)
	return strings.HasPrefix(rest, "(")
}

// openList consumes the "(" after MIN/k or SCORE; commas separate
// operands until the list is closed.
func (l *lexer) openList(word string, start int) error {
	if !l.opensList() {
		return l.errorf(l.pos, "expected \"(\" after %q", word)
	}
	l.skipSpace()
	l.pos++
	l.lists++
	return nil
}

// closeList is called by the parser at the ")" that ends a list.
func (l *lexer) closeList() { l.lists-- }

// maxWeight bounds weights and thresholds.
const maxWeight = 1000

// number reads a decimal number such as 3, -1 or 0.5 at l.pos.
func (l *lexer) number() (float64, bool) {
	end := l.pos
	if end < len(l.src) && (l.src[end] == '-' || l.src[end] == '+') {
		end++
	}
	digits := 0
	for end < len(l.src) && (l.src[end] >= '0' && l.src[end] <= '9' || l.src[end] == '.') {
		end++
		digits++
	}
	if digits == 0 {
		return 0, false
	}
	f, err := strconv.ParseFloat(l.src[l.pos:end], 64)
	if err != nil || math.Abs(f) > maxWeight {
		return 0, false
	}
	l.pos = end
	return f, true
}

// weight reads "^w" at start.
func (l *lexer) weight(start int) (token, error) {
	l.pos++
	w, ok := l.number()
	if !ok {
		return token{}, l.errorf(start, "expected a weight from -%d to %d after \"^\"", maxWeight, maxWeight)
	}
	if l.pos < len(l.src) {
		if r, _ := utf8.DecodeRuneInString(l.src[l.pos:]); !l.isSpecial(r) {
			return token{}, l.errorf(start, "expected a weight from -%d to %d after \"^\"", maxWeight, maxWeight)
		}
	}
	return token{kind: tokWeight, pos: start, num: w}, nil
}

// threshold reads the ">= t" or ">= t%" after a SCORE list, at l.pos.
func (l *lexer) threshold() (t float64, percent bool, err error) {
	l.skipSpace()
	at := l.pos
	if !strings.HasPrefix(l.src[l.pos:], ">=") {
		return 0, false, l.errorf(at, "expected \">=\" and a threshold after SCORE(…)")
	}
	l.pos += 2
	l.skipSpace()
	at = l.pos
	t, ok := l.number()
	if !ok || t <= 0 {
		return 0, false, l.errorf(at, "expected a threshold above 0 and at most %d after \">=\"", maxWeight)
	}
	if l.pos < len(l.src) && l.src[l.pos] == '%' {
		l.pos++
		percent = true
	}
	if l.pos < len(l.src) {
		if r, _ := utf8.DecodeRuneInString(l.src[l.pos:]); !l.isSpecial(r) {
			return 0, false, l.errorf(at, "expected a threshold such as 4 or 0.5%% after \">=\"")
		}
	}
	return t, percent, nil
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

// StripComments returns query without its comments, so that it can be
// shown on one line. It finds them as the lexer does.
func StripComments(query string) string {
	l := lexer{src: query, comments: [][2]int{}}
	for {
		t, err := l.next()
		if err != nil || t.kind == tokEOF {
			break
		}
	}
	var b strings.Builder
	last := 0
	for _, c := range l.comments {
		b.WriteString(query[last:c[0]])
		last = c[1]
	}
	b.WriteString(query[last:])
	return b.String()
}
