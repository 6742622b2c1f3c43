package store

import (
	"encoding/binary"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
)

// editFreelist rewrites the free list of the store at path with edit.
func editFreelist(t *testing.T, path string, edit func(ids []uint64, used []uint64) []uint64) {
	t.Helper()
	m := layout(t, path)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ids, _, err := readFreelist(f, m)
	if err != nil || len(ids) == 0 || len(ids) >= 0xFFFF {
		t.Fatalf("free list of %s = %d pages, %v; want a short, non-empty one", path, len(ids), err)
	}
	ids = edit(ids, dataPages(t, path))
	page := make([]byte, pageHeaderLen+8*len(ids))
	binary.NativeEndian.PutUint64(page, m.freelist)
	binary.NativeEndian.PutUint16(page[8:], freelistPageFlag)
	binary.NativeEndian.PutUint16(page[10:], uint16(len(ids)))
	for i, id := range ids {
		binary.NativeEndian.PutUint64(page[pageHeaderLen+8*i:], id)
	}
	if _, err := f.WriteAt(page, int64(m.freelist)*int64(m.pageSize)); err != nil {
		t.Fatal(err)
	}
}

// TestCheckFreePages: Check finds the free list disagreeing with the tree
// (as bbolt's check does, but from its own transaction's free list), in
// the daemon's store and in a file no process holds.
func TestCheckFreePages(t *testing.T) {
	t.Parallel()
	base := storeFile(t, 300)
	tests := []struct {
		name string
		edit func(ids, used []uint64) []uint64
		want string
	}{
		{"a page in use listed free", func(ids, used []uint64) []uint64 { return append(ids, used[len(used)/2]) }, "1 page in use and listed free"},
		{"a free page lost", func(ids, _ []uint64) []uint64 { return ids[1:] }, "1 page neither in use nor free"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := copyStore(t, base)
			editFreelist(t, path, tc.edit)
			checks := map[string]func() (CheckReport, error){
				"CheckFile": func() (CheckReport, error) { return CheckFile(t.Context(), path) },
				"Check": func() (CheckReport, error) {
					s, err := Open(path, Options{})
					if err != nil {
						return CheckReport{}, err
					}
					defer s.Close()
					return s.Check(t.Context())
				},
			}
			for name, check := range checks {
				rep, err := check()
				if !errors.Is(err, ErrCorrupt) || !slices.ContainsFunc(rep.Problems, func(p string) bool { return strings.Contains(p, tc.want) }) {
					t.Errorf("%s() = %q, %v; want ErrCorrupt and a problem saying %q", name, rep.Problems, err, tc.want)
				}
				if rep.Articles != 300 {
					t.Errorf("%s() counted %d articles, want 300", name, rep.Articles)
				}
			}
		})
	}
}
