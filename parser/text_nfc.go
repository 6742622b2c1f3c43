package parser

import (
	"sync"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// nfcStarters is a bitmap of the runes of the Basic Multilingual Plane
// that are NFC starters: canonical combining class 0, and no
// composition with a rune before them or decomposition of their own
// (NFC_Quick_Check=Yes). A string of such runes alone is in NFC
// (UAX #15's quick check answers Yes), so it needs none of norm's work.
// Built on first use: it costs about two milliseconds, which a process that
// never extracts an article should not pay.
var nfcStarters = sync.OnceValue(func() *[0x10000 / 64]uint64 {
	var t [0x10000 / 64]uint64
	var buf [utf8.UTFMax]byte
	for r := rune(0); r < 0x10000; r++ {
		if cjkOrHangul(r) {
			t[r>>6] |= 1 << (r & 63) // half the BMP, known without asking norm
			continue
		}
		if !utf8.ValidRune(r) {
			continue
		}
		b := buf[:utf8.EncodeRune(buf[:], r)]
		if p := norm.NFC.Properties(b); p.BoundaryBefore() && norm.NFC.IsNormal(b) {
			t[r>>6] |= 1 << (r & 63)
		}
	}
	return &t
})

// cjkOrHangul reports the CJK unified ideographs of the BMP and the
// Hangul syllables: NFC starters that neither decompose in NFC nor
// compose with a rune before them.
func cjkOrHangul(r rune) bool {
	return r >= 0x3400 && r <= 0x4dbf || r >= 0x4e00 && r <= 0x9fff || r >= 0xac00 && r <= 0xd7a3
}

// isNFC reports whether s is in Normalization Form C, with the answer of
// norm.NFC.IsNormalString. Article text is nearly always NFC and made of
// runes the bitmap above knows, so a plain scan settles it; anything else
// (a combining mark, a rune beyond the BMP, broken UTF-8) goes to norm.
func isNFC(s string) bool {
	t := nfcStarters()
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		var r rune
		switch {
		case c >= 0xc2 && c < 0xe0 && i+1 < len(s) && s[i+1]&0xc0 == 0x80:
			r = rune(c&0x1f)<<6 | rune(s[i+1]&0x3f)
			i += 2
		case c >= 0xe0 && c < 0xf0 && i+2 < len(s) && s[i+1]&0xc0 == 0x80 && s[i+2]&0xc0 == 0x80:
			r = rune(c&0x0f)<<12 | rune(s[i+1]&0x3f)<<6 | rune(s[i+2]&0x3f)
			i += 3
			if r < 0x800 || (r >= 0xd800 && r < 0xe000) {
				return norm.NFC.IsNormalString(s) // overlong or surrogate
			}
		default:
			return norm.NFC.IsNormalString(s)
		}
		if t[r>>6]&(1<<(r&63)) == 0 {
			return norm.NFC.IsNormalString(s)
		}
	}
	return true
}
