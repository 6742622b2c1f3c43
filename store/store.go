// Package store keeps newswatch's state in one bbolt file: feed schedule
// state, articles with their topic indexes, the seen-set of item keys and
// the alert outbox.
//
// Every feed poll is saved in one write transaction (SavePoll), so a crash
// loses either the whole poll, which is then fetched again, or nothing.
// Alerts are written in that same transaction and marked after delivery,
// which makes delivery at-least-once with stable alert IDs.
//
// A Store is safe for concurrent use. Only one process can open a file for
// writing; a second one gets ErrLocked.
package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// DefaultLockTimeout is how long Open waits for the file lock when
// Options.LockTimeout is zero. Half a second, so that a command started
// while the daemon runs says so within a second, process start included
// (at one second it took 0.96 s on an idle machine and more under load).
const DefaultLockTimeout = 500 * time.Millisecond

// Options configure Open. The zero value is a writable store with a
// half-second lock timeout and no size limit.
type Options struct {
	// LockTimeout is how long to wait for another process to release the
	// file. Zero means DefaultLockTimeout; it never waits forever.
	LockTimeout time.Duration
	// ReadOnly opens an existing store for reading (export, listing) while
	// no daemon runs. Several read-only opens may share the file.
	ReadOnly bool
	// MaxSize caps the file size in bytes; writes beyond it fail with
	// ErrFull. Zero or negative means no limit.
	MaxSize int
}

var (
	// ErrLocked means another process (usually a running daemon) holds the
	// store file.
	ErrLocked = errors.New("store is in use by another process")
	// ErrNotFound means the requested feed, article or alert is not stored.
	ErrNotFound = errors.New("not found")
	// ErrNewerSchema means the file was written by a newer newswatch whose
	// schema this version does not know.
	ErrNewerSchema = errors.New("store was written by a newer version of newswatch")
	// ErrNeedsMigration means a read-only open found an older schema, which
	// only a writable open can migrate.
	ErrNeedsMigration = errors.New("store needs a schema migration; open it read-write (start the daemon once)")
	// ErrFull means a write would grow the file beyond Options.MaxSize.
	// Such errors match ErrWrite too.
	ErrFull = errors.New("store reached its maximum size")
	// ErrWrite means a write transaction could not be committed: the disk
	// is full, the file system failed, or the file reached MaxSize. Nothing
	// of the transaction was stored; the store stays consistent and later
	// writes succeed once the cause is gone.
	ErrWrite = errors.New("store cannot write")
	// ErrReadOnly means a write was attempted on a store opened ReadOnly.
	ErrReadOnly = errors.New("store is opened read-only")
	// ErrAlertState means an outbox transition does not apply to the
	// alert's current state (for example retrying a delivered alert).
	ErrAlertState = errors.New("alert is not in a state that allows this")
)

// Store is an open newswatch store file.
type Store struct {
	db     *bolt.DB
	path   string
	health writeHealth // outcomes of write transactions since Open
}

// Open opens the store at path, creating the file (mode 0600) and its
// parent directory (0700) if needed. A new file gets every bucket and the
// current schema version in one transaction; an older schema is migrated;
// a newer one is refused with ErrNewerSchema. If another process holds the
// file, Open returns an error wrapping ErrLocked after Options.LockTimeout.
func Open(path string, o Options) (*Store, error) {
	if o.LockTimeout <= 0 {
		o.LockTimeout = DefaultLockTimeout
	}
	if o.ReadOnly {
		// bbolt would create a missing file even in read-only mode.
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
	} else if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout:  o.LockTimeout,
		ReadOnly: o.ReadOnly,
		MaxSize:  o.MaxSize,
		// Check needs the free pages; loading them costs little at open.
		PreLoadFreelist: o.ReadOnly,
	})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("open %s: %w (is a newswatch daemon running?)", path, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %v", path, err)
	}
	s := &Store{db: db, path: path}
	if o.ReadOnly {
		err = s.checkSchema()
	} else {
		err = s.migrate()
	}
	if err != nil {
		_ = db.Close() // the schema error is the one to report
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return s, nil
}

// Close releases the file. Pending write transactions have committed when
// their method returned, so Close loses nothing.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close %s: %v", s.path, err)
	}
	return nil
}

// Path returns the file path the store was opened with.
func (s *Store) Path() string { return s.path }

// update runs fn in a write transaction and translates bbolt's errors.
// A transaction that fn itself refuses (a missing alert, a bad key) is the
// caller's error; one that fails to commit is a write failure, counted in
// WriteHealth.
func (s *Store) update(fn func(tx *bolt.Tx) error) error {
	var fnErr error
	err := s.db.Update(func(tx *bolt.Tx) error {
		fnErr = fn(tx)
		return fnErr
	})
	err = translate(err)
	if err != nil && fnErr == nil && !errors.Is(err, ErrReadOnly) {
		s.health.writeFailed()
		if !errors.Is(err, ErrFull) {
			err = fmt.Errorf("%w: %v", ErrWrite, err)
		}
	}
	return err
}

// view runs fn in a read transaction and translates bbolt's errors.
func (s *Store) view(fn func(tx *bolt.Tx) error) error {
	return translate(s.db.View(fn))
}

// translate turns the bbolt errors callers may act on into this package's
// sentinels and leaves ours (and nil) as they are.
func translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, bolterrors.ErrMaxSizeReached):
		return fmt.Errorf("%w: %w", ErrWrite, ErrFull)
	case errors.Is(err, bolterrors.ErrDatabaseReadOnly), errors.Is(err, bolterrors.ErrTxNotWritable):
		return ErrReadOnly
	}
	return err
}

// bucket returns a bucket of the current schema, which migrate guarantees.
// A missing bucket means a damaged file and is reported, never a panic.
func bucket(tx *bolt.Tx, name []byte) (*bolt.Bucket, error) {
	b := tx.Bucket(name)
	if b == nil {
		return nil, fmt.Errorf("bucket %s missing: store file damaged", name)
	}
	return b, nil
}

// buckets returns several buckets at once, in the order of names.
func buckets(tx *bolt.Tx, names ...[]byte) ([]*bolt.Bucket, error) {
	bs := make([]*bolt.Bucket, len(names))
	for i, n := range names {
		b, err := bucket(tx, n)
		if err != nil {
			return nil, err
		}
		bs[i] = b
	}
	return bs, nil
}
