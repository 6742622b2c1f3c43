package store

import (
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/search"
)

// Poll is everything one feed poll produced, saved in one transaction.
type Poll struct {
	// Feed is the feed's new state (validators, schedule, counters).
	Feed FeedState
	// Seen are the item keys (news.Item.Key) processed in this poll. The
	// URLs of Articles are marked seen as well. Empty keys are ignored.
	Seen []string
	// Articles are the new articles. An ID already stored (the same
	// article through another feed) is left as it is and not counted.
	// An empty ID is derived with news.ArticleID(URL).
	Articles []*news.Article
	// Alerts are outbox records, inserted only if their ID is absent.
	// An alert with a Fallback whose ID is present inserts its Fallback
	// instead (if that ID is absent): a story's first alert, else its
	// update.
	Alerts []news.Alert
	// Stories are the articles' story memberships (see package story).
	Stories []news.StoryMember
	// StoryWindowStart drops the story features of articles fetched
	// before it: their stories are closed. Zero keeps them.
	StoryWindowStart time.Time
	// Exchanges are the captured page fetches of Articles (evidence),
	// kept for the articles this poll adds.
	Exchanges []Exchange
	// Refetches queue the first refetch of Articles (to see edits and
	// takedowns), for the articles this poll adds.
	Refetches []Refetch
}

// PollResult counts what SavePoll actually inserted.
type PollResult struct {
	NewArticles int
	NewAlerts   int
	Captures    int // exchanges kept (Poll.Exchanges of new articles)
}

// articleBuckets are the buckets an article and its indexes live in.
type articleBuckets struct {
	articles, byTime, byTopic, unmatched *bolt.Bucket
}

func openArticleBuckets(tx *bolt.Tx) (articleBuckets, error) {
	bs, err := buckets(tx, bucketArticles, bucketByTime, bucketByTopic, bucketUnmatched)
	if err != nil {
		return articleBuckets{}, err
	}
	return articleBuckets{bs[0], bs[1], bs[2], bs[3]}, nil
}

// SavePoll stores a poll atomically: the articles with their indexes, the
// seen keys, the alerts with their due entries and the feed state all
// commit together or not at all. It does no network I/O.
//
// The articles' records are encoded and compressed first, in the caller's
// goroutine, as Exchange.Seal compresses captures: the transaction, which
// other saves wait for, only copies them.
func (s *Store) SavePoll(p Poll) (PollResult, error) {
	var res PollResult
	recs, err := prepareArticles(p.Articles)
	if err != nil {
		return PollResult{}, fmt.Errorf("save poll of %s: %w", p.Feed.URL, err)
	}
	err = s.save(func(tx *bolt.Tx) error {
		res = PollResult{} // the function may run again (see commit.go)
		ab, err := openArticleBuckets(tx)
		if err != nil {
			return err
		}
		ix, err := openIndex(tx)
		if err != nil {
			return err
		}
		seenIDs := make(map[string]string, len(p.Articles))
		added := make(map[string]bool, len(p.Articles))
		perDay := map[string]int{}
		for _, r := range recs {
			isNew, err := insertArticle(ab, ix, r)
			if err != nil {
				return err
			}
			if isNew {
				res.NewArticles++
				perDay[dayOf(r.a.Fetched)]++
				added[r.a.ID] = true
			}
			seenIDs[r.a.URL] = r.a.ID
		}
		for _, ex := range p.Exchanges {
			if !added[ex.ArticleID] {
				continue // stored before, with its own capture
			}
			if _, err := putCapture(tx, ex); err != nil {
				return err
			}
			res.Captures++
		}
		for _, r := range p.Refetches {
			if added[r.ArticleID] {
				if err := putRefetch(tx, r); err != nil {
					return err
				}
			}
		}
		if err := ix.flushIfFull(); err != nil {
			return err
		}
		if err := ix.save(); err != nil {
			return err
		}
		if err := markSeen(tx, p.Seen, seenIDs); err != nil {
			return err
		}
		if err := saveMembers(tx, p.Stories, p.StoryWindowStart); err != nil {
			return err
		}
		if res.NewAlerts, err = insertAlerts(tx, p.Alerts); err != nil {
			return err
		}
		return putFeed(tx, p.Feed, perDay)
	})
	if err != nil {
		return PollResult{}, fmt.Errorf("save poll of %s: %w", p.Feed.URL, err)
	}
	return res, nil
}

// articleRecord is an article made ready to store: a copy of it with its
// ID and topics set, its record as stored and its search index terms.
type articleRecord struct {
	a     *news.Article
	value []byte // encodeCompressed
	terms []byte // encodeTerms
}

// prepareArticles makes the records of the non-nil articles of as.
func prepareArticles(as []*news.Article) ([]articleRecord, error) {
	recs := make([]articleRecord, 0, len(as))
	for _, a := range as {
		if a == nil {
			continue
		}
		r, err := prepareArticle(a)
		if err != nil {
			return nil, err
		}
		recs = append(recs, r)
	}
	return recs, nil
}

// prepareArticle copies a, gives the copy its ID (from its URL) and its
// topics (from its hits) when it has none, and encodes it.
func prepareArticle(a *news.Article) (articleRecord, error) {
	rec := *a
	if rec.ID == "" {
		if rec.URL == "" {
			return articleRecord{}, errors.New("article without ID or URL")
		}
		rec.ID = news.ArticleID(rec.URL)
	}
	if len(rec.Topics) == 0 && len(rec.Hits) > 0 {
		rec.Topics = nil // SetHits reuses Topics' array: never the caller's
		rec.SetHits(rec.Hits)
	}
	v, err := encodeCompressed(&rec)
	if err != nil {
		return articleRecord{}, fmt.Errorf("article %s: %w", rec.ID, err)
	}
	return articleRecord{a: &rec, value: v, terms: encodeTerms(search.Terms(&rec))}, nil
}

// insertArticle stores r and its index entries, search index included,
// unless its ID is already stored. It reports whether it was added.
func insertArticle(ab articleBuckets, ix *index, r articleRecord) (bool, error) {
	id := r.a.ID
	if ab.articles.Get([]byte(id)) != nil {
		return false, nil
	}
	if err := ab.articles.Put([]byte(id), r.value); err != nil {
		return false, fmt.Errorf("article %s: %w", id, err)
	}
	if err := addIndexes(ab, r.a); err != nil {
		return false, fmt.Errorf("article %s: %w", id, err)
	}
	if err := ix.add(r.a, r.terms); err != nil {
		return false, fmt.Errorf("article %s: %w", id, err)
	}
	return true, nil
}

// putArticle stores a, compressed (see codec.go).
func putArticle(ab articleBuckets, a *news.Article) error {
	v, err := encodeCompressed(a)
	if err != nil {
		return err
	}
	return ab.articles.Put([]byte(a.ID), v)
}

// indexTime is the time an article is ordered by: published, or fetched
// when the feed gave no date.
func indexTime(a *news.Article) time.Time {
	if a.Published.IsZero() {
		return a.Fetched
	}
	return a.Published
}

// unmatchedTime is the time retention counts from for an unmatched
// article: when it was fetched or, if later, when it lost its last topic.
func unmatchedTime(a *news.Article) time.Time {
	if a.Unmatched.After(a.Fetched) {
		return a.Unmatched
	}
	return a.Fetched
}

// addIndexes writes the by_time entry and, depending on whether a matched,
// its by_topic entries or its unmatched entry.
func addIndexes(ab articleBuckets, a *news.Article) error {
	if err := ab.byTime.Put(timeIDKey(indexTime(a), a.ID), nil); err != nil {
		return err
	}
	return addTopicIndexes(ab, a)
}

// addTopicIndexes writes the entries that depend on a's topics.
func addTopicIndexes(ab articleBuckets, a *news.Article) error {
	if !a.Matched() {
		return ab.unmatched.Put(timeIDKey(unmatchedTime(a), a.ID), nil)
	}
	for _, t := range a.Topics {
		k, err := topicKey(t, indexTime(a), a.ID)
		if err != nil {
			// An unusable name (empty, NUL) must not lose the poll: the
			// article is stored and exported as matched, just not
			// findable by that topic. Config validation rejects such names.
			continue
		}
		if err := ab.byTopic.Put(k, nil); err != nil {
			return err
		}
	}
	return nil
}

// removeTopicIndexes deletes what addTopicIndexes wrote for a.
func removeTopicIndexes(ab articleBuckets, a *news.Article) error {
	if err := ab.unmatched.Delete(timeIDKey(unmatchedTime(a), a.ID)); err != nil {
		return err
	}
	for _, t := range a.Topics {
		k, err := topicKey(t, indexTime(a), a.ID)
		if err != nil {
			continue // such a key was never written
		}
		if err := ab.byTopic.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// markSeen adds item keys to the seen-set. ids maps article URLs to IDs:
// those URLs are marked too, with the ID as value. An existing entry is
// only overwritten to add a missing article ID.
func markSeen(tx *bolt.Tx, keys []string, ids map[string]string) error {
	b, err := bucket(tx, bucketSeen)
	if err != nil {
		return err
	}
	put := func(key, id string) error {
		if key == "" {
			return nil
		}
		k := seenKey(key)
		if old := b.Get(k); old != nil && (len(old) > 0 || id == "") {
			return nil
		}
		return b.Put(k, []byte(id))
	}
	for _, k := range keys {
		if err := put(k, ids[k]); err != nil {
			return err
		}
	}
	for url, id := range ids {
		if err := put(url, id); err != nil {
			return err
		}
	}
	return nil
}

// Unseen returns the keys not yet in the seen-set, in input order and
// without duplicates. The empty key is never seen, so items without URL
// or GUID are always processed.
func (s *Store) Unseen(keys []string) ([]string, error) {
	var out []string
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketSeen)
		if err != nil {
			return err
		}
		dup := make(map[string]bool, len(keys))
		for _, k := range keys {
			if dup[k] {
				continue
			}
			dup[k] = true
			if k == "" || b.Get(seenKey(k)) == nil {
				out = append(out, k)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("unseen: %w", err)
	}
	return out, nil
}

// Article returns the stored article with the given ID, or ErrNotFound.
func (s *Store) Article(id string) (*news.Article, error) {
	var a *news.Article
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketArticles)
		if err != nil {
			return err
		}
		if a, err = getArticle(b, id); err != nil {
			return err
		}
		a.Copies, err = copiesOf(tx, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("article %s: %w", id, err)
	}
	return a, nil
}

// getArticle decodes the article id from the articles bucket.
func getArticle(b *bolt.Bucket, id string) (*news.Article, error) {
	v := b.Get([]byte(id))
	if v == nil {
		return nil, ErrNotFound
	}
	a := new(news.Article)
	if err := decode(v, a); err != nil {
		return nil, err
	}
	return a, nil
}

// UpdateArticleTopics replaces an article's hits (after the topic rules
// changed) and moves its index entries to match, in one transaction.
func (s *Store) UpdateArticleTopics(id string, hits []news.Hit, now time.Time) error {
	err := s.update(func(tx *bolt.Tx) error {
		ab, err := openArticleBuckets(tx)
		if err != nil {
			return err
		}
		a, err := getArticle(ab.articles, id)
		if err != nil {
			return err
		}
		if err := removeTopicIndexes(ab, a); err != nil {
			return err
		}
		wasMatched := a.Matched()
		a.SetHits(hits)
		switch {
		case wasMatched && !a.Matched():
			a.Unmatched = now
		case a.Matched():
			a.Unmatched = time.Time{}
		}
		if err := addTopicIndexes(ab, a); err != nil {
			return err
		}
		return putArticle(ab, a)
	})
	if err != nil {
		return fmt.Errorf("update topics of article %s: %w", id, err)
	}
	return nil
}
