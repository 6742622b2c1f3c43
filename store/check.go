package store

import (
	"context"
	"errors"
	"fmt"
	"os"

	bolt "go.etcd.io/bbolt"

	"github.com/newswatch/newswatch/news"
)

// maxCheckErrors caps how many problems Check lists.
const maxCheckErrors = 20

// CheckReport is what Check found: the file, its record counts and its
// problems. Counts cover what could be read.
type CheckReport struct {
	Path     string
	Size     int64  // bytes on disk
	Schema   uint64 // schema version
	Feeds    int
	Articles int
	Matched  int // articles that matched at least one topic
	Alerts   map[news.AlertState]int
	Seen     int // keys of the seen-set
	// Problems lists up to 20 problems, then how many more there are.
	Problems []string
}

// Check verifies the file: its tree, read page by page (see treeWalk);
// bbolt's own consistency check (free and reachable pages); and this
// package's invariants (every article has its index entries and every
// index entry its article; every pending alert has exactly its due
// entry; every capture has its manifest and bytes, and every capture log
// entry its capture). It runs in one read transaction, so the daemon goes on writing
// meanwhile; it reads the whole file, so it is meant for a "store check"
// command, backups and crash tests, not for every start.
//
// The error is nil when the check found nothing; it wraps ErrCorrupt when
// it found problems (listed in the report) and is ctx's error when ctx
// ended first.
func (s *Store) Check(ctx context.Context) (CheckReport, error) {
	rep := CheckReport{Path: s.path, Alerts: make(map[news.AlertState]int)}
	if fi, err := os.Stat(s.path); err == nil {
		rep.Size = fi.Size()
	}
	c := &checker{ctx: ctx, rep: &rep}
	err := s.view(func(tx *bolt.Tx) error {
		sound, err := c.walk(s, tx) // first: the others trust the pages
		if err != nil || !sound {
			return err
		}
		if v, err := schemaVersion(tx); err != nil {
			c.add(err)
		} else {
			rep.Schema = v
		}
		if s.db.IsReadOnly() {
			// With no writer, bbolt's own check is safe (it reads the
			// database's free list, which writers change) and checks
			// the walk.
			for err := range tx.Check() { // drain: Check's goroutine sends until done
				c.add(err)
			}
		}
		c.articles(tx)
		c.alerts(tx)
		c.captures(tx)
		return nil
	})
	if ce, ok := errors.AsType[*CorruptError](err); ok {
		c.add(errors.New(ce.Reason))
	} else if err != nil {
		return rep, fmt.Errorf("check %s: %w", s.path, err)
	}
	if err := ctx.Err(); err != nil {
		return rep, fmt.Errorf("check %s: %w", s.path, err)
	}
	n := len(rep.Problems) + c.extra
	if c.extra > 0 {
		rep.Problems = append(rep.Problems, fmt.Sprintf("and %s more", plural(c.extra, "problem")))
	}
	if n > 0 {
		return rep, s.damaged(fmt.Sprintf("check found %s, the first: %s", plural(n, "problem"), rep.Problems[0]))
	}
	return rep, nil
}

// CheckFile opens the store file at path read-only and checks it (see
// Check): a backup copy, or a store no process holds. A file a daemon
// holds gives ErrLocked; a damaged or foreign one ErrCorrupt, with the
// report holding what could be read.
func CheckFile(ctx context.Context, path string) (CheckReport, error) {
	s, err := Open(path, Options{ReadOnly: true})
	if err != nil {
		rep := CheckReport{Path: path}
		if fi, serr := os.Stat(path); serr == nil {
			rep.Size = fi.Size()
		}
		return rep, err
	}
	rep, err := s.Check(ctx)
	return rep, errors.Join(err, s.Close())
}

// checker collects the counts and the first maxCheckErrors problems.
type checker struct {
	ctx   context.Context
	rep   *CheckReport
	extra int // problems beyond maxCheckErrors
}

func (c *checker) add(err error) {
	if len(c.rep.Problems) < maxCheckErrors {
		c.rep.Problems = append(c.rep.Problems, err.Error())
	} else {
		c.extra++
	}
}

// full reports whether checking further is pointless.
func (c *checker) full() bool {
	return len(c.rep.Problems) >= maxCheckErrors || c.ctx.Err() != nil
}

// walk checks the file's pages (see treeWalk) and counts the records. It
// reports whether the tree is sound: if not, bbolt's check and the
// cursors of the other checks must not read it.
func (c *checker) walk(s *Store, tx *bolt.Tx) (bool, error) {
	counts, problems, err := s.walkTree(c.ctx, tx)
	if err != nil {
		return false, err
	}
	for _, p := range problems {
		c.add(p)
	}
	c.rep.Feeds = counts[string(bucketFeeds)]
	c.rep.Articles = counts[string(bucketArticles)]
	c.rep.Matched = c.rep.Articles - counts[string(bucketUnmatched)]
	c.rep.Seen = counts[string(bucketSeen)]
	return counts != nil, nil
}

// indexEntry is one key of an article index.
type indexEntry struct {
	bucket, key string
}

// articles checks articles against by_time, by_topic and unmatched.
func (c *checker) articles(tx *bolt.Tx) {
	ab, err := openArticleBuckets(tx)
	if err != nil {
		c.add(err)
		return
	}
	want := make(map[indexEntry]bool) // the entries the articles imply
	_ = ab.articles.ForEach(func(k, v []byte) error {
		var a news.Article
		if err := decode(v, &a); err != nil {
			c.add(fmt.Errorf("article %s: %v", k, err))
			return nil
		}
		want[indexEntry{string(bucketByTime), string(timeIDKey(indexTime(&a), a.ID))}] = true
		if !a.Matched() {
			want[indexEntry{string(bucketUnmatched), string(timeIDKey(unmatchedTime(&a), a.ID))}] = true
		}
		for _, t := range a.Topics {
			if k, err := topicKey(t, indexTime(&a), a.ID); err == nil {
				want[indexEntry{string(bucketByTopic), string(k)}] = true
			}
		}
		return nil
	})
	for name, b := range map[string]*bolt.Bucket{
		string(bucketByTime): ab.byTime, string(bucketByTopic): ab.byTopic, string(bucketUnmatched): ab.unmatched,
	} {
		_ = b.ForEach(func(k, _ []byte) error {
			e := indexEntry{name, string(k)}
			if !want[e] {
				c.add(fmt.Errorf("index %s: entry %x has no matching article", name, k))
			}
			delete(want, e)
			return nil
		})
	}
	for e := range want {
		if c.full() {
			return
		}
		c.add(fmt.Errorf("index %s: entry %x missing", e.bucket, e.key))
	}
}

// alerts checks that due holds exactly one entry per pending alert.
func (c *checker) alerts(tx *bolt.Tx) {
	bs, err := buckets(tx, bucketAlerts, bucketDue)
	if err != nil {
		c.add(err)
		return
	}
	want := make(map[string]bool)
	_ = bs[0].ForEach(func(k, v []byte) error {
		var a news.Alert
		if err := decode(v, &a); err != nil {
			c.add(fmt.Errorf("alert %s: %v", k, err))
			return nil
		}
		c.rep.Alerts[a.State]++
		if a.State == news.AlertPending {
			want[string(timeIDKey(a.NextAt, a.ID))] = true
		}
		return nil
	})
	_ = bs[1].ForEach(func(k, _ []byte) error {
		if !want[string(k)] {
			c.add(fmt.Errorf("due entry %x has no pending alert", k))
		}
		delete(want, string(k))
		return nil
	})
	for k := range want {
		if c.full() {
			return
		}
		c.add(fmt.Errorf("pending alert %s has no due entry", k[timeKeyLen:]))
	}
}

// captures checks that every capture's manifest decodes and its bytes
// are there (not their digest: that reads them all), and that every
// capture log entry belongs to exactly one capture.
func (c *checker) captures(tx *bolt.Tx) {
	bs, err := buckets(tx, bucketCaptures, bucketCaptureLog)
	if err != nil {
		c.add(err)
		return
	}
	used := make(map[string]bool)
	_ = bs[0].ForEach(func(k, v []byte) error {
		id, seq, _ := splitCaptureKey(k)
		r, err := readCapture(tx, k, v, true)
		var m news.Capture
		if err == nil {
			err = decode(r.manifest, &m)
		}
		if err != nil {
			c.add(fmt.Errorf("capture %d of %s: %v", seq, id, err))
			return nil
		}
		if len(v) == logKeyLen {
			if used[string(v)] {
				c.add(fmt.Errorf("capture %d of %s: log entry %x belongs to another capture too", seq, id, v))
			}
			used[string(v)] = true
		}
		return nil
	})
	_ = bs[1].ForEach(func(k, _ []byte) error {
		if !used[string(k)] && !c.full() {
			c.add(fmt.Errorf("capture log entry %x belongs to no capture", k))
		}
		return nil
	})
}

// plural words a count of things: "1 problem", "3 problems".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
