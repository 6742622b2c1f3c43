package search

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/topic"
)

// langPrefix starts the term that files an article under its language.
// Normalised text holds no control characters, so no word starts so.
const langPrefix = "\x01"

// LangTerm returns the index term of the language code lang (a primary
// subtag, as lang: clauses hold it).
func LangTerm(lang string) string { return langPrefix + lang }

// Terms returns the distinct index terms of an article, sorted: those of
// the fields the topics match (title, text, URL and source name), the
// title's again as the title's (topic.TitlePrefix), and its language's. It takes them from a.Norm when that was made from the
// article's fields, and normalises the fields itself otherwise.
func Terms(a *news.Article) []string {
	n := a.Norm
	if !n.For(a) {
		n = topic.NormalizeArticle(a)
	}
	out := make([]string, 0, len(n.Terms)+1)
	if l := topic.MatchLang(a.Lang); l != "" {
		out = append(out, LangTerm(l)) // first: no other term starts with a control character below ExactPrefix
	}
	return append(out, n.Terms...)
}

// formatVersion names the way Terms and plans are made; change it when
// they change in a way the sample below may not show.
const formatVersion = "search/1"

// versionSample is text in the scripts and foldings the index depends on.
const versionSample = "Human-Trafficking U.N. Liên Hiệp Quốc hoà bình NGƯỜI " +
	"وبالأمم المتحدة للأمم إتجار 聯合國 拐卖人口 人口贩运（fàn） Ёлка торговля ＵＮＩＣＥＦ ﬁnance café"

// Version identifies the vocabulary of the index: it changes when Terms
// would file the same article under other terms, after which an index
// must be built again.
var Version = func() string {
	h := sha256.New()
	h.Write([]byte(formatVersion))
	for _, t := range Terms(&news.Article{Title: versionSample, Lang: "vi-VN"}) {
		h.Write([]byte{0})
		h.Write([]byte(t))
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}()
