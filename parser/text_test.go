package parser

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html/atom"
)

// TestOneLine: oneLine is strings.Join(strings.Fields(s), " ") on white
// space of every kind, broken UTF-8 and random strings.
func TestOneLine(t *testing.T) {
	check := func(s string) {
		t.Helper()
		if got, want := oneLine(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Fatalf("oneLine(%+q) = %+q, want %+q", s, got, want)
		}
	}
	for r := rune(0); r < 0x3100; r++ {
		for _, s := range []string{string(r), "a" + string(r) + "b", "a " + string(r) + "b", "a" + string(r) + " b"} {
			check(s)
		}
	}
	for _, s := range []string{"", " ", "a", " a", "a ", "a  b", "a\tb", "a \u00a0b", "\xc2", "a\xc2 b", "a \xe3\x80", "Tin mới nhất", "人口 贩卖"} {
		check(s)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []string{"a", "é", " ", "\t", "\n", "\u00a0", "\u3000", "\u2028", "\u0085", "\xc2", "\xe3", "中", "\r", "\v", "\f"}
	for range 100000 {
		var b strings.Builder
		for range rng.IntN(8) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		check(b.String())
	}
}

// TestMaySpace: every rune that textWriter.text drops or reads as white
// space has a lead byte maySpace marks.
func TestMaySpace(t *testing.T) {
	for r := rune(0x80); r <= utf8.MaxRune; r++ {
		if (invisible(r) || unicode.IsSpace(r)) && !maySpace[string(r)[0]] {
			t.Errorf("U+%04X: lead byte %#x not in maySpace", r, string(r)[0])
		}
	}
}

// textRef is textWriter.text as first written, one rune at a time.
func (w *textWriter) textRef(s string) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch c {
			case ' ', '\t', '\r', '\f', '\v':
				w.softSpace()
				continue
			case '\n':
				if w.pre > 0 {
					w.breakLine()
				} else {
					w.softSpace()
				}
				continue
			}
			w.word()
			w.b.WriteByte(c)
			w.count(1)
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if invisible(r) {
			continue
		}
		if unicode.IsSpace(r) {
			w.softSpace()
			continue
		}
		w.word()
		w.b.WriteRune(r)
		w.count(1)
	}
}

// TestTextWriterText: text writes what textRef writes, with the same
// line and link counts, on random runs of words, white space of every
// kind, invisible characters and broken UTF-8, inside <pre> and links
// and out of them.
func TestTextWriterText(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	alphabet := []string{"a", "Ab", "é", "中", " ", "\t", "\n", "\r", "\u00a0", "\u3000", "\u00ad", "\u200b", "\ufeff", "\u061c",
		"\u2066", "\xc2", "\xe3\x80", "\xff", ".", "\x00", "\u0085", "\U0001F600"}
	for range 20000 {
		got, want := newTextWriter(), newTextWriter()
		for range 1 + rng.IntN(4) {
			var b strings.Builder
			for range rng.IntN(10) {
				b.WriteString(alphabet[rng.IntN(len(alphabet))])
			}
			switch rng.IntN(4) {
			case 0:
				got.open(atom.Pre)
				want.open(atom.Pre)
			case 1:
				got.open(atom.A)
				want.open(atom.A)
			}
			got.text(b.String())
			want.textRef(b.String())
		}
		if got.String() != want.String() || got.chars != want.chars || got.linkChars != want.linkChars ||
			!slices.Equal(got.starts, want.starts) || got.space != want.space || got.lineStart != want.lineStart {
			t.Fatalf("text wrote %+q (%d chars, %d in links), textRef %+q (%d, %d)",
				got.String(), got.chars, got.linkChars, want.String(), want.chars, want.linkChars)
		}
	}
}
