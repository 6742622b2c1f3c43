package story

import (
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/newswatch/newswatch/topic"
)

// The gazetteer and the list of agencies, compiled for newswatch (see
// the files' headers and the README's Stories section).
var (
	//go:embed places.tsv
	placesTSV string
	//go:embed organisations.tsv
	orgsTSV string
)

// entry is what a phrase of the dictionary stands for: its evidence key,
// as a string and hashed (see evKey), and what people read.
type entry struct {
	key, show string
	k         uint64
}

// dictionary finds places and agencies named in normalised text, in any
// of the languages it lists. Acronyms in capitals (UN, WHO, OMS) are
// looked up case-sensitively apart: in lower case they are words.
type dictionary struct {
	phrases  map[string]entry // normalised name -> entry
	prefixes map[string]bool  // every proper prefix of a name, in words or in runes of a Han run
	acronyms map[string]entry // as written
	stems    map[string]entry // Russian one-word names without their final vowel
	maxWords int
	// steps is phrases and prefixes in one map, so that extending a
	// match by a word costs one lookup.
	steps map[string]step
	// first holds the hashes of the phrases and prefixes, inflections
	// those of the phrases and stems: most words are none.
	first, inflections hashFilter
	// starts has a bit for every character of the Basic Multilingual
	// Plane that starts a name: most characters of a Han run start none.
	starts [1 << 16 / 64]uint64
}

// startsName reports whether a name of the dictionary may start with r.
func (d *dictionary) startsName(r rune) bool {
	return r >= 1<<16 || d.starts[r/64]>>(r%64)&1 == 1
}

// step is what a phrase or proper prefix of the dictionary is.
type step struct {
	e              entry
	phrase, prefix bool
}

var dict = sync.OnceValue(func() *dictionary {
	d := &dictionary{phrases: map[string]entry{}, prefixes: map[string]bool{}, acronyms: map[string]entry{}, stems: map[string]entry{}}
	d.load(placesTSV, "p:")
	d.load(orgsTSV, "o:")
	d.steps = make(map[string]step, len(d.phrases)+len(d.prefixes))
	for p, e := range d.phrases {
		d.steps[p] = step{e: e, phrase: true}
		if r, _ := utf8.DecodeRuneInString(p); r < 1<<16 {
			d.starts[r/64] |= 1 << (r % 64)
		}
	}
	for p := range d.prefixes {
		st := d.steps[p]
		st.prefix = true
		d.steps[p] = st
	}
	for p := range d.steps {
		d.first.add(termHash(p))
	}
	for p := range d.phrases {
		d.inflections.add(termHash(p))
	}
	for p := range d.stems {
		d.inflections.add(termHash(p))
	}
	return d
})

func (d *dictionary) load(tsv, prefix string) {
	for line := range strings.Lines(tsv) {
		line = strings.TrimRight(line, "\r\n")
		if line == "" || line[0] == '#' {
			continue
		}
		parts := strings.Split(line, "\t")
		if len(parts) != 3 {
			panic("story: bad dictionary line: " + line) // embedded data, checked by the tests
		}
		e := newEntry(prefix+parts[0], parts[1])
		for name := range strings.SplitSeq(parts[2], "|") {
			if isAcronym(name) {
				d.acronyms[name] = e
				continue
			}
			n := topic.Normalize(name)
			if n == "" {
				continue
			}
			if _, ok := d.phrases[n]; !ok {
				d.phrases[n] = e
			}
			d.addPrefixes(n)
			if stem, ok := russianStem(n); ok {
				d.stems[stem] = e
			}
		}
	}
}

// addPrefixes records the proper prefixes of n that lookups extend: by
// words, and by runes inside a run of Han characters.
func (d *dictionary) addPrefixes(n string) {
	words := strings.Fields(n)
	d.maxWords = max(d.maxWords, len(words))
	for i := 1; i < len(words); i++ {
		d.prefixes[strings.Join(words[:i], " ")] = true
	}
	if r, _ := utf8.DecodeRuneInString(n); continuous(r) && len(words) == 1 {
		for i := range n {
			if i > 0 {
				d.prefixes[n[:i]] = true
			}
		}
	}
}

// isAcronym reports whether name is written in ASCII capitals (and
// dots), 2 to 8 letters.
func isAcronym(name string) bool {
	if len(name) < 2 || len(name) > 8 {
		return false
	}
	for i := 0; i < len(name); i++ {
		if (name[i] < 'A' || name[i] > 'Z') && name[i] != '.' {
			return false
		}
	}
	return true
}

// lookup records the places and agencies named in the words of a
// normalised text.
func (d *dictionary) lookup(ws *words, f *facts, sc *scratch) {
	for i := 0; i < len(ws.w); {
		w := ws.w[i]
		if r, _ := decodeRune(w, 0); continuous(r) {
			d.lookupRun(w, f)
			i++
			continue
		}
		rest := ws.w[i+1 : min(len(ws.w), i+d.maxWords)]
		n := d.longest(w, ws.h[i], rest, f, &sc.phrase)
		if n == 0 && isCyrillic(w) {
			n = d.inflected(w, f)
		}
		if n == 0 && isArabic(w) {
			sc.variants = withoutProclitics(w, sc.variants[:0])
			for _, v := range sc.variants {
				if n = d.longest(v, termHash(v), rest, f, &sc.phrase); n > 0 {
					break
				}
			}
		}
		i += max(n, 1)
	}
}

// longest records the longest name that the word first (of hash h) and
// the words after it start with and returns how many words it has (0:
// none); it builds the phrases in buf.
func (d *dictionary) longest(first string, h uint32, rest []string, f *facts, buf *[]byte) int {
	if !d.first.has(h) { // most words: out before any lookup
		return 0
	}
	st := d.steps[first]
	if !st.phrase && !st.prefix {
		return 0
	}
	best, found := 0, st.e
	if st.phrase {
		best = 1
	}
	p := append((*buf)[:0], first...)
	for k := 0; st.prefix && k < len(rest) && k+1 < d.maxWords; k++ {
		p = append(append(p, ' '), rest[k]...)
		st = d.steps[string(p)]
		if st.phrase {
			best, found = k+2, st.e
		}
	}
	*buf = p
	if best > 0 {
		f.addEntry(found)
	}
	return best
}

// lookupRun records the names inside a run of Han characters, longest
// first at each place.
func (d *dictionary) lookupRun(run string, f *facts) {
	for i := 0; i < len(run); {
		if r, n := utf8.DecodeRuneInString(run[i:]); !d.startsName(r) {
			i += n
			continue
		}
		best := 0
		var found entry
		for j := i; j < len(run); {
			_, n := utf8.DecodeRuneInString(run[j:])
			j += n
			p := run[i:j]
			st := d.steps[p]
			if st.phrase {
				best, found = j-i, st.e
			}
			if !st.prefix {
				break
			}
		}
		if best > 0 {
			f.addEntry(found)
			i += best
			continue
		}
		_, n := utf8.DecodeRuneInString(run[i:])
		i += n
	}
}

// russianStem returns a one-word Russian name without its final vowel
// (Лаокай -> Лаока, Москва -> Москв), which inflected forms share.
func russianStem(n string) (string, bool) {
	if !isCyrillic(n) || strings.ContainsRune(n, ' ') || utf8.RuneCountInString(n) < 4 {
		return "", false
	}
	r, size := utf8.DecodeLastRuneInString(n)
	if !strings.ContainsRune("аеиоуыэюяйь", r) {
		return n, true
	}
	return n[:len(n)-size], true
}

// inflected records the Russian place or agency that w inflects (Лаокае,
// Юньнани, Вьетнамом): w without its last one or two letters is a name
// or a stem. It returns 1 when found.
func (d *dictionary) inflected(w string, f *facts) int {
	for k := 1; k <= 2 && utf8.RuneCountInString(w) > 3+k; k++ {
		_, size := utf8.DecodeLastRuneInString(w)
		w = w[:len(w)-size]
		if !d.inflections.has(termHash(w)) {
			continue
		}
		e, ok := d.phrases[w]
		if !ok {
			e, ok = d.stems[w]
		}
		if ok {
			f.addEntry(e)
			return 1
		}
	}
	return 0
}

func isCyrillic(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return r >= 0x400 && r <= 0x4FF
}

func isArabic(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return r >= 0x600 && r <= 0x6FF
}

// withoutProclitics appends to out the forms of an Arabic word without
// its proclitics: و ف, then ب ك ل, and لل standing for ل + ال.
func withoutProclitics(w string, out []string) []string {
	for _, c := range []string{"", "و", "ف"} {
		v, ok := strings.CutPrefix(w, c)
		if !ok || c != "" && len(v) < 4 {
			continue
		}
		for _, p := range []string{"ب", "ك", "ل"} {
			if u, ok := strings.CutPrefix(v, p); ok && len(u) >= 4 {
				out = append(out, u)
				if p == "ل" && strings.HasPrefix(u, "ل") {
					out = append(out, "ا"+u)
				}
			}
		}
		if c != "" {
			out = append(out, v)
		}
	}
	return out
}
