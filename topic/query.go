package topic

import (
	"fmt"
	"strconv"
	"strings"
)

// field is a bit set of article fields a term is searched in.
type field uint8

const (
	fieldTitle field = 1 << iota
	fieldText
	fieldURL
	fieldSource
	numFields = 4

	// fieldLead is the title and the start of the text (see leadWords):
	// where a news story says what it is about.
	fieldLead field = 1 << numFields

	fieldDefault = fieldTitle | fieldText
)

// fieldNames maps scope prefixes to fields; "lang" is handled apart.
var fieldNames = map[string]field{
	"title":  fieldTitle,
	"text":   fieldText,
	"url":    fieldURL,
	"source": fieldSource,
	"lead":   fieldLead,
}

type nodeKind uint8

const (
	kindTerm nodeKind = iota
	kindAnd
	kindOr
	kindNot
	kindNear
	kindLang
	kindNotNear // A NOT NEAR/n B: the places of A with no B within n units
	kindMin     // MIN/k(a, b, ...): at least k operands true
	kindScore   // SCORE(a^w, ...) >= t: the weighted hits reach t
)

// node is one operator or operand of a parsed query. The compiled
// default topics hold thousands: its fields are ordered, and its numbers
// sized (distances are at most 1000), to keep it small.
type node struct {
	kids  []*node // operands
	empty []*node // OR, MIN, SCORE: the kids that may match without any term, set by Compile
	text  string  // term or phrase as written (without quotes and "="), or the lang code

	weight    float64 // written as ^w: points per hit in a SCORE; 0 marks context
	threshold float64 // SCORE: the points to reach

	dist   int32 // NEAR distance; MIN's count
	window int32 // MIN/k/w: the operands lie within w units (0: anywhere)
	wpos   int32 // byte offset of the "^" in the query
	atom   int32 // index into Matcher.atoms, set by Compile
	id     int32 // index into Matcher.nodes, set by Compile

	kind       nodeKind
	scope      field // fields a term is searched in
	phrase     bool  // written in quotes
	exact      bool  // written with "=": case-sensitive token(s)
	ordered    bool  // ONEAR
	positional bool  // yields positions (term, OR of them, NEAR), set by Compile
	shared     bool  // a LET group's root, or a copy others reuse: changed only in copies
	weighted   bool  // weight was written
	required   bool  // a SCORE operand written +a: the SCORE is false without its hits
	percent    bool  // SCORE: threshold is in points per 100 words of title and text
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
	n.writeBare(b)
	if n.weighted {
		b.WriteString("^" + formatNumber(n.weight))
	}
}

func formatNumber(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func (n *node) writeBare(b *strings.Builder) {
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
		// A phrase cannot contain '"'. Quote the words that would read
		// otherwise: "# " starts a comment, and a $group used inside MIN or
		// SCORE may hold a word with a comma or a leading "+".
		if n.phrase || n.text == "#" || strings.ContainsRune(n.text, ',') || strings.HasPrefix(n.text, "+") {
			b.WriteString(`"` + n.text + `"`)
		} else {
			b.WriteString(n.text)
		}
	case kindLang:
		b.WriteString("lang:" + n.text)
	case kindNot:
		b.WriteString("NOT ")
		n.kids[0].write(b)
	case kindMin, kindScore:
		if n.kind == kindMin && n.window > 0 {
			fmt.Fprintf(b, "MIN/%d/%d(", n.dist, n.window)
		} else if n.kind == kindMin {
			fmt.Fprintf(b, "MIN/%d(", n.dist)
		} else {
			b.WriteString("SCORE(")
		}
		for i, k := range n.kids {
			if i > 0 {
				b.WriteString(", ")
			}
			if k.required {
				b.WriteByte('+')
			}
			k.write(b)
		}
		b.WriteByte(')')
		if n.kind == kindScore {
			b.WriteString(" >= " + formatNumber(n.threshold))
			if n.percent {
				b.WriteByte('%')
			}
		}
	default:
		op := map[nodeKind]string{kindAnd: " AND ", kindOr: " OR "}[n.kind]
		if n.kind == kindNear || n.kind == kindNotNear {
			op = fmt.Sprintf(" NEAR/%d ", n.dist)
			if n.ordered {
				op = fmt.Sprintf(" ONEAR/%d ", n.dist)
			}
			if n.kind == kindNotNear {
				op = " NOT" + op
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
