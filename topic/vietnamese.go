package topic

import "unicode/utf8"

// Vietnamese writes the tone of the open syllables oa, oe and uy either on
// the first vowel (hòa, thủy: the "new" style) or on the second (hoà, thuỷ:
// the "old" style), and both are common in news text: "gìn giữ hoà bình"
// and "gìn giữ hòa bình" are the same words. The normaliser folds the old
// style to the new one at the end of a word, where the two styles differ
// (with a final consonant, as in hoàng or thuyết, both put the tone on the
// second vowel).

// toneMoves maps a toned a, e or y to the index of its tone (0..4:
// grave, acute, hook, tilde, dot below).
var toneMoves = map[rune]int{
	'à': 0, 'á': 1, 'ả': 2, 'ã': 3, 'ạ': 4,
	'è': 0, 'é': 1, 'ẻ': 2, 'ẽ': 3, 'ẹ': 4,
	'ỳ': 0, 'ý': 1, 'ỷ': 2, 'ỹ': 3, 'ỵ': 4,
}

// toned gives o and u with each tone, in toneMoves order.
var toned = map[byte][5]rune{
	'o': {'ò', 'ó', 'ỏ', 'õ', 'ọ'},
	'u': {'ù', 'ú', 'ủ', 'ũ', 'ụ'},
}

// bareVowel gives the untoned form of the vowels in toneMoves.
func bareVowel(r rune) byte {
	switch r {
	case 'à', 'á', 'ả', 'ã', 'ạ':
		return 'a'
	case 'è', 'é', 'ẻ', 'ẽ', 'ẹ':
		return 'e'
	}
	return 'y'
}

// moveTone rewrites a word that just ended in o or u followed by a toned
// a, e or y (oà, oé, uỷ) into the new style (òa, óe, ủy). Only the pairs
// Vietnamese uses are moved: oa, oe and uy.
func (t *text) moveTone() {
	n := len(t.buf)
	// The toned vowel is two bytes (C3 xx) or three (E1 BA/BB xx) long.
	if n < 3 || t.buf[n-1] < utf8.RuneSelf || !(t.buf[n-2] == 0xC3 || n >= 4 && t.buf[n-3] == 0xE1) {
		return
	}
	r, size := utf8.DecodeLastRune(t.buf)
	tone, ok := toneMoves[r]
	if !ok || n-size < 1 {
		return
	}
	first := t.buf[n-size-1]
	bare := bareVowel(r)
	if !(first == 'o' && (bare == 'a' || bare == 'e') || first == 'u' && bare == 'y') {
		return
	}
	o1, o2 := t.offs[n-size-1], t.offs[n-size]
	t.buf, t.offs = t.buf[:n-size-1], t.offs[:n-size-1]
	m := len(t.buf)
	t.buf = utf8.AppendRune(t.buf, toned[first][tone])
	for range len(t.buf) - m {
		t.offs = append(t.offs, o1)
	}
	t.buf = append(t.buf, bare)
	t.offs = append(t.offs, o2)
}
