// Package store keeps newswatch's state in one bbolt file: feed schedule
// state, articles with their topic indexes, the seen-set of item keys and
// the alert outbox.
//
// Every feed poll is saved atomically (SavePoll), in one write transaction
// that polls saved at the same moment may share (commit.go), so a crash
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
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync/atomic"
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
	db   *bolt.DB
	file *os.File // bbolt's, to release its lock if bbolt cannot (see catch)
	path string
	// failed is the damage a transaction met; writes stop (see catch).
	failed atomic.Pointer[CorruptError]
	// stuck means bbolt's locks stayed held: reads stop too.
	stuck   atomic.Bool
	health  writeHealth // outcomes of write transactions since Open
	commits commitQueue // saves waiting to commit together (commit.go)
}

// Open opens the store at path, creating it (mode 0600, parent directory
// 0700) if needed. A new file gets every bucket and the current schema
// version before it appears under path; an older schema is migrated; a
// newer one is refused with ErrNewerSchema. If another process holds the
// file, Open returns an error wrapping ErrLocked after Options.LockTimeout.
//
// A file that is damaged (empty, truncated, pages that do not decode) or
// not a newswatch store (another format, another program's bbolt file)
// gives a *CorruptError wrapping ErrCorrupt and is left as it is: it is
// never taken for "no store yet". A symbolic link to a missing file is an
// error too, not a missing store.
func Open(path string, o Options) (*Store, error) {
	if o.LockTimeout <= 0 {
		o.LockTimeout = DefaultLockTimeout
	}
	if err := locate(path, o); err != nil {
		return nil, err
	}
	if err := inspect(path); err != nil {
		return nil, err
	}
	db, file, err := openBolt(path, o)
	if errors.Is(err, errReplaced) {
		db, file, err = openBolt(path, o) // once: a restore renamed a file over path
	}
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, file: file, path: path}
	if o.ReadOnly {
		err = s.checkSchema()
	} else if err = s.migrate(); err == nil {
		err = s.checkIndex()
	}
	if err != nil {
		_ = s.Close() // the schema error is the one to report
		if _, ok := errors.AsType[*CorruptError](err); ok {
			return nil, err
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return s, nil
}

// locate makes sure path names a file to open, creating a new store when
// there is none and the open is writable.
func locate(path string, o Options) error {
	fi, err := os.Lstat(path)
	switch {
	case err == nil && fi.Mode()&fs.ModeSymlink != 0:
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			target, _ := os.Readlink(path)
			return fmt.Errorf("open %s: symbolic link to %s, which does not exist (is its file system mounted?)", path, target)
		}
		return nil
	case err == nil:
		return nil
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("open %s: %v", path, err)
	case o.ReadOnly:
		return fmt.Errorf("open %s: %w", path, fs.ErrNotExist)
	}
	return create(path, o)
}

// create makes a new store at path. It builds the file under a temporary
// name in the same directory and links it into place, so a crash never
// leaves a half-made file under path, and an empty file there is never
// one of ours. If another process creates path first, that one stays.
func create(path string, o Options) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create %s: %v", path, err)
	}
	f, err := createTemp(path, "new")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // the store stays under path
	if err := f.Close(); err != nil {
		return fmt.Errorf("create %s: %v", path, err)
	}
	db, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: o.LockTimeout, FreelistType: freelistType})
	if err != nil {
		return fmt.Errorf("create %s: %v", path, err)
	}
	s := &Store{db: db, path: tmp}
	if err := errors.Join(s.migrate(), db.Close()); err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	err = os.Link(tmp, path)
	if err != nil && !errors.Is(err, fs.ErrExist) {
		// No hard links (some FAT and network file systems): a rename
		// could replace a store another process made in the meantime.
		if _, statErr := os.Lstat(path); errors.Is(statErr, fs.ErrNotExist) {
			err = os.Rename(tmp, path)
		}
	}
	if err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("create %s: %v", path, err)
	}
	return syncDir(filepath.Dir(path))
}

// createTemp creates an empty file (mode 0600) beside path, named after
// it with tag, for a file that will be renamed to path.
func createTemp(path, tag string) (*os.File, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"."+tag+"-*")
	if err != nil {
		return nil, fmt.Errorf("create %s: %v", path, err)
	}
	return f, nil
}

// errReplaced means another file took the store's name while Open waited
// for the lock of the one it had opened.
var errReplaced = errors.New("the file was replaced while opening it; try again")

// sameFile reports whether f is still the file named path.
func sameFile(f *os.File, path string) bool {
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	pi, err := os.Stat(path)
	return err == nil && os.SameFile(fi, pi)
}

// openBolt opens the file with bbolt. bbolt panics on some damaged pages
// while it opens; the panic becomes a *CorruptError and bbolt's file is
// closed to release its lock (its memory map of the damaged file stays
// until the process exits).
func openBolt(path string, o Options) (_ *bolt.DB, _ *os.File, err error) {
	var file *os.File
	defer func(fault bool) {
		debug.SetPanicOnFault(fault)
		if r := recover(); r != nil {
			if !damagePanic(r, panicSite()) {
				panic(r)
			}
			if file != nil {
				_ = file.Close()
			}
			err = &CorruptError{Path: path, Reason: fmt.Sprintf("bbolt cannot open it: %v", r)}
		}
	}(debug.SetPanicOnFault(true))
	db, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout:  o.LockTimeout,
		ReadOnly: o.ReadOnly,
		MaxSize:  o.MaxSize,
		// Check needs the free pages; loading them costs little at open.
		PreLoadFreelist: o.ReadOnly,
		FreelistType:    freelistType,
		OpenFile: func(name string, flag int, perm fs.FileMode) (*os.File, error) {
			f, err := os.OpenFile(name, flag&^os.O_CREATE, perm) // create made it
			file = f
			return f, err
		},
	})
	switch {
	case err == nil && !sameFile(file, path):
		_ = db.Close() // read nothing
		return nil, nil, fmt.Errorf("open %s: %w", path, errReplaced)
	case err == nil:
		return db, file, nil
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, nil, fmt.Errorf("open %s: %w (is a newswatch daemon running?)", path, ErrLocked)
	case errors.Is(err, bolterrors.ErrInvalid), errors.Is(err, bolterrors.ErrChecksum), errors.Is(err, bolterrors.ErrVersionMismatch):
		return nil, nil, &CorruptError{Path: path, Reason: err.Error()}
	}
	return nil, nil, fmt.Errorf("open %s: %v", path, err)
}

// freelistType is how bbolt keeps the free pages in memory: a map from
// run length to runs, so that allocating the run of pages a large value
// (a capture) needs is a lookup, not a scan of the whole sorted list as
// with the default array. The file holds the same free list either way.
// The free list is still written at every commit (NoFreelistSync stays
// off): without it, every open after a crash or stop would walk the
// whole tree to find the free pages, reading the file and slowing the
// daemon's start with the archive's size.
const freelistType = bolt.FreelistMapType

// Close releases the file. Pending write transactions have committed when
// their method returned, so Close loses nothing.
func (s *Store) Close() error {
	if s.stuck.Load() {
		// bbolt's Close would wait for ever on the locks a panic left
		// held. Closing its file releases the file lock; the memory
		// map goes with the process.
		return s.file.Close()
	}
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close %s: %v", s.path, err)
	}
	return nil
}

// Path returns the file path the store was opened with.
func (s *Store) Path() string { return s.path }

// update runs fn in a write transaction and translates bbolt's errors; a
// damaged page gives a *CorruptError, never a panic (see catch). A
// transaction that fn itself refuses (a missing alert, a bad key) is the
// caller's error; one that fails to commit is a write failure, counted in
// WriteHealth.
func (s *Store) update(fn func(tx *bolt.Tx) error) (err error) {
	if ce := s.failed.Load(); ce != nil {
		return ce
	}
	defer s.catch(&err, debug.SetPanicOnFault(true))
	var fnErr error
	err = translate(s.db.Update(func(tx *bolt.Tx) error {
		fnErr = fn(tx)
		return fnErr
	}))
	if err == nil {
		s.releaseMap() // what the transaction read through the map (map_linux.go)
	}
	if err != nil && fnErr == nil && !errors.Is(err, ErrReadOnly) {
		s.health.writeFailed()
		if !errors.Is(err, ErrFull) {
			err = fmt.Errorf("%w: %v", ErrWrite, err)
		}
	}
	return err
}

// view runs fn in a read transaction and translates bbolt's errors; a
// damaged page gives a *CorruptError, never a panic (see catch).
func (s *Store) view(fn func(tx *bolt.Tx) error) (err error) {
	if s.stuck.Load() {
		return s.failed.Load()
	}
	defer s.catch(&err, debug.SetPanicOnFault(true))
	return translate(s.db.View(fn))
}

// damaged reports the file as damaged for reason.
func (s *Store) damaged(reason string) error {
	return &CorruptError{Path: s.path, Reason: reason}
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
		return nil, fmt.Errorf("bucket %s missing: %w", name, ErrCorrupt)
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

// getValue decodes the value stored under key in the bucket name, or
// returns ErrNotFound.
func getValue[T any](s *Store, name []byte, key string) (T, error) {
	var v T
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, name)
		if err != nil {
			return err
		}
		data := b.Get([]byte(key))
		if data == nil {
			return ErrNotFound
		}
		return decode(data, &v)
	})
	return v, err
}
