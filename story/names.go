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
// meet their Chinese transliterations, building them in f's buffers.
func names(s string, toks []token, f *facts, translit bool) {
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
		if t.sentence && (j == i+1 || f.stopword(s[t.start:t.end])) {
			i++ // a capital that only starts a sentence
			continue
		}
		f.whole, f.parts, f.ends = f.whole[:0], f.parts[:0], f.ends[:0]
		words := 0 // in f.whole, their skeletons joined by spaces
		for k := i; k < j; k++ {
			w := s[toks[k].start:toks[k].end]
			f.latin = appendLatin(f.latin[:0], w)
			f.skel = appendSkeleton(f.skel[:0], f.latin)
			if len(f.skel) > 0 {
				if words++; words > 1 {
					f.whole = append(f.whole, ' ')
				}
				f.whole = append(f.whole, f.skel...)
			}
			if len(f.skel) >= minNameClasses {
				f.begin('m')
				f.key = append(f.key, f.skel...)
				f.addKey(w)
			}
			if n := len(f.parts); translit {
				if f.parts = appendTranslitSkeleton(f.parts, f.latin); len(f.parts) > n {
					f.ends = append(f.ends, len(f.parts))
				}
			}
		}
		if words > 1 && len(f.whole)-(words-1) >= minNameClasses {
			f.begin('m')
			f.key = append(f.key, f.whole...)
			f.addKey(s[t.start:toks[j-1].end])
		}
		if translit {
			f.addTranslit(s[t.start:toks[j-1].end])
		}
		i = j
	}
}

// stopword reports whether w in lower case is a stop word, lowering it
// in f.latin.
func (f *facts) stopword(w string) bool {
	f.latin = f.latin[:0]
	for _, r := range w {
		f.latin = utf8.AppendRune(f.latin, unicode.ToLower(r))
	}
	return stopwords[string(f.latin)]
}

// appendSkeleton appends to dst the skeleton of a Latin or Cyrillic word,
// as appendLatin gives it: the classes of its consonants, vowels and h
// dropped, b/p, k/c/q, t/d, f/v/w, s/z/x/j and the sibilant digraphs
// merged, repeats collapsed.
func appendSkeleton(dst, l []byte) []byte {
	last := byte(0)
	emit := func(c byte) {
		if c != last {
			dst = append(dst, c)
		}
		last = c
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if i+1 < len(l) {
			switch digraph(c, l[i+1]) {
			case digraph('p', 'h'):
				emit('f')
				i++
				continue
			case digraph('s', 'h'), digraph('c', 'h'), digraph('z', 'h'), digraph('t', 's'), digraph('t', 'z'), digraph('d', 'j'):
				emit('s')
				i++
				continue
			case digraph('k', 'h'), digraph('c', 'k'), digraph('q', 'u'):
				emit('k')
				i++
				continue
			case digraph('t', 'h'):
				emit('t')
				i++
				continue
			case digraph('g', 'h'):
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
	return dst
}

// digraph packs two letters for a switch on digraphs.
func digraph(a, b byte) uint16 { return uint16(a)<<8 | uint16(b) }

// appendLatin appends to dst word w lower-cased, with Cyrillic
// transliterated and Latin diacritics stripped (đ to d): ASCII letters
// only.
func appendLatin(dst []byte, w string) []byte {
	for i := 0; i < len(w); {
		c := w[i]
		if c < utf8.RuneSelf {
			switch {
			case c >= 'a' && c <= 'z':
				dst = append(dst, c)
			case c >= 'A' && c <= 'Z':
				dst = append(dst, c+'a'-'A')
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(w[i:])
		if t := latinRunes(); int(r) < len(t) {
			dst = append(dst, t[r]...)
		} else {
			dst = appendLatinSlow(dst, string(r))
		}
		i += n
	}
	return dst
}

// latinRunes holds what appendLatin makes of each rune below U+2000,
// where Latin, its diacritics and Cyrillic lie.
var latinRunes = sync.OnceValue(func() []string {
	t := make([]string, 0x2000)
	for r := range t {
		t[r] = string(appendLatinSlow(nil, string(rune(r))))
	}
	return t
})

// appendLatinSlow is appendLatin by the definition: the canonical
// decomposition, lower-cased, filtered. It gives the same as
// appendLatin rune by rune, since it drops every combining mark that
// the decomposition would reorder.
func appendLatinSlow(dst []byte, w string) []byte {
	for _, r := range norm.NFD.String(w) {
		r = unicode.ToLower(r)
		switch {
		case r < 0x80:
			if r >= 'a' && r <= 'z' {
				dst = append(dst, byte(r))
			}
		case r == 'đ':
			dst = append(dst, 'd')
		case r >= 0x430 && r <= 0x44F || r == 'ё':
			dst = append(dst, cyrillic()[r]...)
		}
	}
	return dst
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
