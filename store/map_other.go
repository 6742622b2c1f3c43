//go:build !linux

package store

// releaseMap does nothing here: see map_linux.go.
func (s *Store) releaseMap() {}
