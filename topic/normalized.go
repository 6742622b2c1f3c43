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
	if st.seen == nil {
		st.seen = make(map[string]struct{}, 1024)
	}
	seen := st.seen
	add := func(t string) bool {
		seen[t] = struct{}{}
		return true
	}
	for seg := range st.nseg {
		st.indexTerms(seg, s, add)
	}
	keys := st.termKeys[:0]
	for t := range seen {
		keys = append(keys, termKey{prefix: prefixKey(t), term: t})
	}
	slices.SortFunc(keys, termKey.compare)
	terms := make([]string, len(keys))
	for i, k := range keys {
		terms[i] = k.term
	}
	clear(keys) // the pooled scratch keeps no article's text
	clear(seen)
	if len(keys) > 1<<14 {
		st.seen = nil // clear costs what the map once held
	}
	st.termKeys = keys
	title, text := &st.segs[segTitle], &st.segs[segText]
	return &news.Normalized{
		Title: s[title.start:title.end], Text: s[text.start:text.end], Terms: terms,
		Fields: [4]string{a.Title, a.Text, a.URL, a.Source},
	}
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
