package topic

import (
	"cmp"
	"slices"
	"strings"

	"github.com/newswatch/newswatch/news"
)

// MatchNormalized is Match that also returns the article's text as it
// normalised it, for the stages after matching (see news.Normalized):
// the text is normalised once per article.
func (m *Matcher) MatchNormalized(a *news.Article) ([]news.Hit, *news.Normalized) {
	st := m.pool.Get().(*state)
	defer m.release(st)
	hits := m.match(st, a)
	return hits, st.normalized(a)
}

// NormalizeArticle returns the article's text normalised (see
// news.Normalized), for an article that was not matched.
func NormalizeArticle(a *news.Article) *news.Normalized {
	var st state
	st.addFields(a)
	return st.normalized(a)
}

// addFields adds the fields topics match as segments, in the order of
// segTitle, segText, segURL and segSource.
func (st *state) addFields(a *news.Article) {
	st.add(a.Title)
	st.add(a.Text)
	st.add(a.URL)
	st.add(a.Source)
}

// normalized returns what st holds of the article whose fields it added:
// one copy of the normalised text, which the fields and the terms share.
func (st *state) normalized(a *news.Article) *news.Normalized {
	s := string(st.buf)
	st.terms.reset(st.termKeys[:0])
	for seg := range st.nseg {
		st.indexTerms(seg, s, st.terms.add)
	}
	if st.nseg > segTitle { // the title's terms again, as the title's (see TitlePrefix)
		st.indexTerms(segTitle, s, func(t string) bool { return st.terms.add(TitlePrefix + t) })
	}
	keys := st.terms.keys
	st.termTmp = slices.Grow(st.termTmp[:0], len(keys))[:len(keys)]
	sortTermKeys(keys, st.termTmp, 56)
	clear(st.termTmp)
	terms := make([]string, len(keys))
	for i, k := range keys {
		terms[i] = k.term
	}
	clear(keys) // the pooled scratch keeps no article's text
	st.termKeys = keys[:0]
	title, text := &st.segs[segTitle], &st.segs[segText]
	return &news.Normalized{
		Title: s[title.start:title.end], Text: s[text.start:text.end], Terms: terms,
		Fields: [4]string{a.Title, a.Text, a.URL, a.Source},
	}
}

// termSet collects the distinct terms of an article as termKeys: an
// open-addressing table of their indexes, hashed from the prefix the key
// holds anyway and the term's last eight bytes. A map[string] hashes
// every byte of every term and costs a walk in random order to list.
type termSet struct {
	keys  []termKey
	slots []int32 // index+1 in keys, 0 for free; a power of two, at most half used
	used  []int32 // the slots in use
	shift uint8   // 64 minus log2(len(slots))
}

// The table's size to start with (a long article's terms without
// growing), and the largest kept for the next article.
const (
	minTermSlots = 1 << 12
	maxTermSlots = 1 << 16
)

// reset empties the set, collecting the next terms in keys.
func (ts *termSet) reset(keys []termKey) {
	ts.keys = keys
	if len(ts.slots) > maxTermSlots || ts.slots == nil {
		ts.alloc(minTermSlots)
		return
	}
	for _, i := range ts.used {
		ts.slots[i] = 0
	}
	ts.used = ts.used[:0]
}

func (ts *termSet) alloc(n int) {
	ts.slots = make([]int32, n)
	ts.used = ts.used[:0]
	ts.shift = 64
	for ; n > 1; n >>= 1 {
		ts.shift--
	}
}

// add adds term t; it always returns true, to go on (see IndexTerms).
func (ts *termSet) add(t string) bool {
	p := prefixKey(t)
	mask := len(ts.slots) - 1
	for i := ts.slot(p, t); ; i = (i + 1) & mask {
		e := ts.slots[i]
		if e == 0 {
			ts.keys = append(ts.keys, termKey{prefix: p, term: t})
			ts.slots[i] = int32(len(ts.keys))
			ts.used = append(ts.used, int32(i))
			if 2*len(ts.keys) > len(ts.slots) {
				ts.grow()
			}
			return true
		}
		if k := &ts.keys[e-1]; k.prefix == p && k.term == t {
			return true
		}
	}
}

// slot returns where term t, of prefix key p, is first looked for.
func (ts *termSet) slot(p uint64, t string) int {
	h := p ^ uint64(len(t))
	if n := len(t); n > 8 {
		h ^= prefixKey(t[n-8:]) * 0xC2B2AE3D27D4EB4F
	}
	return int((h * 0x9E3779B97F4A7C15) >> ts.shift)
}

// grow doubles the table.
func (ts *termSet) grow() {
	ts.alloc(2 * len(ts.slots))
	mask := len(ts.slots) - 1
	for ki, k := range ts.keys {
		i := ts.slot(k.prefix, k.term)
		for ts.slots[i] != 0 {
			i = (i + 1) & mask
		}
		ts.slots[i] = int32(ki + 1)
		ts.used = append(ts.used, int32(i))
	}
}

// sortTermKeys sorts keys as their terms sort, byte by byte of their
// prefixes from the one at shift (56: the first), through tmp as long as
// keys: keys are dealt into runs by that byte, and each run is sorted on
// by the next byte, until a run is short (or shares all eight bytes)
// and a comparison sort finishes it. The first byte or two leave runs
// of a few dozen keys, which a comparison sort orders with half the
// comparisons the whole would cost.
func sortTermKeys(keys, tmp []termKey, shift int) {
	var count [256]int32
	for {
		if len(keys) <= shortRun {
			insertionSort(keys)
			return
		}
		if shift < 0 {
			slices.SortFunc(keys, termKey.compare)
			return
		}
		count = [256]int32{}
		for i := range keys {
			count[byte(keys[i].prefix>>shift)]++
		}
		if int(count[byte(keys[0].prefix>>shift)]) < len(keys) {
			break
		}
		shift -= 8 // a byte all keys share: on to the next
	}
	var next [256]int32
	var pos int32
	for b, c := range count {
		next[b] = pos
		pos += c
	}
	for i := range keys {
		b := byte(keys[i].prefix >> shift)
		tmp[next[b]] = keys[i]
		next[b]++
	}
	copy(keys, tmp)
	start := int32(0)
	for _, c := range count {
		if c > 1 {
			sortTermKeys(keys[start:start+c], tmp[start:start+c], shift-8)
		}
		start += c
	}
}

// shortRun is the length of a run of keys that an insertion sort
// finishes.
const shortRun = 32

// insertionSort sorts a short run of keys: most differ in their
// prefixes, which it compares inline.
func insertionSort(keys []termKey) {
	for i := 1; i < len(keys); i++ {
		k, j := keys[i], i
		for ; j > 0 && k.less(keys[j-1]); j-- {
			keys[j] = keys[j-1]
		}
		keys[j] = k
	}
}

func (a termKey) less(b termKey) bool {
	return a.prefix < b.prefix || a.prefix == b.prefix && a.term < b.term
}

// termKey is an index term with its first eight bytes as a number, which
// orders most pairs of terms without comparing their bytes one by one.
type termKey struct {
	prefix uint64
	term   string
}

// prefixKey returns the first eight bytes of t, big-endian, padded with
// zeros: when the keys of two terms differ, they order the terms.
func prefixKey(t string) uint64 {
	if len(t) >= 8 { // one load
		_ = t[7]
		return uint64(t[0])<<56 | uint64(t[1])<<48 | uint64(t[2])<<40 | uint64(t[3])<<32 |
			uint64(t[4])<<24 | uint64(t[5])<<16 | uint64(t[6])<<8 | uint64(t[7])
	}
	var k uint64
	for i := range 8 {
		k <<= 8
		if i < len(t) {
			k |= uint64(t[i])
		}
	}
	return k
}

func (a termKey) compare(b termKey) int {
	if c := cmp.Compare(a.prefix, b.prefix); c != 0 {
		return c
	}
	return strings.Compare(a.term, b.term)
}
