//go:build unix

package store

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// held reports whether a process holds bbolt's write lock on f's file: a
// running daemon.
func held(f *os.File) bool {
	fd := int(f.Fd())
	if err := syscall.Flock(fd, syscall.LOCK_SH|syscall.LOCK_NB); err != nil {
		return errors.Is(err, syscall.EWOULDBLOCK)
	}
	_ = syscall.Flock(fd, syscall.LOCK_UN) // closing the file would release it too
	return false
}

// tryLock takes, without waiting, the exclusive lock a bbolt writer takes
// on f's file; a file held by a process gives an error wrapping ErrLocked.
func tryLock(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return fmt.Errorf("%w (is a newswatch daemon running?)", ErrLocked)
	}
	if err != nil {
		return fmt.Errorf("lock %s: %v", f.Name(), err)
	}
	return nil
}

// syncDir makes the entries of directory dir (a rename, a link) durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync %s: %v", dir, err)
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("sync %s: %v", dir, err)
	}
	return nil
}
