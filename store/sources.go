package store

import (
	"errors"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/newswatch/newswatch/news"
)

// ErrExists means a record with the same key is already stored.
var ErrExists = errors.New("already exists")

// Source is a feed added at run time (feeds add, an OPML import, the
// dashboard) rather than declared in the config file. Sources live in the
// store, so they survive restarts and config reloads.
type Source struct {
	// Key identifies the source: the feed's canonical URL, so that two
	// spellings of one feed are one source. The caller computes it.
	Key  string
	Feed news.Feed // with Added and Via set
}

// Sources returns the sources added at run time, oldest first.
func (s *Store) Sources() ([]Source, error) {
	var out []Source
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketSources)
		if err != nil {
			return err
		}
		return b.ForEach(func(k, v []byte) error {
			var src Source
			if err := decode(v, &src); err != nil {
				return fmt.Errorf("source %s: %w", k, err)
			}
			out = append(out, src)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	slices.SortStableFunc(out, func(a, b Source) int { return a.Feed.Added.Compare(b.Feed.Added) })
	return out, nil
}

// AddSources stores srcs in one transaction and returns those added; a
// source whose key is already stored (or repeats an earlier one of srcs)
// is left out and its key returned in dups. Either all of the new ones are
// stored or, on error, none.
func (s *Store) AddSources(srcs []Source) (added []Source, dups []string, err error) {
	err = s.update(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketSources)
		if err != nil {
			return err
		}
		for _, src := range srcs {
			if src.Key == "" || src.Feed.URL == "" {
				return errors.New("source without key or URL")
			}
			if b.Get([]byte(src.Key)) != nil {
				dups = append(dups, src.Key)
				continue
			}
			v, err := encode(src)
			if err != nil {
				return err
			}
			if err := b.Put([]byte(src.Key), v); err != nil {
				return err
			}
			added = append(added, src)
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("add sources: %w", err)
	}
	return added, dups, nil
}

// RemoveSource deletes the source with key and returns it, or ErrNotFound.
// The feed's state and its articles stay: removing a feed never loses
// what was archived from it.
func (s *Store) RemoveSource(key string) (Source, error) {
	var src Source
	err := s.update(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketSources)
		if err != nil {
			return err
		}
		v := b.Get([]byte(key))
		if v == nil {
			return ErrNotFound
		}
		if err := decode(v, &src); err != nil {
			return err
		}
		return b.Delete([]byte(key))
	})
	if err != nil {
		return Source{}, fmt.Errorf("remove source %s: %w", key, err)
	}
	return src, nil
}
