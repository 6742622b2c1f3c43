package story

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/topic"
)

// Evidence keys compare as strings (kind ‖ ":" ‖ value) while an
// article's evidence is found; the window keeps each as a uint64 (see
// evKey).

// evKey returns evidence key k as the window keeps it: the kind's byte
// on top, then a flag for a place below the country (whose absence
// contradicts, see classOf), then 55 bits of the key's hash. Keys sort
// by kind first, as strings do.
func evKey[K ~string | ~[]byte](k K) uint64 {
	v := uint64(k[0])<<56 | fnv64(k)&(1<<55-1)
	if k[0] == 'p' {
		for i := range len(k) {
			if k[i] == '-' {
				return v | 1<<55
			}
		}
	}
	return v
}

// evKind returns the kind byte of a key.
func evKind(k uint64) byte { return byte(k >> 56) }

// belowCountry reports whether a key is a place below the country.
func belowCountry(k uint64) bool { return k>>55&1 == 1 }

// kindOf returns the evidence kind of a key.
func kindOf(k uint64) string { return kindNames[evKind(k)] }

// Key prefixes, and the news.Evidence kind each stands for.
var kindNames = [256]string{
	'n': news.EvidenceNumber, 'd': news.EvidenceDate, 'y': news.EvidenceYear, 's': news.EvidenceSymbol,
	'o': news.EvidenceOrg, 'm': news.EvidenceName, 'p': news.EvidencePlace, 'i': news.EvidenceImage,
	'l': news.EvidenceLink, 'z': news.EvidenceName,
}

// token kinds of the evidence scanner.
const (
	tokNum  = iota // a run of digits
	tokWord        // letters of a script written with spaces
	tokHan         // one character of a script written without
	tokPunct
)

// token is one unit of the original text.
type token struct {
	kind       uint8
	start, end int
	val        int  // a digit run's value (capped), or its digit count in digits
	digits     int  // digits in a digit run
	upper      bool // a word starting with an upper-case letter
	allUpper   bool // a word of upper-case letters only
	script     uint8
	sentence   bool // first word of a sentence
	used       bool // consumed by a date
}

// scripts of words.
const (
	scriptOther = iota
	scriptLatin
	scriptCyrillic
)

// scan splits s into tokens: digit runs, words, single Han characters and
// punctuation; spaces only separate.
func scan(s string, toks []token) []token {
	toks = toks[:0]
	sentence := true
	for i := 0; i < len(s); {
		r, n := decodeRune(s, i)
		switch k := kindOfRune(r); {
		case k&runeDigit != 0:
			t := token{kind: tokNum, start: i}
			for i < len(s) {
				r, n := decodeRune(s, i)
				d := digitVal(r)
				if d < 0 {
					break
				}
				if t.val < 1e9 {
					t.val = t.val*10 + d
				}
				t.digits++
				i += n
			}
			t.end = i
			toks = append(toks, t)
			sentence = false
		case k&runeCont != 0:
			toks = append(toks, token{kind: tokHan, start: i, end: i + n})
			i += n
			sentence = false
		case k&runeLetter != 0:
			t := token{kind: tokWord, start: i, upper: k&runeUpper != 0, allUpper: true, sentence: sentence, script: scriptOf(r)}
			for i < len(s) {
				r, n := decodeRune(s, i)
				k := kindOfRune(r)
				if k&(runeLetter|runeMark) == 0 || k&runeCont != 0 {
					break
				}
				if k&runeLower != 0 {
					t.allUpper = false
				}
				i += n
			}
			t.end = i
			toks = append(toks, t)
			sentence = false
		case k&runeSpace != 0:
			if r == '\n' {
				sentence = true
			}
			i += n
		default:
			toks = append(toks, token{kind: tokPunct, start: i, end: i + n})
			if strings.ContainsRune(".!?…:;\"«“。！？", r) {
				sentence = true
			}
			i += n
		}
	}
	return toks
}

// decodeRune decodes the rune at s[i] as utf8.DecodeRuneInString does,
// the alphabets' runes of one to three bytes the short way: the
// scanners ask it of every rune of every text.
func decodeRune(s string, i int) (rune, int) {
	c := s[i]
	switch {
	case c < utf8.RuneSelf:
		return rune(c), 1
	case c >= 0xC2 && c <= 0xDF && i+1 < len(s):
		if c1 := s[i+1]; c1&0xC0 == 0x80 {
			return rune(c&0x1F)<<6 | rune(c1&0x3F), 2
		}
	case c >= 0xE0 && c <= 0xEF && i+2 < len(s):
		c1, c2 := s[i+1], s[i+2]
		lo, hi := byte(0x80), byte(0xBF) // the second byte's range: no overlong forms, no surrogates
		if c == 0xE0 {
			lo = 0xA0
		} else if c == 0xED {
			hi = 0x9F
		}
		if c1 >= lo && c1 <= hi && c2&0xC0 == 0x80 {
			return rune(c&0x0F)<<12 | rune(c1&0x3F)<<6 | rune(c2&0x3F), 3
		}
	}
	return utf8.DecodeRuneInString(s[i:])
}

// What the scanner asks of a rune, as bits.
const (
	runeDigit  = 1 << iota // a decimal digit (see digitVal)
	runeCont               // of a script written without spaces (see continuous)
	runeLetter             // unicode.IsLetter
	runeMark               // unicode.IsMark
	runeUpper              // unicode.IsUpper
	runeLower              // unicode.IsLower
	runeSpace              // unicode.IsSpace
)

// runeKinds holds the bits of every rune below U+3000, where the
// alphabets lie: the scanner asks them of every rune of every text.
var runeKinds = func() *[0x3000]uint8 {
	var t [0x3000]uint8
	for r := range rune(len(t)) {
		t[r] = runeKindSlow(r)
	}
	return &t
}()

func kindOfRune(r rune) uint8 {
	if r < rune(len(runeKinds)) {
		return runeKinds[r]
	}
	if continuous(r) { // Han and kana, the most of those above: no more to ask
		return runeCont
	}
	return runeKindSlow(r)
}

func runeKindSlow(r rune) uint8 {
	var k uint8
	set := func(is bool, bit uint8) {
		if is {
			k |= bit
		}
	}
	set(digitVal(r) >= 0, runeDigit)
	set(continuous(r), runeCont)
	set(unicode.IsLetter(r), runeLetter)
	set(unicode.IsMark(r), runeMark)
	set(unicode.IsUpper(r), runeUpper)
	set(unicode.IsLower(r), runeLower)
	set(unicode.IsSpace(r), runeSpace)
	return k
}

func scriptOf(r rune) uint8 {
	switch {
	case r < 0x250 || r >= 0x1E00 && r <= 0x1EFF:
		return scriptLatin
	case r >= 0x400 && r <= 0x4FF:
		return scriptCyrillic
	}
	return scriptOther
}

// digitVal returns the value of a decimal digit in ASCII, Arabic-Indic,
// Persian or full-width form, else -1.
func digitVal(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0')
	case r < 0x660:
		return -1 // the scanner asks of every rune: most are below
	case r <= 0x669:
		return int(r - 0x660)
	case r >= 0x6F0 && r <= 0x6F9:
		return int(r - 0x6F0)
	case r >= 0xFF10 && r <= 0xFF19:
		return int(r - 0xFF10)
	}
	return -1
}

// extract finds the language-independent evidence of an article's text:
// dates, years, numbers and amounts, UN document symbols, acronyms and
// names. Places and agencies named in words come from the dictionary.
func extract(s string, f *facts, sc *scratch) {
	symbols(s, f)
	toks := scan(s, sc.toks)
	sc.toks = toks
	for i := range toks {
		if toks[i].kind == tokNum && !toks[i].used {
			if !date(s, toks, i, f) {
				number(s, toks, i, f)
			}
		}
	}
	for i := range toks {
		t := &toks[i]
		switch {
		case t.kind == tokWord && i+1 < len(toks) && toks[i+1].kind == tokNum && !toks[i+1].used && monthOf(s, toks, i) > 0:
			if d := toks[i+1]; d.digits <= 2 && d.val >= 1 && d.val <= 31 { // "November 23"
				addDate(f, monthOf(s, toks, i), d.val)
				toks[i+1].used = true
			}
		case t.kind == tokWord && t.allUpper && t.script == scriptLatin && !nearSlash(s, *t):
			acronym(s[t.start:t.end], f)
		}
	}
	names(s, toks, f, sc.side == sideLetters)
	if sc.side == sideHan {
		hanNames(s, toks, f)
	}
}

// nearSlash reports whether a slash touches t: a part of a document
// symbol (S/RES/2719), not an acronym.
func nearSlash(s string, t token) bool {
	return t.start > 0 && s[t.start-1] == '/' || t.end < len(s) && s[t.end] == '/'
}

// adjacent reports whether tokens a and b touch (no space between).
func adjacent(a, b token) bool { return a.end == b.start }

// punctIs reports whether toks[i] is punctuation p.
func punctIs(s string, toks []token, i int, p string) bool {
	return i < len(toks) && toks[i].kind == tokPunct && s[toks[i].start:toks[i].end] == p
}

// date recognises a date starting at the digit run toks[i]: 23/11,
// 23/11/2026, 23.11.2026, 2026-11-23, 23 November, 23 de noviembre,
// 23 tháng 11, 11月23日, 23 نوفمبر. It records the day and the year.
func date(s string, toks []token, i int, f *facts) bool {
	t := toks[i]
	num := func(j int) (token, bool) {
		if j < len(toks) && toks[j].kind == tokNum {
			return toks[j], true
		}
		return token{}, false
	}
	use := func(js ...int) {
		for _, j := range js {
			toks[j].used = true
		}
	}
	// 2026-11-23
	if t.digits == 4 && punctIs(s, toks, i+1, "-") && punctIs(s, toks, i+3, "-") {
		if m, ok := num(i + 2); ok && m.val >= 1 && m.val <= 12 && adjacent(t, toks[i+1]) {
			if d, ok := num(i + 4); ok && d.val >= 1 && d.val <= 31 {
				addDate(f, m.val, d.val)
				addYear(f, t.val)
				use(i, i+2, i+4)
				return true
			}
		}
	}
	if t.digits > 2 || t.val < 1 {
		return false
	}
	// 23/11, 23/11/2026, 23.11.2026, 23-11-2026
	for _, sep := range []string{"/", ".", "-"} {
		if !punctIs(s, toks, i+1, sep) || !adjacent(t, toks[i+1]) {
			continue
		}
		m, ok := num(i + 2)
		if !ok || !adjacent(toks[i+1], m) || m.digits > 2 {
			continue
		}
		day, month := t.val, m.val
		if month > 12 && day <= 12 && sep == "/" { // 11/23/2026
			day, month = month, day
		}
		if month < 1 || month > 12 || day > 31 {
			continue
		}
		y, hasYear := num(i + 4)
		hasYear = hasYear && punctIs(s, toks, i+3, sep) && adjacent(m, toks[i+3]) && (y.digits == 4 || y.digits == 2)
		if sep != "/" && !hasYear {
			continue // 23.11 is a decimal number
		}
		addDate(f, month, day)
		use(i, i+2)
		if hasYear {
			addYear(f, y.val)
			use(i + 4)
		}
		return true
	}
	// 11月23日
	if i+3 < len(toks) && toks[i+1].kind == tokHan && s[toks[i+1].start:toks[i+1].end] == "月" {
		if d, ok := num(i + 2); ok && t.val <= 12 && d.val >= 1 && d.val <= 31 && toks[i+3].kind == tokHan {
			addDate(f, t.val, d.val)
			use(i, i+2)
			return true
		}
	}
	if t.val > 31 {
		return false
	}
	// 23 November, 23 de noviembre, 23 tháng 11
	j := i + 1
	if j < len(toks) && toks[j].kind == tokWord && strings.EqualFold(s[toks[j].start:toks[j].end], "de") {
		j++
	}
	if j < len(toks) && toks[j].kind == tokWord {
		w := strings.ToLower(s[toks[j].start:toks[j].end])
		if w == "tháng" || w == "thang" {
			if m, ok := num(j + 1); ok && m.val >= 1 && m.val <= 12 {
				addDate(f, m.val, t.val)
				use(i, j+1)
				return true
			}
			return false
		}
		if m := monthOf(s, toks, j); m > 0 {
			addDate(f, m, t.val)
			use(i)
			return true
		}
	}
	return false
}

func addDate(f *facts, month, day int) {
	f.addEntry(dateEntries()[month][day])
}

func addYear(f *facts, y int) {
	if y < 100 {
		y += 2000
	}
	if y >= minYear && y <= maxYear {
		f.addEntry(yearEntries()[y-minYear])
	}
}

// monthOf returns the month (1-12) that the word toks[i] names, or 0.
// Arabic's Levantine names of two words count at their first.
func monthOf(s string, toks []token, i int) int {
	var buf [32]byte
	nw := normWord(buf[:0], s[toks[i].start:toks[i].end])
	if w := string(nw); w == "كانون" || w == "تشرين" {
		if i+1 < len(toks) && toks[i+1].kind == tokWord {
			switch next := topic.Normalize(s[toks[i+1].start:toks[i+1].end]); {
			case w == "كانون" && next == topic.Normalize("الثاني"):
				return 1
			case w == "كانون" && next == topic.Normalize("الأول"):
				return 12
			case w == "تشرين" && next == topic.Normalize("الأول"):
				return 10
			case w == "تشرين" && next == topic.Normalize("الثاني"):
				return 11
			}
		}
		return 0
	}
	return months()[string(nw)]
}

// number records the number that starts at toks[i], with its thousands
// groups, decimals and scale word: 1.300, 1,300, 1 300, 2,5 triệu,
// $5 million, 500万, ١٣٠٠. Years become year evidence; numbers below 10
// are too common to tell anything.
func number(s string, toks []token, i int, f *facts) {
	t := toks[i]
	val := float64(t.val)
	j := i
	grouped := false
	for j+2 < len(toks) && toks[j+1].kind == tokPunct && toks[j+2].kind == tokNum && toks[j+2].digits == 3 &&
		adjacent(toks[j], toks[j+1]) && adjacent(toks[j+1], toks[j+2]) && strings.Contains(".,'’٬", s[toks[j+1].start:toks[j+1].end]) &&
		(j+3 >= len(toks) || toks[j+3].kind != tokNum || !adjacent(toks[j+2], toks[j+3])) {
		val = val*1000 + float64(toks[j+2].val)
		grouped = true
		j += 2
	}
	if !grouped && t.digits <= 3 { // 12 000 with a (narrow) space
		for j+1 < len(toks) && toks[j+1].kind == tokNum && toks[j+1].digits == 3 && spaceOnly(s[toks[j].end:toks[j+1].start]) {
			val = val*1000 + float64(toks[j+1].val)
			grouped = true
			j++
		}
	}
	if !grouped && j+2 < len(toks) && toks[j+1].kind == tokPunct && toks[j+2].kind == tokNum && adjacent(toks[j], toks[j+1]) &&
		adjacent(toks[j+1], toks[j+2]) && strings.Contains(".,٫", s[toks[j+1].start:toks[j+1].end]) {
		d := toks[j+2]
		val += float64(d.val) / pow10(d.digits)
		j += 2
	}
	scale := 1.0
	if j+1 < len(toks) {
		scale = scaleOf(s, toks[j+1])
	}
	for k := i; k <= j; k++ {
		toks[k].used = true
	}
	if scale == 1 && !grouped && val == float64(int(val)) && t.digits == 4 && val >= minYear && val <= maxYear && !counted(s, toks, j) {
		addYear(f, t.val)
		return
	}
	val *= scale
	if val < 10 {
		return
	}
	f.begin('n')
	f.key = strconv.AppendFloat(f.key, val, 'f', -1, 64)
	f.addMadeUp()
}

// counters are the Chinese measure words and units that follow a count,
// never a year: 2000个, 2000名, 2000人, 2000元.
const counters = "个名人户起件家位只头辆艘吨元例次多余"

// counted reports whether the number ending at toks[j] is followed at
// once by a Chinese measure word, so that it counts things.
func counted(s string, toks []token, j int) bool {
	if j+1 >= len(toks) || toks[j+1].kind != tokHan || !adjacent(toks[j], toks[j+1]) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[toks[j+1].start:])
	return strings.ContainsRune(counters, r)
}

func spaceOnly(s string) bool {
	return s == " " || s == "\u00a0" || s == "\u202f" || s == "\u2009"
}

func pow10(n int) float64 {
	p := 1.0
	for range n {
		p *= 10
	}
	return p
}

// scaleOf returns the multiplier that the word or character t names
// (million, triệu, миллионов, مليون, 万, 亿...), or 1.
func scaleOf(s string, t token) float64 {
	if t.kind != tokWord && t.kind != tokHan {
		return 1
	}
	var buf [32]byte
	if m, ok := scales()[string(normWord(buf[:0], s[t.start:t.end]))]; ok {
		return m
	}
	return 1
}

// symbols records UN document symbols: A/RES/78/123, S/RES/2719,
// S/2024/123, A/HRC/55/L.12, E/CN.15/2024/L.3.
func symbols(s string, f *facts) {
	for off := 0; ; {
		k := strings.IndexByte(s[off:], '/')
		if k < 0 {
			return
		}
		slash := off + k
		off = slash + 1
		start := slash
		for start > 0 && s[start-1] >= 'A' && s[start-1] <= 'Z' && slash-start < 4 {
			start--
		}
		if start == slash || start > 0 && isAlnum(s[start-1]) {
			continue
		}
		end, segs, digits := slash, 0, false
		for end < len(s) && s[end] == '/' {
			j := end + 1
			for j < len(s) && (isAlnum(s[j]) || s[j] == '.' && j+1 < len(s) && isAlnum(s[j+1])) {
				digits = digits || s[j] >= '0' && s[j] <= '9'
				j++
			}
			if j == end+1 {
				break
			}
			segs++
			end = j
		}
		if segs >= 2 && digits {
			sym := s[start:end]
			f.add('s', sym, sym)
			off = end
		}
	}
}

func isAlnum(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// acronym records an upper-case Latin word of 2 to 8 letters, such as
// UNODC or ASEAN, that is not a Roman numeral.
func acronym(w string, f *facts) {
	if n := len(w); n < 2 || n > 8 || strings.Trim(w, "IVXLC") == "" {
		return
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'A' || w[i] > 'Z' {
			return
		}
	}
	if e, ok := dict().acronyms[w]; ok {
		f.addEntry(e)
		return
	}
	f.add('o', w, w)
}
