package story

import (
	"cmp"
	"slices"
	"unicode/utf8"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/topic"
)

// Shingles: runs of shingleWords runes (shingleCont in scripts written
// without spaces) of the normalised body, hashed, of which a sketch keeps
// the sketchSize smallest.
const (
	shingleWords = 5
	shingleCont  = 3
	sketchSize   = 64
)

// textFeatures are what the words of an article give: term frequencies
// of its title and body, and the sketch of its body's shingles (in the
// scratch buffers).
type textFeatures struct {
	tf     *termCounts // term hash -> count
	sketch sketch
	cont   bool // mostly a script written without spaces

	normTitle, normBody string
}

// fnv64 is FNV-1a over s: term hashes are stored, so they must not
// change between runs (hash/maphash would).
func fnv64[S ~string | ~[]byte](s S) uint64 { return fnvMore(fnvOffset, s) }

// fnvMore goes on hashing s from h, the FNV-1a hash of what came before.
func fnvMore[S ~string | ~[]byte](h uint64, s S) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// FNV-1a's 64-bit offset basis and prime.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// normalizedText returns the article's title and body (its text, else
// its summary) in the form topics are matched in.
func normalizedText(a *news.Article) (title, body string) {
	if a.Text != "" && a.Norm.For(a) { // topic matching normalised them already
		return a.Norm.Title, a.Norm.Text
	}
	return topic.Normalize(a.Title), topic.Normalize(cmp.Or(a.Text, a.Summary))
}

// analyse normalises the article's title and body with the topic engine's normaliser
// (so Arabic letter variants, Traditional Chinese and Vietnamese tone
// placement compare equal) and counts their terms and body shingles. The
// words of each, and their hashes, are left in sc for the dictionary.
func analyse(a *news.Article, sc *scratch) textFeatures {
	nt, nb := normalizedText(a)
	sc.tf.reset()
	f := textFeatures{tf: &sc.tf, normTitle: nt, normBody: nb}
	sc.title.split(nt)
	sc.body.split(nb)
	cont := sc.title.count(f.tf, 2) // the title's words count double
	cont += sc.body.count(f.tf, 1)
	f.cont = cont*2 > f.tf.len()
	f.sketch = sketchIn(shingles(nb, f.cont, sc), &sc.sorted) // newDoc copies it
	return f
}

// words are the words of a normalised text, with the hash of each (see
// termHash; none for a run of a script written without spaces).
type words struct {
	w []string
	h []uint32
}

// split splits normalised text s at its separators, spaces and newlines.
func (ws *words) split(s string) {
	ws.w = ws.w[:0]
	for i := 0; i < len(s); {
		for i < len(s) && (s[i] == ' ' || s[i] == '\n') {
			i++
		}
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != '\n' {
			j++
		}
		if j > i {
			ws.w = append(ws.w, s[i:j])
		}
		i = j
	}
	ws.h = slices.Grow(ws.h[:0], len(ws.w))[:len(ws.w)]
}

// count adds the terms of the words to tf with weight w: words, and
// character bigrams of runs in scripts written without spaces, and
// hashes the words. It returns how many terms came from such runs.
func (ws *words) count(tf *termCounts, w int32) int {
	cont := 0
	for i, tok := range ws.w {
		r, _ := decodeRune(tok, 0)
		if continuous(r) {
			ws.h[i] = 0
			cont += bigrams(tf, tok, w)
			continue
		}
		h := termHash(tok)
		ws.h[i] = h
		if stopHashes.has(h) && stopword(tok) || r < 0x300 && utf8.RuneCountInString(tok) < 2 {
			continue
		}
		tf.add(h, w)
	}
	return cont
}

// hashFilter is a set of term hashes that may answer yes wrongly, but
// never no: a bit per value of the hashes' low 16 bits. It spares the
// lookups of the words that no small set holds.
type hashFilter [1 << 16 / 64]uint64

func (hf *hashFilter) add(h uint32)      { hf[uint16(h)/64] |= 1 << (h % 64) }
func (hf *hashFilter) has(h uint32) bool { return hf[uint16(h)/64]>>(h%64)&1 == 1 }

// bigrams adds the character bigrams of a run of Han (or kana, Thai...)
// to tf; a run of one character counts as itself.
func bigrams(tf *termCounts, run string, w int32) int {
	_, n := utf8.DecodeRuneInString(run)
	if n == len(run) {
		tf.add(termHash(run), w)
		return 1
	}
	c := 0
	for i := 0; i < len(run); {
		_, n1 := utf8.DecodeRuneInString(run[i:])
		if i+n1 >= len(run) {
			break
		}
		_, n2 := utf8.DecodeRuneInString(run[i+n1:])
		tf.add(termHash(run[i:i+n1+n2]), w)
		c++
		i += n1
	}
	return c
}

// continuous reports whether r belongs to a script written without spaces.
func continuous(r rune) bool {
	switch {
	case r >= 0x2E80 && r <= 0x9FFF, r >= 0xF900 && r <= 0xFAFF, r >= 0x20000 && r <= 0x3FFFF:
		return true // Han, kana
	case r >= 0x0E00 && r <= 0x0EFF, r >= 0x1000 && r <= 0x109F, r >= 0x1780 && r <= 0x17FF:
		return true // Thai, Lao, Myanmar, Khmer
	case r >= 0xAC00 && r <= 0xD7AF:
		return false // Hangul is written with spaces
	}
	return false
}

// shingles hashes every run of n runes of the normalised body (n = 3 in
// scripts without spaces, 5 otherwise), into sc.hashes, with repeats.
func shingles(s string, cont bool, sc *scratch) []uint32 {
	n := shingleWords
	if cont {
		n = shingleCont
	}
	starts := sc.starts[:0] // the byte offset of every rune, and the end
	for i := range s {
		starts = append(starts, i)
	}
	starts = append(starts, len(s))
	sc.starts = starts
	m := max(0, len(starts)-n) // shingles: one per rune but the last n-1
	all := slices.Grow(sc.hashes[:0], m)[:m]
	j := 0
	for ; j+4 <= m; j += 4 {
		fnv4(s, starts[j:j+n+4], n, (*[4]uint32)(all[j:j+4]))
	}
	for ; j < m; j++ {
		all[j] = uint32(fnv64(s[starts[j]:starts[j+n]]))
	}
	sc.hashes = all
	return all
}

// fnv4 sets out to the 32 low bits of fnv64 of the four shingles of n
// runes that start at starts[0:4] (and end at starts[n:n+4]), hashed
// side by side: the four chains of multiplications overlap, where one
// shingle at a time waits on each.
func fnv4(s string, starts []int, n int, out *[4]uint32) {
	b0, b1, b2, b3 := starts[0], starts[1], starts[2], starts[3]
	e0, e1, e2, e3 := starts[n], starts[n+1], starts[n+2], starts[n+3]
	l := min(e0-b0, e1-b1, e2-b2, e3-b3)
	x0, x1, x2, x3 := s[b0:b0+l], s[b1:b1+l], s[b2:b2+l], s[b3:b3+l]
	h0, h1, h2, h3 := uint64(fnvOffset), uint64(fnvOffset), uint64(fnvOffset), uint64(fnvOffset)
	for p := range len(x0) {
		h0 = (h0 ^ uint64(x0[p])) * fnvPrime
		h1 = (h1 ^ uint64(x1[p])) * fnvPrime
		h2 = (h2 ^ uint64(x2[p])) * fnvPrime
		h3 = (h3 ^ uint64(x3[p])) * fnvPrime
	}
	out[0] = uint32(fnvMore(h0, s[b0+l:e0]))
	out[1] = uint32(fnvMore(h1, s[b1+l:e1]))
	out[2] = uint32(fnvMore(h2, s[b2+l:e2]))
	out[3] = uint32(fnvMore(h3, s[b3+l:e3]))
}

// termHash is the 32-bit hash of a term: collisions among the terms of a
// week of news are too rare to matter.
func termHash(s string) uint32 {
	h := fnv64(s)
	return uint32(h ^ h>>32)
}
