package store

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	bolt "go.etcd.io/bbolt"

	"github.com/newswatch/newswatch/internal/newstest"
	"github.com/newswatch/newswatch/news"
)

// TestCompactRoundTrip: after pruning, compaction gives a smaller file
// holding the same articles and captures, readable as before; while the
// store is open elsewhere, it is refused and the file left alone.
func TestCompactRoundTrip(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "newswatch.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	kept := bigArticles("kept", 50, 4<<10, t0)
	gone := bigArticles("gone", 400, 4<<10, t0)
	for _, a := range gone {
		a.SetHits(nil)
	}
	ex := testExchange(kept[0].ID)
	if _, err := s.SavePoll(Poll{Feed: FeedState{URL: "http://127.0.0.1/feed"}, Articles: append(kept, gone...), Exchanges: []Exchange{ex}}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Prune(t.Context(), t0.Add(time.Hour)); err != nil || n != len(gone) {
		t.Fatalf("Prune = %d, %v, want %d", n, err, len(gone))
	}
	if _, err := Compact(t.Context(), path); !errors.Is(err, ErrLocked) {
		t.Errorf("Compact while the store is open = %v, want ErrLocked", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	rep, err := Compact(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if rep.After >= rep.Before || rep.Articles != len(kept) {
		t.Errorf("Compact = %+v, want a smaller file with %d articles", rep, len(kept))
	}
	s, err = Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, a := range kept {
		got, err := s.Article(a.ID)
		if err != nil {
			t.Fatalf("Article(%s) after compaction = %v", a.ID, err)
		}
		if got.Text != a.Text {
			t.Errorf("Article(%s) text changed by compaction", a.ID)
		}
	}
	cs, err := s.Captures(kept[0].ID)
	if err != nil || len(cs) != 1 {
		t.Fatalf("Captures after compaction = %v, %v", cs, err)
	}
	hops, err := s.CaptureData(cs[0])
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ex.Hops, hops, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("capture after compaction (-want +got):\n%s", diff)
	}
	if rep, err := s.Check(t.Context()); err != nil || len(rep.Problems) > 0 {
		t.Errorf("Check after compaction = %v, %v", rep.Problems, err)
	}
}

// BenchmarkStoreSize stores 1,000 articles of the test corpus (seven
// languages), with and without a capture of their page as the site serves
// it, compacts the file and reports its bytes per article, and the
// compression ratios of article values and captures: the numbers behind
// the README's bytes per 100,000 articles.
func BenchmarkStoreSize(b *testing.B) {
	corpus := newstest.Corpus()
	for _, withCaptures := range []bool{false, true} {
		b.Run(fmt.Sprintf("captures=%v", withCaptures), func(b *testing.B) {
			for b.Loop() {
				path := filepath.Join(b.TempDir(), "newswatch.db")
				s, err := Open(path, Options{})
				if err != nil {
					b.Fatal(err)
				}
				const n = 1000
				p := Poll{Feed: FeedState{URL: "http://127.0.0.1/feed"}}
				plain, packed := 0, 0
				for i := range n {
					cp := corpus[i%len(corpus)]
					a := &news.Article{URL: fmt.Sprintf("https://www.vietnamplus.vn/%s-post%d.vnp", cp.Slug, i), Title: cp.Title,
						Text: strings.Join(cp.Body, "\n\n"), Lang: cp.Lang, Published: cp.Published, Fetched: t0, Source: "VietnamPlus"}
					a.ID = news.ArticleID(a.URL)
					a.SetHits([]news.Hit{{Topic: "trafficking", Term: "mua bán người"}})
					v, _ := encode(a)
					z, _ := encodeCompressed(a)
					plain, packed = plain+len(v), packed+len(z)
					p.Articles = append(p.Articles, a)
					p.Seen = append(p.Seen, a.URL)
					if withCaptures {
						ex := testExchange(a.ID)
						ex.Hops = ex.Hops[1:] // no redirect
						ex.Hops[0].URL, ex.Hops[0].Body = a.URL, cp.HTML()
						p.Exchanges = append(p.Exchanges, ex)
					}
				}
				if _, err := s.SavePoll(p); err != nil {
					b.Fatal(err)
				}
				if err := s.Close(); err != nil {
					b.Fatal(err)
				}
				rep, err := Compact(b.Context(), path)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(rep.After)/n, "file-bytes/article")
				b.ReportMetric(float64(plain)/float64(packed), "article-ratio")
				reportUsed(b, path, p.Articles, withCaptures)
			}
		})
	}
}

// reportUsed reports the bytes of the pages in use per article (the file
// grows in steps, doubling below 1 GB, so its size on disk is coarser),
// and of the captures as fetched and stored.
func reportUsed(b *testing.B, path string, as []*news.Article, withCaptures bool) {
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var used int64
	if err := s.db.View(func(tx *bolt.Tx) error { used = tx.Size(); return nil }); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(used)/float64(len(as)), "used-bytes/article")
	if !withCaptures {
		return
	}
	size, stored := 0, 0
	for _, a := range as {
		cs, err := s.Captures(a.ID)
		if err != nil || len(cs) != 1 {
			b.Fatalf("Captures(%s) = %v, %v", a.ID, cs, err)
		}
		size, stored = size+cs[0].Size, stored+cs[0].Stored
	}
	b.ReportMetric(float64(size)/float64(len(as)), "capture-bytes/article")
	b.ReportMetric(float64(size)/float64(stored), "capture-ratio")
}
