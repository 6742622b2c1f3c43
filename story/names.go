package story

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Names. A run of capitalised Latin or Cyrillic words is a name; it is
// compared by its consonant skeleton, which survives transliteration and
// spelling: Guterres, Гутерриш and غوتيريش all give "gtrs" (the Arabic
// only through the gazetteer and agency lists, since Arabic has no
// capitals to find names by). A name of several words is kept whole
// when its skeleton has at least minNameClasses consonants, and each of
// its words is kept alone when that word has as many.
const minNameClasses = 4

// names records the names of the text, and with translit the keys that
// meet their Chinese transliterations.
func names(s string, toks []token, f facts, translit bool) {
	for i := 0; i < len(toks); {
		t := toks[i]
		if t.kind != tokWord || !t.upper || t.script == scriptOther || t.allUpper && t.end-t.start <= 8 {
			i++
			continue
		}
		j := i + 1
		for j < len(toks) && j-i < 4 && toks[j].kind == tokWord && toks[j].upper && !toks[j].allUpper &&
			toks[j].script == t.script && spaceOnly(s[toks[j-1].end:toks[j].start]) {
			j++
		}
		if t.sentence && (j == i+1 || stopword(strings.ToLower(s[t.start:t.end]))) {
			i++ // a capital that only starts a sentence
			continue
		}
		var whole, parts []string
		tsLen := 0
		for k := i; k < j; k++ {
			l := latinOf(s[toks[k].start:toks[k].end])
			sk := skeleton(l)
			if sk != "" {
				whole = append(whole, sk)
			}
			if len(sk) >= minNameClasses {
				f.add("m:"+sk, s[toks[k].start:toks[k].end])
			}
			if translit {
				if ts := translitSkeleton(l); ts != "" {
					parts = append(parts, ts)
					tsLen += len(ts)
				}
			}
		}
		if len(whole) > 1 && len(strings.Join(whole, "")) >= minNameClasses {
			f.add("m:"+strings.Join(whole, " "), s[t.start:toks[j-1].end])
		}
		if translit {
			addTranslit(f, parts, tsLen, s[t.start:toks[j-1].end])
		}
		i = j
	}
}

// skeleton reduces a Latin or Cyrillic word, as latinOf gives it, to
// the classes of its consonants: vowels and h dropped, b/p, k/c/q, t/d, f/v/w, s/z/x/j and
// the sibilant digraphs merged, repeats collapsed.
func skeleton(l string) string {
	var b strings.Builder
	last := byte(0)
	emit := func(c byte) {
		if c != last {
			b.WriteByte(c)
		}
		last = c
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if i+1 < len(l) {
			switch l[i : i+2] {
			case "ph":
				emit('f')
				i++
				continue
			case "sh", "ch", "zh", "ts", "tz", "dj":
				emit('s')
				i++
				continue
			case "kh", "ck", "qu":
				emit('k')
				i++
				continue
			case "th":
				emit('t')
				i++
				continue
			case "gh":
				emit('g')
				i++
				continue
			}
		}
		switch c {
		case 'a', 'e', 'i', 'o', 'u', 'y', 'h':
			last = 0 // a vowel separates repeats: "Nana" keeps both n
		case 'b', 'p':
			emit('b')
		case 'c', 'k', 'q':
			emit('k')
		case 'd', 't':
			emit('t')
		case 'f', 'v', 'w':
			emit('f')
		case 's', 'z', 'x', 'j':
			emit('s')
		case 'g', 'l', 'm', 'n', 'r':
			emit(c)
		}
	}
	return b.String()
}

// latinOf lower-cases w, transliterates Cyrillic and strips Latin
// diacritics (đ to d), leaving ASCII letters.
func latinOf(w string) string {
	var b strings.Builder
	if ascii(w) { // NFD leaves ASCII as it is
		b.Grow(len(w))
		for i := 0; i < len(w); i++ {
			switch c := w[i]; {
			case c >= 'a' && c <= 'z':
				b.WriteByte(c)
			case c >= 'A' && c <= 'Z':
				b.WriteByte(c + 'a' - 'A')
			}
		}
		return b.String()
	}
	for _, r := range norm.NFD.String(w) {
		r = unicode.ToLower(r)
		switch {
		case r < 0x80:
			if r >= 'a' && r <= 'z' {
				b.WriteRune(r)
			}
		case r == 'đ':
			b.WriteByte('d')
		case r >= 0x430 && r <= 0x44F || r == 'ё':
			b.WriteString(cyrillic()[r])
		}
	}
	return b.String()
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// cyrillic maps Russian letters to a Latin transliteration.
var cyrillic = sync.OnceValue(func() map[rune]string {
	m := map[rune]string{}
	for i, s := range strings.Split("a b v g d e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya", " ") {
		if s != "-" {
			m[rune(0x430+i)] = s
		}
	}
	m['ё'] = "e"
	return m
})
