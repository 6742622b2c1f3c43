package store

import (
	"context"
	"errors"
	"fmt"
	"os"

	bolt "go.etcd.io/bbolt"
)

// CompactReport says what Compact did.
type CompactReport struct {
	Path          string
	Before, After int64 // bytes of the file
	Articles      int
}

// compactTxSize is how many bytes bolt.Compact copies per transaction.
const compactTxSize = 64 << 20

// Compact rewrites the store file at path into a new one with bbolt's
// compaction (bolt.Compact), which leaves out the free pages that a
// bbolt file never gives back to the file system (pruned articles,
// rewritten values), checks the copy as "store check" does and holds the
// same records, and renames it over the old file. It needs the file to
// itself: with a daemon running it fails with ErrLocked. Values keep the
// form they were stored in (plain JSON from before compression, or zstd).
func Compact(ctx context.Context, path string) (CompactReport, error) {
	rep := CompactReport{Path: path}
	resolved, err := resolve(path)
	if err != nil {
		return rep, fmt.Errorf("compact %s: %v", path, err)
	}
	path, rep.Path = resolved, resolved
	if _, err := os.Stat(path); err != nil {
		return rep, fmt.Errorf("compact %s: %v", path, err)
	}
	s, err := Open(path, Options{}) // the writer's lock: no daemon, no other writer
	if err != nil {
		return rep, err
	}
	defer closeQuietly(s)
	old, err := s.Check(ctx)
	if err != nil {
		return rep, fmt.Errorf("compact %s: the store has problems, restore a backup first: %w", path, err)
	}
	rep.Before, rep.Articles = old.Size, old.Articles
	tmp, err := compactInto(ctx, s.db, path)
	if err != nil {
		return rep, fmt.Errorf("compact %s: %w", path, err)
	}
	defer os.Remove(tmp) // gone once renamed
	got, err := CheckFile(ctx, tmp)
	if err == nil && (got.Articles != old.Articles || got.Feeds != old.Feeds || got.Seen != old.Seen) {
		err = fmt.Errorf("the copy holds %d articles, %d feeds and %d seen keys, the store %d, %d and %d", got.Articles, got.Feeds, got.Seen, old.Articles, old.Feeds, old.Seen)
	}
	if err != nil {
		return rep, fmt.Errorf("compact %s: the compacted copy is not sound, the store is left as it was: %w", path, err)
	}
	rep.After = got.Size
	return rep, replace(tmp, path)
}

// compactInto copies src with bolt.Compact into a new file beside path
// and returns its name.
func compactInto(ctx context.Context, src *bolt.DB, path string) (string, error) {
	f, err := createTemp(path, "compact")
	if err != nil {
		return "", err
	}
	name := f.Name()
	if err := f.Close(); err != nil {
		return "", errors.Join(err, os.Remove(name))
	}
	dst, err := bolt.Open(name, 0o600, &bolt.Options{Timeout: DefaultLockTimeout})
	if err != nil {
		return "", errors.Join(fmt.Errorf("open %s: %v", name, err), os.Remove(name))
	}
	err = bolt.Compact(dst, src, compactTxSize)
	if err == nil {
		err = ctx.Err()
	}
	if err = errors.Join(err, dst.Close()); err != nil {
		return "", errors.Join(fmt.Errorf("copy: %v", err), os.Remove(name))
	}
	return name, nil
}
