package topic

import (
	"slices"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Kinds of normalised runes.
const (
	kindSep  = iota // separator: whitespace, punctuation, symbols
	kindWord        // letter or digit of a script that separates words by spaces
	kindCont        // letter of a script written without spaces (Han, kana, Thai...)
	kindDrop        // deleted: Arabic harakat, tatweel, zero-width characters
)

// segment is the normalised form of one article field inside text.buf.
type segment struct {
	start, end int    // byte range in buf
	u0         int32  // index in units of its first unit
	orig       string // the original field text
	letters    int    // Latin letters seen
	accented   int    // non-ASCII Latin letters seen
}

// mostlyUnaccented reports whether diacritic-less Vietnamese phrases may be
// tried on this field: URLs always, text when almost no letter is accented.
func (s *segment) mostlyUnaccented() bool {
	return s.letters >= 8 && s.accented*50 < s.letters
}

// text is the normalised form of one or more fields, with, for every byte,
// the offset of the original text it came from. It is reused between
// documents through a sync.Pool.
type text struct {
	buf   []byte  // normalised: words separated by ' ', fields by '\n'
	offs  []int32 // offs[i]: byte offset in the field's original text of buf[i]
	units []int32 // buf positions where a word or a Han character starts
	segs  [numFields]segment
	nseg  int
	last  int // kind of the last rune emitted into the current segment
	// The rune settled decoded last, so that rune does not decode it again.
	dpos, dn int
	dr       rune
	iter     norm.Iter
	seg      *segment
	general  bool // only the general path, without letterRun (tests compare the two)
}

func (t *text) reset() {
	t.buf, t.offs, t.units = t.buf[:0], t.offs[:0], t.units[:0]
	t.nseg = 0
}

// Normalize returns s in the form topics are matched in: NFKC, case folded,
// Arabic letter variants and Traditional Chinese folded, harakat removed,
// and every run of whitespace and punctuation turned into one space.
func Normalize(s string) string {
	var t text
	t.add(s)
	return string(t.buf)
}

// add appends the normalised form of one field as a new segment.
func (t *text) add(s string) *segment {
	if len(t.buf) > 0 {
		t.buf = append(t.buf, '\n')
		t.offs = append(t.offs, 0)
	}
	t.seg = &t.segs[t.nseg]
	t.nseg++
	*t.seg = segment{start: len(t.buf), u0: int32(len(t.units)), orig: s}
	t.last = kindSep
	t.dn = 0
	// Room for the common case, where the text does not grow.
	t.buf, t.offs = slices.Grow(t.buf, len(s)+1), slices.Grow(t.offs, len(s)+1)
	i := 0
	for i < len(s) {
		c := s[i]
		if c >= utf8.RuneSelf {
			if j := i; !t.general {
				if i = t.letterRun(s, i); i > j {
					continue
				}
			}
			i += t.rune(s, i)
			continue
		}
		if i+1 < len(s) && s[i+1] >= utf8.RuneSelf && !t.settled(s, i+1) {
			i += t.rune(s, i)
			continue
		}
		switch k := asciiKind[c]; {
		case k == kindWord:
			if t.last != kindWord {
				if t.last == kindCont {
					t.sep(i)
				}
				t.units = append(t.units, int32(len(t.buf)))
				t.last = kindWord
			}
			i = t.asciiWord(s, i)
			continue
		case c == '(' && t.last == kindCont:
			if n := romanisation(s[i:]); n > 0 {
				i += n
				continue
			}
			t.sep(i)
		default:
			t.sep(i)
		}
		i++
	}
	if t.last == kindWord && t.buf[len(t.buf)-1] >= utf8.RuneSelf {
		t.moveTone() // only words ending in a non-ASCII vowel change
	}
	if t.last == kindSep && len(t.buf) > t.seg.start {
		t.buf, t.offs = t.buf[:len(t.buf)-1], t.offs[:len(t.offs)-1]
	}
	t.seg.end = len(t.buf)
	return t.seg
}

// asciiWord appends the run of ASCII letters and digits starting at s[i],
// folded, and returns where it ends: before a non-ASCII rune, or before
// the last ASCII letter if a combining mark follows it.
func (t *text) asciiWord(s string, i int) int {
	j := i
	for j < len(s) && asciiFold[s[j]] != 0 {
		j++
	}
	if j < len(s) && s[j] >= utf8.RuneSelf && !t.settled(s, j) {
		j-- // s[j-1] combines with what follows: leave it to rune.
	}
	// Grow once and write by index: no capacity check per byte.
	n, b0, o0 := j-i, len(t.buf), len(t.offs)
	if cap(t.buf)-b0 < n {
		t.buf = slices.Grow(t.buf, n)
	}
	if cap(t.offs)-o0 < n {
		t.offs = slices.Grow(t.offs, n)
	}
	t.buf, t.offs = t.buf[:b0+n], t.offs[:o0+n]
	src := s[i:j]
	dst, offs := t.buf[b0:b0+len(src)], t.offs[o0:o0+len(src)]
	letters := 0
	for k := 0; k < len(src); k++ {
		f := asciiFold[src[k]]
		dst[k] = f
		offs[k] = int32(i + k)
		letters += int(f >> 6) // 1 for the letters, 0 for the digits
	}
	t.seg.letters += letters
	return j
}

// asciiFold maps ASCII letters and digits to their folded form, and every
// other byte to 0.
var asciiFold = func() (f [256]byte) {
	for c := range utf8.RuneSelf {
		if asciiKind[c] == kindWord {
			f[c] = byte(fold(rune(c)))
		}
	}
	return f
}()

// rune normalises the rune at s[i] and returns its length: directly when
// it and the next rune are known to be unchanged by NFKC, else through norm.
func (t *text) rune(s string, i int) int {
	if t.last == kindCont && (s[i] == '(' || hasPrefix(s[i:], "（")) {
		if n := romanisation(s[i:]); n > 0 {
			return n
		}
	}
	r, n := t.decode(s, i)
	if r >= 0xFF01 && r <= 0xFF5E && t.settled(s, i+n) {
		t.emit(r-0xFEE0, i) // full-width ASCII, as NFKC maps it
		return n
	}
	if stable(r) && t.settled(s, i+n) {
		t.emit(r, i)
		return n
	}
	return t.slow(s, i)
}

// settled reports whether the rune at s[j] cannot combine with the one
// before it under NFKC.
func (t *text) settled(s string, j int) bool {
	if j >= len(s) || s[j] < utf8.RuneSelf {
		return true
	}
	r, n := decodeRune(s, j)
	t.dpos, t.dr, t.dn = j, r, n
	return stable(r)
}

// decode returns the rune at s[i] and its length, reusing the decoding
// settled has just done of the same position.
func (t *text) decode(s string, i int) (rune, int) {
	if t.dn > 0 && t.dpos == i {
		return t.dr, t.dn
	}
	return decodeRune(s, i)
}

// decodeRune is utf8.DecodeRuneInString(s[i:]) with the two- and three-byte
// forms of the scripts we read (Latin, Cyrillic, Arabic, Vietnamese, Han)
// decoded inline.
func decodeRune(s string, i int) (rune, int) {
	if r, n := decodeCommon(s, i); n > 0 {
		return r, n
	}
	return utf8.DecodeRuneInString(s[i:])
}

// stable reports whether r is a common letter that NFKC leaves alone and
// that never combines with a preceding rune.
func stable(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return true
	case r >= 0x4E00 && r <= 0x9FFF, r >= 0xAC00 && r <= 0xD7A3, r >= 0x0400 && r <= 0x045F,
		r >= 0x0621 && r <= 0x064A, r >= 0x1EA0 && r <= 0x1EF9, r >= 0xC0 && r <= 0xFF:
		return true
	case r >= 0x100 && r <= 0x24F: // Latin Extended-A and -B: ă đ ơ ư...
		return !compatLatin(r)
	case r == 0xA0, r == 0xAB, r == 0xBB, r == 0x60C, r == 0x61B, r == 0x61F, r >= 0x660 && r <= 0x669,
		r >= 0x2010 && r <= 0x2027, r >= 0x2030 && r <= 0x205E, r >= 0x3000 && r <= 0x3011, r >= 0x3014 && r <= 0x301F:
		// Punctuation, spaces and Arabic digits: NFKC may change some of
		// them (… → ...), but into what is classified the same.
		return true
	}
	return false
}

// compatLatin reports the letters of Latin Extended-A and -B that NFKC
// changes: ĳ, ŀ, ŉ, ſ and the digraphs ǆ ǉ ǌ ǳ.
func compatLatin(r rune) bool {
	switch {
	case r == 0x132, r == 0x133, r == 0x13F, r == 0x140, r == 0x149, r == 0x17F,
		r >= 0x1C4 && r <= 0x1CC, r >= 0x1F1 && r <= 0x1F3:
		return true
	}
	return false
}

// slow normalises the segment of s starting at i (a rune with the marks
// that combine with it) and returns its length.
func (t *text) slow(s string, i int) int {
	n := norm.NFKC.NextBoundaryInString(s[i:], true)
	if n <= 0 {
		_, n = utf8.DecodeRuneInString(s[i:])
	}
	// An Iter kept in t normalises without allocating (AppendString
	// allocates its reorder buffer on every call).
	t.iter.InitString(norm.NFKC, s[i:i+n])
	dropped := false // marks on a deleted base (tatweel, zero-width space) go too
	for !t.iter.Done() {
		seg := t.iter.Next()
		for j := 0; j < len(seg); {
			r, size := utf8.DecodeRune(seg[j:])
			j += size
			if dropped && unicode.Is(unicode.Mn, r) {
				continue
			}
			dropped = classify(fold(r)) == kindDrop
			t.emit(r, i)
		}
	}
	return n
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }

// sep emits a separator unless the last rune was one.
func (t *text) sep(off int) {
	if t.last == kindSep {
		return
	}
	if t.last == kindWord && t.buf[len(t.buf)-1] >= utf8.RuneSelf {
		t.moveTone() // only words ending in a non-ASCII vowel change
	}
	t.last = kindSep
	if len(t.buf) == t.seg.start {
		return
	}
	t.buf = append(t.buf, ' ')
	t.offs = append(t.offs, int32(off))
}

// emit appends one NFKC rune, folded, that came from original offset off.
func (t *text) emit(r rune, off int) {
	r, k := foldKind(r)
	switch k {
	case kindDrop:
		return
	case kindSep:
		t.sep(off)
		return
	case kindWord:
		if t.last != kindWord {
			if t.last == kindCont {
				t.sep(off)
			}
			t.units = append(t.units, int32(len(t.buf)))
		}
		l, a := letterCounts(r)
		t.seg.letters += l
		t.seg.accented += a
	case kindCont:
		if t.last == kindWord {
			t.sep(off)
		}
		t.units = append(t.units, int32(len(t.buf)))
	}
	t.last = k
	t.buf = utf8.AppendRune(t.buf, r)
	o := int32(off)
	t.offs = append(t.offs, o, o, o, o)[:len(t.buf)]
}

// foldKind folds r and classifies the result.
func foldKind(r rune) (rune, int) {
	if r < rune(len(smallFold)) {
		e := smallFold[r]
		return entryRune(e), entryKind(e)
	}
	if r >= 0x4E00 && r <= 0x9FFF { // Han
		if f := hanTable[r-0x3400]; f != 0 {
			return f, kindCont
		}
		return r, kindCont
	}
	r = fold(r)
	return r, classify(r)
}

// letterCounts tells whether a folded word rune counts as a letter for
// segment.mostlyUnaccented (letters and a few digits below U+2000, not
// marks), and as an accented Latin letter.
func letterCounts(r rune) (letters, accented int) {
	if r < 0x2000 && (r < 0x300 || r >= 0x370) {
		if r >= 0xC0 && r < 0x250 || r >= 0x1E00 {
			return 1, 1
		}
		return 1, 0
	}
	return 0, 0
}

// smallFold holds, for the runes below smallRunes (Latin, Cyrillic,
// Arabic, Vietnamese, general and CJK punctuation), an entry: fold and
// classify, and the tests of stable and letterCounts that letterRun makes
// of every rune (see runeEntry). It is built in init, after the tables
// it is built from: makeEntry reads it for the runes it does not cover.
var smallFold *[smallRunes]uint32

func init() { smallFold = buildSmallFold() }

// smallRunes bounds the runes of smallFold: up to the CJK symbols and
// punctuation (。、「」), which Chinese text has in every sentence.
const smallRunes = 0x3040

// An entry packs a rune r's folded form f, f's kind, whether r is stable,
// and letterCounts(f).
const (
	entryStable   = 1 << 31
	entryLetter   = 1 << 30
	entryAccented = 1 << 29
)

func entryRune(e uint32) rune { return rune(e >> 2 & 0x1FFFFF) }
func entryKind(e uint32) int  { return int(e & 3) }

// runeEntry returns the entry of r, from smallFold for the common runes.
func runeEntry(r rune) uint32 {
	if r < rune(len(smallFold)) {
		return smallFold[r]
	}
	return makeEntry(r)
}

// makeEntry computes the entry of r.
func makeEntry(r rune) uint32 {
	var f rune
	var k int
	if r < smallRunes { // what smallFold holds, which this builds
		f = fold(r)
		k = classify(f)
	} else {
		f, k = foldKind(r)
	}
	e := uint32(f)<<2 | uint32(k)
	if stable(r) {
		e |= entryStable
	}
	if l, a := letterCounts(f); l > 0 {
		e |= entryLetter
		if a > 0 {
			e |= entryAccented
		}
	}
	return e
}

// buildSmallFold computes smallFold.
func buildSmallFold() *[smallRunes]uint32 {
	t := new([smallRunes]uint32)
	for r := range t {
		t[r] = makeEntry(rune(r))
	}
	return t
}

// romanisation returns the length of a bracketed romanisation such as
// "(lián)" or "（lián）" that some converters put after Han characters, or 0.
func romanisation(s string) int {
	open := 1
	if s[0] != '(' {
		open = len("（")
	}
	for i := open; i < len(s) && i < 40; {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == ')' || r == '）':
			if i == open {
				return 0
			}
			return i + n
		case r == ' ' || r == '\'' || r == '-' || (r >= '0' && r <= '5'):
		case unicode.Is(unicode.Latin, r) || unicode.Is(unicode.Mn, r):
		default:
			return 0
		}
		i += n
	}
	return 0
}

// asciiKind classifies ASCII bytes.
var asciiKind = func() (k [utf8.RuneSelf]uint8) {
	for c := range utf8.RuneSelf {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			k[c] = kindWord
		}
	}
	return k
}()

// classify tells how a folded rune is treated.
func classify(r rune) int {
	switch { // the common letters first, without table lookups
	case r < utf8.RuneSelf:
		return int(asciiKind[r])
	case r >= 0x4E00 && r <= 0x9FFF:
		return kindCont
	case r >= 0x0430 && r <= 0x045F, r >= 0x0621 && r <= 0x063A, r >= 0x0641 && r <= 0x064A,
		r >= 0x1EA0 && r <= 0x1EF9, r >= 0xE0 && r <= 0x24F && r != 0xF7:
		return kindWord
	case r >= 0x064B && r <= 0x065F, r == 0x0670, r == 0x0640, r >= 0x06D6 && r <= 0x06ED,
		r == 0x00AD, r >= 0x200B && r <= 0x200F, r == 0xFEFF, r == 0x2060:
		return kindDrop
	case !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r):
		return kindSep
	case continuous(r):
		return kindCont
	}
	return kindWord
}

// continuous reports whether r belongs to a script written without spaces
// between words, matched as substrings.
func continuous(r rune) bool {
	switch {
	case r >= 0x2E80 && r <= 0x9FFF, r >= 0xF900 && r <= 0xFAFF, r >= 0x20000 && r <= 0x3FFFF:
		return true // Han, kana, CJK radicals (punctuation is not a letter)
	case r >= 0x0E00 && r <= 0x0EFF, r >= 0x1000 && r <= 0x109F, r >= 0x1780 && r <= 0x17FF:
		return true // Thai, Lao, Myanmar, Khmer
	}
	return false
}

// fold case-folds r and maps the letter variants we treat as equal.
func fold(r rune) rune {
	switch {
	case r < utf8.RuneSelf:
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	case r >= 0x0600 && r <= 0x06FF:
		return foldArabic(r)
	case r >= 0x3400 && r <= 0x9FFF, r >= 0xF900 && r <= 0xFAFF:
		return foldHan(r)
	case r >= 0x0410 && r <= 0x042F:
		return r + 0x20 // Cyrillic capitals
	case r >= 0x0430 && r <= 0x044F:
		return r
	case r >= 0x1EA0 && r <= 0x1EF9:
		return r | 1 // Vietnamese letters: capitals are even, small letters odd
	case r < rune(len(latinFold)):
		return latinFold[r]
	}
	return slowFold(r)
}

// latinFold is fold for Latin-1 and Latin Extended-A and -B, where most
// accented letters are.
var latinFold = buildLatinFold()

// buildLatinFold computes latinFold.
func buildLatinFold() *[0x250]rune {
	t := new([0x250]rune)
	for r := range t {
		t[r] = slowFold(rune(r))
	}
	return t
}

// slowFold is fold for the runes outside its fast paths.
func slowFold(r rune) rune {
	r = unicode.ToLower(r)
	switch r {
	case 'ё':
		return 'е'
	case 'ð':
		return 'đ'
	case 'ς':
		return 'σ'
	}
	return r
}

// foldArabic applies the letter-variant rules of Lucene's Arabic normaliser.
func foldArabic(r rune) rune {
	switch r {
	case 'أ', 'إ', 'آ', 'ٱ':
		return 'ا'
	case 'ة':
		return 'ه'
	case 'ى', 'ی':
		return 'ي'
	case 'ک':
		return 'ك'
	}
	return r
}
