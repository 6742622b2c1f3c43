package story

import (
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// TestDigitVal: the decimal digits of ASCII, Arabic-Indic, Persian and
// full-width forms, and nothing else in the Basic Multilingual Plane.
func TestDigitVal(t *testing.T) {
	for r := rune(0); r < 0x10000; r++ {
		want := -1
		for _, zero := range []rune{'0', 0x660, 0x6F0, 0xFF10} {
			if r >= zero && r <= zero+9 {
				want = int(r - zero)
			}
		}
		if got := digitVal(r); got != want {
			t.Fatalf("digitVal(%U) = %d, want %d", r, got, want)
		}
	}
}

// TestLatinOf: ASCII words take a short way, others a table of runes;
// both must agree with the general one.
func TestLatinOf(t *testing.T) {
	for _, w := range []string{"Guterres", "UNODC", "McDonald's", "Ho-Chi-Minh", "Nguyễn", "Гутерриш", "Đà"} {
		general := ""
		for _, r := range norm.NFD.String(w) {
			r = unicode.ToLower(r)
			switch {
			case r < 0x80:
				if r >= 'a' && r <= 'z' {
					general += string(r)
				}
			case r == 'đ':
				general += "d"
			case r >= 0x430 && r <= 0x44F || r == 'ё':
				general += cyrillic()[r]
			}
		}
		if got := string(appendLatin(nil, w)); got != general {
			t.Errorf("appendLatin(%q) = %q, want %q", w, got, general)
		}
	}
}

// TestCountIsNotYear: a four-digit number followed by a Chinese measure
// word counts things (2000个 is two thousand, not the year 2000), while
// 2000年 and a bare 2019 stay years.
func TestCountIsNotYear(t *testing.T) {
	for _, c := range []struct {
		lang, text string
		want, not  string
	}{
		{"zh", "警方解救了2000名受害者。", "n:2000", "y:2000"},
		{"zh", "共查获2000个假护照。", "n:2000", "y:2000"},
		{"zh", "罚款1950元。", "n:1950", "y:1950"},
		{"zh", "该公约于2000年通过。", "y:2000", "n:2000"},
		{"en", "The protocol of 2019 was signed.", "y:2019", "n:2019"},
	} {
		f := facts{names: map[uint64]string{}}
		extract(c.text, &f, &scratch{side: sideOf(c.lang)})
		if !f.has(c.want) {
			t.Errorf("extract(%q) = %v, want %s", c.text, f.names, c.want)
		}
		if f.has(c.not) {
			t.Errorf("extract(%q) = %v, want no %s", c.text, f.names, c.not)
		}
	}
}

// TestKindOfRune: the table and the short way for Han agree with the
// questions asked one by one.
func TestKindOfRune(t *testing.T) {
	for r := rune(0); r < 0x30000; r++ {
		want := runeKindSlow(r)
		if continuous(r) {
			want = runeCont // all the scanner asks of such a rune
		}
		if got := kindOfRune(r); got != want && !(r < 0x3000 && got == runeKindSlow(r)) {
			t.Fatalf("kindOfRune(%U) = %b, want %b", r, got, want)
		}
	}
}

// TestDecodeRune: decodeRune gives what utf8.DecodeRuneInString gives,
// for every sequence of up to three bytes, valid or not, at the end of
// the text or before more.
func TestDecodeRune(t *testing.T) {
	for _, tail := range []string{"", "x"} {
		for c := range 256 {
			for c1 := range 256 {
				for _, c2 := range []byte{0x00, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF} {
					for _, s := range []string{string([]byte{byte(c)}), string([]byte{byte(c), byte(c1)}), string([]byte{byte(c), byte(c1), c2})} {
						s += tail
						gr, gn := decodeRune(s, 0)
						wr, wn := utf8.DecodeRuneInString(s)
						if gr != wr || gn != wn {
							t.Fatalf("decodeRune(%q) = %U, %d, want %U, %d", s, gr, gn, wr, wn)
						}
					}
				}
			}
		}
	}
}
