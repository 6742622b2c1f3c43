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
		// The map covers at least the transaction's pages (tx.Size).
		data := s.db.Info().Data
		_, _, errno := syscall.Syscall(syscall.SYS_MADVISE, data, uintptr(tx.Size()), syscall.MADV_DONTNEED)
		if errno != 0 {
			return errno // nothing to do: the pages just stay mapped
		}
		return nil
	})
}
