package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzOpen: whatever bytes a store file holds, diagnose and a read-only
// Open and Check return (an error or a report) and never panic, loop or
// fault. Seeds are a real store, its first pages, and files of other
// formats; mutations of the real store reach bbolt's page parsing.
func FuzzOpen(f *testing.F) {
	real, err := os.ReadFile(storeFile(f, 60))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(real)
	f.Add(real[:8192])
	f.Add(real[:len(real)/2])
	f.Add([]byte{})
	f.Add([]byte("SQLite format 3\x00"))
	f.Add([]byte("feeds:\n  - url: https://example.org/rss\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		reason := diagnose(bytes.NewReader(data), int64(len(data)))
		path := filepath.Join(t.TempDir(), "newswatch.db")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		rep, err := CheckFile(t.Context(), path)
		if reason != "" && !errors.Is(err, ErrCorrupt) {
			t.Errorf("CheckFile() = %v, but diagnose found %q", err, reason)
		}
		if err == nil && len(rep.Problems) > 0 {
			t.Errorf("CheckFile() = nil error with problems %q", rep.Problems)
		}
	})
}
