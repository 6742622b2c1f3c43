package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"
)

// Bucket names. Migration 1 creates the first nine, migration 2 sources
// and tokens, migration 3 users, sessions, labels and topics, migration 4
// the search index's six (see migrate.go and index.go).
var (
	bucketMeta      = []byte("meta")      // metaSchemaKey -> schema version (8 bytes, big-endian)
	bucketFeeds     = []byte("feeds")     // feed URL -> FeedState (JSON)
	bucketArticles  = []byte("articles")  // article ID -> news.Article (JSON)
	bucketByTime    = []byte("by_time")   // timeKey(published or fetched) ‖ article ID -> empty
	bucketByTopic   = []byte("by_topic")  // topic ‖ 0x00 ‖ timeKey ‖ article ID -> empty
	bucketUnmatched = []byte("unmatched") // timeKey(fetched) ‖ article ID -> empty; what Prune may delete
	bucketSeen      = []byte("seen")      // seenKey(item key) -> article ID, or empty
	bucketAlerts    = []byte("alerts")    // alert ID -> news.Alert (JSON)
	bucketDue       = []byte("due")       // timeKey(NextAt) ‖ alert ID -> empty; pending alerts only
	bucketSources   = []byte("sources")   // feed key (canonical URL) -> Source (JSON); feeds added at run time
	bucketTokens    = []byte("tokens")    // SHA-256 of an API token -> Token (JSON)
	bucketUsers     = []byte("users")     // user name -> User (JSON)
	bucketSessions  = []byte("sessions")  // SHA-256 of a session secret -> session (JSON)
	bucketLabels    = []byte("labels")    // article ID ‖ 0x00 ‖ topic ‖ 0x00 ‖ user -> label (JSON)
	bucketTopics    = []byte("topics")    // topic name -> SavedTopic (JSON); topics saved at run time

	// The search index (index.go). Articles are numbered in the order
	// they are indexed (doc numbers, docKey); a segment holds the posting
	// lists of a range of them.
	bucketIdxMeta     = []byte("idx_meta")     // idxVersionKey etc. -> the index's state (see index.go)
	bucketIdxDocs     = []byte("idx_docs")     // docKey(n) -> timeKey ‖ article ID (the by_time key); present while the article is
	bucketIdxIDs      = []byte("idx_ids")      // article ID -> docKey(n)
	bucketIdxRecent   = []byte("idx_recent")   // docKey(n) -> the article's terms, front-coded (encodeTerms); not yet in a segment
	bucketIdxPostings = []byte("idx_postings") // segKey(segment) -> a bucket of the segment's postings: term -> doc numbers ascending, the first as a uvarint, then the gaps
	bucketIdxSegments = []byte("idx_segments") // segKey(segment) -> segment (docs, first and last doc number, 3 × 4 bytes)

	// Evidence and revisions (migration 4 -> 5, see captures.go, revisions.go
	// and refetch.go; capture_log since migration 6 -> 7).
	bucketCaptures    = []byte("captures")     // captureKey(article ID, seq) -> logKey in capture_log; before schema 7, the manifest (news.Capture, JSON)
	bucketCaptureData = []byte("capture_data") // captureKey(article ID, seq) -> the exchange's bytes, zstd; captures from before schema 7 only
	bucketCaptureLog  = []byte("capture_log")  // logKey(n), in write order -> uvarint(len(manifest)) ‖ manifest (JSON) ‖ the exchange's bytes, zstd
	bucketRevisions   = []byte("revisions")    // captureKey(article ID, seq) -> RevisionRecord (JSON, zstd)
	bucketRefetch     = []byte("refetch")      // timeKey(due) ‖ article ID -> Refetch (JSON): the due-queue
)

// Story buckets, created by migration 5 (see stories.go).
var (
	bucketStories      = []byte("stories")       // story ID -> news.Story (JSON)
	bucketStoryMembers = []byte("story_members") // story ID ‖ 0x00 ‖ article ID -> news.StoryMember (JSON)
	bucketStoryUpdated = []byte("story_updated") // timeKey(Story.Updated) ‖ story ID -> empty
	bucketStoryWindow  = []byte("story_window")  // timeKey(member fetched, or later: windowKey) ‖ article ID -> story ID ‖ 0x00 ‖ features
	bucketStoryCopies  = []byte("story_copies")  // original's article ID ‖ 0x00 ‖ copy's article ID -> news.Copy (JSON)
)

// allBuckets lists the buckets of the current schema.
var allBuckets = [][]byte{
	bucketMeta, bucketFeeds, bucketArticles, bucketByTime, bucketByTopic,
	bucketUnmatched, bucketSeen, bucketAlerts, bucketDue, bucketSources, bucketTokens,
	bucketUsers, bucketSessions, bucketLabels, bucketTopics,
	bucketIdxMeta, bucketIdxDocs, bucketIdxIDs, bucketIdxRecent, bucketIdxPostings, bucketIdxSegments,
	bucketCaptures, bucketCaptureData, bucketRevisions, bucketRefetch,
	bucketCaptureLog,
	bucketStories, bucketStoryMembers, bucketStoryUpdated, bucketStoryWindow, bucketStoryCopies,
}

// indexBuckets are the search index's buckets, which a rebuild empties.
var indexBuckets = [][]byte{bucketIdxMeta, bucketIdxDocs, bucketIdxIDs, bucketIdxRecent, bucketIdxPostings, bucketIdxSegments}

// metaSchemaKey holds the schema version in bucketMeta.
var metaSchemaKey = []byte("schema_version")

// timeKeyLen is the length of an encoded time.
const timeKeyLen = 8

// topicSep ends the topic part of a by_topic key. Topic names must not
// contain it.
const topicSep = 0x00

// errBadKey reports an index key that does not decode.
var errBadKey = errors.New("malformed index key")

// The range of times a time key can hold exactly (Unix nanoseconds).
var (
	minKeyTime = time.Unix(0, math.MinInt64+1)
	maxKeyTime = time.Unix(0, math.MaxInt64)
)

// encodeTime encodes t as 8 bytes whose byte order is time order: Unix
// nanoseconds with the sign bit flipped, big-endian. The zero time encodes
// as all zeros, before every other time; times outside 1677–2262 are
// clamped to that range.
func encodeTime(t time.Time) []byte {
	b := make([]byte, timeKeyLen)
	putTime(b, t)
	return b
}

// putTime writes encodeTime(t) into b[:8].
func putTime(b []byte, t time.Time) {
	var n int64
	switch {
	case t.IsZero():
		n = math.MinInt64
	case t.Before(minKeyTime):
		n = math.MinInt64 + 1
	case t.After(maxKeyTime):
		n = math.MaxInt64
	default:
		n = t.UnixNano()
	}
	binary.BigEndian.PutUint64(b, uint64(n)^(1<<63))
}

// decodeTime is the inverse of encodeTime. It returns times in UTC.
func decodeTime(b []byte) (time.Time, error) {
	if len(b) != timeKeyLen {
		return time.Time{}, fmt.Errorf("time key of %d bytes: %w", len(b), errBadKey)
	}
	n := int64(binary.BigEndian.Uint64(b) ^ (1 << 63))
	if n == math.MinInt64 {
		return time.Time{}, nil
	}
	return time.Unix(0, n).UTC(), nil
}

// timeIDKey builds timeKey(t) ‖ id, the key of by_time, unmatched and due.
func timeIDKey(t time.Time, id string) []byte {
	k := make([]byte, timeKeyLen+len(id))
	putTime(k, t)
	copy(k[timeKeyLen:], id)
	return k
}

// splitTimeIDKey is the inverse of timeIDKey.
func splitTimeIDKey(k []byte) (time.Time, string, error) {
	if len(k) < timeKeyLen {
		return time.Time{}, "", fmt.Errorf("time-id key of %d bytes: %w", len(k), errBadKey)
	}
	t, err := decodeTime(k[:timeKeyLen])
	return t, string(k[timeKeyLen:]), err
}

// topicPrefix is the common prefix of every by_topic key of topic.
func topicPrefix(topic string) []byte {
	p := make([]byte, 0, len(topic)+1)
	p = append(p, topic...)
	return append(p, topicSep)
}

// topicKey builds topic ‖ 0x00 ‖ timeKey(t) ‖ id, the key of by_topic.
func topicKey(topic string, t time.Time, id string) ([]byte, error) {
	if err := checkTopic(topic); err != nil {
		return nil, err
	}
	k := topicPrefix(topic)
	return append(k, timeIDKey(t, id)...), nil
}

// splitTopicKey is the inverse of topicKey.
func splitTopicKey(k []byte) (topic string, t time.Time, id string, err error) {
	i := bytes.IndexByte(k, topicSep)
	if i < 0 {
		return "", time.Time{}, "", fmt.Errorf("topic key without separator: %w", errBadKey)
	}
	t, id, err = splitTimeIDKey(k[i+1:])
	return string(k[:i]), t, id, err
}

// checkTopic rejects topic names that cannot be index keys.
func checkTopic(topic string) error {
	if topic == "" {
		return errors.New("empty topic name")
	}
	if bytes.IndexByte([]byte(topic), topicSep) >= 0 {
		return fmt.Errorf("topic %q contains a NUL byte", topic)
	}
	return nil
}

// seenKeyLen is the length of a seen-set key.
const seenKeyLen = 16

// seenKey hashes an item key (canonical URL or GUID) to its seen-set key:
// the first 16 bytes of its SHA-256. Fixed-length keys keep long URLs out
// of the B+tree's branch pages.
func seenKey(itemKey string) []byte {
	sum := sha256.Sum256([]byte(itemKey))
	return sum[:seenKeyLen]
}

// docKey encodes a doc number: 4 bytes, big-endian, so that doc order is
// key order. Segment ids (segKey) are encoded the same way.
func docKey(n uint32) []byte { return binary.BigEndian.AppendUint32(nil, n) }

// segKey encodes a segment id; the posting list of term in segment seg
// is at segKey(seg) ‖ term.
func segKey(seg uint32) []byte { return binary.BigEndian.AppendUint32(nil, seg) }

// decodeDoc decodes a docKey or segKey.
func decodeDoc(b []byte) (uint32, error) {
	if len(b) != 4 {
		return 0, fmt.Errorf("doc number of %d bytes: %w", len(b), errBadKey)
	}
	return binary.BigEndian.Uint32(b), nil
}

// captureKey builds article ID ‖ seq (4 bytes, big-endian), the key of
// captures, capture_data and revisions: an article's entries are one
// range, in order.
func captureKey(id string, seq int) []byte {
	k := make([]byte, 0, len(id)+4)
	k = append(k, id...)
	return binary.BigEndian.AppendUint32(k, uint32(seq))
}

// splitCaptureKey is the inverse of captureKey.
func splitCaptureKey(k []byte) (string, int, error) {
	if len(k) < 4 {
		return "", 0, fmt.Errorf("capture key of %d bytes: %w", len(k), errBadKey)
	}
	n := len(k) - 4
	return string(k[:n]), int(binary.BigEndian.Uint32(k[n:])), nil
}

// logKeyLen is the length of a capture log key.
const logKeyLen = 8

// logKey encodes the n-th capture log entry: 8 bytes, big-endian, so
// that write order is key order and new entries go at the end.
func logKey(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

// encodeUint encodes a schema version.
func encodeUint(v uint64) []byte {
	return binary.BigEndian.AppendUint64(nil, v)
}

// decodeUint decodes a schema version.
func decodeUint(b []byte) (uint64, error) {
	if len(b) != 8 {
		return 0, fmt.Errorf("integer of %d bytes: %w", len(b), errBadKey)
	}
	return binary.BigEndian.Uint64(b), nil
}
