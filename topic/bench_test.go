package topic

import (
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newswatch/newswatch/news"
)

// benchCorpus builds article-sized documents (about 4 KB) from the dev set,
// one language per document.
func benchCorpus(t testing.TB) []*news.Article {
	byLang := map[string][]labelled{}
	var langs []string
	for _, d := range readDevset(t) {
		if byLang[d.Lang] == nil {
			langs = append(langs, d.Lang)
		}
		byLang[d.Lang] = append(byLang[d.Lang], d)
	}
	var docs []*news.Article
	for _, l := range langs {
		ds := byLang[l]
		for i := range ds {
			var b strings.Builder
			for j := 0; b.Len() < 4096; j++ {
				d := ds[(i+j)%len(ds)]
				b.WriteString(d.Title + ". " + d.Text + "\n")
			}
			docs = append(docs, &news.Article{Title: ds[i].Title, Text: b.String(), Lang: l})
		}
	}
	return docs
}

// regexpBaseline is what peers do: one case-insensitive alternation of the
// same vocabulary, run on the raw text.
func regexpBaseline(t testing.TB) *regexp.Regexp {
	var alts []string
	for _, tp := range defaultTopics(t) {
		q, err := Parse(tp.Query)
		if err != nil {
			t.Fatal(err)
		}
		walk(q.root, func(n *node) {
			if n.kind == kindTerm {
				alts = append(alts, strings.ReplaceAll(regexp.QuoteMeta(n.text), `\*`, `\w*`))
			}
		})
	}
	return regexp.MustCompile(`(?i)\b(?:` + strings.Join(alts, "|") + `)`)
}

func corpusBytes(docs []*news.Article) int64 {
	var n int64
	for _, d := range docs {
		n += int64(len(d.Title) + len(d.Text))
	}
	return n
}

// newsCorpus is the blind set as whole articles: full-length news in
// seven languages, a third of them hard negatives, as feeds deliver them.
func newsCorpus(t testing.TB) []*news.Article {
	var docs []*news.Article
	for _, d := range readLabelled(t, "testdata/blind.jsonl") {
		docs = append(docs, &news.Article{Title: d.Title, Text: d.Text, Lang: d.Lang})
	}
	return docs
}

// BenchmarkMatch compares the engine (normalise + match, all topics) with
// a regexp alternation of the same vocabulary on the same documents: the
// dev set's snippets packed into 4 KB documents (a hit in nearly every
// sentence) and the blind set's whole articles.
func BenchmarkMatch(b *testing.B) {
	m, err := Compile(defaultTopics(b))
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		docs []*news.Article
	}{{"dev", benchCorpus(b)}, {"news", newsCorpus(b)}} {
		b.Run(c.name+"/topic", func(b *testing.B) { benchTopic(b, m, c.docs) })
		b.Run(c.name+"/regexp", func(b *testing.B) { benchRegexp(b, c.docs) })
	}
}

func benchTopic(b *testing.B, m *Matcher, docs []*news.Article) {
	b.SetBytes(corpusBytes(docs))
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		for _, d := range docs {
			m.Match(d)
		}
	}
	reportCPU(b, cpu, corpusBytes(docs))
	b.ReportMetric(float64(testing.AllocsPerRun(1, func() {
		for _, d := range docs {
			m.Match(d)
		}
	}))/float64(len(docs)), "allocs/doc")
}

func benchRegexp(b *testing.B, docs []*news.Article) {
	re := regexpBaseline(b)
	b.SetBytes(corpusBytes(docs))
	cpu := cpuTime()
	for b.Loop() {
		for _, d := range docs {
			re.FindAllStringIndex(d.Title, -1)
			re.FindAllStringIndex(d.Text, -1)
		}
	}
	reportCPU(b, cpu, corpusBytes(docs))
}

// BenchmarkMatchNoHit measures documents that match no topic, the
// common case, where nothing at all may be allocated.
func BenchmarkMatchNoHit(b *testing.B) {
	m, err := Compile(defaultTopics(b))
	if err != nil {
		b.Fatal(err)
	}
	doc := &news.Article{Title: "Traffic jams in the capital", Text: strings.Repeat("Heavy rain caused traffic jams across the city and the markets stayed open. ", 50)}
	b.SetBytes(int64(len(doc.Title) + len(doc.Text)))
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		m.Match(doc)
	}
	reportCPU(b, cpu, int64(len(doc.Title)+len(doc.Text)))
}

func BenchmarkNormalize(b *testing.B) {
	docs := benchCorpus(b)
	var t text
	b.SetBytes(corpusBytes(docs))
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range docs {
			t.reset()
			t.add(d.Title)
			t.add(d.Text)
		}
	}
}

// cpuTime returns the CPU time the process has used. On a shared machine
// wall-clock MB/s understates per-core speed; MB/cpu-s does not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, start time.Duration, bytesPerOp int64) {
	if used := cpuTime() - start; used > 0 {
		b.ReportMetric(float64(bytesPerOp)*float64(b.N)/used.Seconds()/1e6, "MB/cpu-s")
	}
}

// BenchmarkMatchNormalizedNews measures what the poll calls per article:
// matching plus the normalised text and index terms, on the blind set's
// whole articles.
func BenchmarkMatchNormalizedNews(b *testing.B) {
	benchMatchNormalized(b, newsCorpus(b))
}

// benchMatchNormalized runs MatchNormalized with the default topics over
// docs, reporting bytes per CPU-second.
func benchMatchNormalized(b *testing.B, docs []*news.Article) {
	m, err := Compile(defaultTopics(b))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(corpusBytes(docs))
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		for _, d := range docs {
			m.MatchNormalized(d)
		}
	}
	reportCPU(b, cpu, corpusBytes(docs))
}
