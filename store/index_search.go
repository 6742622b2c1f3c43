package store

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/search"
)

// Search selects the articles a query matches, newest first.
type Search struct {
	Query *search.Query // required
	// Topic keeps the articles matched to this topic; empty: any.
	Topic string
	// Source keeps the articles of this source name; empty: any.
	Source string
	// Since (inclusive) and Until (exclusive) bound the index time: the
	// publish time, or the fetch time of articles without one.
	Since, Until time.Time
	// After is the Next of the previous page; empty starts with the newest.
	After string
	// Limit is how many results a page holds at most (at least 1).
	Limit int
	// Budget bounds the articles read when the index cannot answer yet
	// (BuildIndex has not finished) and the archive is scanned instead;
	// zero reads the whole range.
	Budget int
}

// SearchResult is an article a search found, with the query's hits in it.
type SearchResult struct {
	Article *news.Article
	Hits    []news.Hit
}

// SearchPage is one page of search results.
type SearchPage struct {
	Results []SearchResult
	// Next continues after this page (Search.After); empty when nothing
	// older is left to check.
	Next string
	// Indexed says the index answered; otherwise the archive was scanned
	// (newest first, up to Budget articles, back to Oldest).
	Indexed bool
	// Candidates counts the articles in range the index proposed (with
	// Indexed), Read those read and matched.
	Candidates, Read int
	Oldest           time.Time
}

// verifyBatch is how many candidates one read transaction copies out to
// be matched outside it.
const verifyBatch = 64

// Search returns a page of the articles q.Query matches, newest first
// (by the by_time key), each with the query's hits. The index proposes
// candidates and the query's matcher decides, so the results are those
// of a scan of the archive with the matcher. While the index is not
// complete (BuildIndex), it scans the archive within q.Budget instead.
func (s *Store) Search(ctx context.Context, q Search) (SearchPage, error) {
	var cands [][]byte
	indexed := false
	err := s.view(func(tx *bolt.Tx) error {
		ix, err := openIndex(tx)
		if err != nil || !ix.ready() {
			return err
		}
		indexed = true
		cands, err = ix.candidates(tx, q)
		return err
	})
	if err != nil {
		return SearchPage{}, fmt.Errorf("search: %w", err)
	}
	if !indexed {
		return s.scanSearch(ctx, q)
	}
	page := SearchPage{Indexed: true, Candidates: len(cands)}
	limit := max(q.Limit, 1)
	for i := 0; i < len(cands) && len(page.Results) < limit; i += verifyBatch {
		if err := ctx.Err(); err != nil {
			return SearchPage{}, err
		}
		batch := cands[i:min(i+verifyBatch, len(cands))]
		vals, err := s.articleValues(batch)
		if err != nil {
			return SearchPage{}, fmt.Errorf("search: %w", err)
		}
		for j, v := range vals {
			if v == nil {
				continue // deleted since
			}
			page.Read++
			a := new(news.Article)
			if err := decode(v, a); err != nil {
				return SearchPage{}, fmt.Errorf("search: article %s: %w", batch[j][timeKeyLen:], err)
			}
			if q.Source != "" && a.Source != q.Source {
				continue
			}
			if hits := q.Query.Match(a); len(hits) > 0 {
				page.Results = append(page.Results, SearchResult{Article: a, Hits: hits})
				if len(page.Results) == limit {
					if i+j+1 < len(cands) {
						page.Next = encodeCursor(batch[j])
					}
					break
				}
			}
		}
	}
	return page, nil
}

// articleValues copies out the stored articles of by_time keys, nil for
// those gone.
func (s *Store) articleValues(keys [][]byte) ([][]byte, error) {
	out := make([][]byte, len(keys))
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketArticles)
		if err != nil {
			return err
		}
		for i, k := range keys {
			if v := b.Get(k[timeKeyLen:]); v != nil {
				out[i] = bytes.Clone(v)
			}
		}
		return nil
	})
	return out, err
}

// scanSearch searches by reading the archive newest first (Browse), for
// when the index is not complete.
func (s *Store) scanSearch(ctx context.Context, q Search) (SearchPage, error) {
	hits := map[string][]news.Hit{}
	b := Browse{Topic: q.Topic, Source: q.Source, Since: q.Since, Until: q.Until, After: q.After, Limit: max(q.Limit, 1), Budget: q.Budget}
	if b.Budget <= 0 {
		b.Budget = math.MaxInt
	}
	b.Keep = func(a *news.Article) bool {
		h := q.Query.Match(a)
		hits[a.ID] = h
		return len(h) > 0
	}
	bp, err := s.Browse(ctx, b)
	if err != nil {
		return SearchPage{}, fmt.Errorf("search: %w", err)
	}
	page := SearchPage{Next: bp.Next, Read: bp.Read, Oldest: bp.Oldest}
	for _, a := range bp.Articles {
		page.Results = append(page.Results, SearchResult{Article: a, Hits: hits[a.ID]})
	}
	return page, nil
}

// candidates returns the by_time keys of the articles in q's range that
// the plan proposes, newest first.
func (ix *index) candidates(tx *bolt.Tx, q Search) ([][]byte, error) {
	e := &evaluator{ix: ix, n: int(ix.nextDoc)}
	segs, err := ix.listSegments()
	if err != nil {
		return nil, err
	}
	for _, g := range segs {
		b, err := ix.segmentBucket(g.id, false)
		if err != nil {
			return nil, err
		}
		e.segs = append(e.segs, b)
	}
	set, err := e.eval(q.Query.Plan)
	if err != nil {
		return nil, err
	}
	if err := e.recent(set, q.Query); err != nil {
		return nil, err
	}
	if q.Topic != "" {
		if err := ix.keepTopic(tx, set, q); err != nil {
			return nil, err
		}
	}
	lower, upper, err := searchRange(q)
	if err != nil {
		return nil, err
	}
	var out [][]byte
	c := ix.docs.Cursor()
	cur := int64(-1) // the doc number the cursor stands on (MaxInt64: the end)
	var v []byte
	for d := range set.all() {
		if cur < int64(d) {
			var k []byte
			if cur >= 0 && int64(d) == cur+1 {
				k, v = c.Next() // dense candidates: step rather than seek
			} else {
				k, v = c.Seek(docKey(d))
			}
			cur = math.MaxInt64
			if n, err := decodeDoc(k); err == nil {
				cur = int64(n)
			}
		}
		if cur != int64(d) {
			continue // deleted
		}
		if bytes.Compare(v, lower) < 0 || upper != nil && bytes.Compare(v, upper) >= 0 {
			continue
		}
		out = append(out, bytes.Clone(v))
	}
	slices.SortFunc(out, func(a, b []byte) int { return bytes.Compare(b, a) })
	return out, nil
}

// searchRange returns the bounds of the by_time keys in range: lower
// inclusive, upper exclusive (nil: none).
func searchRange(q Search) (lower, upper []byte, err error) {
	lower = encodeTime(q.Since)
	if !q.Until.IsZero() {
		upper = encodeTime(q.Until)
	}
	if q.After != "" {
		after, err := decodeCursor(q.After)
		if err != nil {
			return nil, nil, err
		}
		if upper == nil || bytes.Compare(after, upper) < 0 {
			upper = after
		}
	}
	return lower, upper, nil
}

// keepTopic removes from set the articles not matched to q.Topic, read
// from the topic index over q's time range.
func (ix *index) keepTopic(tx *bolt.Tx, set *bitset, q Search) error {
	if err := checkTopic(q.Topic); err != nil {
		return err
	}
	b, err := bucket(tx, bucketByTopic)
	if err != nil {
		return err
	}
	prefix := topicPrefix(q.Topic)
	var end []byte
	if !q.Until.IsZero() {
		end = append(bytes.Clone(prefix), encodeTime(q.Until)...)
	}
	keep := newBitset(len(set.w) * 64)
	c := b.Cursor()
	for k, _ := c.Seek(append(bytes.Clone(prefix), encodeTime(q.Since)...)); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if end != nil && bytes.Compare(k, end) >= 0 {
			break
		}
		if len(k) < len(prefix)+timeKeyLen {
			return fmt.Errorf("index %s key %x: %w", bucketByTopic, k, errBadKey)
		}
		if v := ix.ids.Get(k[len(prefix)+timeKeyLen:]); v != nil {
			if d, err := decodeDoc(v); err == nil && int(d) < len(set.w)*64 {
				keep.set(d)
			}
		}
	}
	set.and(keep)
	return nil
}

// evaluator evaluates a plan over the segments' postings into a set of
// doc numbers below n.
type evaluator struct {
	ix   *index
	segs []*bolt.Bucket // the posting lists of each segment
	n    int
}

func (e *evaluator) eval(p *search.Plan) (*bitset, error) {
	switch p.Op {
	case search.All:
		b := newBitset(e.n)
		b.fill(e.n)
		return b, nil
	case search.None:
		return newBitset(e.n), nil
	case search.Term:
		b := newBitset(e.n)
		return b, e.addTerm(b, p)
	case search.And:
		b, err := e.eval(p.Kids[0])
		if err != nil {
			return nil, err
		}
		for _, k := range p.Kids[1:] {
			if b.empty() {
				break
			}
			kb, err := e.eval(k)
			if err != nil {
				return nil, err
			}
			b.and(kb)
		}
		return b, nil
	}
	b := newBitset(e.n)
	for _, k := range p.Kids {
		if k.Op == search.Term {
			if err := e.addTerm(b, k); err != nil {
				return nil, err
			}
			continue
		}
		kb, err := e.eval(k)
		if err != nil {
			return nil, err
		}
		b.or(kb)
	}
	return b, nil
}

// addTerm adds to b the docs of a Term node's postings in every segment.
func (e *evaluator) addTerm(b *bitset, p *search.Plan) error {
	add := func(d uint32) {
		if int(d) < e.n {
			b.set(d)
		}
	}
	key := []byte(p.Term)
	for _, b := range e.segs {
		if !p.Prefix {
			if v := b.Get(key); v != nil {
				if err := decodePostings(v, add); err != nil {
					return err
				}
			}
			continue
		}
		c := b.Cursor()
		for k, v := c.Seek(key); k != nil && bytes.HasPrefix(k, key); k, v = c.Next() {
			if err := decodePostings(v, add); err != nil {
				return err
			}
		}
	}
	return nil
}

// recent adds to set the recent records (not yet in a segment) that
// satisfy q's plan.
func (e *evaluator) recent(set *bitset, q *search.Query) error {
	ch := q.Checker()
	var buf []byte
	c := e.ix.recent.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		d, err := decodeDoc(k)
		if err != nil {
			return err
		}
		ch.Reset()
		if buf, err = decodeTerms(v, buf, ch.Add); err != nil {
			return err
		}
		if ch.Candidate() && int(d) < e.n {
			set.set(d)
		}
	}
	return nil
}
