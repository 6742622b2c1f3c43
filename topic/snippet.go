package topic

import (
	"encoding/binary"
	"math/bits"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Snippets are about snippetRunes characters of the original text around
// a hit, cut at word boundaries (at any character in Han and other scripts
// without spaces), never inside a grapheme, with "…" where text was cut.
const (
	snippetRunes  = 120
	minContext    = 12 // characters on each side of a long hit
	boundarySlack = 24 // how far past the budget a word boundary is sought
	ellipsis      = "…"
)

// snip is where a snippet starts and ends in the original text, and
// whether it was cut there.
type snip struct {
	from, to   int
	cutL, cutR bool
}

// size is the length of the snippet in bytes, ellipses included.
func (c snip) size() int {
	n := c.to - c.from
	if c.cutL {
		n += len(ellipsis)
	}
	if c.cutR {
		n += len(ellipsis)
	}
	return n
}

// snippetAround chooses the snippet of s around the hit s[start:end].
func snippetAround(s string, start, end int) snip {
	hit := utf8.RuneCountInString(s[start:end])
	rest := max(snippetRunes-hit, 2*minContext)
	before := rest * 5 / 12
	after := rest - before
	c := snip{from: start, to: end}
	if p := back(s, start, before); p > 0 {
		c.from, c.cutL = leftCut(s, p, start), true
	} else {
		c.from = 0
	}
	if q := forward(s, end, after); q < len(s) {
		c.to, c.cutR = rightCut(s, q, end), true
	} else {
		c.to = len(s)
	}
	return c
}

// back returns the position n characters before p (or 0).
func back(s string, p, n int) int {
	for n >= 8 && p >= 8 {
		n -= 8 - continuations(s[p-8:p])
		p -= 8
	}
	for ; n > 0 && p > 0; n-- {
		p--
		for p > 0 && s[p]&0xC0 == 0x80 {
			p--
		}
	}
	for p > 0 && s[p]&0xC0 == 0x80 { // the 8-byte steps may stop mid-rune
		p--
	}
	return p
}

// forward returns the position n characters after p (or len(s)).
func forward(s string, p, n int) int {
	for n >= 8 && len(s)-p >= 8 {
		n -= 8 - continuations(s[p:p+8])
		p += 8
	}
	for p < len(s) && s[p]&0xC0 == 0x80 { // finish a rune the steps counted
		p++
	}
	for ; n > 0 && p < len(s); n-- {
		p++
		for p < len(s) && s[p]&0xC0 == 0x80 {
			p++
		}
	}
	return p
}

// continuations counts the UTF-8 continuation bytes (10xxxxxx) of an
// 8-byte string, which start no character.
func continuations(s string) int {
	x := binary.LittleEndian.Uint64([]byte(s))
	return bits.OnesCount64(x &^ (x << 1) & 0x8080808080808080)
}

// leftCut returns where a snippet cut near p (before the hit at start)
// begins: after the first separator at or after p, at p itself in text
// without spaces, or at the word start just before p.
func leftCut(s string, p, start int) int {
	if r, _ := utf8.DecodeRuneInString(s[p:]); continuous(r) {
		return graphemeStart(s, p)
	}
	for q := p; q < start; {
		r, n := utf8.DecodeRuneInString(s[q:])
		if separator(r) {
			return skipSeparators(s, q, start)
		}
		q += n
	}
	for q, k := p, 0; q > 0 && k < boundarySlack; k++ { // a long word: take it whole
		r, n := utf8.DecodeLastRuneInString(s[:q])
		if separator(r) {
			return q
		}
		q -= n
	}
	return graphemeStart(s, p)
}

// rightCut returns where a snippet cut near q (after the hit ending at end)
// ends: at the last separator before q, at q itself in text without
// spaces, or at the end of the word q is in.
func rightCut(s string, q, end int) int {
	if r, _ := utf8.DecodeLastRuneInString(s[:q]); continuous(r) {
		return graphemeStart(s, q)
	}
	for p := q; p > end; {
		r, n := utf8.DecodeLastRuneInString(s[:p])
		if separator(r) {
			return trimSpaces(s, p, end)
		}
		p -= n
	}
	for p, k := q, 0; p < len(s) && k < boundarySlack; k++ {
		r, n := utf8.DecodeRuneInString(s[p:])
		if separator(r) {
			return p
		}
		p += n
	}
	return graphemeStart(s, q)
}

// skipSeparators returns the start of the first word at or after q (not
// past limit).
func skipSeparators(s string, q, limit int) int {
	for q < limit {
		r, n := utf8.DecodeRuneInString(s[q:])
		if !separator(r) {
			break
		}
		q += n
	}
	return q
}

// trimSpaces drops the white space before p (not before limit).
func trimSpaces(s string, p, limit int) int {
	for p > limit {
		r, n := utf8.DecodeLastRuneInString(s[:p])
		if !unicode.IsSpace(r) {
			break
		}
		p -= n
	}
	return p
}

// graphemeStart moves p back to the start of the grapheme it is in, so
// that a combining mark stays with its base.
func graphemeStart(s string, p int) int {
	for p > 0 {
		r, _ := utf8.DecodeRuneInString(s[p:])
		prev, n := utf8.DecodeLastRuneInString(s[:p])
		if !joins(r) && prev != '\u200D' {
			break
		}
		p -= n
	}
	return p
}

// joins reports whether r attaches to the rune before it.
func joins(r rune) bool {
	return r == '\u200D' || r >= 0x300 && (unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc))
}

// separator reports whether r separates words: white space, punctuation
// and symbols.
func separator(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiKind[r] == kindSep
	}
	_, k := foldKind(r) // classify(fold(r)), through the tables for common runes
	return k == kindSep
}

// write appends the snippet of s to b.
func (c snip) write(b *strings.Builder, s string) {
	if c.cutL {
		b.WriteString(ellipsis)
	}
	b.WriteString(s[c.from:c.to])
	if c.cutR {
		b.WriteString(ellipsis)
	}
}

// snippet returns the snippet of s around s[start:end].
func snippet(s string, start, end int) string {
	c := snippetAround(s, start, end)
	if !c.cutL && !c.cutR {
		return s[c.from:c.to]
	}
	var b strings.Builder
	b.Grow(c.size())
	c.write(&b, s)
	return b.String()
}
