package story

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newswatch/newswatch/news"
)

// fill assigns n articles spread over the window before the returned
// time, as a daemon that has run for a full window holds them.
func fill(tb testing.TB, s *synthetic, t *Tracker, n int) time.Time {
	step := t.Window() / time.Duration(n)
	at := s.start
	for i := range n {
		t.Assign(s.article(i, at), at)
		at = at.Add(step)
	}
	return at
}

// BenchmarkAssign measures one article's story assignment against a full
// 7-day window of 20,000 open articles (about 3,000 new articles a day,
// the 1,000 feeds × 20 items of the pipeline benchmark polled once a
// day), the window kept full as articles arrive and leave; and against
// 100,000 (issue 12's store of 100,000 articles, all of them open),
// which takes a minute or two to fill. The articles come from synthetic's
// stream of events, written in batches outside the measure: each one new,
// none a repeat of one in the window.
func BenchmarkAssign(b *testing.B) {
	for _, n := range []int{2_000, 20_000, 100_000} {
		b.Run(fmt.Sprintf("window=%d", n), func(b *testing.B) {
			s := newSynthetic(b)
			t := New(Options{})
			at := fill(b, s, t, n)
			step := t.Window() / time.Duration(n)
			var arts []*news.Article
			i := 0
			var cpu time.Duration
			cpu0 := cpuTime()
			for b.Loop() {
				if len(arts) == 0 {
					b.StopTimer()
					cpu += cpuTime() - cpu0
					for range 1024 {
						arts = append(arts, s.article(n+i+len(arts), at.Add(step*time.Duration(len(arts)))))
					}
					cpu0 = cpuTime()
					b.StartTimer()
				}
				t.Assign(arts[0], arts[0].Fetched)
				at, arts = arts[0].Fetched.Add(step), arts[1:]
				i++
			}
			cpu += cpuTime() - cpu0
			b.ReportMetric(float64(cpu)/float64(i), "cpu-ns/op") // the machine may be shared: wall time overstates
			b.ReportMetric(float64(t.Len()), "window")
			b.ReportMetric(float64(len(t.stories)), "stories")
		})
	}
}

// BenchmarkWindowMemory reports the heap a full window holds per
// article: the memory bound of the tracker is this times the articles
// of one window.
func BenchmarkWindowMemory(b *testing.B) {
	const n = 20_000
	for b.Loop() {
		s := newSynthetic(b)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		t := New(Options{})
		fill(b, s, t, n)
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "heap-B/article")
		runtime.KeepAlive(t)
	}
}

// TestWindowBounded: the window holds only the articles of the last
// Window, however many were assigned.
func TestWindowBounded(t *testing.T) {
	s := newSynthetic(t)
	tr := New(Options{Window: 4 * time.Hour})
	at := s.start
	for i := range 600 {
		tr.Assign(s.article(i, at), at)
		at = at.Add(time.Minute) // 240 a window
	}
	if n := tr.Len(); n < 235 || n > 241 {
		t.Errorf("window holds %d articles after 600 over 10 hours, want the last 4 hours' 240", n)
	}
}

// TestDevSetInFullWindow: the development set's stories come out the
// same amid a full window of other stories in the same languages, whose
// plain words are the dev set's common ones (every such word of the dev
// set common in the window, so its lists long), as in a daemon that has
// run for a while.
func TestDevSetInFullWindow(t *testing.T) {
	if testing.Short() {
		t.Skip("assigns tens of thousands of articles")
	}
	set := readLabelled(t, "testdata/dev.jsonl")
	got, next := amidWindow(t, set)
	sc := score(set, got)
	all := pairCount{sc.same.tp + sc.cross.tp, sc.same.fp + sc.cross.fp, sc.same.fn + sc.cross.fn}
	t.Logf("dev set amid %d other articles:\n%v", next, sc)
	if all.precision() < 1 || all.recall() < 1 || sc.dupFound < sc.dupGold || sc.dupRight < sc.dupPred {
		t.Errorf("dev set amid a full window: not every story and copy as alone:\n%v", sc)
	}
}

// amidWindow assigns set amid a full window of other articles in the
// same languages and words, and returns the set's articles as assigned,
// by id, and the number of others.
func amidWindow(t testing.TB, set []labelled) (map[string]*news.Article, int) {
	const perWindow = 2000
	sorted := slices.Clone(set)
	slices.SortStableFunc(sorted, func(x, y labelled) int { return x.Published.Compare(y.Published) })
	s := newSynthetic(t)
	// The others' plain words are the set's common ones, of three stories
	// or more: the words of the language, not of one event (their events'
	// own terms come from synthetic's tail).
	stories := map[string]map[string]bool{}
	for _, l := range set {
		words := strings.Fields(l.Title + " " + l.Text)
		if l.Lang == "zh" { // written without spaces: its characters
			words = strings.Split(l.Title+l.Text, "")
		}
		for _, w := range words {
			if stories[w] == nil {
				stories[w] = map[string]bool{}
			}
			stories[w][l.Story] = true
		}
	}
	for lang, words := range s.words {
		if lang == "zh" {
			words = strings.Split(strings.Join(words, ""), "")
		}
		s.words[lang] = slices.DeleteFunc(words, func(w string) bool { return len(stories[w]) < 3 })
	}
	tr := New(Options{})
	got := map[string]*news.Article{}
	next, prev := 0, time.Time{}
	for _, l := range sorted {
		a := l.article()
		// Other articles in the window before it, the fuller the longer
		// since the last one of the set.
		gap := min(a.Fetched.Sub(prev), tr.Window())
		n := int(perWindow * gap / tr.Window())
		for k := range n {
			at := a.Fetched.Add(-gap + gap*time.Duration(k)/time.Duration(n))
			o := s.article(next, at)
			next++
			tr.Assign(o, at)
		}
		prev = a.Fetched
		tr.Assign(a, a.Fetched)
		got[l.ID] = a
	}
	return got, next
}

// BenchmarkFeatures measures what Assign computes of each article before
// any candidate is scored (normalising, term counting, the sketch, the
// evidence scanner), over the development set's real articles.
func BenchmarkFeatures(b *testing.B) {
	set := readLabelled(b, "testdata/dev.jsonl")
	arts := make([]*news.Article, len(set))
	for i, l := range set {
		arts[i] = l.article()
	}
	var sc scratch
	idf := func(uint32) float64 { return 1 }
	i := 0
	for b.Loop() {
		d := newDoc(arts[i%len(arts)], arts[0].Fetched, &sc)
		d.weigh(&sc.tf, idf, &sc.keys)
		i++
	}
}
