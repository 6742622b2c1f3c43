package store

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/newswatch/newswatch/internal/newstest"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/search"
	"github.com/newswatch/newswatch/topic"
)

// benchArchiveSize is the size of the search benchmark's archive: the
// issue's 200,000 articles, or NEWSWATCH_BENCH_ARTICLES for a quick run
// (a profile, say).
var benchArchiveSize = func() int {
	if n, err := strconv.Atoi(os.Getenv("NEWSWATCH_BENCH_ARTICLES")); err == nil && n > 0 {
		return n
	}
	return 200_000
}()

// benchArchive returns a store of benchArchiveSize generated articles
// (newstest.ArchiveArticle, seven languages, matched by the built-in
// topics), saved through SavePoll 50 at a time. It is generated once into
// the user's cache directory (NEWSWATCH_BENCH_DIR overrides it) and kept
// for the next run: about five minutes on two cores.
func benchArchive(b *testing.B) string {
	b.Helper()
	dir := os.Getenv("NEWSWATCH_BENCH_DIR")
	if dir == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			b.Fatal(err)
		}
		dir = filepath.Join(cache, "newswatch-bench")
	}
	path := filepath.Join(dir, fmt.Sprintf("search-%d-v%d-%s.db", benchArchiveSize, SchemaVersion, search.Version))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		b.Fatal(err)
	}
	tmp := path + ".tmp"
	os.Remove(tmp)
	s, err := Open(tmp, Options{})
	if err != nil {
		b.Fatal(err)
	}
	ts, _ := defaultTopics(b)
	m, err := topic.Compile(ts)
	if err != nil {
		b.Fatal(err)
	}
	start, text := time.Now(), 0
	var saving time.Duration
	for i := benchArchiveSize - 1; i >= 0; i -= 50 { // oldest first, as polled
		p := Poll{Feed: FeedState{URL: "https://example.org/feed"}}
		for j := i; j > i-50 && j >= 0; j-- {
			a := newstest.ArchiveArticle(j)
			a.SetHits(m.Match(a))
			text += len(a.Title) + len(a.Text)
			p.Articles = append(p.Articles, a)
		}
		t := time.Now()
		if _, err := s.SavePoll(p); err != nil {
			b.Fatal(err)
		}
		saving += time.Since(t)
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	b.Logf("generated %d articles (%d MB of title and text) in %v; SavePoll with indexing: %.0f articles/s",
		benchArchiveSize, text>>20, time.Since(start).Round(time.Second), float64(benchArchiveSize)/saving.Seconds())
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	return path
}

// benchQueries are the query mix: every clause of the built-in topics,
// phrases, wildcards, NEAR and lang filters.
func benchQueries(b *testing.B) []string {
	_, clauses := defaultTopics(b)
	qs := append(clauses, searchQueries...)
	for _, l := range []string{"vi", "en", "ar", "zh", "fr", "es", "ru"} {
		qs = append(qs, `(trafficking OR "mua bán người" OR الاتجار OR 拐卖 OR traite OR trata OR торговл*) AND lang:`+l)
	}
	return append(qs, `"United Nations" NEAR/10 (Council OR resolution)`, `"Hội đồng Bảo an" OR "Liên hợp quốc"`, `полиц* NEAR/3 задерж*`)
}

// BenchmarkSearch runs the query mix over the 200,000-article archive,
// a page of 20 results per query as the dashboard asks, and reports the
// median, 95th percentile and slowest query time.
//
//	go test ./store -run '^$' -bench Search -benchtime 1x -timeout 30m
func BenchmarkSearch(b *testing.B) {
	s, err := Open(benchArchive(b), Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	queries := benchQueries(b)
	var times []time.Duration
	type slow struct {
		d    time.Duration
		what string
	}
	var slowest []slow
	results, cpu := 0, cpuTime(b)
	for b.Loop() {
		times, slowest = times[:0], slowest[:0]
		for _, text := range queries {
			t := time.Now()
			q, err := search.Compile(text)
			if err != nil {
				b.Fatal(err)
			}
			page, err := s.Search(b.Context(), Search{Query: q, Limit: 20})
			if err != nil || !page.Indexed {
				b.Fatalf("Search(%q) = %v, indexed %v", text, err, page.Indexed)
			}
			d := time.Since(t)
			times = append(times, d)
			results += len(page.Results)
			slowest = append(slowest, slow{d, fmt.Sprintf("%v %q (%d candidates, %d read, %d results)", d.Round(time.Millisecond), text, page.Candidates, page.Read, len(page.Results))})
		}
	}
	slices.Sort(times)
	ms := func(q float64) float64 { return float64(times[int(q*float64(len(times)-1))]) / 1e6 }
	b.ReportMetric(ms(.5), "p50-ms")
	b.ReportMetric(ms(.95), "p95-ms")
	b.ReportMetric(ms(1), "max-ms")
	b.ReportMetric(float64(len(queries)), "queries")
	b.ReportMetric(float64(cpuTime(b)-cpu)/1e6/float64(b.N*len(queries)), "cpu-ms/query")
	slices.SortFunc(slowest, func(x, y slow) int { return int(y.d - x.d) })
	b.Logf("%d queries, %d results; the slowest:", len(queries), results)
	for _, s := range slowest[:min(12, len(slowest))] {
		b.Logf("  %s", s.what)
	}
}

// BenchmarkIndexSize reports the index's bytes against the stored text.
func BenchmarkIndexSize(b *testing.B) {
	path := benchArchive(b)
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for b.Loop() {
		var index, articles int
		text := 0
		err := s.view(func(tx *bolt.Tx) error {
			for _, name := range indexBuckets {
				index += bucketBytes(tx.Bucket(name))
			}
			articles = bucketBytes(tx.Bucket(bucketArticles))
			return tx.Bucket(bucketArticles).ForEach(func(_, v []byte) error {
				var a news.Article
				if err := decode(v, &a); err != nil {
					return err
				}
				text += len(a.Title) + len(a.Text)
				return nil
			})
		})
		if err != nil {
			b.Fatal(err)
		}
		fi, _ := os.Stat(path)
		b.ReportMetric(float64(index)/float64(text), "index/text")
		b.ReportMetric(float64(index)/float64(articles), "index/articles-bucket")
		b.ReportMetric(float64(index)/1e6, "index-MB")
		b.Logf("index %d MB, title+text %d MB, articles bucket %d MB, file %d MB", index>>20, text>>20, articles>>20, fi.Size()>>20)
	}
}

// bucketBytes is the space a bucket's pages take.
func bucketBytes(b *bolt.Bucket) int {
	st := b.Stats()
	return (st.BranchPageN + st.BranchOverflowN + st.LeafPageN + st.LeafOverflowN) * 4096
}

// BenchmarkBuildIndex rebuilds the index of a copy of the archive and
// reports articles indexed per second.
func BenchmarkBuildIndex(b *testing.B) {
	src := benchArchive(b)
	for b.Loop() {
		b.StopTimer()
		dst := filepath.Join(b.TempDir(), "copy.db")
		data, err := os.ReadFile(src)
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(dst, data, 0o600); err != nil {
			b.Fatal(err)
		}
		s, err := Open(dst, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		t, cpu := time.Now(), cpuTime(b)
		if err := s.Reindex(b.Context(), nil); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(benchArchiveSize)/time.Since(t).Seconds(), "articles/s")
		b.ReportMetric(float64(benchArchiveSize)/(cpuTime(b)-cpu).Seconds(), "articles/cpu-s")
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}

// cpuTime is the CPU time the process has used, user and system: on a
// machine shared with other work, the rate per CPU second is the figure
// that does not depend on the others' load.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
