package store

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/newswatch/newswatch/news"
)

// The dashboard's reads: pages of articles newest first (a topic, the
// archive, a search), the times a topic matched, and a user's labels.
// Each reads a bounded amount, whatever the size of the archive.

// Browse selects one page of articles, newest first, for a listing.
type Browse struct {
	// Topic reads the topic index; empty reads every article (by_time).
	Topic string
	// MatchedOnly skips articles that matched no topic (with Topic empty).
	MatchedOnly bool
	// Lang and Source, when set, keep only the articles of that language
	// (a primary subtag, as stored) and that source name. They are read
	// without decoding the article (see articleHead), so they cost little.
	Lang, Source string
	// Since (inclusive) and Until (exclusive) bound the index time: the
	// publish time, or the fetch time of articles without one.
	Since, Until time.Time
	// After is the Next of the previous page: the page starts just after
	// (older than) it. Empty starts with the newest.
	After string
	// Limit is how many articles the page keeps at most (>= 1).
	Limit int
	// Budget is how many articles the page decodes (and calls Keep with)
	// at most, kept or not: at least Limit. With Lang or Source it visits
	// at most scanFactor times as many index entries, else Budget.
	Budget int
	// Keep filters the decoded articles (a search query); nil keeps every
	// one. It runs outside any transaction.
	Keep func(*news.Article) bool
}

// BrowsePage is a page of articles selected by a Browse.
type BrowsePage struct {
	Articles []*news.Article
	// Next continues the listing after this page (Browse.After); empty
	// when the range holds nothing older.
	Next string
	// Read counts the index entries visited, kept or not; Oldest is the
	// index time of the last of them (zero when none was).
	Read   int
	Oldest time.Time
}

// Bounds of Browse: what one read transaction copies out, and how many
// index entries it may visit per article it may decode when Lang or
// Source filter without decoding.
const (
	browseBatch      = 128
	browseBatchBytes = 256 << 10
	scanFactor       = 20
)

// ErrBadCursor reports a Browse.After that no page gave.
var ErrBadCursor = errors.New("bad page cursor")

// Browse returns one page of the articles b selects, newest first, within
// b's budget, reading the index and the articles in short read
// transactions that copy the stored values out (decoding happens outside
// them). The page's Next resumes the listing exactly where it stopped
// (keyset pagination over the index key), so no page ever reads the whole
// index, and an article saved meanwhile is neither skipped nor repeated
// unless it sorts before the cursor.
func (s *Store) Browse(ctx context.Context, b Browse) (BrowsePage, error) {
	w, err := newWalk(b)
	if err != nil {
		return BrowsePage{}, fmt.Errorf("browse: %w", err)
	}
	limit := max(b.Limit, 1)
	budget := max(b.Budget, limit)
	visits := budget
	if b.Lang != "" || b.Source != "" {
		visits = scanFactor * budget
	}
	var page BrowsePage
	decoded := 0
	for {
		if err := ctx.Err(); err != nil {
			return BrowsePage{}, err
		}
		var batch []browsed
		err := s.view(func(tx *bolt.Tx) (err error) {
			batch, err = w.next(tx, min(browseBatch, visits-page.Read))
			return err
		})
		if err != nil {
			return BrowsePage{}, fmt.Errorf("browse: %w", err)
		}
		for i, it := range batch {
			page.Read++
			page.Oldest = it.at
			a, read, err := b.read(it)
			if err != nil {
				return BrowsePage{}, fmt.Errorf("browse: article %s: %w", it.id, err)
			}
			if read {
				decoded++
			}
			if a != nil {
				page.Articles = append(page.Articles, a)
			}
			if len(page.Articles) == limit || decoded == budget || page.Read == visits {
				if i < len(batch)-1 || !w.done {
					page.Next = encodeCursor(it.pos)
				}
				return page, nil
			}
		}
		if w.done {
			return page, nil
		}
	}
}

// read returns the article it read if b keeps it, else nil, and whether
// it decoded it.
func (b Browse) read(it browsed) (*news.Article, bool, error) {
	if b.Lang != "" || b.Source != "" {
		if source, lang, ok := articleHead(it.v); ok && (b.Lang != "" && lang != b.Lang || b.Source != "" && source != b.Source) {
			return nil, false, nil
		}
	}
	a := new(news.Article)
	if err := decode(it.v, a); err != nil {
		return nil, true, err
	}
	if (b.Lang != "" && a.Lang != b.Lang) || (b.Source != "" && a.Source != b.Source) || (b.MatchedOnly && !a.Matched()) || (b.Keep != nil && !b.Keep(a)) {
		return nil, true, nil
	}
	return a, true, nil
}

// Keys of a stored article's JSON that articleHead reads.
var (
	articleSourceKey = []byte(`"Source":"`)
	articleLangKey   = []byte(`"Lang":"`)
)

// articleHead returns an article's source name and language from its
// stored JSON without decoding it: a filter on them then costs a search
// of the bytes instead of a decode (about 60 µs for 4 KB). As for alerts
// (alertState), the store writes that JSON, in the field order of
// news.Article, and the fields before Source and Lang are strings, whose
// quotes are escaped: the first `"Source":"` and `"Lang":"` are those
// keys. ok is false when a value has escapes: decode then.
func articleHead(v []byte) (source, lang string, ok bool) {
	src, rest, ok1 := probeString(v, articleSourceKey)
	lng, _, ok2 := probeString(rest, articleLangKey)
	return string(src), string(lng), ok1 && ok2
}

// browsed is a stored article read by a walk, with its index position.
type browsed struct {
	id  string
	v   []byte // the stored value, copied out of the transaction
	pos []byte // the index key without the topic prefix: timeKey ‖ ID
	at  time.Time
}

// walk goes down an index range, newest first, in several transactions.
type walk struct {
	index  []byte
	prefix []byte
	lower  []byte // inclusive lower bound (prefix ‖ timeKey(since))
	upper  []byte // exclusive upper bound: the cursor, until, or the end of the prefix
	done   bool
}

func newWalk(b Browse) (*walk, error) {
	w := &walk{index: bucketByTime}
	if b.Topic != "" {
		if err := checkTopic(b.Topic); err != nil {
			return nil, err
		}
		w.index, w.prefix = bucketByTopic, topicPrefix(b.Topic)
	}
	w.lower = append(bytes.Clone(w.prefix), encodeTime(b.Since)...)
	if !b.Until.IsZero() {
		w.upper = append(bytes.Clone(w.prefix), encodeTime(b.Until)...)
	} else if len(w.prefix) > 0 {
		w.upper = append(bytes.Clone(w.prefix[:len(w.prefix)-1]), topicSep+1) // just past the topic's keys
	}
	if b.After != "" {
		pos, err := decodeCursor(b.After)
		if err != nil {
			return nil, err
		}
		after := append(bytes.Clone(w.prefix), pos...)
		if w.upper == nil || bytes.Compare(after, w.upper) < 0 {
			w.upper = after
		}
	}
	return w, nil
}

// next reads up to n articles below w.upper and moves w.upper past them.
func (w *walk) next(tx *bolt.Tx, n int) ([]browsed, error) {
	bs, err := buckets(tx, w.index, bucketArticles)
	if err != nil {
		return nil, err
	}
	c := bs[0].Cursor()
	var k []byte
	if w.upper == nil {
		k, _ = c.Last()
	} else if k, _ = c.Seek(w.upper); k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	var out []browsed
	size := 0
	for ; len(out) < n && size < browseBatchBytes; k, _ = c.Prev() {
		if k == nil || !bytes.HasPrefix(k, w.prefix) || bytes.Compare(k, w.lower) < 0 {
			w.done = true
			return out, nil
		}
		w.upper = bytes.Clone(k)
		at, id, err := splitTimeIDKey(k[len(w.prefix):])
		if err != nil {
			return nil, fmt.Errorf("index %s key %x: %w", w.index, k, err)
		}
		v := bs[1].Get([]byte(id))
		if v == nil {
			continue // a dangling entry must not stop a listing
		}
		size += len(v)
		out = append(out, browsed{id: id, v: bytes.Clone(v), pos: w.upper[len(w.prefix):], at: at})
	}
	if k == nil || !bytes.HasPrefix(k, w.prefix) || bytes.Compare(k, w.lower) < 0 {
		w.done = true
	}
	return out, nil
}

func encodeCursor(pos []byte) string { return base64.RawURLEncoding.EncodeToString(pos) }

// decodeCursor is the inverse of encodeCursor: a by_time key.
func decodeCursor(s string) ([]byte, error) {
	pos, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(pos) < timeKeyLen {
		return nil, fmt.Errorf("%w %q", ErrBadCursor, s)
	}
	return pos, nil
}

// TopicTimes calls fn with the index time of each article of topic whose
// time is in [since, until) (until zero: no bound), oldest first, reading
// the topic index alone. fn runs inside a read transaction: it must be
// quick and must not call the store.
func (s *Store) TopicTimes(topic string, since, until time.Time, fn func(time.Time)) error {
	if err := checkTopic(topic); err != nil {
		return fmt.Errorf("topic times: %w", err)
	}
	prefix := topicPrefix(topic)
	var end []byte
	if !until.IsZero() {
		end = append(bytes.Clone(prefix), encodeTime(until)...)
	}
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketByTopic)
		if err != nil {
			return err
		}
		c := b.Cursor()
		for k, _ := c.Seek(append(bytes.Clone(prefix), encodeTime(since)...)); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			if end != nil && bytes.Compare(k, end) >= 0 {
				break
			}
			if len(k) < len(prefix)+timeKeyLen {
				return fmt.Errorf("index %s key %x: %w", bucketByTopic, k, errBadKey)
			}
			t, err := decodeTime(k[len(prefix) : len(prefix)+timeKeyLen])
			if err != nil {
				return err
			}
			fn(t)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("topic times %s: %w", topic, err)
	}
	return nil
}

// UserLabels returns user's labels of the given articles: article ID ->
// topic -> LabelRelevant or LabelNotRelevant. Articles without a label of
// user are absent.
func (s *Store) UserLabels(user string, articleIDs []string) (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketLabels)
		if err != nil {
			return err
		}
		c := b.Cursor()
		for _, id := range articleIDs {
			prefix := append([]byte(id), 0)
			for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
				if !bytes.HasSuffix(k, append([]byte{0}, user...)) {
					continue
				}
				var l Label
				if err := decode(v, &l); err != nil {
					return err
				}
				if l.User != user { // a topic name ending in NUL ‖ user cannot exist, but be exact
					continue
				}
				if out[id] == nil {
					out[id] = map[string]string{}
				}
				out[id][l.Topic] = l.Label
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("labels of %s: %w", user, err)
	}
	return out, nil
}
