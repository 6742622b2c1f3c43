package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"iter"
	"math/bits"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// segment describes one segment of the index: how many live articles it
// held when written and the range of their doc numbers.
type segment struct {
	id          uint32
	docs        uint32
	first, last uint32
}

func (g segment) value() []byte {
	v := binary.BigEndian.AppendUint32(nil, g.docs)
	v = binary.BigEndian.AppendUint32(v, g.first)
	return binary.BigEndian.AppendUint32(v, g.last)
}

// level is the size class of a segment for the merge policy: 0 up to
// flushDocs·mergeFactor articles, then one more per factor.
func (g segment) level() int {
	l := 0
	for n := g.docs / flushDocs; n >= mergeFactor; n /= mergeFactor {
		l++
	}
	return l
}

// listSegments returns the segments, oldest first.
func (ix *index) listSegments() ([]segment, error) {
	var out []segment
	err := ix.segments.ForEach(func(k, v []byte) error {
		id, err := decodeDoc(k)
		if err != nil || len(v) != 12 {
			return fmt.Errorf("segment %x: %w", k, errBadKey)
		}
		be := binary.BigEndian
		out = append(out, segment{id: id, docs: be.Uint32(v), first: be.Uint32(v[4:]), last: be.Uint32(v[8:])})
		return nil
	})
	return out, err
}

// flush writes the recent records as a new segment and empties
// idx_recent.
func (ix *index) flush() error {
	g := segment{id: ix.nextSeg}
	c := ix.recent.Cursor()
	size := 0
	for k, v := c.First(); k != nil; k, v = c.Next() {
		size += len(v)
	}
	p := newPostingsBuilder(size)
	for k, v := c.First(); k != nil; k, v = c.Next() {
		d, err := decodeDoc(k)
		if err != nil {
			return err
		}
		if g.docs == 0 {
			g.first = d
		}
		g.docs, g.last = g.docs+1, d
		if err := p.addRecord(d, v); err != nil {
			return err
		}
	}
	b, err := ix.segmentBucket(g.id, true)
	if err != nil {
		return err
	}
	if err := p.write(b); err != nil {
		return err
	}
	if err := ix.putSegment(g); err != nil {
		return err
	}
	if err := ix.meta.Tx().DeleteBucket(bucketIdxRecent); err != nil {
		return err
	}
	recent, err := ix.meta.Tx().CreateBucket(bucketIdxRecent)
	if err != nil {
		return err
	}
	recent.FillPercent = ix.recent.FillPercent
	ix.recent, ix.nRecent = recent, 0
	return nil
}

// postingsBuilder inverts terms records, added in ascending doc order,
// into posting lists. It numbers the distinct terms and keeps one flat
// list of (term number, doc) pairs, sorted by term at the end: a map
// lookup per term of a record, and an allocation per distinct term
// only, instead of a string and a growing list per term of a record.
type postingsBuilder struct {
	ids   map[string]uint32 // term -> its number
	terms []string          // by number
	pairs []uint64          // term number << 32 | doc, in doc order
	buf   []byte
}

// newPostingsBuilder returns a builder sized for records of size bytes
// in all. On the pages of the 1,000 x 20 loopback site a term took 7.5
// bytes of a record (its prefix and rest lengths, and the letters after
// the prefix it shares with the one before), and one term in 35 was new
// to the segment (10,300 distinct in 1,024 articles).
func newPostingsBuilder(size int) *postingsBuilder {
	return &postingsBuilder{ids: make(map[string]uint32, size/256), pairs: make([]uint64, 0, size/6)}
}

// addRecord adds the terms of doc d, an encodeTerms value.
func (p *postingsBuilder) addRecord(d uint32, v []byte) error {
	var err error
	p.buf, err = decodeTerms(v, p.buf, func(t []byte) {
		id, ok := p.ids[string(t)]
		if !ok {
			id = uint32(len(p.terms))
			p.terms = append(p.terms, string(t))
			p.ids[p.terms[id]] = id
		}
		p.pairs = append(p.pairs, uint64(id)<<32|uint64(d))
	})
	return err
}

// write puts each term's posting list into b, in term order (bbolt
// fills pages best when keys come in order).
func (p *postingsBuilder) write(b *bolt.Bucket) error {
	// Count the docs of each term, then place the pairs' docs term by
	// term: a stable counting sort, so each list stays in doc order.
	start := make([]int, len(p.terms)+1)
	for _, pr := range p.pairs {
		start[pr>>32+1]++
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	docs := make([]uint32, len(p.pairs))
	next := slices.Clone(start[:len(p.terms)])
	for _, pr := range p.pairs {
		docs[next[pr>>32]] = uint32(pr)
		next[pr>>32]++
	}
	order := make([]uint32, len(p.terms))
	for i := range order {
		order[i] = uint32(i)
	}
	slices.SortFunc(order, func(a, b uint32) int { return strings.Compare(p.terms[a], p.terms[b]) })
	for _, id := range order {
		if err := b.Put([]byte(p.terms[id]), appendPostings(nil, docs[start[id]:start[id+1]])); err != nil {
			return err
		}
	}
	return nil
}

// segmentBucket returns the bucket of segment id's posting lists,
// creating it if create is set.
func (ix *index) segmentBucket(id uint32, create bool) (*bolt.Bucket, error) {
	if create {
		b, err := ix.postings.CreateBucket(segKey(id))
		if err != nil {
			return nil, fmt.Errorf("segment %d: %v", id, err)
		}
		b.FillPercent = 0.95 // written in key order, never changed
		return b, nil
	}
	b := ix.postings.Bucket(segKey(id))
	if b == nil {
		return nil, fmt.Errorf("segment %d without postings: %w", id, ErrCorrupt)
	}
	return b, nil
}

// putSegment records a new segment (with no docs, nothing) and takes its id.
func (ix *index) putSegment(g segment) error {
	ix.nextSeg = max(ix.nextSeg, g.id+1)
	ix.changed = true
	if g.docs == 0 {
		return nil
	}
	return ix.segments.Put(segKey(g.id), g.value())
}

// mergeSegments merges mergeFactor segments of the lowest level that has
// as many, until no level has.
func (ix *index) mergeSegments() error {
	for {
		segs, err := ix.listSegments()
		if err != nil {
			return err
		}
		byLevel := map[int][]segment{}
		low := -1
		for _, g := range segs {
			l := g.level()
			byLevel[l] = append(byLevel[l], g)
			if len(byLevel[l]) == int(mergeFactor) && (low < 0 || l < low) {
				low = l
			}
		}
		if low < 0 {
			return nil
		}
		if err := ix.merge(byLevel[low][:mergeFactor]); err != nil {
			return err
		}
		releaseTxMap(ix.meta.Tx()) // see flushIfFull
	}
}

// compact rewrites each segment of which less than half the articles are
// still stored, dropping the postings of the others.
func (ix *index) compact() error {
	segs, err := ix.listSegments()
	if err != nil {
		return err
	}
	for _, g := range segs {
		live, err := ix.liveDocs(g.first, g.last)
		if err != nil {
			return err
		}
		if live.count()*2 < int(g.docs) {
			if err := ix.merge([]segment{g}); err != nil {
				return err
			}
		}
	}
	return nil
}

// liveDocs returns the set of doc numbers in [first, last] that are
// still stored.
func (ix *index) liveDocs(first, last uint32) (*bitset, error) {
	live := newBitset(int(last) + 1)
	c := ix.docs.Cursor()
	for k, _ := c.Seek(docKey(first)); k != nil; k, _ = c.Next() {
		d, err := decodeDoc(k)
		if err != nil {
			return nil, err
		}
		if d > last {
			break
		}
		live.set(d)
	}
	return live, nil
}

// mergeBatch bounds the terms a merge holds in memory between writes.
const mergeBatch = 4096

// merge writes the postings of segs, less those of deleted articles, as
// one new segment, and deletes segs. It holds a batch of terms at a time.
func (ix *index) merge(segs []segment) error {
	out := segment{id: ix.nextSeg, first: segs[0].first, last: segs[0].last}
	for _, g := range segs {
		out.first, out.last = min(out.first, g.first), max(out.last, g.last)
	}
	live, err := ix.liveDocs(out.first, out.last)
	if err != nil {
		return err
	}
	out.docs = uint32(live.count())
	m := &segMerge{live: live}
	for _, g := range segs {
		b, err := ix.segmentBucket(g.id, false)
		if err != nil {
			return err
		}
		m.inputs = append(m.inputs, b)
	}
	b, err := ix.segmentBucket(out.id, true)
	if err != nil {
		return err
	}
	for {
		terms, lists, err := m.next()
		if err != nil {
			return err
		}
		for i, t := range terms {
			if err := b.Put(t, lists[i]); err != nil {
				return err
			}
		}
		if len(terms) < mergeBatch {
			break
		}
	}
	for _, g := range segs {
		if err := ix.dropSegment(g.id); err != nil {
			return err
		}
	}
	return ix.putSegment(out)
}

// segMerge reads the postings of several segments in term order.
type segMerge struct {
	inputs []*bolt.Bucket
	live   *bitset
	last   []byte // the last term returned; nil before the first batch
	docs   []uint32
}

// next returns the next batch of up to mergeBatch terms with their
// merged posting lists (terms left without a live article are skipped).
func (m *segMerge) next() ([][]byte, [][]byte, error) {
	type head struct {
		c    *bolt.Cursor
		k, v []byte
	}
	heads := make([]*head, 0, len(m.inputs))
	for _, b := range m.inputs {
		h := &head{c: b.Cursor()}
		if m.last == nil {
			h.k, h.v = h.c.First()
		} else if h.k, h.v = h.c.Seek(m.last); h.k != nil && bytes.Equal(h.k, m.last) {
			h.k, h.v = h.c.Next()
		}
		heads = append(heads, h)
	}
	var terms, lists [][]byte
	for len(terms) < mergeBatch {
		var low []byte
		for _, h := range heads {
			if h.k != nil && (low == nil || bytes.Compare(h.k, low) < 0) {
				low = h.k
			}
		}
		if low == nil {
			break
		}
		term := bytes.Clone(low)
		m.docs = m.docs[:0]
		for _, h := range heads {
			if h.k == nil || !bytes.Equal(h.k, term) {
				continue
			}
			err := decodePostings(h.v, func(d uint32) {
				if m.live.has(d) {
					m.docs = append(m.docs, d)
				}
			})
			if err != nil {
				return nil, nil, err
			}
			h.k, h.v = h.c.Next()
		}
		m.last = term
		if len(m.docs) == 0 {
			continue
		}
		if !slices.IsSorted(m.docs) {
			slices.Sort(m.docs)
		}
		terms = append(terms, term)
		lists = append(lists, appendPostings(nil, m.docs))
	}
	return terms, lists, nil
}

// dropSegment deletes a segment's postings and record. Deleting its
// bucket frees its pages at once; deleting its keys one by one would make
// bbolt rebalance the tree at commit, which takes minutes past a few
// hundred thousand keys.
func (ix *index) dropSegment(id uint32) error {
	if err := ix.postings.DeleteBucket(segKey(id)); err != nil {
		return fmt.Errorf("segment %d: %v", id, err)
	}
	ix.changed = true
	return ix.segments.Delete(segKey(id))
}

// bitset is a set of doc numbers.
type bitset struct{ w []uint64 }

func newBitset(n int) *bitset       { return &bitset{w: make([]uint64, (n+63)/64)} }
func (b *bitset) set(d uint32)      { b.w[d/64] |= 1 << (d % 64) }
func (b *bitset) has(d uint32) bool { return int(d/64) < len(b.w) && b.w[d/64]&(1<<(d%64)) != 0 }
func (b *bitset) count() (n int) {
	for _, w := range b.w {
		n += bits.OnesCount64(w)
	}
	return n
}

func (b *bitset) and(o *bitset) {
	for i := range b.w {
		if i < len(o.w) {
			b.w[i] &= o.w[i]
		} else {
			b.w[i] = 0
		}
	}
}

func (b *bitset) or(o *bitset) {
	for i := range min(len(b.w), len(o.w)) {
		b.w[i] |= o.w[i]
	}
}

// fill adds the doc numbers below n.
func (b *bitset) fill(n int) {
	for i := range b.w {
		b.w[i] = ^uint64(0)
	}
	if r := n % 64; r != 0 {
		b.w[len(b.w)-1] = 1<<r - 1
	}
}

func (b *bitset) empty() bool {
	for _, w := range b.w {
		if w != 0 {
			return false
		}
	}
	return true
}

// all yields the doc numbers of b in ascending order.
func (b *bitset) all() iter.Seq[uint32] {
	return func(yield func(uint32) bool) {
		for i, w := range b.w {
			for w != 0 {
				t := bits.TrailingZeros64(w)
				if !yield(uint32(i*64 + t)) {
					return
				}
				w &= w - 1
			}
		}
	}
}
