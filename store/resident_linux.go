package store

import (
	"syscall"

	bolt "go.etcd.io/bbolt"
)

// releaseEvery is how many write transactions pass between two releases
// of the memory map's resident pages.
const releaseEvery = 4

// releaseMap drops the pages of bbolt's memory map from the process's
// resident set (madvise MADV_DONTNEED) every releaseEvery write
// transactions. bbolt reads the file through a read-only shared mapping
// and writes it with pwrite; every page a transaction reads (the leaves
// it inserts into, those of the values it rewrites, their neighbours the
// kernel maps along) stays mapped, so the mapping's resident size grew
// with the file: 190-220 MB of the 1,000 x 20 poll's 440-477 MB peak
// RSS. Those pages are clean page cache, but they count as the
// process's memory (RSS, what top and the OOM killer see) and the kernel
// reclaims mapped pages last. Dropping them costs nothing but minor
// faults on the next reads, which find the pages still in the page
// cache; for a shared file mapping the data never changes (the kernel's
// madvise(2): later accesses read the up-to-date file contents).
//
// It must run inside a write transaction before anything is allocated:
// only a writer remaps the file (when it grows), so the mapping bbolt
// reports stays in place while it runs. Readers running meanwhile only
// fault their pages in again.
func (s *Store) releaseMap(tx *bolt.Tx) {
	s.writes++
	if s.writes%releaseEvery != 0 {
		return
	}
	// Best effort: an error (none is expected) only leaves the pages.
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, s.db.Info().Data, uintptr(tx.Size()), syscall.MADV_DONTNEED)
}
