package store

import (
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/newswatch/newswatch/news"
)

// Refetch is an entry of the refetch queue: the article whose page is
// fetched again at Due, to see whether it was edited or taken down.
type Refetch struct {
	ArticleID    string    `json:"article_id"`
	URL          string    `json:"url"`
	Due          time.Time `json:"due"`
	Step         int       `json:"step"`            // index of this refetch in the schedule (monitor.Options.Refetch)
	Retry        int       `json:"retry,omitempty"` // how many times this step failed for a passing cause and was queued again
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
}

// RevisionRecord is a revision as kept in the revisions bucket: its
// summary, the text the page showed and the diff from the text before.
type RevisionRecord struct {
	news.Revision
	Text string `json:"text,omitempty"` // edited: the new text
	Diff string `json:"diff,omitempty"` // edited: unified diff from the text before
}

// RefetchDone is the outcome of one refetch, saved by SaveRefetch in one
// transaction.
type RefetchDone struct {
	Done     Refetch         // the queue entry done, removed
	Next     *Refetch        // the next refetch of the article; nil when none
	Revision *RevisionRecord // the change seen; nil when none
	Exchange *Exchange       // the page's capture with the revision; nil when none kept
	Alerts   []news.Alert    // alerts about the revision
}

// putRefetch queues r.
func putRefetch(tx *bolt.Tx, r Refetch) error {
	b, err := bucket(tx, bucketRefetch)
	if err != nil {
		return err
	}
	v, err := encode(r)
	if err != nil {
		return err
	}
	return b.Put(timeIDKey(r.Due, r.ArticleID), v)
}

// DueRefetches returns at most limit queued refetches due at now, most
// overdue first, and when the next other one falls due (zero if none).
func (s *Store) DueRefetches(now time.Time, limit int) ([]Refetch, time.Time, error) {
	var out []Refetch
	var next time.Time
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketRefetch)
		if err != nil {
			return err
		}
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			due, _, err := splitTimeIDKey(k)
			if err != nil {
				return fmt.Errorf("refetch key %x: %w", k, err)
			}
			if due.After(now) || len(out) == limit {
				next = due
				return nil
			}
			var r Refetch
			if err := decode(v, &r); err != nil {
				return fmt.Errorf("refetch %x: %w", k, err)
			}
			out = append(out, r)
		}
		return nil
	})
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("due refetches: %w", err)
	}
	return out, next, nil
}

// RevisionBase returns the stored article id and the text its page showed
// last: that of its latest edit, or the text first stored.
func (s *Store) RevisionBase(id string) (*news.Article, string, error) {
	var a *news.Article
	var text string
	err := s.view(func(tx *bolt.Tx) error {
		bs, err := buckets(tx, bucketArticles, bucketRevisions)
		if err != nil {
			return err
		}
		if a, err = getArticle(bs[0], id); err != nil {
			return err
		}
		text = a.Text
		return eachOfArticle(bs[1], id, func(_ int, v []byte) error {
			var r RevisionRecord
			if err := decode(v, &r); err != nil {
				return err
			}
			if r.Kind == news.RevisionEdited {
				text = r.Text
			}
			return nil
		})
	})
	if err != nil {
		return nil, "", fmt.Errorf("revision base of %s: %w", id, err)
	}
	return a, text, nil
}

// Revisions returns the kept revisions of the article id, oldest first.
func (s *Store) Revisions(id string) ([]RevisionRecord, error) {
	var out []RevisionRecord
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketRevisions)
		if err != nil {
			return err
		}
		return eachOfArticle(b, id, func(_ int, v []byte) error {
			var r RevisionRecord
			if err := decode(v, &r); err != nil {
				return err
			}
			out = append(out, r)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("revisions of %s: %w", id, err)
	}
	return out, nil
}

// SaveRefetch saves a refetch's outcome: the queue entry removed, the next
// one queued, the revision kept with its capture and added to the
// article's history, and its alerts, all or nothing. A revision's Seq is
// set here, the next of the article's. An article pruned meanwhile only
// loses its queue entry.
func (s *Store) SaveRefetch(d RefetchDone) (int, error) {
	alerts := 0
	err := s.save(func(tx *bolt.Tx) error {
		alerts = 0 // the function may run again (see commit.go)
		b, err := bucket(tx, bucketRefetch)
		if err != nil {
			return err
		}
		if err := b.Delete(timeIDKey(d.Done.Due, d.Done.ArticleID)); err != nil {
			return err
		}
		ab, err := openArticleBuckets(tx)
		if err != nil {
			return err
		}
		a, err := getArticle(ab.articles, d.Done.ArticleID)
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if d.Revision != nil {
			if err := putRevision(tx, ab, a, *d.Revision, d.Exchange); err != nil {
				return err
			}
			if alerts, err = insertAlerts(tx, d.Alerts); err != nil {
				return err
			}
		}
		if d.Next != nil {
			return putRefetch(tx, *d.Next)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("save refetch of %s: %w", d.Done.ArticleID, err)
	}
	return alerts, nil
}

// putRevision keeps rev as a's next revision, with its capture ex (may be
// nil), and adds its summary to the article.
func putRevision(tx *bolt.Tx, ab articleBuckets, a *news.Article, rev RevisionRecord, ex *Exchange) error {
	b, err := bucket(tx, bucketRevisions)
	if err != nil {
		return err
	}
	rev.Seq = lastSeq(b, a.ID) + 1
	v, err := encodeCompressed(rev)
	if err != nil {
		return err
	}
	if err := b.Put(captureKey(a.ID, rev.Seq), v); err != nil {
		return err
	}
	if ex != nil {
		ex.ArticleID, ex.Revision = a.ID, rev.Seq
		if _, err := putCapture(tx, *ex); err != nil {
			return err
		}
	}
	a.Revisions = append(a.Revisions, rev.Revision)
	return putArticle(ab, a)
}
