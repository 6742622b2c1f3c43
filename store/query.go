package store

import (
	"bytes"
	"context"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/newswatch/newswatch/news"
)

// Query selects articles for ForEachArticle. The zero Query selects every
// matched article.
type Query struct {
	// Topic keeps only articles that matched this topic (read from the
	// topic index). Empty means any.
	Topic string
	// Since (inclusive) and Until (exclusive) bound the publish time, or
	// the fetch time of articles without one. Zero means unbounded.
	Since, Until time.Time
	// All includes articles that matched no topic; by default only matched
	// articles are visited. It has no effect with a Topic.
	All bool
}

// ForEachArticle reads the index in short read transactions, each ending
// after the first of these bounds, and calls fn outside them. A consumer
// that stalls (an HTTP client that stops reading an export) then holds no
// transaction, so the writer never waits for it when the file must grow
// and freed pages are reused, and it pins at most one batch of articles.
const (
	forEachBatch      = 256      // articles kept per transaction
	forEachBatchBytes = 32 << 10 // bytes of stored articles kept per transaction
	forEachScanBytes  = 1 << 20  // bytes of stored articles read per transaction, kept or not
)

// ForEachArticle calls fn for each article selected by q, ordered by
// publish time (fetch time when unknown) ascending, then by ID. It stops
// at the first error from fn or when ctx is done, and returns that error.
// fn runs outside any transaction and may keep the article. The articles
// are read in batches, each in a read transaction of its own (see
// forEachBatch): a write may commit between two calls of fn, and an
// article saved meanwhile is visited if it sorts after the ones visited.
func (s *Store) ForEachArticle(ctx context.Context, q Query, fn func(*news.Article) error) error {
	sc, err := newScan(q)
	if err != nil {
		return fmt.Errorf("for each article: %w", err)
	}
	for !sc.done {
		if err := ctx.Err(); err != nil {
			return err
		}
		var batch []*news.Article
		err := s.view(func(tx *bolt.Tx) error {
			batch, err = sc.next(tx)
			return err
		})
		if err != nil {
			return fmt.Errorf("for each article: %w", err)
		}
		for _, a := range batch {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fn(a); err != nil {
				return err
			}
		}
	}
	return nil
}

// scan walks an index range in several read transactions, remembering
// where it stopped.
type scan struct {
	index  []byte // bucket name
	prefix []byte // every key in range starts with it
	start  []byte // first key to seek to
	until  []byte // exclusive upper bound (prefix ‖ timeKey); nil = none
	all    bool
	after  []byte // last key visited; nil before the first batch
	done   bool
}

func newScan(q Query) (*scan, error) {
	sc := &scan{index: bucketByTime, all: q.All}
	if q.Topic != "" {
		if err := checkTopic(q.Topic); err != nil {
			return nil, err
		}
		sc.index, sc.prefix, sc.all = bucketByTopic, topicPrefix(q.Topic), true
	}
	sc.start = append(bytes.Clone(sc.prefix), encodeTime(q.Since)...)
	if !q.Until.IsZero() {
		sc.until = append(bytes.Clone(sc.prefix), encodeTime(q.Until)...)
	}
	return sc, nil
}

// next returns the next batch of articles, bounded as forEachBatch says,
// and advances the scan.
func (sc *scan) next(tx *bolt.Tx) ([]*news.Article, error) {
	idx, err := bucket(tx, sc.index)
	if err != nil {
		return nil, err
	}
	articles, err := bucket(tx, bucketArticles)
	if err != nil {
		return nil, err
	}
	c := idx.Cursor()
	var k []byte
	if sc.after == nil {
		k, _ = c.Seek(sc.start)
	} else if k, _ = c.Seek(sc.after); bytes.Equal(k, sc.after) {
		k, _ = c.Next()
	}
	var out []*news.Article
	kept, read := 0, 0
	for ; ; k, _ = c.Next() {
		if k == nil || !bytes.HasPrefix(k, sc.prefix) || (sc.until != nil && bytes.Compare(k, sc.until) >= 0) {
			sc.done = true
			return out, nil
		}
		if len(out) == forEachBatch || kept >= forEachBatchBytes || read >= forEachScanBytes {
			return out, nil // k starts the next batch
		}
		sc.after = bytes.Clone(k)
		_, id, err := splitTimeIDKey(k[len(sc.prefix):])
		if err != nil {
			return nil, fmt.Errorf("index %s key %x: %w", sc.index, k, err)
		}
		v := articles.Get([]byte(id))
		if v == nil {
			continue // a dangling entry must not stop an export
		}
		// Count the decompressed bytes: they are what a batch holds.
		raw, err := decompress(v)
		if err != nil {
			return nil, fmt.Errorf("article %s: %w", id, err)
		}
		read += len(raw)
		a := new(news.Article)
		if err := decode(raw, a); err != nil {
			return nil, fmt.Errorf("article %s: %w", id, err)
		}
		if sc.all || a.Matched() {
			out = append(out, a)
			kept += len(raw)
		}
	}
}
