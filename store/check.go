package store

import (
	"context"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/newswatch/newswatch/news"
)

// maxCheckErrors caps how many problems Check reports.
const maxCheckErrors = 20

// Check verifies the file's page structure (bbolt's own check) and this
// package's invariants: every article has its index entries and every
// index entry its article; every pending alert has exactly its due entry.
// It reads the whole file in one read transaction, so it is meant for a
// "doctor" command and crash tests, not for every start. It returns nil
// or the problems found, joined.
func (s *Store) Check(ctx context.Context) error {
	c := &checker{ctx: ctx}
	err := s.view(func(tx *bolt.Tx) error {
		for err := range tx.Check() { // drain: Check's goroutine sends until done
			c.add(err)
		}
		c.articles(tx)
		c.alerts(tx)
		return ctx.Err()
	})
	if err != nil {
		return fmt.Errorf("check %s: %w", s.path, err)
	}
	if len(c.errs) > 0 {
		return fmt.Errorf("check %s: %w", s.path, errors.Join(c.errs...))
	}
	return nil
}

// checker collects the first maxCheckErrors problems.
type checker struct {
	ctx  context.Context
	errs []error
}

func (c *checker) add(err error) {
	if len(c.errs) < maxCheckErrors {
		c.errs = append(c.errs, err)
	}
}

// full reports whether checking further is pointless.
func (c *checker) full() bool { return len(c.errs) >= maxCheckErrors || c.ctx.Err() != nil }

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
		} else if a.State == news.AlertPending {
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
