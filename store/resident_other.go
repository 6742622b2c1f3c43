//go:build !linux

package store

import bolt "go.etcd.io/bbolt"

// releaseMap does nothing here: MADV_DONTNEED's meaning for shared file
// mappings is Linux's (see resident_linux.go).
func (s *Store) releaseMap(*bolt.Tx) {}
