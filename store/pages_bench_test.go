package store

import (
	"context"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/newswatch/newswatch/news"
)

// bucketPages returns the pages of each root bucket's tree (its branch,
// leaf and overflow pages, nested buckets included) as of a new read
// transaction.
func bucketPages(tb testing.TB, s *Store) map[string]map[uint64]bool {
	tb.Helper()
	out := map[string]map[uint64]bool{}
	err := s.view(func(tx *bolt.Tx) error {
		m, err := txMeta(tx)
		if err != nil {
			return err
		}
		f, err := os.Open(s.path)
		if err != nil {
			return err
		}
		defer f.Close() // read only
		walker := func() *treeWalk {
			return &treeWalk{ctx: context.Background(), r: f, ps: int64(m.pageSize), hwm: m.hwm, seen: make([]uint64, m.hwm/64+1)}
		}
		return walker().tree(m.root, 0, nil, nil, func(k, v []byte, _ uint32) error {
			w := walker()
			if _, err := w.bucket(v, 1); err != nil {
				return err
			}
			pages := map[uint64]bool{}
			for i, word := range w.seen {
				for b := range 64 {
					if word&(1<<b) != 0 {
						pages[uint64(i*64+b)] = true
					}
				}
			}
			out[string(k)] = pages
			return nil
		})
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// BenchmarkPagesByBucket saves polls shaped as in BenchmarkSavePollSite
// into a store that already holds 6,000 articles, and reports the pages
// each poll's commit wrote per bucket (a page of a bucket's tree not in
// it before the commit: bbolt writes every changed node to a new page)
// and in all. The buckets written at random key positions rewrite a leaf
// per article; those written in key order, one or two per poll.
func BenchmarkPagesByBucket(b *testing.B) {
	s := openTest(b)
	text := benchText(b, 5000)
	pool := sitePool(text)
	n := 0
	poll := func() {
		p := Poll{Feed: FeedState{URL: fmt.Sprintf("https://site%d.example/feed.xml", n/20), LastPoll: t0}}
		for range 20 {
			a := new(news.Article)
			*a = *pool[n%len(pool)]
			a.URL = fmt.Sprintf("https://site%d.example/%d", n/20, n)
			a.ID = news.ArticleID(a.URL)
			a.Fetched = t0.Add(time.Duration(n) * time.Second)
			p.Articles = append(p.Articles, a)
			p.Seen = append(p.Seen, a.URL)
			sid := news.StoryID(pool[n%len(pool)].ID) // stories of a few articles each
			p.Stories = append(p.Stories, news.StoryMember{Story: sid, ArticleID: a.ID, Fetched: a.Fetched, Features: []byte("features")})
			p.Exchanges = append(p.Exchanges, Exchange{ArticleID: a.ID, Hops: []news.RawHop{{
				URL: a.URL, Time: a.Fetched, Status: 200, Request: []byte("GET / HTTP/1.1\r\n\r\n"),
				Response: []byte("HTTP/1.1 200 OK\r\n\r\n"), Body: []byte(a.Text[:2000]),
			}}})
			p.Refetches = append(p.Refetches, Refetch{ArticleID: a.ID, URL: a.URL, Due: a.Fetched.Add(time.Hour)})
			n++
		}
		if _, err := s.SavePoll(p); err != nil {
			b.Fatal(err)
		}
	}
	for range 300 {
		poll()
	}
	written := map[string]int{}
	before := bucketPages(b, s)
	for b.Loop() {
		poll()
		after := bucketPages(b, s)
		for name, pages := range after {
			for id := range pages {
				if !before[name][id] {
					written[name]++
				}
			}
		}
		before = after
	}
	names := make([]string, 0, len(written))
	total := 0
	for name, w := range written {
		names = append(names, name)
		total += w
	}
	slices.SortFunc(names, func(x, y string) int { return written[y] - written[x] })
	for _, name := range names {
		b.ReportMetric(float64(written[name])/float64(b.N), name+"-pages/op")
	}
	b.ReportMetric(float64(total)/float64(b.N), "pages/op")
}
