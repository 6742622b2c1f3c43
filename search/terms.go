package search

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"

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
// the fields the topics match (title, text, URL and source name) and its
// language's.
func Terms(a *news.Article) []string {
	seen := make(map[string]struct{}, 256)
	add := func(t string) bool {
		seen[t] = struct{}{}
		return true
	}
	for _, f := range []string{a.Title, a.Text, a.URL, a.Source} {
		topic.IndexTerms(f, add)
	}
	if l := topic.MatchLang(a.Lang); l != "" {
		add(LangTerm(l))
	}
	out := make([]string, 0, len(seen))
	for t := range seen {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
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
