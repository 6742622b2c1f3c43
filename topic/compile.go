package topic

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Topic is a named query, as configured under topics.<name>.query.
type Topic struct {
	Name  string `yaml:"-"`
	Query string `yaml:"query"`
}

// startRule says where a pattern may begin in the normalised text.
type startRule uint8

const (
	startWord   startRule = iota // at a word start
	startFree                    // anywhere: Han and other scripts without spaces
	startArabic                  // at a word start or after a proclitic group (و ف ب ك ل ال لل)
)

// variant is one form of an atom searched in the normalised text: the
// automaton finds key, then the variant checks boundaries and the pieces
// after wildcards.
type variant struct {
	atom       int32
	key        int32
	start      startRule
	wild0      bool     // key is followed by the rest of a wildcard word
	rest       []string // pieces after wildcards, each starting a new word
	wildEnd    bool     // the last piece ends in a wildcard
	endCheck   bool     // the match must end at a word end
	unaccented bool     // a diacritic-free form: only in mostly unaccented fields
}

// atom is one distinct term or phrase of all queries.
type atom struct {
	exact string // non-empty for =TERM: the original text must equal it
}

// Matcher matches articles against compiled topics. It is safe for
// concurrent use.
type Matcher struct {
	names  []string
	roots  []*node
	always []int32 // topics that can match without any term (lang: only)
	atoms  []atom

	// The query nodes of all topics, by node id: a DAG, as the nodes of
	// a LET group are shared by its uses.
	nodes     []*node
	inner     int32     // nodes[:inner] are operators, nodes[inner:] terms
	edges     []edge    // parent -> kid links, by edge id
	upFrom    []int32   // node -> its first edge from a parent in ups; a topic's root has none
	ups       []int32   // edge ids by kid: ups[upFrom[n]:upFrom[n+1]] link n to its parents
	topicOf   []int32   // node -> its topic
	context   []bool    // node -> its hits only qualify a match (see news.Hit.Context)
	atomNodes [][]int32 // atom -> term nodes searching it
	hasLead   bool      // some term is searched in lead:

	variants []variant
	keys     []string
	byKey    [][]int32            // key -> variants
	first    [256]bool            // bytes a key can start with
	first2   [1 << 16 / 64]uint64 // byte pairs a key shorter than 3 bytes can start with (bit set)
	first3   [1 << 16 / 64]uint64 // hashed byte triples of the 3-byte keys
	first4   [1 << 17 / 64]uint64 // hashed first 4 bytes of the longer keys
	trie     *trie

	pool sync.Pool
}

// edge links a node to one of its kids.
type edge struct{ parent, kid int32 }

// compiler builds a Matcher.
type compiler struct {
	m       *Matcher
	ids     map[nodeUse]int32 // a node in one context -> its id
	terms   map[termUse]int32 // a term as written, in one topic and context -> its id
	atomIDs map[string]int32
	keyIDs  map[string]int32
	byText  map[termText]int32 // a term's text -> its atom, so a term repeated across topics is split and normalised once
}

func newCompiler() *compiler {
	return &compiler{m: &Matcher{}, ids: map[nodeUse]int32{}, terms: map[termUse]int32{}, atomIDs: map[string]int32{}, keyIDs: map[string]int32{}, byText: map[termText]int32{}}
}

// termText is a term node as written: what its atom depends on.
type termText struct {
	text  string
	exact bool
}

// Compile compiles topics into one Matcher; all terms of all topics go into
// one Aho-Corasick automaton. Errors name the topic and the position.
func Compile(topics []Topic) (*Matcher, error) {
	c := newCompiler()
	seen := map[string]bool{}
	for ti, t := range topics {
		if t.Name == "" {
			return nil, fmt.Errorf("topic %d: empty name", ti+1)
		}
		if seen[t.Name] {
			return nil, fmt.Errorf("topic %q: defined twice", t.Name)
		}
		seen[t.Name] = true
		q, err := Parse(t.Query)
		if err != nil {
			return nil, fmt.Errorf("topic %q: %w", t.Name, err)
		}
		if err := c.addTopic(int32(ti), q.root); err != nil {
			return nil, fmt.Errorf("topic %q: %w", t.Name, err)
		}
		c.m.names = append(c.m.names, t.Name)
		c.m.roots = append(c.m.roots, q.root)
	}
	c.build()
	c.innerFirst()
	c.linkParents()
	m := c.m
	m.pool.New = func() any { return m.newState() }
	return m, nil
}

func (c *compiler) addTopic(ti int32, root *node) error {
	from := len(c.m.nodes)
	c.number(root, ti, false)
	for _, n := range c.m.nodes[from:] {
		if n.scope&fieldLead != 0 {
			c.m.hasLead = true
		}
		if n.kind != kindTerm {
			continue
		}
		var err error
		if n.atom, err = c.atom(n); err != nil {
			return err
		}
		c.m.atomNodes[n.atom] = append(c.m.atomNodes[n.atom], n.id)
	}
	if evalEmpty(root) {
		c.m.always = append(c.m.always, ti)
	}
	return nil
}

// nodeUse is a node in a context: whether its hits only qualify a match.
type nodeUse struct {
	n       *node
	context bool
}

// termUse is what a term node's hits and score depend on: the same word
// in several LET groups of a topic is one node.
type termUse struct {
	text                        string
	phrase, exact               bool
	scope                       field
	weight                      float64
	weighted, required, context bool
	topic                       int32
}

// number gives n and the nodes below it their ids, once per node and
// context (once per term as written and context), and records the edges to their kids, whether their hits are
// context, and, for OR, MIN and SCORE nodes, the kids that may match
// without any term. A node shared by uses of a LET group is numbered
// once; one used both as context and not is copied, as a hit's Context
// comes from its term node. It returns the node to link to.
func (c *compiler) number(n *node, ti int32, context bool) *node {
	m := c.m
	if n.weighted { // a weight decides: 0 is context, any other is not
		context = n.weight == 0
	}
	use := nodeUse{n, context}
	if id, ok := c.ids[use]; ok {
		return m.nodes[id]
	}
	var term termUse
	if n.kind == kindTerm {
		term = termUse{n.text, n.phrase, n.exact, n.scope, n.weight, n.weighted, n.required, context, ti}
		if id, ok := c.terms[term]; ok {
			c.ids[use] = id
			return m.nodes[id]
		}
	}
	if _, ok := c.ids[nodeUse{n, !context}]; ok {
		n = n.copy()
		n.empty = nil
	}
	n.id = int32(len(m.nodes))
	c.ids[use] = n.id
	if n.kind == kindTerm {
		c.terms[term] = n.id
	}
	n.positional = positional(n)
	m.nodes = append(m.nodes, n)
	m.topicOf = append(m.topicOf, ti)
	m.context = append(m.context, context)
	for i, k := range n.kids {
		// NEAR's first operand is what the match is about; the others
		// only qualify it, unless a weight says otherwise.
		kc := context || n.kind == kindNear && i > 0 && !k.weighted
		k = c.number(k, ti, kc)
		n.kids[i] = k
		m.edges = append(m.edges, edge{parent: n.id, kid: k.id})
		if (n.kind == kindOr || n.kind == kindMin || n.kind == kindScore) && evalEmpty(k) {
			n.empty = append(n.empty, k)
		}
	}
	return n
}

// innerFirst numbers the operators before the terms, so that what a
// state keeps only for nodes with kids (their active kids, mayMatch)
// takes a slot per operator: nine in ten nodes are terms.
func (c *compiler) innerFirst() {
	m := c.m
	ids := make([]int32, len(m.nodes)) // old id -> new
	next := int32(0)
	for _, term := range [2]bool{false, true} {
		if term {
			m.inner = next
		}
		for old, n := range m.nodes {
			if (n.kind == kindTerm) == term {
				ids[old] = next
				next++
			}
		}
	}
	nodes, topicOf, context := make([]*node, len(m.nodes)), make([]int32, len(m.nodes)), make([]bool, len(m.nodes))
	for old, n := range m.nodes {
		id := ids[old]
		nodes[id], topicOf[id], context[id] = n, m.topicOf[old], m.context[old]
		n.id = id
	}
	m.nodes, m.topicOf, m.context = nodes, topicOf, context
	for i, e := range m.edges {
		m.edges[i] = edge{parent: ids[e.parent], kid: ids[e.kid]}
	}
	for _, ns := range m.atomNodes {
		for i, id := range ns {
			ns[i] = ids[id]
		}
	}
}

// linkParents indexes the edges by kid, in the order they were made.
func (c *compiler) linkParents() {
	m := c.m
	m.upFrom = make([]int32, len(m.nodes)+1)
	for _, e := range m.edges {
		m.upFrom[e.kid+1]++
	}
	for i := range m.nodes {
		m.upFrom[i+1] += m.upFrom[i]
	}
	m.ups = make([]int32, len(m.edges))
	next := slices.Clone(m.upFrom[:len(m.nodes)])
	for i, e := range m.edges {
		m.ups[next[e.kid]] = int32(i)
		next[e.kid]++
	}
}

// evalEmpty reports whether n matches a document in which no term occurs.
func evalEmpty(n *node) bool {
	switch n.kind {
	case kindTerm, kindNear, kindNotNear:
		return false
	case kindMin:
		return countFunc(n.kids, evalEmpty) >= int(n.dist)
	case kindScore: // a NOT may score alone: evaluate every time
		for _, k := range n.kids {
			if k.required && !evalEmpty(k) {
				return false
			}
		}
		for _, k := range n.kids {
			if k.weight > 0 && evalEmpty(k) {
				return true
			}
		}
		return false
	case kindLang:
		return true // depends on the language only: evaluate every time
	case kindNot:
		return true
	case kindAnd:
		for _, k := range n.kids {
			if !evalEmpty(k) {
				return false
			}
		}
		return true
	}
	for _, k := range n.kids {
		if evalEmpty(k) {
			return true
		}
	}
	return false
}

// atom returns the id of the atom for a term node, creating its variants.
func (c *compiler) atom(n *node) (int32, error) {
	tt := termText{n.text, n.exact}
	if a, ok := c.byText[tt]; ok {
		return a, nil
	}
	a, err := c.newAtom(n)
	if err == nil {
		c.byText[tt] = a
	}
	return a, err
}

// newAtom returns the id of the atom for a term node not seen before,
// creating its variants; terms written differently may share an atom.
func (c *compiler) newAtom(n *node) (int32, error) {
	exact := ""
	if n.exact {
		exact = strings.TrimFunc(strings.TrimSpace(n.text), func(r rune) bool { return classify(fold(r)) == kindSep })
	}
	pieces, wildEnd := splitPieces(n.text)
	if len(pieces) == 0 {
		return 0, fmt.Errorf("term %q has no letters or digits", n.text)
	}
	id := fmt.Sprintf("%q %q %v", exact, pieces, wildEnd)
	if a, ok := c.atomIDs[id]; ok {
		return a, nil
	}
	a := int32(len(c.m.atoms))
	c.atomIDs[id] = a
	c.m.atoms = append(c.m.atoms, atom{exact: exact})
	c.m.atomNodes = append(c.m.atomNodes, nil)

	c.addVariant(a, pieces, wildEnd, false)
	if len(pieces) == 1 && !wildEnd && startsArabic(pieces[0]) && strings.Contains(pieces[0], " ") {
		// Aggregators sometimes drop the spaces between Arabic words.
		c.addVariant(a, []string{strings.ReplaceAll(pieces[0], " ", "")}, false, false)
	}
	if exact == "" && words(pieces) >= 3 && startsLatin(pieces[0]) {
		bare := make([]string, len(pieces))
		changed := false
		for i, p := range pieces {
			bare[i] = stripDiacritics(p)
			changed = changed || bare[i] != p
		}
		if changed {
			c.addVariant(a, bare, wildEnd, true)
		}
	}
	return a, nil
}

func (c *compiler) addVariant(a int32, pieces []string, wildEnd, unaccented bool) {
	v := variant{atom: a, rest: pieces[1:], wildEnd: wildEnd, unaccented: unaccented}
	v.wild0 = len(pieces) > 1 || wildEnd
	key := pieces[0]
	r, _ := utf8.DecodeRuneInString(key)
	switch {
	case continuous(r):
		v.start = startFree
	case startsArabic(key):
		v.start = startArabic
		if k, ok := strings.CutPrefix(key, "ال"); ok && utf8.RuneCountInString(k) >= 2 && !strings.HasPrefix(k, " ") {
			key = k
		}
	}
	last := pieces[len(pieces)-1]
	lr, _ := utf8.DecodeLastRuneInString(last)
	v.endCheck = !wildEnd && classify(lr) == kindWord
	k, ok := c.keyIDs[key]
	if !ok {
		k = int32(len(c.m.keys))
		c.keyIDs[key] = k
		c.m.keys = append(c.m.keys, key)
		c.m.byKey = append(c.m.byKey, nil)
	}
	v.key = k
	c.m.byKey[k] = append(c.m.byKey[k], int32(len(c.m.variants)))
	c.m.variants = append(c.m.variants, v)
}

// build creates the automaton over all keys and the prefilter tables.
func (c *compiler) build() {
	m := c.m
	if len(m.keys) == 0 {
		return
	}
	for _, k := range m.keys {
		m.first[k[0]] = true
		switch len(k) {
		case 1:
			for c := range 256 {
				m.setFirst2(k[0], byte(c))
			}
		case 2:
			m.setFirst2(k[0], k[1])
		case 3:
			i := hash3(k[0], k[1], k[2])
			m.first3[i/64] |= 1 << (i % 64)
		default:
			i := hash4(k)
			m.first4[i/64] |= 1 << (i % 64)
		}
	}
	m.trie = newTrie(m.keys)
}

func (m *Matcher) setFirst2(a, b byte) {
	i := int(a)<<8 | int(b)
	m.first2[i/64] |= 1 << (i % 64)
}

// mayStart reports whether a key can start at buf[p]: a cheap test of the
// first two, three or four bytes that saves running the trie at most word
// starts and Han characters.
func (m *Matcher) mayStart(buf []byte, p int) bool {
	n := len(buf) - p
	if n < 2 {
		return m.first[buf[p]]
	}
	i := int(buf[p])<<8 | int(buf[p+1])
	if m.first2[i/64]&(1<<(i%64)) != 0 {
		return true
	}
	if n < 3 {
		return false
	}
	j := hash3(buf[p], buf[p+1], buf[p+2])
	if m.first3[j/64]&(1<<(j%64)) != 0 {
		return true
	}
	if n < 4 {
		return false
	}
	k := hash4(buf[p : p+4])
	return m.first4[k/64]&(1<<(k%64)) != 0
}

// hash3 maps three bytes to a bit of first3.
func hash3(a, b, c byte) uint32 {
	return (uint32(a)<<16 | uint32(b)<<8 | uint32(c)) * 0x9E3779B1 >> 16
}

// hash4 maps the first four bytes of s to a bit of first4.
func hash4[S string | []byte](s S) uint32 {
	return (uint32(s[0])<<24 | uint32(s[1])<<16 | uint32(s[2])<<8 | uint32(s[3])) * 0x9E3779B1 >> 15
}

// splitPieces normalises a term and splits it after every wildcard word:
// "торговл* людьми" -> ["торговл", "людьми"], false.
func splitPieces(s string) (pieces []string, wildEnd bool) {
	var cur []string
	flush := func() {
		if p := Normalize(strings.Join(cur, " ")); p != "" {
			pieces = append(pieces, p)
		}
		cur = cur[:0]
	}
	fields := strings.Fields(s)
	for i, w := range fields {
		if strings.HasSuffix(w, "*") {
			cur = append(cur, strings.TrimRight(w, "*"))
			flush()
			wildEnd = i == len(fields)-1
			continue
		}
		cur = append(cur, w)
	}
	flush()
	return pieces, wildEnd
}

func words(pieces []string) int {
	n := 0
	for _, p := range pieces {
		n += strings.Count(p, " ") + 1
	}
	return n
}

func startsLatin(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.Is(unicode.Latin, r)
}

func startsArabic(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r >= 0x0600 && r <= 0x06FF
}

// stripDiacritics removes the marks of Latin letters (and maps đ to d), for
// the diacritic-free forms of long Vietnamese phrases.
func stripDiacritics(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ':
			r = 'd'
		}
		b.WriteRune(r)
	}
	return norm.NFC.String(b.String())
}

// Topics returns the topic names in configuration order.
func (m *Matcher) Topics() []string { return append([]string(nil), m.names...) }
