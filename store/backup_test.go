package store

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/newswatch/newswatch/news"
)

// TestBackupWhileWriting: a backup taken while another goroutine saves
// polls without pause is a store that checks clean and holds at least
// every poll committed before the backup began; the live store checks
// clean meanwhile too.
func TestBackupWhileWriting(t *testing.T) {
	t.Parallel()
	s, err := Open(storeFile(t, 400), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	text := benchText(t, 2000)
	var committed atomic.Int64 // articles stored
	committed.Store(400)
	writing, stop := make(chan struct{}), make(chan struct{})
	started := sync.OnceFunc(func() { close(writing) })
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 400; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			a := benchArticle(i, text, "")
			if _, err := s.SavePoll(Poll{Feed: FeedState{URL: a.FeedURL}, Seen: []string{a.URL}, Articles: []*news.Article{a}}); err != nil {
				t.Errorf("SavePoll(%d) during backup = %v", i, err)
				started()
				return
			}
			if committed.Add(1) == 420 {
				started()
			}
		}
	})
	<-writing
	before := committed.Load()
	path := filepath.Join(t.TempDir(), "backup.db")
	rep, err := s.BackupFile(t.Context(), path)
	live, checkErr := s.Check(t.Context()) // still writing
	after := committed.Load()
	close(stop)
	wg.Wait()
	if checkErr != nil || int64(live.Articles) < before {
		t.Errorf("Check() while writing = %d articles, %q, %v; want at least %d and no problem", live.Articles, live.Problems, checkErr, before)
	}
	t.Logf("backup of %d articles while %d were saved (%d before, %d after)", rep.Articles, after-before, before, after)
	if err != nil || len(rep.Problems) > 0 {
		t.Fatalf("BackupFile() = %q, %v", rep.Problems, err)
	}
	if int64(rep.Articles) < before || int64(rep.Articles) > after {
		t.Errorf("backup holds %d articles, want between %d (before) and %d (after)", rep.Articles, before, after)
	}
	if again, err := CheckFile(t.Context(), path); err != nil || again.Articles != rep.Articles {
		t.Errorf("CheckFile(backup) = %d articles, %v, want %d and no problem", again.Articles, err, rep.Articles)
	}
	wantOnly(t, filepath.Dir(path), "backup.db")
}

// TestBackupStream: Backup streams a copy that SaveBackup checks and
// installs, as the daemon and a command do over the control socket.
func TestBackupStream(t *testing.T) {
	t.Parallel()
	s, err := Open(storeFile(t, 100), Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var buf bytes.Buffer
	n, err := s.Backup(t.Context(), &buf)
	if err != nil || n != int64(buf.Len()) {
		t.Fatalf("Backup() = %d, %v; wrote %d bytes", n, err, buf.Len())
	}
	path := filepath.Join(t.TempDir(), "backup.db")
	rep, err := SaveBackup(t.Context(), path, bytes.NewReader(buf.Bytes()))
	if err != nil || rep.Articles != 100 || rep.Feeds != 1 || rep.Alerts[news.AlertPending] != 25 || rep.Size != n {
		t.Errorf("SaveBackup() = %+v, %v; want 100 articles, 1 feed, 25 pending alerts, %d bytes", rep, err, n)
	}
}

// TestBackupRefused: a backup that cannot be whole or checked leaves the
// target as it was and no temporary file behind.
func TestBackupRefused(t *testing.T) {
	t.Parallel()
	live := openTest(t)
	if _, err := live.SavePoll(Poll{Feed: FeedState{URL: "https://example.org/feed"}, Articles: loadArticles(t)}); err != nil {
		t.Fatal(err)
	}
	var full bytes.Buffer
	if _, err := live.Backup(t.Context(), &full); err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	tests := []struct {
		name   string
		backup func(path string) error
		want   error
	}{
		{"onto the live store", func(string) error { _, err := live.BackupFile(t.Context(), live.Path()); return err }, ErrLocked},
		{"cancelled", func(path string) error { _, err := live.BackupFile(cancelled, path); return err }, context.Canceled},
		{"cut stream", func(path string) error {
			_, err := SaveBackup(t.Context(), path, bytes.NewReader(full.Bytes()[:full.Len()/2]))
			return err
		}, ErrCorrupt},
		{"failing stream", func(path string) error {
			_, err := SaveBackup(t.Context(), path, io.MultiReader(bytes.NewReader(full.Bytes()[:8192]), failingReader{}))
			return err
		}, errBroken},
		{"store with problems", func(path string) error {
			broken := openTest(t)
			if _, err := broken.SavePoll(Poll{Feed: FeedState{URL: "https://example.org/feed"}, Articles: loadArticles(t)}); err != nil {
				t.Fatal(err)
			}
			err := broken.db.Update(func(tx *bolt.Tx) error {
				return tx.Bucket(bucketByTime).Put(timeIDKey(t0, "0123456789abcdef0123"), nil)
			})
			if err != nil {
				t.Fatal(err)
			}
			_, err = broken.BackupFile(t.Context(), path)
			return err
		}, ErrCorrupt},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "backup.db")
			if err := os.WriteFile(path, []byte("yesterday's backup"), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := tc.backup(path); !errors.Is(err, tc.want) {
				t.Errorf("backup %s = %v, want %v", tc.name, err, tc.want)
			}
			if got, err := os.ReadFile(path); err != nil || string(got) != "yesterday's backup" {
				t.Errorf("backup %s changed the target: %.40q, %v", tc.name, got, err)
			}
			wantOnly(t, dir, "backup.db")
		})
	}
	mustCheck(t, live)
}

var errBroken = errors.New("connection reset")

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errBroken }

// TestRestore: Restore installs a checked backup in place of the store,
// keeps the replaced file, and refuses every source it cannot trust and
// every destination in use, leaving it unchanged.
func TestRestore(t *testing.T) {
	t.Parallel()
	backup := storeFile(t, 100)
	damaged := copyStore(t, backup)
	truncateTo(func(m boltMeta) int64 { return int64(m.hwm/2) * int64(m.pageSize) })(t, damaged)
	sqlite := copyStore(t, backup)
	replaceWith(append([]byte("SQLite format 3\x00"), make([]byte, 8192)...))(t, sqlite)
	newer := copyStore(t, backup)
	newerSchema(t, newer)
	tests := []struct {
		name    string
		src     string
		setup   func(t *testing.T, dst string) // makes the current store
		want    error
		message string
	}{
		{"over a damaged store", backup, func(t *testing.T, dst string) { replaceWith([]byte("garbage"))(t, dst) }, nil, ""},
		{"over a good store", backup, func(t *testing.T, dst string) { openClose(dst, Options{}) }, nil, ""},
		{"where there is none", backup, nil, nil, ""},
		{"truncated backup", damaged, func(t *testing.T, dst string) { replaceWith([]byte("current"))(t, dst) }, ErrCorrupt, "truncated"},
		{"SQLite file", sqlite, func(t *testing.T, dst string) { replaceWith([]byte("current"))(t, dst) }, ErrCorrupt, "SQLite"},
		{"newer schema", newer, func(t *testing.T, dst string) { replaceWith([]byte("current"))(t, dst) }, ErrNewerSchema, "newer"},
		{"store in use", backup, func(t *testing.T, dst string) {
			s, err := Open(dst, Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
		}, ErrLocked, "daemon running"},
		{"earlier restore kept", backup, func(t *testing.T, dst string) {
			replaceWith([]byte("current"))(t, dst)
			replaceWith([]byte("kept"))(t, dst+BeforeRestoreSuffix)
		}, nil, "earlier restore"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			dst := filepath.Join(dir, "newswatch.db")
			if tc.setup != nil {
				tc.setup(t, dst)
			}
			before := snapshotDir(t, dir)
			rep, err := Restore(t.Context(), tc.src, dst)
			if tc.message != "" {
				if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) || !strings.Contains(err.Error(), tc.message) {
					t.Fatalf("Restore(%s) = %v, want %v saying %q", tc.name, err, tc.want, tc.message)
				}
				if after := snapshotDir(t, dir); !equalDirs(before, after) {
					t.Errorf("refused Restore(%s) changed %s: %q, was %q", tc.name, dir, keys(after), keys(before))
				}
				return
			}
			if err != nil {
				t.Fatalf("Restore(%s) = %v", tc.name, err)
			}
			if rep.Path != dst || rep.Articles != 100 {
				t.Errorf("Restore(%s) = %+v, want the report of %s with 100 articles", tc.name, rep, dst)
			}
			if got, err := CheckFile(t.Context(), dst); err != nil || got.Articles != 100 {
				t.Errorf("CheckFile(restored) = %d articles, %v, want 100", got.Articles, err)
			}
			want := []string{"newswatch.db"}
			if old, ok := before["newswatch.db"]; ok {
				want = append(want, "newswatch.db"+BeforeRestoreSuffix)
				if kept, err := os.ReadFile(dst + BeforeRestoreSuffix); err != nil || !bytes.Equal(kept, old) {
					t.Errorf("Restore(%s) did not keep the replaced store as %s: %v", tc.name, dst+BeforeRestoreSuffix, err)
				}
			}
			wantOnly(t, dir, want...)
		})
	}
}

// snapshotDir reads every file of dir.
func snapshotDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := make(map[string][]byte)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if files[e.Name()], err = os.ReadFile(filepath.Join(dir, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	return files
}

func equalDirs(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for name, data := range a {
		if other, ok := b[name]; !ok || !bytes.Equal(data, other) {
			return false
		}
	}
	return true
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// BenchmarkBackup copies a store of 20,000 ~2 KB articles: streamed to
// nowhere (bbolt's copy alone) and to a file (written, synced, checked
// and renamed, as the backup command does); "check" is the check alone.
func BenchmarkBackup(b *testing.B) {
	s, err := Open(storeFile(b, 20000), Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.Run("stream", func(b *testing.B) {
		for b.Loop() {
			n, err := s.Backup(b.Context(), io.Discard)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(n)
		}
	})
	b.Run("check", func(b *testing.B) {
		for b.Loop() {
			rep, err := s.Check(b.Context())
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(rep.Size)
		}
	})
	b.Run("file", func(b *testing.B) {
		path := filepath.Join(b.TempDir(), "backup.db")
		for b.Loop() {
			rep, err := s.BackupFile(b.Context(), path)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(rep.Size)
		}
	})
}
