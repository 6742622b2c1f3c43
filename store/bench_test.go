package store

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/topic"
)

// benchText is about size bytes of multilingual article text built from
// testdata.
func benchText(tb testing.TB, size int) string {
	var sb strings.Builder
	as := loadArticles(tb)
	for i := 0; sb.Len() < size; i++ {
		sb.WriteString(as[i%len(as)].Text)
		sb.WriteByte('\n')
	}
	return sb.String()[:size]
}

// benchArticle is a realistic article with a ~textSize body, matched when
// topic is not empty.
func benchArticle(i int, text, topic string) *news.Article {
	a := &news.Article{
		URL: fmt.Sprintf("https://www.vietnamplus.vn/bai-viet-%d.vnp", i), FeedURL: "https://www.vietnamplus.vn/rss/home.rss",
		Source: "VietnamPlus", Title: fmt.Sprintf("Tin số %d: triệt phá đường dây mua bán người", i), Text: text,
		Summary: "Tóm tắt bài viết.", Lang: "vi", Dir: "ltr", Extractor: "site:vietnamplus",
		Published: t0.Add(time.Duration(i) * time.Second), Fetched: t0.Add(time.Duration(i) * time.Second),
	}
	a.ID = news.ArticleID(a.URL)
	if topic != "" {
		a.SetHits([]news.Hit{{Topic: topic, Term: "mua bán người", Field: news.FieldTitle, Start: 40, End: 57, Snippet: a.Title}})
	}
	return a
}

// BenchmarkSavePoll saves one poll of 20 new ~5 KB articles per op: one
// durable (fsynced) transaction.
func BenchmarkSavePoll(b *testing.B) {
	s := openTest(b)
	text := benchText(b, 5000)
	n := 0
	for b.Loop() {
		p := Poll{Feed: FeedState{URL: "https://www.vietnamplus.vn/rss/home.rss", LastPoll: t0}}
		for range 20 {
			a := benchArticle(n, text, "")
			if n%4 == 0 {
				a = benchArticle(n, text, "trafficking")
			}
			p.Articles = append(p.Articles, a)
			p.Seen = append(p.Seen, a.URL)
			n++
		}
		if _, err := s.SavePoll(p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSavePollAlerts is the cost the outbox adds: one matched
// article saved without and with two alerts in the same transaction.
func BenchmarkSavePollAlerts(b *testing.B) {
	for _, nAlerts := range []int{0, 2} {
		b.Run(fmt.Sprintf("alerts=%d", nAlerts), func(b *testing.B) {
			s := openTest(b)
			text := benchText(b, 5000)
			n := 0
			for b.Loop() {
				a := benchArticle(n, text, "trafficking")
				p := Poll{Feed: FeedState{URL: a.FeedURL}, Seen: []string{a.URL}, Articles: []*news.Article{a}}
				for j := range nAlerts {
					p.Alerts = append(p.Alerts, testAlert(fmt.Sprintf("sub%d@example.org", j), a, t0))
				}
				if _, err := s.SavePoll(p); err != nil {
					b.Fatal(err)
				}
				n++
			}
		})
	}
}

// BenchmarkForEachArticle visits 10,000 stored ~5 KB articles (a quarter
// matched) per op, as an export of everything does.
func BenchmarkForEachArticle(b *testing.B) {
	s := openTest(b)
	text := benchText(b, 5000)
	const total, perPoll = 10000, 500
	for i := 0; i < total; i += perPoll {
		var p Poll
		p.Feed.URL = "https://www.vietnamplus.vn/rss/home.rss"
		for j := i; j < i+perPoll; j++ {
			topic := ""
			if j%4 == 0 {
				topic = "trafficking"
			}
			p.Articles = append(p.Articles, benchArticle(j, text, topic))
		}
		if _, err := s.SavePoll(p); err != nil {
			b.Fatal(err)
		}
	}
	for _, q := range []Query{{All: true}, {Topic: "trafficking"}} {
		b.Run(fmt.Sprintf("all=%v,topic=%q", q.All, q.Topic), func(b *testing.B) {
			for b.Loop() {
				n := 0
				err := s.ForEachArticle(b.Context(), q, func(*news.Article) error { n++; return nil })
				if err != nil || n == 0 {
					b.Fatalf("ForEachArticle() = %v after %d articles", err, n)
				}
			}
		})
	}
}

// BenchmarkUnseen checks the 50 keys of a typical feed, half of them seen,
// against a seen-set of 20,000 keys.
func BenchmarkUnseen(b *testing.B) {
	s := openTest(b)
	var seen []string
	for i := range 20000 {
		seen = append(seen, fmt.Sprintf("https://news.un.org/zh/story/2026/11/%d", i))
	}
	if _, err := s.SavePoll(Poll{Feed: FeedState{URL: "https://news.un.org/feed/subscribe/zh/news/all/rss.xml"}, Seen: seen}); err != nil {
		b.Fatal(err)
	}
	keys := append(seen[:25:25], seen[:25]...)
	for i := range 25 {
		keys[25+i] = fmt.Sprintf("https://news.un.org/zh/story/2026/12/%d", i)
	}
	for b.Loop() {
		unseen, err := s.Unseen(keys)
		if err != nil || len(unseen) != 25 {
			b.Fatalf("Unseen() = %d keys, %v, want 25", len(unseen), err)
		}
	}
}

// BenchmarkCodec compares the JSON values the store writes with gob for
// one ~5 KB article (encode + decode).
func BenchmarkCodec(b *testing.B) {
	a := benchArticle(1, benchText(b, 5000), "trafficking")
	b.Run("json", func(b *testing.B) {
		for b.Loop() {
			v, err := encode(a)
			if err != nil {
				b.Fatal(err)
			}
			var got news.Article
			if err := decode(v, &got); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(len(v)), "bytes/value")
		}
	})
	b.Run("gob", func(b *testing.B) {
		for b.Loop() {
			var buf bytes.Buffer
			if err := gob.NewEncoder(&buf).Encode(a); err != nil {
				b.Fatal(err)
			}
			n := buf.Len()
			var got news.Article
			if err := gob.NewDecoder(&buf).Decode(&got); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(n), "bytes/value")
		}
	})
}

// BenchmarkSavePollSite saves polls shaped like those of the 1,000 x 20
// loopback site (/work/bench/poll.sh) per op: 20 new ~5 KB articles, each
// with its page's capture (a ~12 KB gzipped body, incompressible) and its
// first refetch, and the items' seen keys. Run it with -benchtime=1000x
// for the poll's 20,000 articles; it reports the pages and write calls
// bbolt's commits made per poll, and the minor page faults (mostly map
// pages read again after a release, see map_linux.go).
func BenchmarkSavePollSite(b *testing.B) {
	s := openTest(b)
	text := benchText(b, 5000)
	body := make([]byte, 12<<10)
	for i := range body {
		body[i] = byte(i*7919 + i>>8*31 + i>>13)
	}
	// Articles as the pipeline hands them over, normalised (a.Norm):
	// copies of a few, each with an ID and seen key of its own.
	pool := sitePool(text)
	n := 0
	before, faults := s.db.Stats().TxStats, minorFaults()
	for b.Loop() {
		p := Poll{Feed: FeedState{URL: fmt.Sprintf("https://site%d.example/feed.xml", n/20), LastPoll: t0}}
		for range 20 {
			a := new(news.Article)
			*a = *pool[n%len(pool)]
			a.ID = news.ArticleID(fmt.Sprintf("https://site%d.example/%d", n/20, n))
			a.Fetched = t0.Add(time.Duration(n) * time.Second)
			body[n%len(body)]++ // no two pages alike
			p.Articles = append(p.Articles, a)
			p.Seen = append(p.Seen, a.ID)
			p.Exchanges = append(p.Exchanges, Exchange{ArticleID: a.ID, Hops: []news.RawHop{{
				URL: a.URL, Time: a.Fetched, Status: 200, Request: []byte("GET / HTTP/1.1\r\n\r\n"),
				Response: []byte("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n"), Body: body,
			}}})
			p.Refetches = append(p.Refetches, Refetch{ArticleID: a.ID, URL: a.URL, Due: a.Fetched.Add(time.Hour)})
			n++
		}
		if _, err := s.SavePoll(p); err != nil {
			b.Fatal(err)
		}
	}
	st := s.db.Stats().TxStats
	b.ReportMetric(float64(st.GetPageCount()-before.GetPageCount())/float64(b.N), "pages/op")
	b.ReportMetric(float64(st.GetWrite()-before.GetWrite())/float64(b.N), "writes/op")
	b.ReportMetric(float64(st.GetSpill()-before.GetSpill())/float64(b.N), "spills/op")
	b.ReportMetric(float64(minorFaults()-faults)/float64(b.N), "minflt/op")
}

// sitePool is the articles a site benchmark's polls copy, as the pipeline
// hands them over, normalised (a.Norm): 97 of them, a quarter matched.
func sitePool(text string) []*news.Article {
	var pool []*news.Article
	for i := range 97 {
		name := ""
		if i%4 == 0 {
			name = "trafficking"
		}
		a := benchArticle(i, text[i:]+text[:i], name)
		a.Norm = topic.NormalizeArticle(a)
		pool = append(pool, a)
	}
	return pool
}

// BenchmarkSavePollParallel saves polls of 20 new ~5 KB articles from
// several goroutines at once, as the monitor's workers do, per op: what
// one save costs when saves wait for each other's commits (see
// commit.go). It reports the CPU time per poll as well.
func BenchmarkSavePollParallel(b *testing.B) {
	s := openTest(b)
	text := benchText(b, 5000)
	var n atomic.Int64
	b.SetParallelism(8)
	cpu := cpuTime(b)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			p := Poll{Feed: FeedState{URL: "https://www.vietnamplus.vn/rss/home.rss", LastPoll: t0}}
			for range 20 {
				i := int(n.Add(1))
				topic := ""
				if i%4 == 0 {
					topic = "trafficking"
				}
				a := benchArticle(i, text, topic)
				p.Articles = append(p.Articles, a)
				p.Seen = append(p.Seen, a.URL)
			}
			if _, err := s.SavePoll(p); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(cpuTime(b)-cpu)/float64(b.N), "cpu-ns/op")
}
