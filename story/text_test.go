package story

import (
	"slices"
	"testing"
	"unicode/utf8"
)

// TestShingles: the shingles hashed four at a time are those hashed one
// by one, in every script, for texts of any length around the shingle's
// (and with invalid UTF-8, which counts a byte as a rune).
func TestShingles(t *testing.T) {
	texts := []string{
		"", "abcd", "abcde", "abcdef", "abcdefgh", "a b c d e f g h i",
		"Lào Cai: giải cứu bốn thiếu nữ bị lừa bán sang Trung Quốc",
		"генеральный секретарь оон антониу гутерриш", "الأمم المتحدة تدين الاتجار بالبشر",
		"联合国秘书长古特雷斯呼吁打击人口贩运", "mixed 中文 and ñ and \xff\xfe bytes 日本",
	}
	var sc scratch
	for _, text := range texts {
		for _, cont := range []bool{false, true} {
			n := shingleWords
			if cont {
				n = shingleCont
			}
			var want []uint32
			var starts []int
			for i := range text {
				starts = append(starts, i)
			}
			starts = append(starts, len(text))
			for j := 0; j+n < len(starts); j++ {
				want = append(want, uint32(fnv64(text[starts[j]:starts[j+n]])))
			}
			got := shingles(text, cont, &sc)
			if !slices.Equal(got, want) {
				t.Errorf("shingles(%q, %v) = %v, want %v (%d runes)", text, cont, got, want, utf8.RuneCountInString(text))
			}
		}
	}
}
