package story

import (
	"strings"
	"sync"
)

// Transliterated names. Chinese writes a foreign name with characters
// chosen for their sound (古特雷斯 for Guterres, 特朗普 for Trump), so the
// name meets its Latin or Cyrillic form only through a coarse consonant
// skeleton that both sides can produce: each transliteration character
// gives the class of its initial, and a Latin word gives the classes of
// the consonants that Chinese would render (see translitSkeleton). The
// two produce the same "z:" key; a key counts only between a Chinese
// article and one in another language (see zhMix), where the Han
// characters and the Latin name cannot meet any other way.
//
// Only sure shapes make a key: a run of 2 to 5 transliteration
// characters bounded by others or by a middle dot, not all of them
// characters of common words, and a skeleton of at least
// minTranslitClasses classes for one word (Trump, 特朗普), or
// minNameClasses for a whole name of several words (Ghada Waly, 加达·瓦利).
const (
	minTranslitClasses = 3
	minTranslitRun     = 2
	maxTranslitRun     = 5
)

// translitClasses lists the characters of the Xinhua transliteration
// syllables, Simplified and Traditional, by the consonant class of their
// initial. Class "-" is dropped: vowels, h (rendered or not at will),
// y and w before u, and 尔 that only renders a final r or l.
const translitClasses = `b 巴拔芭班邦包保宝寶鲍鮑贝貝本比彼毕畢宾賓滨濱波博伯勃布帕派潘庞龐佩彭皮平珀蒲普浦拜卜白柏璧碧
t 达達大代戴丹当當道德登迪狄底蒂丁东東杜敦顿頓多朵塔泰坦汤湯唐陶特滕提廷图圖托託陀拓汀堤
k 卡凯凱坎康考柯科可克肯孔库庫夸誇奎昆阔闊加伽盖蓋甘冈岡高戈哥格根贡貢古瓜圭郭果吉基
l 拉莱萊赖賴兰蘭朗劳勞勒雷蕾冷里裏裡理莉丽麗利历歷力莲蓮连連廉林琳玲凌刘劉留隆龙龍娄婁卢盧鲁魯路伦倫罗羅洛络絡骆駱吕呂律
m 马馬玛瑪迈邁麦麥曼芒毛茂梅美门門蒙孟米密敏明缪繆摩莫默姆穆慕墨
n 纳納娜奈南瑙内內嫩能尼妮年宁寧纽紐努诺諾农農侬儂涅聂聶
f 法凡范範方菲斐费費芬丰豐冯馮佛弗伏福富夫瓦万萬旺威韦韋维維温溫文沃
s 萨薩塞赛賽桑森瑟沙莎山尚绍紹舍申什史舒斯思司松宋苏蘇素索孙孫扎紮泽澤曾赞贊藏佐祖茨采採策查察乔喬切契奇齐齊钦欽琼瓊丘西锡錫夏肖萧蕭谢謝辛欣休修许許薛杰傑贾賈济濟季朱卓兹茲
- 阿埃艾爱愛安昂奥奧厄恩尔爾欧歐伊依亚亞雅娅婭扬揚耶叶葉约約尤于於乌烏因英伍翁哈海汉漢杭豪赫黑亨洪侯胡华華怀懷霍惠汗希`

// commonChars are transliteration characters that are also common words
// (大 big, 多 many, 美 America...): a run of them only is a word, not a
// name.
const commonChars = `大多利比加特克米万萬文方平明安美东東南山可本力理历歷路史司思达達德尔爾里裏西亚亞门門代高道内內华華海汉漢英因于於约約叶葉伊马馬丹福宁寧保宝寶包白贝貝科布`

// commonFlag marks a character of common words in translitTable.
const commonFlag = 0x80

// The CJK Unified Ideographs, where every transliteration character lies.
const cjkFirst, cjkLast = 0x4E00, 0x9FFF

// translitTable holds the class byte of every CJK ideograph, '-' for one
// that is dropped and 0 for one that is no transliteration, with
// commonFlag for a character of common words: an array, since every Han
// character of every text is looked up.
type translitTable [cjkLast - cjkFirst + 1]byte

var translit = sync.OnceValue(func() *translitTable {
	var tl translitTable
	for line := range strings.SplitSeq(translitClasses, "\n") {
		class, chars, _ := strings.Cut(line, " ")
		for _, r := range chars {
			tl[r-cjkFirst] = class[0]
		}
	}
	for _, r := range commonChars {
		tl[r-cjkFirst] |= commonFlag
	}
	return &tl
})

// class returns the class byte of token t of s, 0 if it is not a
// transliteration character.
func (tl *translitTable) class(s string, t token) byte {
	if t.kind != tokHan || t.end-t.start != 3 { // the ideographs take three bytes
		return 0
	}
	r := rune(s[t.start]&0x0F)<<12 | rune(s[t.start+1]&0x3F)<<6 | rune(s[t.start+2]&0x3F)
	if r < cjkFirst || r > cjkLast {
		return 0
	}
	return tl[r-cjkFirst]
}

// middleDot reports whether p separates the parts of a transliterated name.
func middleDot(p string) bool {
	return p == "·" || p == "・" || p == "‧" || p == "•"
}

// hanNames records the transliterated names among the Han characters of
// s: maximal runs of transliteration characters, with the parts of a
// name joined by middle dots.
func hanNames(s string, toks []token, f *facts) {
	tl := translit()
	for i := 0; i < len(toks); {
		if tl.class(s, toks[i]) == 0 || i > 0 && joins(s, toks, i-1, tl) {
			i++
			continue
		}
		j, dots := i, 0 // the run is toks[i..j]
		for j+1 < len(toks) && adjacent(toks[j], toks[j+1]) {
			if tl.class(s, toks[j+1]) != 0 {
				j++
			} else if j+2 < len(toks) && toks[j+1].kind == tokPunct && middleDot(s[toks[j+1].start:toks[j+1].end]) &&
				adjacent(toks[j+1], toks[j+2]) && tl.class(s, toks[j+2]) != 0 {
				j, dots = j+2, dots+1
			} else {
				break
			}
		}
		// Most runs are a character or two of common words: out before
		// anything is built.
		if n := j - i + 1; dots == 0 && (n < minTranslitRun || n > maxTranslitRun || allCommon(s, toks[i:j+1], tl)) {
			i = j + 1
			continue
		}
		hanName(s, toks[i:j+1], f, tl)
		i = j + 1
	}
}

// hanName records the keys of the run toks, parts between middle dots.
func hanName(s string, toks []token, f *facts, tl *translitTable) {
	run := s[toks[0].start:toks[len(toks)-1].end]
	if dict().steps[run].phrase {
		return // a place or agency of the dictionary: found as one
	}
	f.parts, f.ends = f.parts[:0], f.ends[:0]
	from := 0
	for k := range toks {
		if k+1 < len(toks) && toks[k+1].kind != tokPunct {
			continue
		}
		var ok bool
		if f.parts, ok = appendHanPart(f.parts, s, toks[from:k+1], tl); !ok {
			return
		}
		f.ends = append(f.ends, len(f.parts))
		from = k + 2
	}
	f.addTranslit(run)
}

// joins reports whether toks[i] is a transliteration character or dot
// that a run starting at toks[i+1] would continue: such a run is not
// bounded.
func joins(s string, toks []token, i int, tl *translitTable) bool {
	return adjacent(toks[i], toks[i+1]) && (tl.class(s, toks[i]) != 0 ||
		toks[i].kind == tokPunct && middleDot(s[toks[i].start:toks[i].end]))
}

// appendHanPart appends the skeleton of one part of a transliterated
// name to dst, and reports whether the part has a name's length.
func appendHanPart(dst []byte, s string, toks []token, tl *translitTable) ([]byte, bool) {
	n := len(dst)
	for _, t := range toks {
		if c := tl.class(s, t) &^ commonFlag; c != '-' && (len(dst) == n || dst[len(dst)-1] != c) {
			dst = append(dst, c)
		}
	}
	return dst, len(toks) >= minTranslitRun && len(toks) <= maxTranslitRun || len(toks) == 1 && len(dst)-n == 1
}

// allCommon reports whether every character of toks is one of common
// words.
func allCommon(s string, toks []token, tl *translitTable) bool {
	for _, t := range toks {
		if tl.class(s, t)&commonFlag == 0 {
			return false
		}
	}
	return true
}

// addTranslit records the keys of a name whose part skeletons are
// f.parts, each ending at f.ends: each part long enough alone, the whole
// name of several parts, and its last two parts: the name without a
// title written in capitals ("Secretary-General Antonio Guterres") that
// the other language writes apart.
func (f *facts) addTranslit(show string) {
	part := func(i int) []byte {
		if i == 0 {
			return f.parts[:f.ends[0]]
		}
		return f.parts[f.ends[i-1]:f.ends[i]]
	}
	for i := range f.ends {
		if p := part(i); len(p) >= minTranslitClasses {
			f.begin('z')
			f.key = append(f.key, p...)
			f.addKey(show)
		}
	}
	if n := len(f.ends); n > 1 && len(f.parts) >= minNameClasses {
		f.begin('z')
		for i := range n {
			if i > 0 {
				f.key = append(f.key, ' ')
			}
			f.key = append(f.key, part(i)...)
		}
		f.addKey(show)
	}
	if n := len(f.ends); n > 2 && len(part(n-2))+len(part(n-1)) >= minNameClasses {
		f.begin('z')
		f.key = append(append(append(f.key, part(n-2)...), ' '), part(n-1)...)
		f.addKey(show)
	}
}

// appendTranslitSkeleton appends to dst the skeleton of a word
// (lower-case ASCII, see appendLatin) in the consonant classes a Chinese
// transliteration keeps: b/p, d/t, g/k/c/q, l/r, m, n, f/v/w, s/z/j/x
// and the sibilant digraphs; vowels and h dropped; a final silent e
// dropped; and a nasal or liquid that ends a syllable dropped, since
// Chinese writes it in the final of the syllable before (特朗普 for
// Trump) or with 尔.
func appendTranslitSkeleton(dst, l []byte) []byte {
	if n := len(l); n > 3 && l[n-1] == 'e' && !isVowel(l[n-2]) {
		l = l[:n-1]
	}
	var seq [32]byte // classes, 'v' for a vowel
	n := 0
	push := func(c byte) {
		if n < len(seq) && (n == 0 || seq[n-1] != c || c == 'v') {
			seq[n] = c
			n++
		}
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if i > 0 && c == l[i-1] {
			continue // doubled letters
		}
		if i+1 < len(l) {
			if k := translitDigraph(c, l[i+1]); k != 0 {
				if k != 'h' {
					push(k)
				}
				i++
				continue
			}
		}
		switch c {
		case 'a', 'e', 'i', 'o', 'u', 'y':
			push('v')
		case 'b', 'p':
			push('b')
		case 'd', 't':
			push('t')
		case 'g', 'k', 'q':
			push('k')
		case 'c':
			if i+1 < len(l) && (l[i+1] == 'e' || l[i+1] == 'i' || l[i+1] == 'y') {
				push('s')
			} else {
				push('k')
			}
		case 'x':
			push('k')
			push('s')
		case 'l', 'r':
			push('l')
		case 'm', 'n':
			push(c)
		case 'f', 'v', 'w':
			push('f')
		case 's', 'z', 'j':
			push('s')
		}
	}
	start := len(dst)
	for i, c := range seq[:n] {
		coda := (c == 'l' || c == 'm' || c == 'n') && (i+1 == n || seq[i+1] != 'v')
		if c != 'v' && !coda && (len(dst) == start || dst[len(dst)-1] != c) {
			dst = append(dst, c)
		}
	}
	return dst
}

// translitDigraph returns the class of two letters written as one sound,
// 'h' for one dropped, else 0.
func translitDigraph(a, b byte) byte {
	switch digraph(a, b) {
	case digraph('s', 'h'), digraph('c', 'h'), digraph('z', 'h'), digraph('c', 'z'), digraph('s', 'z'), digraph('t', 's'), digraph('t', 'z'):
		return 's'
	case digraph('p', 'h'):
		return 'f'
	case digraph('t', 'h'):
		return 't'
	case digraph('c', 'k'), digraph('q', 'u'), digraph('g', 'h'):
		return 'k'
	case digraph('k', 'h'):
		return 'h'
	}
	return 0
}

func isVowel(c byte) bool { return strings.IndexByte("aeiouy", c) >= 0 }

// Sides of a pair that transliteration keys join: a Chinese article
// gives them from its Han characters, one in another language written in
// letters from its names, and a Japanese one none.
const (
	sideNone = iota
	sideHan
	sideLetters
)

// sideOf returns the side of an article in language lang.
func sideOf(lang string) byte {
	switch {
	case isZh(lang):
		return sideHan
	case isLang(lang, "ja"):
		return sideNone
	}
	return sideLetters
}

// zhMix reports whether one article of a pair is Chinese and the other
// in a language written in letters: the only pairs whose transliteration
// keys count. Japanese is left out: its Han words are words, and it
// writes foreign names in katakana.
func zhMix(a, b string) bool { return isZh(a) != isZh(b) && !isLang(a, "ja") && !isLang(b, "ja") }

func isZh(lang string) bool { return isLang(lang, "zh") }

// isLang reports whether tag is language base, with or without a region
// or script.
func isLang(tag, base string) bool {
	return strings.HasPrefix(tag, base) && (len(tag) == len(base) || tag[len(base)] == '-' || tag[len(base)] == '_')
}
