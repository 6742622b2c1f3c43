package store

import (
	"bytes"
	"fmt"
	"os"

	bolt "go.etcd.io/bbolt"

	"github.com/newswatch/newswatch/news"
)

// Stats summarises a store for status output.
type Stats struct {
	SchemaVersion uint64
	FileSize      int64 // bytes of the file on disk (it never shrinks)
	DataSize      int64 // bytes the current data reaches up to, free pages included
	Feeds         int
	Articles      int
	Matched       int // articles that matched at least one topic
	SeenKeys      int
	Topics        map[string]int // stored articles per topic
	Alerts        map[news.AlertState]int
}

// Stats counts the store's records. It reads every alert and walks the
// pages of the other buckets, so it is meant for status commands, not for
// every poll.
func (s *Store) Stats() (Stats, error) {
	var st Stats
	err := s.view(func(tx *bolt.Tx) error {
		v, err := schemaVersion(tx)
		if err != nil {
			return err
		}
		st.SchemaVersion, st.DataSize = v, tx.Size()
		bs, err := buckets(tx, bucketFeeds, bucketArticles, bucketUnmatched, bucketSeen)
		if err != nil {
			return err
		}
		st.Feeds = bs[0].Stats().KeyN
		st.Articles = bs[1].Stats().KeyN
		st.Matched = st.Articles - bs[2].Stats().KeyN
		st.SeenKeys = bs[3].Stats().KeyN
		if st.Topics, err = countTopics(tx); err != nil {
			return err
		}
		st.Alerts, err = countAlerts(tx)
		return err
	})
	if err != nil {
		return Stats{}, fmt.Errorf("stats: %w", err)
	}
	fi, err := os.Stat(s.path)
	if err != nil {
		return Stats{}, fmt.Errorf("stats: %w", err)
	}
	st.FileSize = fi.Size()
	return st, nil
}

// countTopics counts the keys of the topic index per topic, without
// decoding any article.
func countTopics(tx *bolt.Tx) (map[string]int, error) {
	b, err := bucket(tx, bucketByTopic)
	if err != nil {
		return nil, err
	}
	counts := make(map[string]int)
	c := b.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		i := bytes.IndexByte(k, topicSep)
		if i < 0 {
			return nil, fmt.Errorf("topic key without separator: %w", errBadKey)
		}
		counts[string(k[:i])]++
	}
	return counts, nil
}
