package topic

import (
	"slices"

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
	seen := make(map[string]struct{}, 256)
	add := func(t string) bool {
		seen[t] = struct{}{}
		return true
	}
	for seg := range st.nseg {
		st.indexTerms(seg, s, add)
	}
	terms := make([]string, 0, len(seen))
	for t := range seen {
		terms = append(terms, t)
	}
	slices.Sort(terms)
	title, text := &st.segs[segTitle], &st.segs[segText]
	return &news.Normalized{
		Title: s[title.start:title.end], Text: s[text.start:text.end], Terms: terms,
		Fields: [4]string{a.Title, a.Text, a.URL, a.Source},
	}
}
