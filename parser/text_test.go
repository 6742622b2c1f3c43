package parser

import (
	"math/rand/v2"
	"strings"
	"testing"
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
