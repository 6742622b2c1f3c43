//go:build linux

package store

import (
	"syscall"

	bolt "go.etcd.io/bbolt"
)

// releaseMap drops the pages of the file's memory map from the process's
// resident set; the kernel keeps them in its page cache, and a later read
// maps them again. bbolt reads every page through the map, and a page once
// read stays mapped until bbolt remaps the file: the leaves of buckets
// written in scattered key order (articles, story members, the story
// window) are all read back as they are rewritten, so over the 1,000 x 20
// poll 163 MB of the 250 MB file stayed mapped, and over months the whole
// archive would. The map is read-only and shared (bbolt writes with
// pwrite), so dropping its pages loses nothing.
//
// It runs inside a read transaction, which keeps bbolt from remapping the
// file meanwhile: the range is the current map's, never memory reused
// after an unmap.
func (s *Store) releaseMap() {
	if s.stuck.Load() {
		return
	}
	_ = s.view(func(tx *bolt.Tx) error {
		releaseTxMap(tx)
		return nil
	})
}

// releaseTxMap is releaseMap inside the transaction tx: a read
// transaction holds bbolt's map lock, and a write transaction is the only
// one that can remap, which it does only as it commits. Values read
// through the map stay valid: their pages are mapped again when read.
func releaseTxMap(tx *bolt.Tx) {
	// The map covers at least the transaction's pages (tx.Size); the
	// only error would leave the pages mapped.
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, tx.DB().Info().Data, uintptr(tx.Size()), syscall.MADV_DONTNEED)
}
