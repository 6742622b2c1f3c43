package newstest

import (
	"slices"
	"time"
)

// Expected topics of corpus pages, for tests that check matching.
const (
	TopicTrafficking = "trafficking"
	TopicUN          = "un"
)

// CorpusPage is a page of the sample corpus with the topics a correct
// matcher finds in it (title and extracted body, not the boxes of related
// headlines around it).
type CorpusPage struct {
	Page
	Topics []string
	Trap   string // why a page without topics might wrongly match, if it might
}

// Corpus returns the sample news articles (Vietnamese, English, Arabic,
// Chinese, French, Spanish, Russian), written for newswatch's tests: human
// trafficking, the United Nations and unrelated news, including traps such
// as drug trafficking, traffic jams and related-article boxes full of
// trafficking headlines. The result is a fresh copy.
func Corpus() []CorpusPage {
	var out []CorpusPage
	for _, part := range [][]CorpusPage{corpusVI, corpusEN, corpusAR, corpusZH, corpusOther} {
		for _, p := range part {
			p.Body = slices.Clone(p.Body)
			p.Related = slices.Clone(p.Related)
			p.Sidebar = slices.Clone(p.Sidebar)
			p.Topics = slices.Clone(p.Topics)
			out = append(out, p)
		}
	}
	return out
}

// CorpusPageByID returns the corpus page with the given post id.
func CorpusPageByID(id int) (CorpusPage, bool) {
	for _, p := range Corpus() {
		if p.ID == id {
			return p, true
		}
	}
	return CorpusPage{}, false
}

// at returns a time in Indochina Time.
func at(month time.Month, day, hour, minute int) time.Time {
	return time.Date(2026, month, day, hour, minute, 0, 0, ict)
}

var (
	trafficking   = []string{TopicTrafficking}
	un            = []string{TopicUN}
	traffickingUN = []string{TopicTrafficking, TopicUN}
)
