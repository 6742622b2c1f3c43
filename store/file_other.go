//go:build !unix

package store

import "os"

// held cannot tell without flock, so it lets bbolt's own lock decide.
func held(*os.File) bool { return true }

// tryLock does nothing where flock is missing: there an open file cannot
// be renamed over, which keeps a running daemon's file in place.
func tryLock(*os.File) error { return nil }

// syncDir does nothing where directories cannot be synced.
func syncDir(string) error { return nil }
