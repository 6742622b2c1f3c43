package story

import (
	"testing"
	"unicode"

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

// TestLatinOf: ASCII words take a short way; it must agree with the
// general one.
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
		if got := latinOf(w); got != general {
			t.Errorf("latinOf(%q) = %q, want %q", w, got, general)
		}
	}
}
