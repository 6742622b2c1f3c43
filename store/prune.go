package store

import (
	"bytes"
	"context"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/newswatch/newswatch/news"
)

// DeliveredRetention is how long Prune keeps delivered alerts.
const DeliveredRetention = 30 * 24 * time.Hour

// pruneBatch is how many records one pruning transaction deletes: small
// enough that the ingest writer never waits long.
const pruneBatch = 500

// Prune deletes unmatched articles fetched (or unmatched by a rematch)
// before unmatchedBefore, with their index entries, and delivered alerts
// older than DeliveredRetention.
// Matched articles, failed and pending alerts and the seen-set are kept (so
// pruned items are not fetched again). It works in small transactions,
// collecting keys in a read transaction before deleting them, and returns
// how many articles it deleted.
func (s *Store) Prune(ctx context.Context, unmatchedBefore time.Time) (int, error) {
	end := encodeTime(unmatchedBefore)
	total := 0
	for {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		keys, err := s.collectKeys(bucketUnmatched, func(k, _ []byte) (bool, bool) {
			before := len(k) >= timeKeyLen && bytes.Compare(k[:timeKeyLen], end) < 0
			return before, before // keys are in fetch-time order
		})
		if err != nil {
			return total, fmt.Errorf("prune articles: %w", err)
		}
		if len(keys) == 0 {
			break
		}
		n, err := s.deleteUnmatched(keys)
		total += n
		if err != nil {
			return total, fmt.Errorf("prune articles: %w", err)
		}
	}
	if total > 0 {
		err := s.update(func(tx *bolt.Tx) error {
			ix, err := openIndex(tx)
			if err != nil {
				return err
			}
			if err := ix.compact(); err != nil {
				return fmt.Errorf("search index: %w", err)
			}
			return ix.save()
		})
		if err != nil {
			return total, fmt.Errorf("prune articles: %w", err)
		}
	}
	if _, err := s.PurgeAlerts(ctx, time.Now().Add(-DeliveredRetention)); err != nil {
		return total, err
	}
	return total, nil
}

// collectKeys copies up to pruneBatch keys of bucket name, in key order,
// for which match returns true; match's second result false ends the scan.
func (s *Store) collectKeys(name []byte, match func(k, v []byte) (ok, more bool)) ([][]byte, error) {
	var keys [][]byte
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, name)
		if err != nil {
			return err
		}
		c := b.Cursor()
		for k, v := c.First(); k != nil && len(keys) < pruneBatch; k, v = c.Next() {
			ok, more := match(k, v)
			if !more {
				break
			}
			if ok {
				keys = append(keys, bytes.Clone(k))
			}
		}
		return nil
	})
	return keys, err
}

// deleteUnmatched deletes the articles of the given unmatched-index keys
// in one transaction. Entries whose article is gone or now matched are
// only removed from the index.
func (s *Store) deleteUnmatched(keys [][]byte) (int, error) {
	n := 0
	err := s.update(func(tx *bolt.Tx) (txErr error) {
		n = 0
		ab, err := openArticleBuckets(tx)
		if err != nil {
			return err
		}
		ix, err := openIndex(tx)
		if err != nil {
			return err
		}
		defer func() { // counters first: nothing commits when they fail
			if err := ix.save(); err != nil && txErr == nil {
				txErr = err
			}
		}()
		for _, k := range keys {
			if err := ab.unmatched.Delete(k); err != nil {
				return err
			}
			_, id, err := splitTimeIDKey(k)
			if err != nil {
				return err
			}
			a, err := getArticle(ab.articles, id)
			if err != nil || a.Matched() {
				continue // gone, undecodable (keep it for inspection) or matched
			}
			if err := ab.byTime.Delete(timeIDKey(indexTime(a), a.ID)); err != nil {
				return err
			}
			if err := ab.articles.Delete([]byte(a.ID)); err != nil {
				return err
			}
			if err := ix.remove(a.ID); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// PurgeAlerts deletes delivered alerts delivered before the given time, in
// small transactions, and returns how many it deleted. Prune calls it with
// DeliveredRetention.
func (s *Store) PurgeAlerts(ctx context.Context, deliveredBefore time.Time) (int, error) {
	total := 0
	for {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		keys, err := s.collectKeys(bucketAlerts, func(_, v []byte) (bool, bool) {
			var a struct {
				State     news.AlertState
				Delivered time.Time
			}
			return decode(v, &a) == nil && a.State == news.AlertDelivered && a.Delivered.Before(deliveredBefore), true
		})
		if err != nil || len(keys) == 0 {
			if err != nil {
				err = fmt.Errorf("purge alerts: %w", err)
			}
			return total, err
		}
		err = s.update(func(tx *bolt.Tx) error {
			b, err := bucket(tx, bucketAlerts)
			if err != nil {
				return err
			}
			for _, k := range keys {
				if err := b.Delete(k); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return total, fmt.Errorf("purge alerts: %w", err)
		}
		total += len(keys)
	}
}
