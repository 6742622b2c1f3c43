package store

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"
	"golang.org/x/text/unicode/norm"

	"github.com/newswatch/newswatch/internal/newstest"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/search"
	"github.com/newswatch/newswatch/topic"
)

// defaultTopics returns the built-in topics and their top-level clauses.
func defaultTopics(t testing.TB) ([]topic.Topic, []string) {
	t.Helper()
	qs, err := newstest.DefaultTopics(filepath.Join("..", "cmd", "newswatch", "default.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var ts []topic.Topic
	var clauses []string
	for _, name := range []string{"trafficking", "un"} {
		ts = append(ts, topic.Topic{Name: name, Query: qs[name]})
		cs, err := newstest.Clauses(qs[name])
		if err != nil {
			t.Fatalf("topic %s: %v", name, err)
		}
		clauses = append(clauses, cs...)
	}
	return ts, clauses
}

// searchQueries are queries beyond the built-in clauses: phrases,
// wildcards, NEAR, scopes, lang: and NOT.
var searchQueries = []string{
	`"human trafficking"`, `traffick*`, `"торговл* людьми"`, `passeur* OR tratantes`, `trafficking NEAR/5 (women OR children)`,
	`"Liên hợp quốc" ONEAR/10 "Hội đồng"`, `lang:zh AND 联合`, `lang:ar AND (الأمم OR للأمم)`, `title:police`, `url:vn AND lang:vi`,
	`(police OR полиция OR 警方) AND NOT trafficking`, `拐`, `"mua ban nguoi"`, `=UN`, `lang:(fr OR es) AND (ONU OR Unidas)`,
	// Title-scoped terms are looked up among the titles' own terms.
	`title:"human trafficking"`, `title:traffick*`, `title:=UN`, `title:("Liên hợp quốc" OR 联合国 OR "الأمم المتحدة")`,
	`title:"торговл* людьми" OR title:拐卖`, `title:"mua bán người" AND lang:vi`, `lead:trafficking`,
	`trafficking AND NOT title:police`, `title:(police NEAR/3 arrest*)`,
}

// fillIndexStore saves n generated articles and the corpus (NFC and NFD)
// through SavePoll, matched by the built-in topics, with the flush size
// lowered so that segments are flushed and merged.
func fillIndexStore(t testing.TB, s *Store, n int) {
	t.Helper()
	ts, _ := defaultTopics(t)
	m, err := topic.Compile(ts)
	if err != nil {
		t.Fatal(err)
	}
	var arts []*news.Article
	for i := range n {
		arts = append(arts, newstest.ArchiveArticle(i))
	}
	for i, p := range newstest.Corpus() {
		for j, f := range []norm.Form{norm.NFC, norm.NFD} {
			arts = append(arts, &news.Article{
				URL: "https://www.vietnamplus.vn" + p.Path() + []string{"", "?nfd"}[j], Source: "VietnamPlus", Lang: p.Lang,
				Title: f.String(p.Title), Text: f.String(p.Sapo + "\n" + strings.Join(p.Body, "\n")),
				Published: time.Date(2026, 6, 1, 0, i, j, 0, time.UTC), Fetched: time.Date(2026, 6, 1, 0, i, j, 0, time.UTC),
			})
		}
	}
	for i := 0; i < len(arts); i += 100 {
		p := Poll{Feed: FeedState{URL: "https://example.org/feed"}}
		for _, a := range arts[i:min(i+100, len(arts))] {
			a.SetHits(m.Match(a))
			p.Articles = append(p.Articles, a)
		}
		if _, err := s.SavePoll(p); err != nil {
			t.Fatal(err)
		}
	}
}

// lowFlush lowers the flush size for a test.
func lowFlush(t *testing.T, n uint32) {
	old := flushDocs
	flushDocs = n
	t.Cleanup(func() { flushDocs = old })
}

// allArticles reads every stored article, for scanIDs.
func allArticles(t testing.TB, s *Store) []*news.Article {
	t.Helper()
	var out []*news.Article
	err := s.ForEachArticle(t.Context(), Query{All: true}, func(a *news.Article) error {
		out = append(out, a)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// scanIDs returns the IDs of the articles of arts that q matches in
// range, newest first: what a full scan with the matcher finds.
func scanIDs(arts []*news.Article, q Search) []string {
	var keys [][]byte
	for _, a := range arts {
		at := indexTime(a)
		if at.Before(q.Since) || !q.Until.IsZero() && !at.Before(q.Until) {
			continue
		}
		if len(q.Query.Match(a)) > 0 && (q.Topic == "" || slices.Contains(a.Topics, q.Topic)) {
			keys = append(keys, timeIDKey(at, a.ID))
		}
	}
	slices.SortFunc(keys, func(a, b []byte) int { return bytes.Compare(b, a) })
	ids := make([]string, len(keys))
	for i, k := range keys {
		ids[i] = string(k[timeKeyLen:])
	}
	return ids
}

// scanAll returns, for each query, the IDs of the articles of arts it
// matches, newest first: all queries compiled into one matcher, each a
// topic, so the scan matches each article once.
func scanAll(t testing.TB, arts []*news.Article, queries []string) [][]string {
	t.Helper()
	ts := make([]topic.Topic, len(queries))
	for i, q := range queries {
		ts[i] = topic.Topic{Name: fmt.Sprint("q", i), Query: q}
	}
	m, err := topic.Compile(ts)
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(arts, func(a, b *news.Article) int {
		return bytes.Compare(timeIDKey(indexTime(b), b.ID), timeIDKey(indexTime(a), a.ID))
	})
	out := make([][]string, len(queries))
	for _, a := range arts {
		hit := map[string]bool{}
		for _, h := range m.Match(a) {
			hit[h.Topic] = true
		}
		for i := range queries {
			if hit[ts[i].Name] {
				out[i] = append(out[i], a.ID)
			}
		}
	}
	return out
}

// searchIDs returns the IDs a search finds, all pages of size limit.
func searchIDs(t testing.TB, s *Store, q Search, limit int) []string {
	t.Helper()
	var ids []string
	q.Limit = limit
	for {
		page, err := s.Search(t.Context(), q)
		if err != nil {
			t.Fatalf("Search(%q) = %v", q.Query.Text, err)
		}
		if !page.Indexed {
			t.Fatalf("Search(%q) scanned: the index is not ready", q.Query.Text)
		}
		for _, r := range page.Results {
			ids = append(ids, r.Article.ID)
		}
		if page.Next == "" {
			return ids
		}
		q.After = page.Next
	}
}

// TestSearchEqualsScan checks that the index finds what a full scan with
// the matcher finds, for every clause of the built-in topics and more,
// on 1,200 generated articles in seven languages and the corpus in NFC
// and NFD, across flushed and merged segments and recent records. Issue
// 13 asks for equal results on 99 % of the clauses; the index is exact,
// so every query must be equal. (More articles outgrow the package's
// ten minutes under the race detector on a loaded machine.)
func TestSearchEqualsScan(t *testing.T) {
	if testing.Short() {
		t.Skip("searches 1,800 queries over 1,300 articles; skipped with -short")
	}
	lowFlush(t, 240)
	s := openTest(t)
	fillIndexStore(t, s, 1200)
	// A few recent records, not hundreds: each search reads every recent
	// record's terms, and 1,800 searches of hundreds take minutes under
	// the race detector.
	err := s.update(func(tx *bolt.Tx) error {
		ix, err := openIndex(tx)
		if err != nil {
			return err
		}
		if err := ix.flush(); err != nil {
			return err
		}
		return ix.save()
	})
	if err != nil {
		t.Fatal(err)
	}
	p := Poll{Feed: FeedState{URL: "https://example.org/feed"}}
	for i := range 10 {
		p.Articles = append(p.Articles, newstest.ArchiveArticle(1200+i))
	}
	if _, err := s.SavePoll(p); err != nil {
		t.Fatal(err)
	}
	st, err := s.IndexStatus()
	if err != nil || !st.Ready || st.Segments < 2 || st.Recent == 0 {
		t.Fatalf("IndexStatus() = %+v, %v, want ready, with segments and recent records", st, err)
	}
	_, clauses := defaultTopics(t)
	queries := append(clauses, searchQueries...)
	scans := scanAll(t, allArticles(t, s), queries)
	equal, matched := 0, 0
	for i, text := range queries {
		q, err := search.Compile(text)
		if err != nil {
			t.Fatalf("Compile(%q) = %v", text, err)
		}
		want := scans[i]
		got := searchIDs(t, s, Search{Query: q}, 1000)
		matched += len(want)
		if slices.Equal(got, want) {
			equal++
		} else {
			t.Errorf("Search(%q) = %d articles, a scan finds %d (plan %v)", text, len(got), len(want), q.Plan)
		}
	}
	t.Logf("%d of %d queries equal to a scan; %d matches", equal, len(queries), matched)
	if matched < 1000 {
		t.Errorf("%d matches in all: the generated store no longer exercises the queries", matched)
	}
}

func TestSearchFiltersAndPages(t *testing.T) {
	lowFlush(t, 64)
	s := openTest(t)
	fillIndexStore(t, s, 400)
	newest := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	q, err := search.Compile(`"United Nations" OR 联合国 OR "Liên hợp quốc" OR ONU OR ООН OR "الأمم المتحدة"`)
	if err != nil {
		t.Fatal(err)
	}
	all := allArticles(t, s)
	for _, c := range []Search{
		{Query: q},
		{Query: q, Topic: "un"},
		{Query: q, Topic: "trafficking", Since: newest.Add(-200 * time.Minute)},
		{Query: q, Since: newest.Add(-300 * time.Minute), Until: newest.Add(-100 * time.Minute)},
	} {
		want := scanIDs(all, c)
		if len(want) == 0 && c.Topic != "trafficking" {
			t.Fatalf("scan of %+v finds nothing: the test says nothing", c)
		}
		for _, limit := range []int{1, 7, 1000} {
			if got := searchIDs(t, s, c, limit); !slices.Equal(got, want) {
				t.Errorf("Search(topic %q, since %v, until %v) in pages of %d = %d articles, a scan finds %d", c.Topic, c.Since, c.Until, limit, len(got), len(want))
			}
		}
	}
	page, err := s.Search(t.Context(), Search{Query: q, Limit: 1})
	if err != nil || len(page.Results) != 1 || len(page.Results[0].Hits) == 0 || page.Results[0].Hits[0].Snippet == "" {
		t.Errorf("Search() = %+v, %v, want one result with hits and snippets", page, err)
	}
}

func TestSearchAfterPruneAndRebuild(t *testing.T) {
	lowFlush(t, 64)
	s := openTest(t)
	fillIndexStore(t, s, 500)
	q, err := search.Compile(`police OR полиция OR 警方 OR "cảnh sát" OR الشرطة`)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := s.Prune(t.Context(), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil || n < 20 {
		t.Fatalf("Prune() = %d, %v, want the unmatched articles deleted", n, err)
	}
	after := searchIDs(t, s, Search{Query: q}, 1000)
	if want := scanIDs(allArticles(t, s), Search{Query: q}); !slices.Equal(after, want) || len(want) == 0 {
		t.Errorf("after Prune, Search() = %d articles, a scan finds %d", len(after), len(want))
	}
	if err := s.update(resetIndex); err != nil {
		t.Fatal(err)
	}
	page, err := s.Search(t.Context(), Search{Query: q, Limit: 5, Budget: 50})
	if err != nil || page.Indexed || page.Read > 50 {
		t.Errorf("Search() while the index is being built = %+v, %v, want a scan of at most 50 articles", page, err)
	}
	var last IndexProgress
	if err := s.BuildIndex(t.Context(), func(p IndexProgress) { last = p }); err != nil {
		t.Fatal(err)
	}
	if last.Done != last.Total || last.Total == 0 {
		t.Errorf("BuildIndex progress ended at %+v, want all done", last)
	}
	if got := searchIDs(t, s, Search{Query: q}, 1000); !slices.Equal(got, after) {
		t.Errorf("after BuildIndex, Search() = %d articles, want %d", len(got), len(after))
	}
}

func TestIndexRebuiltWhenTermsChange(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "newswatch.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	fillIndexStore(t, s, 10)
	err = s.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketIdxMeta).Put(idxVersionKey, []byte("old")) })
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if st, err := s.IndexStatus(); err != nil || st.Ready || st.Articles != 0 {
		t.Fatalf("IndexStatus() after opening an index of other terms = %+v, %v, want empty and not ready", st, err)
	}
	if err := s.BuildIndex(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if st, err := s.IndexStatus(); err != nil || !st.Ready || st.Articles == 0 {
		t.Errorf("IndexStatus() after BuildIndex = %+v, %v, want ready", st, err)
	}
}

// TestPostingsBuilder checks that flush's inversion of terms records
// gives each term the ascending docs of the records holding it, with the
// terms in order.
func TestPostingsBuilder(t *testing.T) {
	records := map[uint32][]string{
		3:  {"\x01vi", "người", "quốc", "liên"},
		7:  {"liên", "trafficking"},
		8:  {},
		20: {"\x01vi", "hợp", "liên", "người"},
		21: {"trafficking", "z"},
	}
	p := newPostingsBuilder(0)
	want := map[string][]uint32{}
	for _, d := range slices.Sorted(maps.Keys(records)) {
		terms := slices.Sorted(slices.Values(records[d]))
		if err := p.addRecord(d, encodeTerms(terms)); err != nil {
			t.Fatalf("addRecord(%d) = %v", d, err)
		}
		for _, term := range terms {
			want[term] = append(want[term], d)
		}
	}
	db, err := bolt.Open(filepath.Join(t.TempDir(), "p.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte("postings"))
		if err != nil {
			return err
		}
		if err := p.write(b); err != nil {
			return err
		}
		got := map[string][]uint32{}
		var keys []string
		err = b.ForEach(func(k, v []byte) error {
			keys = append(keys, string(k))
			return decodePostings(v, func(d uint32) { got[string(k)] = append(got[string(k)], d) })
		})
		if !slices.IsSorted(keys) {
			t.Errorf("terms written in the order %q, want sorted", keys)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("postings (-want +got):\n%s", diff)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
