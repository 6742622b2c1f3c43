package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

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

// WriteHealth tells whether the store can save polls, for the daemon's
// /healthz and /metrics. It covers this process since Open.
type WriteHealth struct {
	// WriteErrors counts write transactions that failed to commit (a full
	// disk, an I/O error, MaxSize) and polls that could not be saved.
	WriteErrors uint64
	// LastSave is when a poll was last saved; zero if none since Open.
	LastSave time.Time
	// SaveError is why the last attempt to save a poll failed; empty when
	// it succeeded or none was made.
	SaveError string
	// FailingSince is when saves began to fail; zero while they succeed.
	FailingSince time.Time
}

// OK reports whether the last attempt to save a poll succeeded, or none
// was made yet.
func (h WriteHealth) OK() bool { return h.SaveError == "" }

// WriteHealth returns how the store's writes have been going. A poll save
// (SavePoll, SaveFeedState) that fails makes it not OK until a later one
// succeeds. Other writes (alert marks, pruning) only count their failures:
// small writes may succeed on a full disk, where bbolt reuses its free
// pages, so they are no sign that polls can be saved again.
func (s *Store) WriteHealth() WriteHealth {
	s.health.mu.Lock()
	defer s.health.mu.Unlock()
	return s.health.h
}

// writeHealth is the mutable state behind WriteHealth.
type writeHealth struct {
	mu sync.Mutex
	h  WriteHealth
}

// writeFailed counts a write transaction that did not commit.
func (w *writeHealth) writeFailed() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.h.WriteErrors++
}

// saved records the outcome of an attempt to save a poll. A failure that
// update already counted (a commit failure, ErrWrite) is not counted twice.
func (w *writeHealth) saved(err error, now time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err == nil {
		w.h.LastSave, w.h.SaveError, w.h.FailingSince = now, "", time.Time{}
		return
	}
	if !errors.Is(err, ErrWrite) {
		w.h.WriteErrors++
	}
	w.h.SaveError = err.Error()
	if w.h.FailingSince.IsZero() {
		w.h.FailingSince = now
	}
}
