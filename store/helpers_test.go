package store

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

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
