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
// A read maps more than the page it reads: the kernel maps the pages
// around a fault that are in its page cache as well (fault-around, 64 KB
// by default; bbolt's MADV_RANDOM does not stop it on Linux 6.18), so a
// poll's commit, with a few random lookups in a dozen buckets per
// article, leaves 6.4 MB of the map resident at the median in
// BenchmarkSavePollSite (20 articles with their captures), seven pages
// per fault. Keeping the map across commits, up to a bound, was measured
// in the 1,000 x 20 poll and not kept: 32 MB saved 46k of 294k minor
// faults (about 0.4 CPU-s) for 6 to 12 MB more peak RSS; never releasing,
// 116k faults (about 1.2 CPU-s, the release included) for 64 MB more.
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
