package store

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/newswatch/newswatch/news"
)

// A damage changes a store file (path) that was made by storeFile.
type damage func(t *testing.T, path string)

func truncateTo(size func(m boltMeta) int64) damage {
	return func(t *testing.T, path string) {
		if err := os.Truncate(path, size(layout(t, path))); err != nil {
			t.Fatal(err)
		}
	}
}

func replaceWith(data []byte) damage {
	return func(t *testing.T, path string) {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// overwrite writes data at the offset at(m) of the file.
func overwrite(at func(m boltMeta) int64, data []byte) damage {
	return func(t *testing.T, path string) {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.WriteAt(data, at(layout(t, path))); err != nil {
			t.Fatal(err)
		}
	}
}

// garbagePages overwrites n of the pages in use (chosen with a fixed
// seed) with random bytes.
func garbagePages(seed uint64, n int) damage {
	return func(t *testing.T, path string) {
		rng := rand.New(rand.NewPCG(seed, seed))
		ids, ps := dataPages(t, path), int64(layout(t, path).pageSize)
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		for range n {
			id := ids[rng.IntN(len(ids))]
			if _, err := f.WriteAt(randomBytes(rng, int(ps)), int64(id)*ps); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func randomBytes(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

func pageOffset(id func(m boltMeta) uint64) func(m boltMeta) int64 {
	return func(m boltMeta) int64 { return int64(id(m)) * int64(m.pageSize) }
}

func gzipped(t *testing.T, path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	replaceWith(buf.Bytes())(t, path)
}

// foreignBolt replaces the file with another program's bbolt database.
func foreignBolt(t *testing.T, path string) {
	os.Remove(path)
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte("accounts"))
		if err != nil {
			return err
		}
		return b.Put([]byte("alice"), []byte(`{"admin":true}`))
	})
	if err := errors.Join(err, db.Close()); err != nil {
		t.Fatal(err)
	}
}

func newerSchema(t *testing.T, path string) {
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(metaSchemaKey, encodeUint(SchemaVersion+1))
	})
	if err := errors.Join(err, db.Close()); err != nil {
		t.Fatal(err)
	}
}

// corpus is the damaged and foreign files every open must refuse with a
// clear error: want is the sentinel, reason a word of the message.
func corpus() []struct {
	name   string
	damage damage
	want   error
	reason string
} {
	rng := rand.New(rand.NewPCG(8, 8))
	size := func(n int64) func(boltMeta) int64 { return func(boltMeta) int64 { return n } }
	pages := func(f float64) func(boltMeta) int64 {
		return func(m boltMeta) int64 { return int64(float64(m.hwm)*f) * int64(m.pageSize) }
	}
	return []struct {
		name   string
		damage damage
		want   error
		reason string
	}{
		{"empty file", truncateTo(size(0)), ErrCorrupt, "empty (0 bytes)"},
		{"truncated to 100 bytes", truncateTo(size(100)), ErrCorrupt, "truncated"},
		{"truncated to one page", truncateTo(size(4096)), ErrCorrupt, "truncated"},
		{"truncated after the meta pages", truncateTo(size(8192)), ErrCorrupt, "truncated"},
		{"truncated at half its pages", truncateTo(pages(0.5)), ErrCorrupt, "truncated"},
		{"last page in use cut", truncateTo(func(m boltMeta) int64 { return int64(m.hwm-1) * int64(m.pageSize) }), ErrCorrupt, "truncated"},
		{"last byte in use cut", truncateTo(func(m boltMeta) int64 { return int64(m.hwm)*int64(m.pageSize) - 1 }), ErrCorrupt, "truncated"},
		{"random bytes", replaceWith(randomBytes(rng, 64<<10)), ErrCorrupt, "not a bbolt database"},
		{"both meta pages zeroed", overwrite(size(0), make([]byte, 8192)), ErrCorrupt, "all zeros"},
		{"both meta checksums wrong", func(t *testing.T, path string) {
			overwrite(size(pageHeaderLen+48), []byte{0xff})(t, path) // a byte of meta 0's txid
			overwrite(func(m boltMeta) int64 { return int64(m.pageSize) + pageHeaderLen + 48 }, []byte{0xff})(t, path)
		}, ErrCorrupt, "both bbolt meta pages are damaged"},
		{"root page overwritten", overwrite(pageOffset(func(m boltMeta) uint64 { return m.root }), randomBytes(rng, 4096)), ErrCorrupt, "root page"},
		{"free list overwritten", overwrite(pageOffset(func(m boltMeta) uint64 { return m.freelist }), randomBytes(rng, 4096)), ErrCorrupt, "free list"},
		{"SQLite database", replaceWith(append([]byte("SQLite format 3\x00\x10\x00\x01\x01"), make([]byte, 8192)...)), ErrCorrupt, "SQLite"},
		{"gzip-compressed store", gzipped, ErrCorrupt, "gzip"},
		{"JSON export", replaceWith([]byte(`{"id":"a1","title":"Triệt phá đường dây mua bán người"}` + "\n")), ErrCorrupt, "text file"},
		{"YAML config", replaceWith([]byte("store: /var/lib/newswatch/newswatch.db\nfeeds:\n  - url: https://example.org/rss\n")), ErrCorrupt, `"store: /var/lib`},
		{"another program's bbolt file", foreignBolt, ErrCorrupt, `another program (buckets "accounts")`},
		{"newer schema", newerSchema, ErrNewerSchema, fmt.Sprintf("schema version %d", SchemaVersion+1)},
	}
}

// TestOpenDamagedFiles: every damaged or foreign file is refused by Open
// (writable and read-only) and CheckFile with an error that names the
// file and what to do, never a panic; the file is left as it was and no
// store is created in its place.
func TestOpenDamagedFiles(t *testing.T) {
	t.Parallel()
	base := storeFile(t, 600)
	for _, tc := range corpus() {
		t.Run(tc.name, func(t *testing.T) {
			path := copyStore(t, base)
			tc.damage(t, path)
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			opens := map[string]func() error{
				"Open":           func() error { return openClose(path, Options{}) },
				"Open(ReadOnly)": func() error { return openClose(path, Options{ReadOnly: true}) },
				"CheckFile":      func() error { _, err := CheckFile(t.Context(), path); return err },
			}
			for name, open := range opens {
				err := open()
				switch {
				case !errors.Is(err, tc.want):
					t.Errorf("%s(%s) = %v, want %v", name, tc.name, err, tc.want)
				case !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tc.reason):
					t.Errorf("%s(%s) = %q, want it to name %s and say %q", name, tc.name, err, path, tc.reason)
				case errors.Is(err, ErrCorrupt) && !strings.Contains(err.Error(), "newswatch restore"):
					t.Errorf("%s(%s) = %q, want it to say how to restore a backup", name, tc.name, err)
				case errors.Is(err, fs.ErrNotExist):
					t.Errorf("%s(%s) = %q: a damaged file must not look like a missing one", name, tc.name, err)
				}
			}
			if after, err := os.ReadFile(path); err != nil || !bytes.Equal(after, before) {
				t.Errorf("opening %s changed the file (%d bytes, now %d, %v)", tc.name, len(before), len(after), err)
			}
			wantOnly(t, filepath.Dir(path), "newswatch.db")
		})
	}
}

// TestOneMetaPageLost: bbolt keeps two meta pages so that a torn write of
// one loses at most the last transaction; such a file opens and checks.
func TestOneMetaPageLost(t *testing.T) {
	t.Parallel()
	base := storeFile(t, 200)
	for _, page := range []int64{0, 1} {
		t.Run(fmt.Sprintf("meta page %d zeroed", page), func(t *testing.T) {
			path := copyStore(t, base)
			overwrite(func(m boltMeta) int64 { return page * int64(m.pageSize) }, make([]byte, 4096))(t, path)
			s, err := Open(path, Options{})
			if err != nil {
				t.Fatalf("Open() = %v, want bbolt to use the other meta page", err)
			}
			defer s.Close()
			rep, err := s.Check(t.Context())
			if err != nil || rep.Articles < 150 {
				t.Errorf("Check() = %d articles, %q, %v; want at least 150 (the last poll may be lost) and no problem", rep.Articles, rep.Problems, err)
			}
		})
	}
}

// TestDamagedDataPages: pages deep in the tree are read only when used,
// so Open may succeed; Check must then find the damage, and no
// transaction may panic.
func TestDamagedDataPages(t *testing.T) {
	t.Parallel()
	base := storeFile(t, 600)
	for _, seed := range []uint64{1, 2, 3, 4, 5} {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			path := copyStore(t, base)
			garbagePages(seed, 3)(t, path)
			s, err := Open(path, Options{})
			if err != nil {
				if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), path) {
					t.Errorf("Open() = %v, want nil or ErrCorrupt naming the file", err)
				}
				return
			}
			defer s.Close()
			if rep, err := s.Check(t.Context()); !errors.Is(err, ErrCorrupt) || len(rep.Problems) == 0 {
				t.Errorf("Check() = %q, %v, want problems and ErrCorrupt", rep.Problems, err)
			}
			useAll(t, s, false)
		})
	}
}

// useAll runs every kind of transaction; each must succeed or fail with
// ErrCorrupt (and must, when mustFail).
func useAll(t *testing.T, s *Store, mustFail bool) {
	t.Helper()
	a := benchArticle(100000, "Văn bản mới.", "trafficking")
	ops := map[string]func() error{
		"ForEachArticle": func() error {
			return s.ForEachArticle(t.Context(), Query{All: true}, func(*news.Article) error { return nil })
		},
		"Stats":      func() error { _, err := s.Stats(); return err },
		"ListAlerts": func() error { _, err := s.ListAlerts(""); return err },
		"Unseen":     func() error { _, err := s.Unseen([]string{a.URL}); return err },
		"SavePoll": func() error {
			_, err := s.SavePoll(Poll{Feed: FeedState{URL: a.FeedURL}, Seen: []string{a.URL}, Articles: []*news.Article{a}})
			return err
		},
		"Prune": func() error { _, err := s.Prune(t.Context(), t0.AddDate(1, 0, 0)); return err },
		"Check": func() error { _, err := s.Check(t.Context()); return err },
	}
	for name, op := range ops {
		err := op()
		if (err != nil || mustFail) && !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s() on a damaged file = %v, want ErrCorrupt", name, err)
		}
	}
}

// TestDamageWhileOpen: pages damaged or cut off under a running store
// make its transactions fail with ErrCorrupt (a truncated file faults on
// read), and the store still closes.
func TestDamageWhileOpen(t *testing.T) {
	t.Parallel()
	base := storeFile(t, 600)
	ids := dataPages(t, base)
	tests := []struct {
		name   string
		damage damage
	}{
		{"every data page overwritten", func(t *testing.T, path string) {
			for _, id := range ids {
				overwrite(pageOffset(func(boltMeta) uint64 { return id }), bytes.Repeat([]byte{0xa5}, 4096))(t, path)
			}
		}},
		{"file truncated to its meta pages", truncateTo(func(boltMeta) int64 { return 8192 })},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := copyStore(t, base)
			s, err := Open(path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Damage(); err != nil {
				t.Errorf("Damage() before damage = %v, want nil", err)
			}
			tc.damage(t, path)
			useAll(t, s, true)
			if err := s.Damage(); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "writes nothing more") {
				t.Errorf("Damage() after damage = %v, want ErrCorrupt saying writes stopped", err)
			}
			if err := s.Close(); err != nil {
				t.Errorf("Close() after damage = %v", err)
			}
		})
	}
}

// TestOtherPanicsGoOn: catch turns only bbolt's panics into errors; a
// panic of newswatch's own code keeps its value and goes on.
func TestOtherPanicsGoOn(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	err := s.view(func(*bolt.Tx) error {
		var c bolt.Cursor
		c.First() // a nil dereference inside bbolt, as on a damaged page
		return nil
	})
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("view(bbolt panics) = %v, want ErrCorrupt", err)
	}
	defer func() {
		if r := recover(); r != "bug" {
			t.Errorf("view(own code panics) recovered %v, want the panic to go on", r)
		}
	}()
	_ = s.view(func(*bolt.Tx) error { panic("bug") })
}

// TestCreateLeavesNoTrace: a new store appears whole under its name, with
// no temporary file beside it; a link to a missing file is an error, not
// a missing store, and creates nothing.
func TestCreateLeavesNoTrace(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, err := Open(filepath.Join(dir, "newswatch.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	wantOnly(t, dir, "newswatch.db")

	link := filepath.Join(t.TempDir(), "newswatch.db")
	target := filepath.Join(t.TempDir(), "unmounted", "newswatch.db")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	for _, o := range []Options{{}, {ReadOnly: true}} {
		err := openClose(link, o)
		if err == nil || errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "mounted") {
			t.Errorf("Open(link to a missing file, %+v) = %v, want an error that is not ErrNotExist", o, err)
		}
	}
	if _, err := os.Stat(target); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open(link to a missing file) created %s", target)
	}
}

// TestOpenWritesNothing: opening a store at the current schema only reads
// it, so a command that is then refused has changed nothing.
func TestOpenWritesNothing(t *testing.T) {
	t.Parallel()
	path := storeFile(t, 50)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := openClose(path, Options{}); err != nil {
		t.Fatal(err)
	}
	if after, err := os.ReadFile(path); err != nil || !bytes.Equal(after, before) {
		t.Errorf("Open and Close changed the file (%v)", err)
	}
}
