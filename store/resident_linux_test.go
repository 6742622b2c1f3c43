package store

import (
	"bufio"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/newswatch/newswatch/news"
)

// mappedKB returns the resident kilobytes of the process's mappings of
// path (smaps Rss).
func mappedKB(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	kb, in := 0, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := sc.Text()
		if fields := strings.Fields(l); len(fields) > 0 && strings.Contains(fields[0], "-") && !strings.HasSuffix(fields[0], ":") {
			in = strings.HasSuffix(l, " "+path)
		} else if in && strings.HasPrefix(l, "Rss:") {
			n, _ := strconv.Atoi(strings.Fields(l)[1])
			kb += n
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return kb
}

// TestReleaseMap: pages that reading the store mapped are dropped from
// the resident set within releaseEvery write transactions, and reads
// after that still see every value.
func TestReleaseMap(t *testing.T) {
	s := openTest(t)
	const n = 2000
	r := rand.New(rand.NewPCG(1, 2))
	for i := range n / 20 {
		p := Poll{Feed: FeedState{URL: "http://127.0.0.1/feed"}}
		for j := range 20 {
			id := strconv.Itoa(i*20 + j)
			var text strings.Builder
			for range 300 {
				text.WriteString(strconv.FormatUint(r.Uint64(), 36) + " ")
			}
			p.Articles = append(p.Articles, &news.Article{ID: id, URL: "http://127.0.0.1/" + id, Text: text.String(), Fetched: t0})
		}
		if _, err := s.SavePoll(p); err != nil {
			t.Fatal(err)
		}
	}
	readAll := func() int {
		seen := 0
		err := s.view(func(tx *bolt.Tx) error {
			return tx.Bucket(bucketArticles).ForEach(func(_, v []byte) error {
				var a news.Article
				if err := decode(v, &a); err != nil {
					return err
				}
				seen++
				return nil
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		return seen
	}
	readAll()
	before := mappedKB(t, s.Path())
	for range releaseEvery {
		if _, err := s.SavePoll(Poll{Feed: FeedState{URL: "http://127.0.0.1/feed"}}); err != nil {
			t.Fatal(err)
		}
	}
	after := mappedKB(t, s.Path())
	if before < 2048 || after > before/4 {
		t.Errorf("resident KB of the store's mapping: %d after reading every article, %d after %d writes; want it down to a quarter at most", before, after, releaseEvery)
	}
	if got := readAll(); got != n {
		t.Errorf("read %d articles after the release, want %d", got, n)
	}
}
