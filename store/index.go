package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/search"
)

// The search index is an inverted index of search.Terms, kept in the
// store and changed in the transactions that change the articles.
//
// Each indexed article has a doc number, given in the order articles are
// indexed and never reused (idx_docs, idx_ids). SavePoll writes a new
// article's terms as one record in idx_recent: an append, which dirties
// one page however large the index. When flushDocs records have piled
// up, the transaction that adds the last one turns them into a segment:
// for each term, the ascending doc numbers of the records holding it, as
// a uvarint and gaps (in a bucket of its own in idx_postings, written in
// key order, dropped whole when merged). Segments are merged mergeFactor at a
// time once that many are of a size (a log-structured merge), so an
// article's postings are rewritten a few times in all, not once per poll.
//
// Deleting an article (Prune) deletes its doc number; its postings stay
// until the next merge of their segment drops them, and searches skip
// them meanwhile. A segment mostly made of deleted articles is rewritten
// alone (compactIndex).
//
// A search (index_search.go) evaluates its plan over every segment's
// postings and over the recent records, reads the by_time keys of the
// candidates from idx_docs, and checks them newest first with the
// query's matcher.

// Keys of bucketIdxMeta.
var (
	idxVersionKey  = []byte("version")  // search.Version of the terms indexed
	idxNextDocKey  = []byte("next_doc") // the next doc number, 4 bytes
	idxNextSegKey  = []byte("next_seg") // the next segment id, 4 bytes
	idxRecentKey   = []byte("recent")   // how many records idx_recent holds, 4 bytes
	idxBackfillKey = []byte("backfill") // while articles stored before the index are added: 'b' ‖ the by_time key to resume after
)

// Tuning of the index: records per segment when flushed, and segments
// merged at once. Tests lower flushDocs to reach merges with few articles.
var (
	flushDocs   uint32 = 1024
	mergeFactor uint32 = 4
)

// index is the search index's buckets in one transaction, with its
// counters; save writes the counters back.
type index struct {
	meta, docs, ids, recent, postings, segments *bolt.Bucket
	nextDoc, nextSeg, nRecent                   uint32
	changed                                     bool
}

// openIndex opens the index buckets of tx.
func openIndex(tx *bolt.Tx) (*index, error) {
	bs, err := buckets(tx, indexBuckets...)
	if err != nil {
		return nil, err
	}
	ix := &index{meta: bs[0], docs: bs[1], ids: bs[2], recent: bs[3], postings: bs[4], segments: bs[5]}
	for _, c := range []struct {
		key []byte
		dst *uint32
	}{{idxNextDocKey, &ix.nextDoc}, {idxNextSegKey, &ix.nextSeg}, {idxRecentKey, &ix.nRecent}} {
		if v := ix.meta.Get(c.key); v != nil {
			if *c.dst, err = decodeDoc(v); err != nil {
				return nil, fmt.Errorf("index %s: %w", c.key, err)
			}
		}
	}
	// Doc numbers, records and new segments are appended in key order:
	// full pages waste no space.
	ix.docs.FillPercent, ix.recent.FillPercent = 0.95, 0.95
	return ix, nil
}

// save writes the counters back if they changed.
func (ix *index) save() error {
	if !ix.changed {
		return nil
	}
	for key, v := range map[string]uint32{string(idxNextDocKey): ix.nextDoc, string(idxNextSegKey): ix.nextSeg, string(idxRecentKey): ix.nRecent} {
		if err := ix.meta.Put([]byte(key), docKey(v)); err != nil {
			return err
		}
	}
	return nil
}

// createIndex is migration 3 -> 4: the index buckets, empty, and the
// articles already stored queued for indexing (BuildIndex).
func createIndex(tx *bolt.Tx) error {
	if err := createBuckets(tx); err != nil {
		return err
	}
	return resetIndex(tx)
}

// resetIndex empties the index, records the terms' version and, when
// articles are stored, queues them all for BuildIndex.
func resetIndex(tx *bolt.Tx) error {
	for _, name := range indexBuckets {
		if tx.Bucket(name) != nil {
			if err := tx.DeleteBucket(name); err != nil {
				return fmt.Errorf("empty bucket %s: %v", name, err)
			}
		}
		if _, err := tx.CreateBucket(name); err != nil {
			return fmt.Errorf("create bucket %s: %v", name, err)
		}
	}
	meta := tx.Bucket(bucketIdxMeta)
	if err := meta.Put(idxVersionKey, []byte(search.Version)); err != nil {
		return err
	}
	byTime, err := bucket(tx, bucketByTime)
	if err != nil {
		return err
	}
	if k, _ := byTime.Cursor().First(); k != nil {
		return meta.Put(idxBackfillKey, []byte{'b'})
	}
	return nil
}

// checkIndex empties the index of a writable store whose terms were made
// by another version of search.Terms, to be built again.
func (s *Store) checkIndex() error {
	stale := false
	err := s.view(func(tx *bolt.Tx) error {
		meta, err := bucket(tx, bucketIdxMeta)
		stale = err == nil && string(meta.Get(idxVersionKey)) != search.Version
		return err
	})
	if err != nil || !stale {
		return err
	}
	return s.update(resetIndex)
}

// add indexes a stored article, whose terms record (encodeTerms) is
// terms, unless it is indexed already.
func (ix *index) add(a *news.Article, terms []byte) error {
	if ix.ids.Get([]byte(a.ID)) != nil {
		return nil
	}
	k := docKey(ix.nextDoc)
	if ix.nextDoc == 1<<32-1 {
		return errors.New("search index: no doc number left (rebuild it: newswatch store reindex)")
	}
	ix.nextDoc++
	ix.nRecent++
	ix.changed = true
	if err := ix.docs.Put(k, timeIDKey(indexTime(a), a.ID)); err != nil {
		return err
	}
	if err := ix.ids.Put([]byte(a.ID), k); err != nil {
		return err
	}
	return ix.recent.Put(k, terms)
}

// remove takes an article out of the index: its postings name a doc
// number that no longer is.
func (ix *index) remove(id string) error {
	v := ix.ids.Get([]byte(id))
	if v == nil {
		return nil
	}
	k := bytes.Clone(v)
	if err := ix.ids.Delete([]byte(id)); err != nil {
		return err
	}
	if err := ix.docs.Delete(k); err != nil {
		return err
	}
	if ix.recent.Get(k) != nil {
		ix.nRecent--
		ix.changed = true
		return ix.recent.Delete(k)
	}
	return nil
}

// flushIfFull turns the recent records into a segment once there are
// flushDocs of them, and merges segments as the merge policy says.
func (ix *index) flushIfFull() error {
	if ix.nRecent < flushDocs {
		return nil
	}
	if err := ix.flush(); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	// A flush and each merge read whole segments through the file's map,
	// the largest reads of any commit: their pages are not needed again.
	releaseTxMap(ix.meta.Tx())
	if err := ix.mergeSegments(); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	return nil
}

// encodeTerms front-codes sorted terms: for each, the length of the
// prefix it shares with the one before and the length of the rest as
// uvarints, then the rest.
func encodeTerms(terms []string) []byte {
	out := make([]byte, 0, 8*len(terms)) // 7.5 bytes a term on the loopback site's pages
	prev := ""
	for _, t := range terms {
		n := 0
		for n < len(prev) && n < len(t) && prev[n] == t[n] {
			n++
		}
		out = binary.AppendUvarint(out, uint64(n))
		out = binary.AppendUvarint(out, uint64(len(t)-n))
		out = append(out, t[n:]...)
		prev = t
	}
	return out
}

// decodeTerms calls fn with each term of an encodeTerms value; the slice
// is valid only during the call.
func decodeTerms(v []byte, buf []byte, fn func(term []byte)) ([]byte, error) {
	buf = buf[:0]
	for len(v) > 0 {
		shared, n := binary.Uvarint(v)
		if n <= 0 || shared > uint64(len(buf)) {
			return buf, fmt.Errorf("terms record: %w", errBadKey)
		}
		v = v[n:]
		rest, n := binary.Uvarint(v)
		if n <= 0 || rest > uint64(len(v)-n) {
			return buf, fmt.Errorf("terms record: %w", errBadKey)
		}
		v = v[n:]
		buf = append(buf[:shared], v[:rest]...)
		v = v[rest:]
		fn(buf)
	}
	return buf, nil
}

// appendPostings encodes ascending doc numbers: the first, then the gaps.
func appendPostings(dst []byte, docs []uint32) []byte {
	prev := uint32(0)
	for _, d := range docs {
		dst = binary.AppendUvarint(dst, uint64(d-prev))
		prev = d
	}
	return dst
}

// decodePostings calls fn with each doc number of an appendPostings
// value.
func decodePostings(v []byte, fn func(doc uint32)) error {
	d := uint64(0)
	for len(v) > 0 {
		gap, n := binary.Uvarint(v)
		if n <= 0 {
			return fmt.Errorf("posting list: %w", errBadKey)
		}
		d += gap
		if d > 1<<32-1 {
			return fmt.Errorf("posting list: %w", errBadKey)
		}
		fn(uint32(d))
		v = v[n:]
	}
	return nil
}
