package story

import "testing"

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
