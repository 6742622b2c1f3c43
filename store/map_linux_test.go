//go:build linux

package store

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"syscall"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/newswatch/newswatch/news"
)

// mappedPages counts the pages of s's memory map that are in the
// process's resident set (/proc/self/pagemap, bit 63: present), and
// returns the map's pages as well.
func mappedPages(t *testing.T, s *Store) (resident, pages int) {
	t.Helper()
	var start, size uintptr
	if err := s.db.View(func(tx *bolt.Tx) error {
		start, size = s.db.Info().Data, uintptr(tx.Size())
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	ps := uintptr(os.Getpagesize())
	pages = int(size / ps)
	f, err := os.Open("/proc/self/pagemap")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close() // read only
	buf := make([]byte, 8*pages)
	if _, err := f.ReadAt(buf, int64(start/ps*8)); err != nil {
		t.Fatal(err)
	}
	for i := range pages {
		if binary.LittleEndian.Uint64(buf[8*i:])>>63 == 1 {
			resident++
		}
	}
	return resident, pages
}

// TestReleaseMap: what reads map of the file leaves the process's
// resident set when a write commits, and the data read afterwards is
// intact.
func TestReleaseMap(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	rnd := rand.New(rand.NewPCG(1, 2))
	var ids []string
	for p := range 4 {
		var as []*news.Article
		for i := range 20 {
			id := fmt.Sprintf("a%d-%d", p, i)
			ids = append(ids, id)
			text := make([]byte, 8000) // that zstd cannot shrink much
			for j := range text {
				text[j] = 'a' + byte(rnd.IntN(26))
			}
			as = append(as, &news.Article{ID: id, URL: "http://127.0.0.1/" + id, Text: id + string(text), Fetched: t0})
		}
		if _, err := s.SavePoll(Poll{Feed: FeedState{URL: "http://127.0.0.1/feed"}, Articles: as}); err != nil {
			t.Fatal(err)
		}
	}
	read := func() {
		t.Helper()
		for _, id := range ids {
			a, err := s.Article(id)
			if err != nil || !strings.HasPrefix(a.Text, id) || len(a.Text) != len(id)+8000 {
				t.Fatalf("Article(%s) = %.20q, %v", id, a.Text, err)
			}
		}
	}
	read()
	before, pages := mappedPages(t, s)
	if before < pages/4 {
		t.Fatalf("after reading every article %d of %d pages are mapped, want a quarter or more", before, pages)
	}
	if err := s.SaveFeedState(FeedState{URL: "http://127.0.0.1/feed"}); err != nil {
		t.Fatal(err)
	}
	if after, _ := mappedPages(t, s); after > before/10 {
		t.Errorf("after a commit %d of %d pages are mapped, %d before, want at most a tenth of that", after, pages, before)
	}
	read()
}

// minorFaults returns the process's minor page faults so far: among them,
// the first reads of map pages after a release.
func minorFaults() int64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Minflt
}
