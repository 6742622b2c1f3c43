package store

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/newswatch/newswatch/news"
)

// openTest opens a new store in a fresh directory and closes it at the end
// of the test.
func openTest(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "data", "newswatch.db"), Options{})
	if err != nil {
		t.Fatalf("Open() = %v", err)
	}
	t.Cleanup(func() { _ = s.Close() }) // closing twice is harmless
	return s
}

// reopen closes s and opens its file again, as a restarted daemon would.
func reopen(t testing.TB, s *Store) *Store {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	s2, err := Open(s.Path(), Options{})
	if err != nil {
		t.Fatalf("Open(%q) after Close = %v", s.Path(), err)
	}
	t.Cleanup(func() { _ = s2.Close() })
	return s2
}

// loadArticles reads testdata/articles.json: news in vi, ar, zh, fr, ru,
// es and en, some matched, with IDs and topics derived as the pipeline
// would.
func loadArticles(t testing.TB) []*news.Article {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "articles.json"))
	if err != nil {
		t.Fatal(err)
	}
	var as []*news.Article
	if err := json.Unmarshal(data, &as); err != nil {
		t.Fatalf("testdata/articles.json: %v", err)
	}
	for _, a := range as {
		a.ID = news.ArticleID(a.URL)
		a.SetHits(a.Hits)
	}
	return as
}

// byLang indexes articles by language, plus "vi-rice" for the second
// Vietnamese (unmatched) one.
func byLang(as []*news.Article) map[string]*news.Article {
	m := make(map[string]*news.Article)
	for _, a := range as {
		key := a.Lang
		if _, dup := m[key]; dup {
			key += "-rice"
		}
		m[key] = a
	}
	return m
}

// urls lists the URLs of articles, in order.
func urls(as []*news.Article) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.URL
	}
	return out
}

// bucketLen counts the keys of a bucket by reading the file directly.
func bucketLen(t testing.TB, s *Store, name []byte) int {
	t.Helper()
	n := 0
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(name).ForEach(func(_, _ []byte) error { n++; return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// mustCheck fails the test if the store's invariants do not hold.
func mustCheck(t testing.TB, s *Store) {
	t.Helper()
	if rep, err := s.Check(t.Context()); err != nil || len(rep.Problems) > 0 {
		t.Errorf("Check() = %q, %v", rep.Problems, err)
	}
}

// storeFile makes a closed store of n ~2 KB articles, a quarter of them
// matched with a pending alert, saved 50 per poll, and returns its path.
func storeFile(t testing.TB, n int) string {
	t.Helper()
	s := openTest(t)
	text := benchText(t, 2000)
	for i := 0; i < n; i += 50 {
		p := Poll{Feed: FeedState{URL: "https://www.vietnamplus.vn/rss/home.rss", LastPoll: t0}}
		for j := i; j < min(i+50, n); j++ {
			a := benchArticle(j, text, "")
			if j%4 == 0 {
				a = benchArticle(j, text, "trafficking")
				p.Alerts = append(p.Alerts, testAlert("ngo@example.org", a, t0))
			}
			p.Articles, p.Seen = append(p.Articles, a), append(p.Seen, a.URL)
		}
		if _, err := s.SavePoll(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return s.Path()
}

// copyStore copies the file at src to a new directory and returns the
// copy's path.
func copyStore(t testing.TB, src string) string {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "newswatch.db")
	if err := os.WriteFile(dst, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return dst
}

// layout reads the meta record bbolt would use.
func layout(t testing.TB, path string) boltMeta {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, _ := f.Stat()
	m, err := latestMeta(f, fi.Size(), readAt(f, 0, probeLen))
	if err != nil {
		t.Fatalf("latestMeta(%s) = %v", path, err)
	}
	return m
}

// dataPages lists the branch and leaf pages in use, the root page aside.
func dataPages(t testing.TB, path string) []uint64 {
	t.Helper()
	root := layout(t, path).root
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, PreLoadFreelist: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ids []uint64
	err = db.View(func(tx *bolt.Tx) error {
		for id := 2; id < int(tx.Size())/db.Info().PageSize; id++ {
			p, err := tx.Page(id)
			if err != nil {
				return err
			}
			if (p.Type == "branch" || p.Type == "leaf") && uint64(id) != root {
				ids = append(ids, uint64(id))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// openClose opens path and closes it again.
func openClose(path string, o Options) error {
	s, err := Open(path, o)
	if err != nil {
		return err
	}
	return s.Close()
}

// wantOnly fails t unless dir holds exactly the files names.
func wantOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if !slices.Equal(got, names) {
		t.Errorf("%s holds %q, want %q", dir, got, names)
	}
}
