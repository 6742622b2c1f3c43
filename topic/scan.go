package topic

import (
	"math"
	"slices"
	"unicode"
	"unicode/utf8"
)

// occurrence is one place an atom was found: a byte range of the normalised
// text inside segment seg.
type occurrence struct {
	s, e int32
	seg  int32
	su   int32 // the unit (word or Han character) it starts in
	next int32 // next occurrence of the same atom, or -1
}

// state is the per-document scratch space, pooled so that matching
// allocates nothing but its result.
type state struct {
	text
	occ       []occurrence
	head      []int32 // atom -> first occurrence, or -1
	tail      []int32
	touched   []int32 // atoms with occurrences
	marked    []bool  // topic -> to be evaluated
	todo      []int32
	spans     []span
	proofs    []proof
	keys      []proofKey // scratch of sortProofs
	sorted    []proof    // scratch of sortProofs
	proofFrom int        // where the proofs of the topic being evaluated start
	results   []result
	snips     []snip
	lang      string
	unitNow   int32      // the unit the scan is at
	ranges    [][2]int32 // scratch of orPositions
	places    []span     // scratch of count
	members   []int32    // the spans of MIN windows (span.kl:kr)
	window    []winItem  // scratch of minWindow
	opCount   []int32    // scratch of minWindow
	opSeen    []bool     // scratch of addWindow
	lead      int32      // the first unit after the lead, or -1 until leadEnd
	// Explain's record of the SCORE and MIN nodes evaluated.
	explaining bool
	salience   []salienceRecord
	termKeys   []termKey // scratch of normalized
	termTmp    []termKey // scratch of normalized
	terms      termSet   // scratch of normalized

	// Nodes active in this document (see eval.go): active when ngen is
	// gen or more, ngen-gen being the index in touched of the atom that
	// activated it (gen moves past every index a document used); kid and
	// sib link the active kids of a node. kid, mgen and may are indexed
	// by operator only (Matcher.inner), sib by edge.
	m        *Matcher
	gen      uint32
	ngen     []uint32
	kid, sib []int32
	mgen     []uint32 // operator -> gen in which may holds its mayMatch
	may      []bool
}

func (m *Matcher) newState() any {
	st := &state{
		lead: -1,
		head: make([]int32, len(m.atoms)), tail: make([]int32, len(m.atoms)), marked: make([]bool, len(m.names)),
		m: m, gen: 1, ngen: make([]uint32, len(m.nodes)),
		kid: make([]int32, m.inner), sib: make([]int32, len(m.edges)), mgen: make([]uint32, m.inner), may: make([]bool, m.inner),
	}
	for i := range st.head {
		st.head[i] = -1
	}
	return st
}

// release resets st for the next document and returns it to the pool.
func (m *Matcher) release(st *state) {
	st.recycle()
	m.pool.Put(st)
}

// recycle resets st for the next document.
func (st *state) recycle() {
	m := st.m
	step := uint32(len(st.touched)) + 1
	if st.gen > math.MaxUint32-step-uint32(len(m.atoms)) {
		clear(st.ngen)
		clear(st.mgen)
		st.gen = 1
	} else {
		st.gen += step
	}
	for _, a := range st.touched {
		st.head[a] = -1
	}
	for _, t := range st.todo {
		st.marked[t] = false
	}
	st.touched, st.todo, st.occ, st.spans = st.touched[:0], st.todo[:0], st.occ[:0], st.spans[:0]
	st.proofs, st.results, st.snips = st.proofs[:0], st.results[:0], st.snips[:0]
	st.members = st.members[:0]
	st.keys, st.sorted = st.keys[:0], st.sorted[:0]
	st.lead, st.explaining, st.salience = -1, false, st.salience[:0]
	st.reset()
	if cap(st.buf) > 1<<22 { // don't keep huge buffers alive
		*st = state{
			head: st.head, tail: st.tail, marked: st.marked, touched: st.touched, todo: st.todo,
			keys: st.keys, sorted: st.sorted, lead: -1,
			m: m, gen: st.gen, ngen: st.ngen, kid: st.kid, sib: st.sib, mgen: st.mgen, may: st.may,
		}
	}
}

// scan finds every occurrence of every atom: it runs the automaton,
// anchored, at each word start, each Han character and each position after
// an Arabic proclitic group.
func (m *Matcher) scan(st *state) {
	if m.trie == nil {
		return
	}
	buf := st.buf
	seg := 0
	var ends [8]int
	for ui, u := range st.units {
		st.unitNow = int32(ui)
		p := int(u)
		for p >= st.segs[seg].end && seg < st.nseg-1 {
			seg++
		}
		c := buf[p]
		if m.mayStart(buf, p) {
			m.findAt(st, p, seg, false)
		}
		if (c == 0xD8 || c == 0xD9) && (p == 0 || buf[p-1] <= ' ') {
			for _, q := range ends[:cliticEnds(buf, p, &ends)] {
				if m.mayStart(buf, q) {
					m.findAt(st, q, seg, true)
				}
			}
		}
	}
}

// findAt runs the automaton anchored at buf[p] and tries every key that
// ends on the way.
func (m *Matcher) findAt(st *state, p, seg int, clitic bool) {
	t, buf := m.trie, st.buf
	s := trieRoot
	for i := p; i < len(buf); i++ {
		if s = t.next(s, buf[i]); s == 0 {
			return
		}
		if k := t.key[s]; k >= 0 {
			m.tryKey(st, k, p, i+1, seg, clitic)
		}
	}
}

// tryKey checks the variants of key k found at buf[s:e] and records the
// occurrences of their atoms.
func (m *Matcher) tryKey(st *state, k int32, s, e, seg int, clitic bool) {
	buf := st.buf
	wordStart := s == 0 || buf[s-1] <= ' '
	for _, vi := range m.byKey[k] {
		v := &m.variants[vi]
		switch {
		case v.start == startWord && !wordStart,
			clitic && v.start != startArabic,
			v.unaccented && seg != segURL && !st.segs[seg].mostlyUnaccented():
			continue
		}
		end, ok := v.verify(buf, e)
		if !ok {
			continue
		}
		if a := &m.atoms[v.atom]; a.exact != "" && !st.exactAt(seg, s, end, a.exact) {
			continue
		}
		start := s
		if clitic { // report the whole word, proclitics included
			for start > 0 && buf[start-1] > ' ' {
				start--
			}
		}
		st.record(v.atom, start, end, seg)
	}
}

// verify checks the end boundary and the pieces after wildcards, and
// returns where the whole match ends.
func (v *variant) verify(buf []byte, e int) (int, bool) {
	if !v.wild0 {
		return e, !v.endCheck || e == len(buf) || buf[e] <= ' '
	}
	e = wordEnd(buf, e)
	for i, r := range v.rest {
		if e >= len(buf) || buf[e] != ' ' || len(buf)-e-1 < len(r) || string(buf[e+1:e+1+len(r)]) != r {
			return 0, false
		}
		e += 1 + len(r)
		if i < len(v.rest)-1 || v.wildEnd {
			e = wordEnd(buf, e)
		} else if v.endCheck && e < len(buf) && buf[e] > ' ' {
			return 0, false
		}
	}
	return e, true
}

func wordEnd(buf []byte, e int) int {
	for e < len(buf) && buf[e] > ' ' {
		e++
	}
	return e
}

func (st *state) record(a int32, s, e, seg int) {
	if t := st.head[a]; t < 0 {
		st.head[a] = int32(len(st.occ))
		st.touched = append(st.touched, a)
	} else {
		last := &st.occ[st.tail[a]]
		if int(last.s) == s && int(last.e) == e {
			return
		}
		last.next = int32(len(st.occ))
	}
	st.tail[a] = int32(len(st.occ))
	st.occ = append(st.occ, occurrence{s: int32(s), e: int32(e), seg: int32(seg), su: st.unitNow, next: -1})
}

// Arabic letters that start a proclitic group, in UTF-8.
const (
	arWaw   = "\u0648" // و and
	arFa    = "\u0641" // ف so
	arBa    = "\u0628" // ب with, in
	arKaf   = "\u0643" // ك like
	arLam   = "\u0644" // ل for, to
	arAl    = "\u0627\u0644"
	arLamAl = "\u0644\u0644" // ل + ال
)

// cliticEnds lists the positions after the proclitic groups the word at p
// starts with: (و|ف)? then لل, or (ب|ك|ل)? (ال)?. Only positions inside
// the word are returned.
func cliticEnds(buf []byte, p int, ends *[8]int) int {
	n := 0
	add := func(q int) {
		if q > p && q < len(buf) && buf[q] > ' ' && n < len(ends) && !slices.Contains(ends[:n], q) {
			ends[n] = q
			n++
		}
	}
	has := func(q int, s string) bool { return len(buf)-q >= len(s) && string(buf[q:q+len(s)]) == s }
	conj := [2]int{p, p}
	if has(p, arWaw) || has(p, arFa) {
		conj[1] = p + 2
	}
	for _, a := range conj {
		add(a)
		if has(a, arLamAl) {
			add(a + 4)
		}
		b := a
		if has(a, arBa) || has(a, arKaf) || has(a, arLam) {
			b = a + 2
			add(b)
		}
		if has(b, arAl) {
			add(b + 4)
		}
		if b != a && has(a, arAl) {
			add(a + 4)
		}
	}
	return n
}

// exactAt reports whether the original text of buf[s:e] is exactly want,
// and is not an ordinary word written in capitals ("UN HOMME ARRÊTÉ").
func (st *state) exactAt(seg, s, e int, want string) bool {
	sg := &st.segs[seg]
	o1, o2 := int(st.offs[s]), st.origEnd(sg, e)
	if sg.orig[o1:o2] != want {
		return false
	}
	return !capsWord(want, st.lang) || !shouting(sg.orig, o1, o2)
}

// capsWords lists the exact tokens that are also common words, with the
// languages they are words in: between words in capitals, "UN" is the
// French, Spanish or Italian article. Other acronyms (ONU, ООН, LHQ,
// UNODC) are no word anywhere, and match in capitals too.
var capsWords = map[string][]string{
	"UN": {"fr", "es", "it", "ro", ""}, // "" : the language is unknown
}

// capsWord reports whether the exact token tok may be an ordinary word in
// a text in language lang.
func capsWord(tok, lang string) bool {
	return slices.Contains(capsWords[tok], lang)
}

// origEnd maps the end of a normalised range to the original text: the end
// of the rune (and its combining marks) that produced buf[e-1].
func (st *state) origEnd(sg *segment, e int) int {
	o := int(st.offs[e-1])
	_, n := utf8.DecodeRuneInString(sg.orig[o:])
	o += n
	for o < len(sg.orig) && sg.orig[o] >= utf8.RuneSelf { // marks are not ASCII
		r, n := utf8.DecodeRuneInString(sg.orig[o:])
		if !unicode.In(r, unicode.Mn, unicode.Me) {
			break
		}
		o += n
	}
	return o
}

// shouting reports whether the word at orig[o1:o2] stands between words
// written in capitals, where an acronym cannot be told from a word.
func shouting(orig string, o1, o2 int) bool {
	next := neighbour(orig[o2:], false)
	if next == "" || !allCaps(next) {
		return false
	}
	prev := neighbour(orig[:o1], true)
	return prev == "" || allCaps(prev)
}

func neighbour(s string, before bool) string {
	isLetter := func(r rune) bool { return unicode.IsLetter(r) }
	if before {
		end := len(s)
		for end > 0 {
			r, n := utf8.DecodeLastRuneInString(s[:end])
			if isLetter(r) || r == '\n' {
				break
			}
			end -= n
		}
		start := end
		for start > 0 {
			r, n := utf8.DecodeLastRuneInString(s[:start])
			if !isLetter(r) {
				break
			}
			start -= n
		}
		return s[start:end]
	}
	start := 0
	for start < len(s) {
		r, n := utf8.DecodeRuneInString(s[start:])
		if isLetter(r) || r == '\n' {
			break
		}
		start += n
	}
	end := start
	for end < len(s) {
		r, n := utf8.DecodeRuneInString(s[end:])
		if !isLetter(r) {
			break
		}
		end += n
	}
	return s[start:end]
}

func allCaps(w string) bool {
	if utf8.RuneCountInString(w) < 2 {
		return false
	}
	for _, r := range w {
		if !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}
