package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

	"github.com/newswatch/newswatch/news"
)

func TestOpenCreatesFile(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "state", "newswatch")
	path := filepath.Join(dir, "newswatch.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("Open(%q) = %v", path, err)
	}
	defer s.Close()
	if s.Path() != path {
		t.Errorf("Path() = %q, want %q", s.Path(), path)
	}
	for p, want := range map[string]fs.FileMode{dir: 0o700 | fs.ModeDir, path: 0o600} {
		fi, err := os.Stat(p)
		if err != nil || fi.Mode() != want {
			t.Errorf("Stat(%q).Mode() = %v, %v, want %v", p, fi.Mode(), err, want)
		}
	}
	err = s.db.View(func(tx *bolt.Tx) error {
		for _, b := range allBuckets {
			if tx.Bucket(b) == nil {
				t.Errorf("bucket %s missing after first Open", b)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if st, err := s.Stats(); err != nil || st.SchemaVersion != SchemaVersion || st.FileSize == 0 {
		t.Errorf("Stats() = %+v, %v, want schema %d and a size", st, err, SchemaVersion)
	}
}

func TestOpenLocked(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	tests := []struct {
		name string
		o    Options
	}{
		{"writer", Options{LockTimeout: 100 * time.Millisecond}},
		{"reader", Options{LockTimeout: 100 * time.Millisecond, ReadOnly: true}},
		{"default timeout", Options{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// flock belongs to the open file description, so a second
			// bbolt.Open in the same process waits like another process.
			s2, err := Open(s.Path(), tc.o)
			if err == nil {
				s2.Close()
			}
			if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "daemon running") {
				t.Errorf("Open(%+v) while open = %v, want ErrLocked naming the daemon", tc.o, err)
			}
		})
	}
}

func TestReadOnly(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	as := loadArticles(t)
	if _, err := s.SavePoll(Poll{Feed: FeedState{URL: as[0].FeedURL}, Articles: as}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	ro := make([]*Store, 2) // readers share the file
	for i := range ro {
		var err error
		if ro[i], err = Open(s.Path(), Options{ReadOnly: true}); err != nil {
			t.Fatalf("Open(ReadOnly) #%d = %v", i, err)
		}
		defer ro[i].Close()
	}
	if got := collect(t, ro[1], Query{All: true}); len(got) != len(as) {
		t.Errorf("read-only ForEachArticle() = %d articles, want %d", len(got), len(as))
	}
	if _, err := ro[0].SavePoll(Poll{Feed: FeedState{URL: "x"}}); !errors.Is(err, ErrReadOnly) {
		t.Errorf("read-only SavePoll() = %v, want ErrReadOnly", err)
	}
	if _, err := Open(s.Path(), Options{LockTimeout: 100 * time.Millisecond}); !errors.Is(err, ErrLocked) {
		t.Errorf("Open(writer) while readers hold the file = %v, want ErrLocked", err)
	}

	missing := filepath.Join(t.TempDir(), "none.db")
	if _, err := Open(missing, Options{ReadOnly: true}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open(%q, ReadOnly) = %v, want ErrNotExist", missing, err)
	}
	if _, err := os.Stat(missing); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open(ReadOnly) created %q", missing)
	}
}

// snapshot is everything a store holds, read through the public API.
type snapshot struct {
	Feeds    []FeedState
	Articles []*news.Article
	Alerts   []news.Alert
	Unseen   []string
	Stats    Stats
}

func takeSnapshot(t *testing.T, s *Store, keys []string) snapshot {
	t.Helper()
	var sn snapshot
	var err error
	if sn.Feeds, err = s.Feeds(); err != nil {
		t.Fatal(err)
	}
	sn.Articles = collect(t, s, Query{All: true})
	if sn.Alerts, err = s.ListAlerts(""); err != nil {
		t.Fatal(err)
	}
	if sn.Unseen, err = s.Unseen(keys); err != nil {
		t.Fatal(err)
	}
	if sn.Stats, err = s.Stats(); err != nil {
		t.Fatal(err)
	}
	return sn
}

func TestReopenKeepsEverything(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	as := loadArticles(t)
	for i, a := range as {
		feed := FeedState{URL: a.FeedURL, Name: a.Source, ETag: `W/"` + a.ID + `"`, LastSuccess: t0, NextPoll: t0.Add(15 * time.Minute),
			Interval: 15 * time.Minute, RecentItems: []time.Time{a.Fetched}, ItemsSeen: i + 1}
		poll := Poll{Feed: feed, Seen: []string{a.URL}, Articles: []*news.Article{a}}
		if a.Matched() {
			poll.Alerts = []news.Alert{testAlert("ngo@example.org", a, t0.Add(time.Duration(i)*time.Minute))}
		}
		if _, err := s.SavePoll(poll); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.MarkDelivered(news.AlertID("ngo@example.org", news.ChannelWebhook, as[0].ID), t0); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveFeedState(FeedState{URL: "https://broken.example/rss", Errors: 3, LastError: "dial tcp: i/o timeout"}); err != nil {
		t.Fatal(err)
	}
	keys := append(urls(as), "https://example.org/never-seen")
	before := takeSnapshot(t, s, keys)
	after := takeSnapshot(t, reopen(t, s), keys)
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("store after Close and Open differs (-before +after):\n%s", diff)
	}
	if len(before.Feeds) != 9 || len(before.Articles) != 8 || len(before.Alerts) != 5 || len(before.Unseen) != 1 {
		t.Errorf("snapshot has %d feeds, %d articles, %d alerts, %d unseen; want 9, 8, 5, 1",
			len(before.Feeds), len(before.Articles), len(before.Alerts), len(before.Unseen))
	}
}

// writeRaw creates a bbolt file the way an older or newer newswatch might
// have left it.
func writeRaw(t *testing.T, fn func(tx *bolt.Tx) error) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(fn); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func putMeta(version []byte) func(tx *bolt.Tx) error {
	return func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil || version == nil {
			return err
		}
		return b.Put(metaSchemaKey, version)
	}
}

func TestMigrate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		setup    func(tx *bolt.Tx) error
		wantErr  error
		wantRO   error // read-only Open of the same file
		wantDisk uint64
	}{
		{"empty file", func(*bolt.Tx) error { return nil }, nil, ErrNeedsMigration, SchemaVersion},
		{"meta without version", putMeta(nil), nil, ErrNeedsMigration, SchemaVersion},
		{"version 0", putMeta(encodeUint(0)), nil, ErrNeedsMigration, SchemaVersion},
		{"current", func(tx *bolt.Tx) error {
			if err := createBuckets(tx); err != nil {
				return err
			}
			return putMeta(encodeUint(SchemaVersion))(tx)
		}, nil, nil, SchemaVersion},
		{"newer", putMeta(encodeUint(SchemaVersion + 1)), ErrNewerSchema, ErrNewerSchema, SchemaVersion + 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := writeRaw(t, tc.setup)
			ro, err := Open(path, Options{ReadOnly: true})
			if err == nil {
				ro.Close()
			}
			if !errors.Is(err, tc.wantRO) {
				t.Errorf("Open(ReadOnly) = %v, want %v", err, tc.wantRO)
			}
			s, err := Open(path, Options{})
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Open() = %v, want %v", err, tc.wantErr)
			}
			if err == nil {
				if _, err := s.SavePoll(Poll{Feed: FeedState{URL: "https://example.org/feed"}, Seen: []string{"k"}}); err != nil {
					t.Errorf("SavePoll() after migration = %v", err)
				}
				if err := s.Close(); err != nil {
					t.Fatal(err)
				}
			}
			var got uint64
			db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.View(func(tx *bolt.Tx) (err error) { got, err = schemaVersion(tx); return err }); err != nil || got != tc.wantDisk {
				t.Errorf("schema version on disk = %d, %v, want %d", got, err, tc.wantDisk)
			}
		})
	}
}

func TestOpenRejectsGarbage(t *testing.T) {
	t.Parallel()
	notBolt := filepath.Join(t.TempDir(), "feed.xml")
	rss := "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Tin tức</title></channel></rss>"
	if err := os.WriteFile(notBolt, []byte(rss+strings.Repeat("\n", 8192)), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := map[string]string{
		"not a bbolt file":    notBolt,
		"undecodable version": writeRaw(t, putMeta([]byte("v1"))),
	}
	for name, path := range tests {
		s, err := Open(path, Options{})
		if err == nil {
			s.Close()
			t.Errorf("Open(%s) = nil, want error", name)
		}
	}
}

func TestMaxSize(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "small.db")
	const limit = 1 << 20
	s, err := Open(path, Options{MaxSize: limit})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	text := strings.Repeat(loadArticles(t)[2].Text, 40) // ~10 KB of Chinese
	var full *news.Article
	for i := 0; full == nil && i < 1000; i++ {
		a := &news.Article{URL: fmt.Sprintf("https://news.un.org/zh/story/%d", i), Text: text, Lang: "zh", Fetched: t0}
		_, err := s.SavePoll(Poll{Feed: FeedState{URL: "https://news.un.org/zh/rss"}, Seen: []string{a.URL}, Articles: []*news.Article{a}})
		switch {
		case errors.Is(err, ErrFull):
			full = a
		case err != nil:
			t.Fatalf("SavePoll(%d) = %v, want nil or ErrFull", i, err)
		}
	}
	if full == nil {
		t.Fatalf("SavePoll never returned ErrFull with MaxSize %d", limit)
	}
	if _, err := s.Article(news.ArticleID(full.URL)); !errors.Is(err, ErrNotFound) {
		t.Errorf("Article(the poll that hit MaxSize) = %v, want ErrNotFound", err)
	}
	if unseen, err := s.Unseen([]string{full.URL}); err != nil || len(unseen) != 1 {
		t.Errorf("Unseen(the poll that hit MaxSize) = %q, %v, want it unseen", unseen, err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() > limit {
		t.Errorf("file size = %d, %v, want <= %d", fi.Size(), err, limit)
	}
}

func TestSchemaVersion(t *testing.T) {
	t.Parallel()
	if n := uint64(len(migrations)); n != SchemaVersion {
		t.Errorf("len(migrations) = %d, want SchemaVersion = %d: bump it with every migration", n, SchemaVersion)
	}
}
