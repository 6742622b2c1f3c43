package store

import (
	"bytes"
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

// treeWalk checks a bbolt file as bbolt's Tx.Check does, reading pages
// with ReadAt rather than through bbolt: page ids and types, elements
// inside their page, keys in order, child pages inside the file and
// reached once, and every page either in use or on the free list, never
// both. On a damaged tree bbolt's cursors and check can panic, fault,
// loop or overflow the stack; after this walk they can do none of these.
// And bbolt's check compares the tree with the database's current free
// list, which a writer changes meanwhile (a data race, and false
// problems), while this walk uses the free list of its own transaction.
type treeWalk struct {
	ctx   context.Context
	r     io.ReaderAt
	ps    int64
	hwm   uint64
	seen  []uint64 // bit set of the pages in use
	pages int
}

// walkTree walks the file as of the read transaction tx: the pages it
// reaches stay as they are while tx is open (bbolt writes only to pages
// no open transaction can see), so it can run while the daemon writes.
// It returns the keys counted per root bucket and the problems found; a
// damaged tree stops the walk: no counts, and it is the only problem.
func (s *Store) walkTree(ctx context.Context, tx *bolt.Tx) (map[string]int, []error, error) {
	m, err := txMeta(tx)
	if err != nil {
		return nil, nil, err
	}
	f, err := os.Open(s.path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close() // read only
	w := &treeWalk{ctx: ctx, r: f, ps: int64(m.pageSize), hwm: m.hwm, seen: make([]uint64, m.hwm/64+1)}
	counts, err := w.buckets(m.root)
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		return nil, []error{err}, nil
	}
	return counts, w.free(m), nil
}

// txMeta returns the meta record of tx: bbolt keeps it to itself, but its
// copy of the database starts with it.
func txMeta(tx *bolt.Tx) (boltMeta, error) {
	var first firstPage
	_, _ = tx.WriteTo(&first) // stopped after the first page
	if first.page == nil {
		return boltMeta{}, errors.New("copy of the meta page failed")
	}
	return parseMeta(first.page)
}

// firstPage keeps the first write and fails, to stop a copy there.
type firstPage struct{ page []byte }

func (f *firstPage) Write(p []byte) (int, error) {
	f.page = bytes.Clone(p)
	return 0, io.ErrShortWrite
}

// buckets walks the root bucket, whose keys are buckets, and counts the
// keys of each.
func (w *treeWalk) buckets(root uint64) (map[string]int, error) {
	counts := make(map[string]int)
	err := w.tree(root, 0, nil, nil, func(k, v []byte, flags uint32) error {
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
		return n, w.tree(root, depth, nil, nil, visit)
	}
	return n, w.leaf(v[bucketHeadLen:], "an inline bucket", nil, nil, visit)
}

// visitor sees each key and value of a leaf page with its element flags.
type visitor func(k, v []byte, flags uint32) error

// tree walks the subtree whose root is page id, whose keys must lie in
// [lo, hi) (nil: no bound).
func (w *treeWalk) tree(id uint64, depth int, lo, hi []byte, visit visitor) error {
	if depth > maxTreeDepth {
		return fmt.Errorf("page %d: the tree is more than %d levels deep", id, maxTreeDepth)
	}
	p, err := w.page(id)
	if err != nil {
		return err
	}
	where := fmt.Sprintf("page %d", id)
	ne := binary.NativeEndian
	if ne.Uint16(p[8:]) == leafPageFlag {
		return w.leaf(p, where, lo, hi, visit)
	}
	count := int(ne.Uint16(p[10:]))
	if count == 0 {
		return fmt.Errorf("%s: a branch page without elements", where)
	}
	keys := make([][]byte, count)
	for i := range keys {
		e := pageHeaderLen + i*elementLen
		if keys[i] = element(p, e, ne.Uint32(p[e:]), uint64(ne.Uint32(p[e+4:]))); keys[i] == nil {
			return fmt.Errorf("%s: element %d runs past the page", where, i)
		}
	}
	prev := lo
	for i, k := range keys {
		if err := inOrder(i, k, prev, hi); err != nil {
			return fmt.Errorf("%s: %v", where, err)
		}
		next := hi
		if i+1 < count {
			next = keys[i+1]
		}
		e := pageHeaderLen + i*elementLen
		if err := w.tree(ne.Uint64(p[e+8:]), depth+1, k, next, visit); err != nil {
			return err
		}
		prev = k
	}
	return nil
}

// leaf checks the leaf page p (where names it), whose keys must lie in
// [lo, hi), and visits its elements.
func (w *treeWalk) leaf(p []byte, where string, lo, hi []byte, visit visitor) error {
	ne := binary.NativeEndian
	if len(p) < pageHeaderLen || ne.Uint16(p[8:]) != leafPageFlag {
		return fmt.Errorf("%s: not a leaf page", where)
	}
	prev := lo
	for i := range int(ne.Uint16(p[10:])) {
		e := pageHeaderLen + i*elementLen
		if e+elementLen > len(p) {
			return fmt.Errorf("%s: element %d runs past the page", where, i)
		}
		ksize, vsize := uint64(ne.Uint32(p[e+8:])), uint64(ne.Uint32(p[e+12:]))
		kv := element(p, e, ne.Uint32(p[e+4:]), ksize+vsize)
		if kv == nil {
			return fmt.Errorf("%s: element %d runs past the page", where, i)
		}
		k, v := kv[:ksize], kv[ksize:]
		if err := inOrder(i, k, prev, hi); err != nil {
			return fmt.Errorf("%s: %v", where, err)
		}
		if err := visit(k, v, ne.Uint32(p[e:])); err != nil {
			return err
		}
		prev = k
	}
	return nil
}

// element returns the n bytes at pos from element offset e of page p, or
// nil if they run past the page.
func element(p []byte, e int, pos uint32, n uint64) []byte {
	start := uint64(e) + uint64(pos)
	if e+elementLen > len(p) || start+n > uint64(len(p)) {
		return nil
	}
	return p[start : start+n]
}

// inOrder checks key i of a page against the previous key (for the first
// key, the lower bound) and the upper bound, as bbolt orders them.
func inOrder(i int, key, prev, hi []byte) error {
	switch {
	case i == 0 && prev != nil && bytes.Compare(key, prev) < 0,
		i > 0 && bytes.Compare(key, prev) <= 0,
		hi != nil && bytes.Compare(key, hi) >= 0:
		return fmt.Errorf("key %d (%x) is out of order", i, key)
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
		if !w.use(i) {
			return nil, fmt.Errorf("page %d: reached twice", i)
		}
	}
	if last == id {
		return h, nil
	}
	return w.read(id, int64(last-id+1)*w.ps)
}

// use marks page id in use and reports whether it was not yet.
func (w *treeWalk) use(id uint64) bool {
	bit := uint64(1) << (id % 64)
	if w.seen[id/64]&bit != 0 {
		return false
	}
	w.seen[id/64] |= bit
	return true
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

// free checks the walked tree against the free list of meta m: every
// page below the high-water mark is in use (the meta pages, the free
// list's own pages, the tree) or listed free, never both and never
// neither.
func (w *treeWalk) free(m boltMeta) []error {
	w.use(0)
	w.use(1)
	if m.freelist == noFreelist {
		return nil
	}
	ids, overflow, err := readFreelist(w.r, m)
	if err != nil {
		return []error{fmt.Errorf("the free list is damaged: %v", err)}
	}
	var inUse, both, neither []uint64
	for i := m.freelist; i <= m.freelist+overflow; i++ {
		if !w.use(i) {
			inUse = append(inUse, i)
		}
	}
	for _, id := range ids {
		if !w.use(id) {
			both = append(both, id)
		}
	}
	for i := uint64(2); i < m.hwm; i++ {
		if w.use(i) {
			neither = append(neither, i)
		}
	}
	var problems []error
	for _, c := range []struct {
		pages []uint64
		what  string
	}{
		{inUse, "in the tree and holding the free list"},
		{both, "in use and listed free"},
		{neither, "neither in use nor free (space lost, no data)"},
	} {
		if len(c.pages) > 0 {
			problems = append(problems, fmt.Errorf("%s %s, the first: page %d", plural(len(c.pages), "page"), c.what, c.pages[0]))
		}
	}
	return problems
}
