package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/newswatch/newswatch/search"
)

// IndexStatus says how far the search index is.
type IndexStatus struct {
	// Ready means every stored article is indexed: searches use the
	// index. Otherwise BuildIndex has articles stored before the index
	// (or before its terms changed) still to add, and searches scan.
	Ready bool `json:"ready"`
	// Articles counts the indexed articles; Segments the segments their
	// postings are in, and Recent the articles not yet in one.
	Articles int `json:"articles"`
	Segments int `json:"segments"`
	Recent   int `json:"recent"`
}

// IndexStatus reports the search index's state.
func (s *Store) IndexStatus() (IndexStatus, error) {
	var st IndexStatus
	err := s.view(func(tx *bolt.Tx) error {
		ix, err := openIndex(tx)
		if err != nil {
			return err
		}
		st.Ready = ix.ready()
		st.Articles = ix.docs.Stats().KeyN
		st.Recent = int(ix.nRecent)
		st.Segments = ix.segments.Stats().KeyN
		return nil
	})
	if err != nil {
		return IndexStatus{}, fmt.Errorf("index status: %w", err)
	}
	return st, nil
}

// ready reports whether every stored article is indexed with the terms
// of this version.
func (ix *index) ready() bool {
	return string(ix.meta.Get(idxVersionKey)) == search.Version && ix.meta.Get(idxBackfillKey) == nil
}

// IndexProgress is how far BuildIndex is: articles visited of those
// stored when it started.
type IndexProgress struct {
	Done, Total int
}

// buildBatch is how many articles one transaction of BuildIndex visits:
// short enough that polls saved meanwhile wait little.
const buildBatch = 256

// BuildIndex adds the stored articles the search index lacks, oldest
// first, in short transactions (polls are saved and indexed meanwhile),
// calling progress after each. It returns at once when the index is
// complete; with ctx cancelled it stops and a later call goes on from
// there. Reindex first empties the index to build it all again.
func (s *Store) BuildIndex(ctx context.Context, progress func(IndexProgress)) error {
	var p IndexProgress
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketByTime)
		p.Total = b.Stats().KeyN
		return err
	})
	if err != nil {
		return fmt.Errorf("build index: %w", err)
	}
	for done := false; !done; {
		if err := ctx.Err(); err != nil {
			return err
		}
		n := 0
		err := s.update(func(tx *bolt.Tx) (err error) {
			n, done, err = buildStep(tx)
			return err
		})
		if err != nil {
			return fmt.Errorf("build index: %w", err)
		}
		p.Done += n
		if progress != nil {
			progress(p)
		}
	}
	return nil
}

// buildStep indexes the next buildBatch articles of by_time that are
// not yet indexed, and says whether it reached the end.
func buildStep(tx *bolt.Tx) (int, bool, error) {
	ix, err := openIndex(tx)
	if err != nil {
		return 0, false, err
	}
	resume := ix.meta.Get(idxBackfillKey)
	if resume == nil || resume[0] != 'b' {
		return 0, true, nil
	}
	bs, err := buckets(tx, bucketByTime, bucketArticles)
	if err != nil {
		return 0, false, err
	}
	after := bytes.Clone(resume[1:])
	c := bs[0].Cursor()
	k, _ := c.First()
	if len(after) > 0 {
		if k, _ = c.Seek(after); bytes.Equal(k, after) {
			k, _ = c.Next()
		}
	}
	n := 0
	for ; k != nil && n < buildBatch; k, _ = c.Next() {
		_, id, err := splitTimeIDKey(k)
		if err != nil {
			return n, false, err
		}
		n++
		after = bytes.Clone(k)
		a, err := getArticle(bs[1], id)
		if errors.Is(err, ErrNotFound) {
			continue // a dangling entry: Check reports it
		}
		if err != nil {
			return n, false, fmt.Errorf("article %s: %w", id, err)
		}
		if err := ix.add(a, encodeTerms(search.Terms(a))); err != nil {
			return n, false, err
		}
	}
	done := k == nil
	if done {
		err = ix.meta.Delete(idxBackfillKey)
	} else {
		err = ix.meta.Put(idxBackfillKey, append([]byte{'b'}, after...))
	}
	if err != nil {
		return n, false, err
	}
	if err := ix.flushIfFull(); err != nil {
		return n, false, err
	}
	return n, done, ix.save()
}

// Reindex empties the search index and builds it again (BuildIndex):
// after a change of its terms that their version did not show, or to
// compact it whole.
func (s *Store) Reindex(ctx context.Context, progress func(IndexProgress)) error {
	if err := s.update(resetIndex); err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	return s.BuildIndex(ctx, progress)
}
