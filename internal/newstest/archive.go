package newstest

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/topic"
)

// ArchiveArticle returns article i of a generated archive for search
// tests and benchmarks: text made of sentences of the corpus pages of
// one of seven languages, mixed across pages, with numbers, names and
// words that occur once, as real news has. The same i gives the same
// article; the newest is i = 0, and every article is a minute older
// than the one before. Topics are left to the caller's matcher.
func ArchiveArticle(i int) *news.Article {
	pool := archivePool()
	r := rand.New(rand.NewPCG(uint64(i), 0x5eed))
	lang := archiveLangs[i%len(archiveLangs)]
	sents := pool[lang]
	pick := func() string { return sents[r.IntN(len(sents))] }
	var paras []string
	for range 3 + r.IntN(6) {
		var p []string
		for range 1 + r.IntN(3) {
			p = append(p, pick())
		}
		p = append(p, rareWords(r, lang))
		paras = append(paras, strings.Join(p, " "))
	}
	at := archiveNewest.Add(-time.Duration(i) * time.Minute)
	title := pick()
	if n := []rune(title); len(n) > 120 {
		title = string(n[:120])
	}
	a := &news.Article{
		URL:    fmt.Sprintf("https://news%02d.example.org/%s/%d/story-%d.html", i%37, lang, at.Year(), i),
		Source: fmt.Sprintf("News %02d (%s)", i%37, lang), Title: title, Text: strings.Join(paras, "\n"),
		Lang: lang, Published: at, Fetched: at.Add(2 * time.Minute), Extractor: "generic",
	}
	a.FeedURL = fmt.Sprintf("https://news%02d.example.org/%s/rss.xml", i%37, lang)
	a.ID = news.ArticleID(a.URL)
	return a
}

// archiveNewest is the time of ArchiveArticle(0).
var archiveNewest = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

var archiveLangs = []string{"vi", "en", "ar", "zh", "fr", "es", "ru"}

// archivePool returns the corpus sentences by language.
var archivePool = func() func() map[string][]string {
	var pool map[string][]string
	return func() map[string][]string {
		if pool != nil {
			return pool
		}
		pool = map[string][]string{}
		for _, p := range Corpus() {
			lines := append([]string{p.Title, p.Sapo}, p.Body...)
			lines = append(lines, p.Related...)
			for _, l := range lines {
				for s := range strings.SplitAfterSeq(l, ". ") {
					if s = strings.TrimSpace(s); s != "" {
						pool[p.Lang] = append(pool[p.Lang], s)
					}
				}
			}
		}
		return pool
	}
}()

// Syllables of the made-up names and words, by script.
var rareSyllables = map[string][]string{
	"latin": {"ka", "to", "ri", "mel", "van", "dor", "sa", "li", "nu", "bre", "quo", "zan", "ph", "gu", "thi", "ẫn", "ướ", "é", "ñe"},
	"ar":    {"كا", "مو", "سي", "لا", "ري", "بن", "حا", "دي", "نو", "فر"},
	"zh":    {"张", "王", "李", "赵", "明", "华", "伟", "芳", "强", "军", "洋", "勇", "艳", "杰", "涛", "敏"},
	"ru":    {"ка", "мо", "ри", "ла", "ни", "ков", "ев", "ин", "ска", "дор"},
}

// rareWords returns a clause of numbers and made-up names in lang's script.
func rareWords(r *rand.Rand, lang string) string {
	script := "latin"
	switch lang {
	case "ar", "zh", "ru":
		script = lang
	}
	syl := rareSyllables[script]
	var words []string
	for range 2 + r.IntN(3) {
		var w strings.Builder
		for range 2 + r.IntN(2) {
			w.WriteString(syl[r.IntN(len(syl))])
		}
		words = append(words, w.String())
	}
	sep := " "
	if lang == "zh" {
		sep = ""
	}
	return fmt.Sprintf("%d%s%s%s%d.", 1+r.IntN(99999), sep, strings.Join(words, sep), sep, 1990+r.IntN(40))
}

// Clauses returns the clauses a topic query fires on, each a query of
// its own (topic.Query.Clauses).
func Clauses(query string) ([]string, error) {
	q, err := topic.Parse(query)
	if err != nil {
		return nil, err
	}
	return q.Clauses(), nil
}

// DefaultTopics reads the topics of a configuration file (such as
// cmd/newswatch/default.yaml): name -> query.
func DefaultTopics(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var cfg struct {
		Topics map[string]struct {
			Query string `yaml:"query"`
		} `yaml:"topics"`
	}
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	out := map[string]string{}
	for name, t := range cfg.Topics {
		out[name] = t.Query
	}
	return out, nil
}
