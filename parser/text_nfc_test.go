package parser

import (
	"math/rand/v2"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// TestIsNFC: isNFC answers as norm.NFC.IsNormalString on every rune of
// the BMP alone and after a letter, on random pairs of runes, on broken
// UTF-8 and on random byte strings.
func TestIsNFC(t *testing.T) {
	check := func(s string) {
		t.Helper()
		if got, want := isNFC(s), norm.NFC.IsNormalString(s); got != want {
			t.Fatalf("isNFC(%+q) = %v, norm says %v", s, got, want)
		}
	}
	starters := nfcStarters()
	for r := rune(0); r < 0x10000; r++ {
		b := []byte(string(r))
		want := utf8.ValidRune(r) && norm.NFC.Properties(b).BoundaryBefore() && norm.NFC.IsNormal(b)
		if got := starters[r>>6]&(1<<(r&63)) != 0; got != want {
			t.Fatalf("U+%04X: in the starters' bitmap %v, want %v", r, got, want)
		}
		check(string(r))
		check("a" + string(r))
		check(string(r) + "\u0301")
		check("\u1100" + string(r)) // a Hangul leading consonant composes with a vowel
	}
	rng := rand.New(rand.NewPCG(1, 2))
	runeOf := func() rune {
		switch rng.IntN(4) {
		case 0:
			return rune(rng.IntN(0x80))
		case 1:
			return rune(0x80 + rng.IntN(0x780))
		case 2:
			return rune(0x800 + rng.IntN(0xf800))
		}
		return rune(0x10000 + rng.IntN(0x100000))
	}
	for range 200000 {
		check(string(runeOf()) + string(runeOf()) + string(runeOf()))
	}
	for _, s := range []string{"", "\xc2", "\xc2a", "\xe1\x80", "\xe0\x80\x80", "\xed\xa0\x80", "\xc0\x80", "\xff", "e\u0301", "\uac00\u11a8",
		"Buôn bán người qua biên giới", "торговля людьми", "الاتجار بالبشر", "人口贩卖", "Traite des êtres humains"} {
		check(s)
	}
	b := make([]byte, 12)
	for range 200000 {
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		check(string(b))
		if utf8.Valid(b) {
			check(string(b) + "\u0308")
		}
	}
}
