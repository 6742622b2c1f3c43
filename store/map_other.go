//go:build !linux

package store

import bolt "go.etcd.io/bbolt"

// releaseMap does nothing here: see map_linux.go.
func (s *Store) releaseMap() {}

// releaseTxMap does nothing here: see map_linux.go.
func releaseTxMap(*bolt.Tx) {}
