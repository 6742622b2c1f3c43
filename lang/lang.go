// Package lang identifies the language of a news text from its script and
// its most frequent words, for articles whose feed and page do not say.
package lang

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize reduces a BCP 47 tag to its lower-case primary subtag:
// "vi-VN" -> "vi", "zh-Hant-TW" -> "zh", "zh_CN" -> "zh", "" -> "". Of a
// list such as a Content-Language "en, fr" it keeps the first. Deprecated
// codes are mapped to current ones ("iw" -> "he", "in" -> "id"). Text that
// is not a plausible tag gives "".
func Normalize(tag string) string {
	tag = strings.TrimSpace(tag)
	if i := strings.IndexAny(tag, "-_ ,;."); i >= 0 {
		tag = tag[:i]
	}
	tag = strings.ToLower(tag)
	switch tag {
	case "iw":
		return "he"
	case "in":
		return "id"
	case "ji":
		return "yi"
	}
	if len(tag) < 2 || len(tag) > 3 {
		return ""
	}
	for _, c := range tag {
		if c < 'a' || c > 'z' {
			return ""
		}
	}
	return tag
}

// sampleSize is how much of a text Detect looks at.
const sampleSize = 4096

// Detect returns the ISO 639-1 code of the language text is written in,
// or "" when the evidence is too thin. It looks at the first few
// kilobytes only: scripts tell Arabic, Cyrillic, Greek, Hebrew, Thai,
// Korean, Japanese and Chinese apart, distinctive letters Russian from
// Ukrainian, Belarusian, Bulgarian, Serbian and Macedonian; Vietnamese letters and the most
// frequent words tell the Latin-script languages apart.
func Detect(text string) string {
	if len(text) > sampleSize {
		text = text[:sampleSize]
		for len(text) > 0 && !utf8.RuneStart(text[len(text)-1]) {
			text = text[:len(text)-1]
		}
		text = text[:max(0, len(text)-1)] // drop a possibly cut rune
	}
	text = norm.NFC.String(text)
	var sc scripts
	sc.count(text)
	if l := sc.decide(); l != "" || sc.latin < 20 {
		return l
	}
	return latinLanguage(text, sc.viet)
}

// scripts counts letters per script.
type scripts struct {
	latin, viet, cyrillic, arabic, han, kana, hangul, thai, greek, hebrew, total int
	persian                                                                      int
	cyr                                                                          cyrillicLetters
}

// cyrillicLetters counts the letters that tell the languages written in
// Cyrillic apart.
type cyrillicLetters struct {
	ukrainian  int // і ї є ґ
	belarusian int // ў
	serbian    int // ђ ћ, and ј љ њ џ, which Macedonian shares
	macedonian int // ѓ ќ ѕ
	hard, yery int // ъ, which Bulgarian uses as a vowel; ы and э, which it lacks
}

func (c *cyrillicLetters) add(r rune) {
	switch unicode.ToLower(r) {
	case 'і', 'ї', 'є', 'ґ':
		c.ukrainian++
	case 'ў':
		c.belarusian++
	case 'ђ', 'ћ', 'ј', 'љ', 'њ', 'џ':
		c.serbian++
	case 'ѓ', 'ќ', 'ѕ':
		c.macedonian++
	case 'ъ':
		c.hard++
	case 'ы', 'э':
		c.yery++
	}
}

func (s *scripts) count(text string) {
	for _, r := range text {
		if !unicode.IsLetter(r) {
			continue
		}
		s.total++
		switch {
		case r < 0x250:
			s.latin++
		case r >= 0x1EA0 && r <= 0x1EF9:
			s.latin++
			s.viet++
		case r >= 0x0400 && r <= 0x04FF:
			s.cyrillic++
			s.cyr.add(r)
		case r >= 0x0600 && r <= 0x06FF:
			s.arabic++
			if r == 'پ' || r == 'چ' || r == 'ژ' || r == 'گ' || r == 'ی' || r == 'ک' {
				s.persian++
			}
		case r >= 0x3040 && r <= 0x30FF:
			s.kana++
		case unicode.Is(unicode.Han, r):
			s.han++
		case r >= 0xAC00 && r <= 0xD7AF || r >= 0x1100 && r <= 0x11FF:
			s.hangul++
		case r >= 0x0E00 && r <= 0x0E7F:
			s.thai++
		case r >= 0x0370 && r <= 0x03FF:
			s.greek++
		case r >= 0x0590 && r <= 0x05FF:
			s.hebrew++
		}
		if r == 'đ' || r == 'Đ' || r == 'ơ' || r == 'Ơ' || r == 'ư' || r == 'Ư' {
			s.viet++
		}
	}
}

// decide picks a language from a dominant non-Latin script.
func (s *scripts) decide() string {
	if s.total < 10 {
		return ""
	}
	major := func(n int) bool { return n*2 > s.total }
	switch {
	case s.kana*10 > s.total && s.kana+s.han > s.total/2:
		return "ja"
	case major(s.han):
		return "zh"
	case major(s.hangul):
		return "ko"
	case major(s.arabic):
		if s.persian*20 > s.arabic {
			return "fa"
		}
		return "ar"
	case major(s.cyrillic):
		return cyrillicLanguage(s)
	case major(s.thai):
		return "th"
	case major(s.greek):
		return "el"
	case major(s.hebrew):
		return "he"
	}
	return ""
}

// cyrillicLanguage tells Russian from Ukrainian, Belarusian, Serbian,
// Macedonian and Bulgarian by their distinctive letters: two occurrences
// are needed, so that a quoted name does not decide.
func cyrillicLanguage(s *scripts) string {
	c := &s.cyr
	switch {
	case c.macedonian >= 2:
		return "mk"
	case c.serbian >= 2:
		return "sr"
	case c.belarusian >= 2:
		return "be"
	case c.ukrainian >= 2 && c.yery == 0:
		return "uk"
	case c.hard >= 2 && c.yery == 0 && c.ukrainian == 0:
		return "bg"
	}
	return "ru"
}

// stopwords are frequent, short words that tell Latin-script languages
// apart. A word may count for several languages.
var stopwords = map[string][]string{
	"the": {"en"}, "and": {"en"}, "of": {"en"}, "to": {"en"}, "in": {"en", "de", "it", "id"}, "is": {"en"},
	"that": {"en"}, "for": {"en"}, "was": {"en"}, "with": {"en"}, "said": {"en"}, "on": {"en"}, "by": {"en"},
	"le": {"fr"}, "la": {"fr", "es", "it"}, "les": {"fr"}, "des": {"fr"}, "et": {"fr"}, "est": {"fr"},
	"une": {"fr"}, "du": {"fr"}, "dans": {"fr"}, "pour": {"fr"}, "qui": {"fr"}, "au": {"fr"}, "sur": {"fr"}, "à": {"fr"},
	"de": {"es", "fr", "pt"}, "al": {"es"}, "lo": {"es"}, "es": {"es"}, "fue": {"es"}, "más": {"es"}, "como": {"es", "pt"},
	"sus": {"es"}, "también": {"es"}, "según": {"es"}, "ha": {"es", "it"}, "han": {"es"},
	"el": {"es"}, "los": {"es"}, "las": {"es"}, "y": {"es"}, "que": {"es", "fr", "pt"}, "en": {"es", "fr"},
	"por": {"es", "pt"}, "con": {"es", "it"}, "para": {"es", "pt"}, "una": {"es", "it"}, "del": {"es", "it"}, "se": {"es", "pt", "it"},
	"der": {"de"}, "die": {"de"}, "und": {"de"}, "das": {"de", "pt"}, "ist": {"de"}, "nicht": {"de"}, "mit": {"de"}, "den": {"de"}, "sich": {"de"},
	"il": {"it"}, "di": {"it", "id"}, "che": {"it"}, "non": {"it", "fr"}, "per": {"it"}, "sono": {"it"}, "gli": {"it"},
	"o": {"pt"}, "os": {"pt"}, "não": {"pt"}, "uma": {"pt"}, "com": {"pt"}, "em": {"pt"}, "do": {"pt"}, "da": {"pt"},
	"yang": {"id"}, "dan": {"id"}, "ini": {"id"}, "itu": {"id"}, "dengan": {"id"}, "untuk": {"id"}, "tidak": {"id"}, "dari": {"id"},
	"và": {"vi"}, "của": {"vi"}, "các": {"vi"}, "là": {"vi"}, "có": {"vi"}, "được": {"vi"}, "trong": {"vi"}, "cho": {"vi"}, "người": {"vi"}, "những": {"vi"}, "không": {"vi"},
}

// latinLanguage counts stop words per language in a Latin-script text.
func latinLanguage(text string, viet int) string {
	if viet >= 3 {
		return "vi"
	}
	score := map[string]int{}
	words := 0
	for w := range strings.FieldsFuncSeq(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		words++
		for _, l := range stopwords[w] {
			score[l]++
		}
	}
	best, second := "", 0
	for _, l := range []string{"en", "fr", "es", "de", "it", "pt", "id", "vi"} {
		switch n := score[l]; {
		case best == "" || n > score[best]:
			second = score[best]
			best = l
		case n > second:
			second = n
		}
	}
	if score[best] < 2 || score[best]*10 < words || score[best] == second {
		return ""
	}
	return best
}
