package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	bolt "go.etcd.io/bbolt"
)

// bbolt's B+tree pages (see metapage.go for the header): a branch page
// holds elements {pos u32, ksize u32, child pgid u64}, a leaf page
// {flags u32, pos u32, ksize u32, vsize u32}; pos counts from the element.
// A leaf element with bucketLeafFlag is a bucket: its value starts with
// {root pgid u64, sequence u64}, and a root of 0 means the bucket's leaf
// page follows inline.
const (
	elementLen     = 16
	bucketLeafFlag = 0x01
	bucketHeadLen  = 16
	maxTreeDepth   = 100 // far beyond any real file; bounds the recursion
)

// treeWalk reads a bbolt file's B+tree page by page with ReadAt and checks
// what bbolt's cursors take on trust: page ids and types, elements inside
// their page, child pages inside the file and reached once. On a damaged
// file bbolt can panic, fault, or (on a page that points back to its
// parent) loop for ever or overflow its stack; after this walk it can
// do none of these. It counts the keys of every root bucket.
type treeWalk struct {
	ctx   context.Context
	r     io.ReaderAt
	ps    int64
	hwm   uint64
	seen  []uint64 // bit set of the pages reached
	pages int
}

// walkTree walks the tree of the read transaction tx in the store's file.
// The pages it reaches stay as they are while tx is open (bbolt writes
// new pages only to free ones), so it can run while the daemon writes.
func (s *Store) walkTree(ctx context.Context, tx *bolt.Tx) (map[string]int, error) {
	f, err := os.Open(s.path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // read only
	ps := int64(s.db.Info().PageSize)
	w := &treeWalk{ctx: ctx, r: f, ps: ps, hwm: uint64(tx.Size() / ps)}
	w.seen = make([]uint64, w.hwm/64+1)
	return w.buckets(uint64(tx.Cursor().Bucket().RootPage()))
}

// buckets walks the root bucket, whose keys are buckets, and counts the
// keys of each.
func (w *treeWalk) buckets(root uint64) (map[string]int, error) {
	counts := make(map[string]int)
	err := w.tree(root, 0, func(k, v []byte, flags uint32) error {
		if flags&bucketLeafFlag == 0 {
			return fmt.Errorf("the root bucket holds a plain key %q", k)
		}
		n, err := w.bucket(v, 1)
		counts[string(k)] = n
		return err
	})
	return counts, err
}

// bucket walks the bucket whose header and inline page are v and counts
// its keys.
func (w *treeWalk) bucket(v []byte, depth int) (int, error) {
	if len(v) < bucketHeadLen {
		return 0, fmt.Errorf("a bucket header of %d bytes", len(v))
	}
	n := 0
	visit := func(_, v []byte, flags uint32) error {
		n++
		if flags&bucketLeafFlag != 0 {
			_, err := w.bucket(v, depth+1)
			return err
		}
		return nil
	}
	if root := binary.NativeEndian.Uint64(v); root != 0 {
		return n, w.tree(root, depth, visit)
	}
	return n, w.leaf(v[bucketHeadLen:], "an inline bucket", visit)
}

// visitor sees each key and value of a leaf page with its element flags.
type visitor func(k, v []byte, flags uint32) error

// tree walks the subtree whose root is page id.
func (w *treeWalk) tree(id uint64, depth int, visit visitor) error {
	if depth > maxTreeDepth {
		return fmt.Errorf("page %d: the tree is more than %d levels deep", id, maxTreeDepth)
	}
	p, err := w.page(id)
	if err != nil {
		return err
	}
	ne := binary.NativeEndian
	if ne.Uint16(p[8:]) == leafPageFlag {
		return w.leaf(p, fmt.Sprintf("page %d", id), visit)
	}
	count := int(ne.Uint16(p[10:]))
	if count == 0 {
		return fmt.Errorf("page %d: a branch page without elements", id)
	}
	for i := range count {
		e := pageHeaderLen + i*elementLen
		if e+elementLen > len(p) || uint64(e)+uint64(ne.Uint32(p[e:]))+uint64(ne.Uint32(p[e+4:])) > uint64(len(p)) {
			return fmt.Errorf("page %d: element %d runs past the page", id, i)
		}
		if err := w.tree(ne.Uint64(p[e+8:]), depth+1, visit); err != nil {
			return err
		}
	}
	return nil
}

// leaf checks the leaf page p (where names it) and visits its elements.
func (w *treeWalk) leaf(p []byte, where string, visit visitor) error {
	ne := binary.NativeEndian
	if len(p) < pageHeaderLen || ne.Uint16(p[8:]) != leafPageFlag {
		return fmt.Errorf("%s: not a leaf page", where)
	}
	for i := range int(ne.Uint16(p[10:])) {
		e := pageHeaderLen + i*elementLen
		if e+elementLen > len(p) {
			return fmt.Errorf("%s: element %d runs past the page", where, i)
		}
		start := uint64(e) + uint64(ne.Uint32(p[e+4:]))
		kend := start + uint64(ne.Uint32(p[e+8:]))
		end := kend + uint64(ne.Uint32(p[e+12:]))
		if end > uint64(len(p)) {
			return fmt.Errorf("%s: element %d runs past the page", where, i)
		}
		if err := visit(p[start:kend], p[kend:end], ne.Uint32(p[e:])); err != nil {
			return err
		}
	}
	return nil
}

// page reads page id with its overflow pages, after checking that it is
// a branch or leaf page inside the file, reached for the first time.
func (w *treeWalk) page(id uint64) ([]byte, error) {
	if w.pages++; w.pages%1024 == 0 && w.ctx.Err() != nil {
		return nil, w.ctx.Err()
	}
	if id < 2 || id >= w.hwm {
		return nil, fmt.Errorf("a page points to page %d, outside the file's %d pages", id, w.hwm)
	}
	h, err := w.read(id, w.ps)
	if err != nil {
		return nil, err
	}
	ne := binary.NativeEndian
	if got := ne.Uint64(h); got != id {
		return nil, fmt.Errorf("page %d: it holds page %d", id, got)
	}
	if f := ne.Uint16(h[8:]); f != branchPageFlag && f != leafPageFlag {
		return nil, fmt.Errorf("page %d: not a branch or leaf page (flags %#x)", id, f)
	}
	last := id + uint64(ne.Uint32(h[12:]))
	if last >= w.hwm {
		return nil, fmt.Errorf("page %d: its overflow runs past the file's %d pages", id, w.hwm)
	}
	for i := id; i <= last; i++ {
		if w.seen[i/64]&(1<<(i%64)) != 0 {
			return nil, fmt.Errorf("page %d: reached twice", i)
		}
		w.seen[i/64] |= 1 << (i % 64)
	}
	if last == id {
		return h, nil
	}
	return w.read(id, int64(last-id+1)*w.ps)
}

// read reads n bytes from the start of page id.
func (w *treeWalk) read(id uint64, n int64) ([]byte, error) {
	b := make([]byte, n)
	_, err := w.r.ReadAt(b, int64(id)*w.ps)
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("page %d lies past the end of the file (truncated)", id)
	}
	if err != nil {
		return nil, fmt.Errorf("page %d: %v", id, err)
	}
	return b, nil
}
