package topic

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file is the matcher seen from a search index: the terms to file a
// text under, and for each term of a query the index terms that every
// text it matches contains. An index built on them finds a superset of
// what the Matcher matches; matching the candidates gives the exact
// answer, with the same folding as the topics.

// IndexTerms calls yield with the terms a search index files text under,
// in text order and possibly repeated, until yield returns false. They are
// the words of the normalised text (see Normalize); Arabic words also
// without each proclitic group the matcher looks past (وبالامم gives
// وبالامم, بالامم, امم...); each two adjacent words, joined by a space
// (the first in each of its forms), so that phrases are found by their
// word pairs; and for scripts written without spaces (Han, kana,
// Thai...), each pair and triple of adjacent characters of a run and the
// run's last character alone, so that substrings of any length can be
// found. A word
// written with capitals also gives its original form after ExactPrefix
// ("\x02UN"), for exact-case terms (=UN).
func IndexTerms(field string, yield func(term string) bool) {
	var t state
	t.add(field)
	t.indexTerms(0, string(t.buf), yield)
}

// indexTerms yields the index terms of segment seg (see IndexTerms); s is
// string(st.buf), and the terms are substrings of it.
func (st *state) indexTerms(seg int, s string, yield func(term string) bool) {
	buf, sg := st.buf, &st.segs[seg]
	var forms, prev [9]int
	nprev := 0
	for start := sg.start; start < sg.end; {
		end := start
		for end < sg.end && buf[end] > ' ' {
			end++
		}
		n, ok := wordTerms(buf, s, start, end, &forms, yield)
		if !ok || n > 0 && !st.exactTerm(sg, start, end, yield) {
			return
		}
		for _, p := range prev[:nprev*min(n, 1)] { // the previous word's forms, a space, this word
			if !yield(s[p:end]) {
				return
			}
		}
		prev, nprev = forms, n
		start = end + 1
	}
}

// ExactPrefix starts the index term of a word's original form (see
// IndexTerms). Normalised text holds no control characters.
const ExactPrefix = "\x02"

// TitlePrefix starts the index terms of an article's title, which it is
// filed under twice: as part of the article and, after TitlePrefix, as
// its title (see news.Normalized.Terms). A term searched in the title only
// (title:"…") is looked up among the latter, so that a phrase common in
// texts but rare in titles does not make every article using it a
// candidate to read.
const TitlePrefix = "\x03"

// exactTerm yields the original form of the word buf[start:end] if it
// has a capital letter.
func (st *state) exactTerm(sg *segment, start, end int, yield func(string) bool) bool {
	orig := sg.orig[st.offs[start]:st.origEnd(sg, end)]
	if hasUpper(orig) {
		return yield(ExactPrefix + orig)
	}
	return true
}

// hasUpper reports whether s has an upper-case letter, looking at ASCII
// a byte at a time.
func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				return true
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if isUpper(r) {
			return true
		}
		i += n - 1
	}
	return false
}

// isUpper is unicode.IsUpper, answering at once for the scripts news
// mostly comes in: lower-case Cyrillic, and Arabic, CJK and Hangul,
// which have no case.
func isUpper(r rune) bool {
	switch {
	case r >= 0x430 && r <= 0x45F, r >= 0x600 && r <= 0x6FF, r >= 0x3000 && r <= 0x9FFF, r >= 0xAC00 && r <= 0xD7A3:
		return false
	case r >= 0x410 && r <= 0x42F:
		return true
	}
	return unicode.IsUpper(r)
}

// scriptAt reports whether the character at s[i] is of a script written
// without spaces (see continuous), and its size, without decoding the
// ASCII and two-byte characters that cannot be.
func scriptAt(s string, i int) (cont bool, size int) {
	if c := s[i]; c < utf8.RuneSelf {
		return false, 1
	} else if c >= 0xC2 && c < 0xE0 && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
		return false, 2 // below U+0800: Latin, Greek, Cyrillic, Arabic...
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	return continuous(r), n
}

// wordTerms yields the index terms of the word s[start:end]: its runs of
// continuous script as character pairs and triples, the rest as words. A word of one
// run of letters that are not continuous gets the start of each of its
// forms in forms (itself, then after each proclitic group): their number
// is n; other words give 0.
func wordTerms(buf []byte, s string, start, end int, forms *[9]int, yield func(string) bool) (n int, ok bool) {
	var ends [8]int
	word := s[:end]
	for i := start; i < end; {
		cont, size := scriptAt(word, i)
		j := i + size
		for j < end {
			c, size := scriptAt(word, j)
			if c != cont {
				break
			}
			j += size
		}
		n = 0
		if cont {
			if !pairTerms(s[i:j], yield) {
				return 0, false
			}
		} else {
			if !yield(s[i:j]) {
				return 0, false
			}
			forms[0], n = i, 1
			if c := buf[i]; (c == 0xD8 || c == 0xD9) && i == start {
				for _, q := range ends[:cliticEnds(buf[:j], i, &ends)] {
					if !yield(s[q:j]) {
						return 0, false
					}
					forms[n] = q
					n++
				}
			}
		}
		if i != start || j != end {
			n = 0 // not one run
		}
		i = j
	}
	return n, true
}

// pairTerms yields each pair and triple of adjacent characters of run,
// and its last character.
func pairTerms(run string, yield func(string) bool) bool {
	for i := 0; i < len(run); {
		_, n := utf8.DecodeRuneInString(run[i:])
		if i+n == len(run) {
			return yield(run[i:])
		}
		_, m := utf8.DecodeRuneInString(run[i+n:])
		if !yield(run[i : i+n+m]) {
			return false
		}
		if i+n+m < len(run) {
			_, o := utf8.DecodeRuneInString(run[i+n+m:])
			if !yield(run[i : i+n+m+o]) {
				return false
			}
		}
		i += n
	}
	return true
}

// charGrams returns the index terms a run of two or more characters of a
// continuous script must match: its character pairs, or for three
// characters or more its overlapping triples (each holds two pairs).
func charGrams(run string) []string {
	var starts []int
	for i := range run {
		starts = append(starts, i)
	}
	starts = append(starts, len(run))
	size := min(3, len(starts)-1)
	var out []string
	for i := 0; i+size < len(starts); i++ {
		out = append(out, run[starts[i]:starts[i+size]])
	}
	return out
}

// Op is the operator of a Clause.
type Op uint8

// Operators of clauses.
const (
	OpTerm Op = iota // a term or phrase: Forms
	OpAnd            // every kid
	OpOr             // any kid
	OpNot            // not its one kid
	OpNear           // both kids near each other: for an index, both kids
	OpLang           // the article's language is Text
	OpMin            // at least Min kids
)

// IndexTerm is what an index lookup for a term must find: the index term
// Text, or with Prefix any index term that starts with Text.
type IndexTerm struct {
	Text   string
	Prefix bool
}

// Clause is a node of a parsed query as a search index sees it. Scopes
// (title:, url:) and exact-case terms (=UN) are left to the Matcher:
// their clauses are those of the plain terms, which match more.
type Clause struct {
	Op   Op
	Kids []Clause
	// Text is the term as written (OpTerm) or the language code (OpLang).
	Text string
	// Min is how many kids an OpMin needs.
	Min int
	// Forms are the ways an OpTerm can occur: a text it matches holds,
	// among its IndexTerms, every term of at least one form. A term
	// without letters (which Compile refuses) has none.
	Forms [][]IndexTerm
}

// Clause returns the query as a tree of clauses, for a search index that
// finds the candidates a Matcher then checks.
func (q *Query) Clause() Clause { return clauseOf(q.root) }

func clauseOf(n *node) Clause {
	c := Clause{Text: n.text}
	switch n.kind {
	case kindTerm:
		c.Op, c.Forms = OpTerm, termForms(n)
		if n.scope == fieldTitle {
			for _, f := range c.Forms {
				for i := range f {
					f[i].Text = TitlePrefix + f[i].Text
				}
			}
		}
		return c
	case kindLang:
		c.Op = OpLang
		return c
	case kindAnd:
		c.Op = OpAnd
	case kindOr:
		c.Op = OpOr
	case kindNot:
		c.Op = OpNot
	case kindNear:
		c.Op = OpNear
	case kindNotNear: // the places of the first operand
		return clauseOf(n.kids[0])
	case kindMin:
		c.Op, c.Min = OpMin, int(n.dist)
	case kindScore:
		return scoreClause(n)
	}
	c.Text = ""
	for _, k := range n.kids {
		c.Kids = append(c.Kids, clauseOf(k))
	}
	return c
}

// scoreClause is what SCORE(...) >= t needs: each required operand, and
// since t is above 0, one operand with a positive weight (the others only
// lower the score).
func scoreClause(n *node) Clause {
	c := Clause{Op: OpAnd}
	positive := Clause{Op: OpOr}
	for _, k := range n.kids {
		if k.required {
			c.Kids = append(c.Kids, clauseOf(k))
		}
		if k.weight > 0 {
			positive.Kids = append(positive.Kids, clauseOf(k))
		}
	}
	c.Kids = append(c.Kids, positive)
	return c
}

// Clauses returns the rules a topic fires on, each a query of its own in
// canonical form, LET groups written out: the operands of its top-level
// ORs, and for a SCORE the clauses of the operands that add points. Any
// other query is one clause.
func (q *Query) Clauses() []string {
	var out []string
	var walk func(n *node)
	walk = func(n *node) {
		switch n.kind {
		case kindOr:
			for _, k := range n.kids {
				walk(k)
			}
		case kindScore:
			for _, k := range n.kids {
				if k.weight > 0 {
					walk(k)
				}
			}
		default:
			bare := *n
			bare.weighted, bare.required = false, false
			out = append(out, (&Query{root: &bare}).String())
		}
	}
	walk(q.root)
	return out
}

// termForms returns the forms of a term node: one per variant the
// compiler would search (the term itself, Arabic without "ال" or without
// spaces, Vietnamese without diacritics).
func termForms(n *node) [][]IndexTerm {
	if n.exact {
		exact := strings.TrimFunc(strings.TrimSpace(n.text), func(r rune) bool { return classify(fold(r)) == kindSep })
		if exactWord(exact) {
			return [][]IndexTerm{{{Text: ExactPrefix + exact}}}
		}
	}
	c := newCompiler()
	if _, err := c.atom(n); err != nil {
		return nil
	}
	var forms [][]IndexTerm
	for _, v := range c.m.variants {
		f := variantTerms(append([]string{c.m.keys[v.key]}, v.rest...), v.wildEnd)
		if !slices.ContainsFunc(forms, func(g []IndexTerm) bool { return slices.Equal(f, g) }) {
			forms = append(forms, f)
		}
	}
	return forms
}

// variantTerms returns the index terms of a variant's pieces: the last
// word of every piece but the last, and of the last one if wildEnd, ends
// in a wildcard.
func variantTerms(pieces []string, wildEnd bool) []IndexTerm {
	var out []IndexTerm
	add := func(t IndexTerm) {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	for i, p := range pieces {
		words := strings.Split(p, " ")
		for j, w := range words {
			prefix := j == len(words)-1 && (i < len(pieces)-1 || wildEnd)
			if j > 0 && plainWord(words[j-1]) && plainWord(w) {
				add(IndexTerm{Text: words[j-1] + " " + w, Prefix: prefix}) // a pair: it holds both words
				continue
			}
			if j+1 < len(words) && plainWord(w) && plainWord(words[j+1]) {
				continue // the next pair holds it
			}
			for k := 0; k < len(w); {
				r, n := utf8.DecodeRuneInString(w[k:])
				e, cont := k+n, continuous(r)
				for e < len(w) {
					r, n := utf8.DecodeRuneInString(w[e:])
					if continuous(r) != cont {
						break
					}
					e += n
				}
				run := w[k:e]
				switch {
				case !cont:
					add(IndexTerm{Text: run, Prefix: prefix && e == len(w)})
				case utf8.RuneCountInString(run) == 1:
					add(IndexTerm{Text: run, Prefix: true}) // a pair it starts, or a run it ends
				default:
					for _, g := range charGrams(run) {
						add(IndexTerm{Text: g})
					}
				}
				k = e
			}
		}
	}
	return out
}

// exactWord reports whether an exact-case term is one word written with a
// capital, which IndexTerms gives in its original form.
func exactWord(s string) bool {
	upper := false
	for _, r := range s {
		switch k := classify(fold(r)); {
		case k != kindWord || !unicode.IsLetter(r) && !unicode.IsDigit(r):
			return false
		case unicode.IsUpper(r):
			upper = true
		}
	}
	return upper && Normalize(s) != "" && !strings.Contains(Normalize(s), " ")
}

// plainWord reports whether w is one run of letters of a script written
// with spaces: IndexTerms pairs such words.
func plainWord(w string) bool {
	for _, r := range w {
		if continuous(r) {
			return false
		}
	}
	return w != ""
}

// MatchLang returns the language an article's Lang is for lang:
// clauses: its primary subtag, lower case.
func MatchLang(tag string) string {
	if len(tag) > 2 {
		return normalizeTag(tag)
	}
	return tag
}
