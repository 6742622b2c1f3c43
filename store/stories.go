package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/newswatch/newswatch/news"
)

// Stories. A poll saves each article's story membership with the article
// (SavePoll): the member record, the story's header updated to count it,
// and the article's features in story_window while its story can still
// grow, so that a restart rebuilds the story package's window from
// StoryWindow. A near-duplicate is listed among its original's copies in
// a bucket of their own, one key per copy: a wire story reprinted a
// thousand times costs a thousand small writes, not a thousand rewrites
// of the original article with an ever longer list.

// storyBuckets are the buckets a membership is saved in.
type storyBuckets struct {
	stories, members, updated, window, copies, articles *bolt.Bucket
}

func openStoryBuckets(tx *bolt.Tx) (storyBuckets, error) {
	bs, err := buckets(tx, bucketStories, bucketStoryMembers, bucketStoryUpdated, bucketStoryWindow, bucketStoryCopies, bucketArticles)
	if err != nil {
		return storyBuckets{}, err
	}
	bs[3].FillPercent = 0.95 // appended to (windowKey), deleted from the front
	return storyBuckets{bs[0], bs[1], bs[2], bs[3], bs[4], bs[5]}, nil
}

// memberKey builds story ID ‖ 0x00 ‖ article ID.
func memberKey(story, article string) []byte {
	k := make([]byte, 0, len(story)+1+len(article))
	k = append(k, story...)
	k = append(k, 0)
	return append(k, article...)
}

// saveMembers stores the memberships of a poll and drops from the window
// what was fetched before windowStart. A membership already stored is
// left as it is, so a poll saved twice counts its articles once. Each
// story the poll adds to is read and written once, however many of its
// articles the poll holds.
func saveMembers(tx *bolt.Tx, members []news.StoryMember, windowStart time.Time) error {
	if len(members) == 0 && windowStart.IsZero() {
		return nil
	}
	sb, err := openStoryBuckets(tx)
	if err != nil {
		return err
	}
	end, err := windowEnd(sb.window)
	if err != nil {
		return fmt.Errorf("story window: %w", err)
	}
	stories := map[string]*news.Story{}
	var order []*news.Story // as first met, so that the writes are the same from run to run
	for i := range members {
		m := &members[i]
		added, err := sb.save(m, &end)
		if err == nil && added && stories[m.Story] == nil {
			var s *news.Story
			if s, err = sb.story(m.Story); err == nil {
				stories[m.Story], order = s, append(order, s)
			}
		}
		if err != nil {
			return fmt.Errorf("story %s, article %s: %w", m.Story, m.ArticleID, err)
		}
		if added {
			stories[m.Story].Add(m)
		}
	}
	for _, s := range order {
		if err := sb.putStory(s); err != nil {
			return fmt.Errorf("story %s: %w", s.ID, err)
		}
	}
	if windowStart.IsZero() {
		return nil
	}
	return sb.expire(windowStart)
}

// save stores one membership, with its features and its place among its
// original's copies, and reports whether it was new; its story's header
// is the caller's. windowEnd is the time of the window's last key, which
// save moves on (see windowKey).
func (sb storyBuckets) save(m *news.StoryMember, windowEnd *time.Time) (bool, error) {
	if m.Story == "" || m.ArticleID == "" {
		return false, errors.New("membership without story or article")
	}
	mk := memberKey(m.Story, m.ArticleID)
	if sb.members.Get(mk) != nil {
		return false, nil
	}
	v, err := encode(m)
	if err != nil {
		return false, err
	}
	if err := sb.members.Put(mk, v); err != nil {
		return false, err
	}
	if len(m.Features) > 0 {
		w := append(append([]byte(m.Story), 0), m.Features...)
		if err := sb.window.Put(windowKey(m, windowEnd), w); err != nil {
			return false, err
		}
	}
	return true, sb.addCopy(m)
}

// windowKey is the story window's key for m: its fetch time, or a
// nanosecond after the window's last key (*end) if that is later, and
// then its article ID. The workers of a poll fetch concurrently and their polls commit in
// another order than their articles were fetched: keyed by fetch time
// alone, a commit inserted its features among those of the last seconds,
// rewriting (and reading back through the map) a leaf for nearly every
// member; keyed so, every key goes after the last one, a commit appends to
// the window's last leaf, and the window's leaves are full (FillPercent). A key is never before its member's fetch
// time, so expire, which deletes the keys before the window's start,
// never drops a member fetched inside the window, and StoryWindow seeks
// to the first key it may need and skips the members fetched earlier.
func windowKey(m *news.StoryMember, end *time.Time) []byte {
	*end = later(m.Fetched, end.Add(time.Nanosecond))
	return timeIDKey(*end, m.ArticleID)
}

// later returns the later of a and b.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// windowEnd returns the time of the story window's last key, or the zero
// time if it is empty.
func windowEnd(b *bolt.Bucket) (time.Time, error) {
	k, _ := b.Cursor().Last()
	if k == nil {
		return time.Time{}, nil
	}
	t, _, err := splitTimeIDKey(k)
	return t, err
}

// story returns the header of story id as stored, or a new one, and
// takes it out of the index by update time until putStory puts it back.
func (sb storyBuckets) story(id string) (*news.Story, error) {
	s := &news.Story{ID: id}
	old := sb.stories.Get([]byte(id))
	if old == nil {
		return s, nil
	}
	if err := storyHeaders.decode(id, old, s); err != nil {
		return nil, err
	}
	return s, sb.updated.Delete(timeIDKey(s.Updated, s.ID))
}

// putStory stores the header of story s and indexes it by update time.
func (sb storyBuckets) putStory(s *news.Story) error {
	v, err := encode(s)
	if err != nil {
		return err
	}
	if err := sb.stories.Put([]byte(s.ID), v); err != nil {
		return err
	}
	storyHeaders.keep(v, s)
	return sb.updated.Put(timeIDKey(s.Updated, s.ID), nil)
}

// storyHeaders keeps the story headers last written, decoded, with the
// bytes they were written as: a story that grows poll after poll is
// decoded from JSON once, not at each of its articles. An entry is used
// only while the stored bytes are the same, so a transaction rolled back
// or another store cannot make it wrong. It holds at most
// maxStoryHeaders stories, forgetting them all when full.
var storyHeaders = &headerCache{m: map[string]cachedHeader{}}

const maxStoryHeaders = 1024

type headerCache struct {
	mu sync.Mutex
	m  map[string]cachedHeader
}

type cachedHeader struct {
	raw []byte // as written: never changed after
	s   news.Story
}

// decode decodes raw, story id's stored header, into s.
func (hc *headerCache) decode(id string, raw []byte, s *news.Story) error {
	hc.mu.Lock()
	c, ok := hc.m[id]
	hc.mu.Unlock()
	if ok && bytes.Equal(c.raw, raw) {
		*s = c.s.Clone() // the caller adds to it
		return nil
	}
	return decode(raw, s)
}

// keep remembers s as written in raw; the caller changes neither after.
func (hc *headerCache) keep(raw []byte, s *news.Story) {
	hc.mu.Lock()
	defer hc.mu.Unlock()
	if len(hc.m) >= maxStoryHeaders {
		clear(hc.m)
	}
	c := cachedHeader{raw: raw, s: *s}
	// as decoded: no monotonic clock reading, which comparisons would prefer
	c.s.First, c.s.Last, c.s.Updated = s.First.Round(0), s.Last.Round(0), s.Updated.Round(0)
	hc.m[s.ID] = c
}

// addCopy lists a near-duplicate among its original's copies.
func (sb storyBuckets) addCopy(m *news.StoryMember) error {
	if m.DuplicateOf == "" || sb.articles.Get([]byte(m.DuplicateOf)) == nil {
		return nil // not a copy; or its original was pruned, or is in a poll not saved yet
	}
	k := memberKey(m.DuplicateOf, m.ArticleID)
	if sb.copies.Get(k) != nil {
		return nil
	}
	v, err := encode(news.Copy{ArticleID: m.ArticleID, URL: m.URL, Source: m.Source, FirstSeen: m.Fetched})
	if err != nil {
		return err
	}
	return sb.copies.Put(k, v)
}

// copiesOf returns the copies listed for the article id, first seen
// first.
func copiesOf(tx *bolt.Tx, id string) ([]news.Copy, error) {
	b, err := bucket(tx, bucketStoryCopies)
	if err != nil {
		return nil, err
	}
	var out []news.Copy
	prefix := memberKey(id, "")
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var cp news.Copy
		if err := decode(v, &cp); err != nil {
			return nil, fmt.Errorf("copy %s: %w", k[len(prefix):], err)
		}
		out = append(out, cp)
	}
	slices.SortStableFunc(out, func(a, b news.Copy) int { return a.FirstSeen.Compare(b.FirstSeen) })
	return out, nil
}

// expire deletes the window's features fetched before start.
func (sb storyBuckets) expire(start time.Time) error {
	end := encodeTime(start)
	var old [][]byte
	c := sb.window.Cursor()
	for k, _ := c.First(); k != nil && bytes.Compare(k, end) < 0; k, _ = c.Next() {
		old = append(old, bytes.Clone(k)) // collect, then delete: deleting while iterating skips keys
	}
	for _, k := range old {
		if err := sb.window.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// StoryWindow returns the memberships whose features are kept, fetched at
// or after since, oldest first, with their features: what the story
// package's Tracker.Load rebuilds its window from.
func (s *Store) StoryWindow(ctx context.Context, since time.Time) ([]news.StoryMember, error) {
	var out []news.StoryMember
	err := s.view(func(tx *bolt.Tx) error {
		sb, err := openStoryBuckets(tx)
		if err != nil {
			return err
		}
		c := sb.window.Cursor()
		for k, v := c.Seek(encodeTime(since)); k != nil; k, v = c.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			_, id, err := splitTimeIDKey(k)
			if err != nil {
				return err
			}
			story, features, ok := bytes.Cut(v, []byte{0})
			if !ok {
				return fmt.Errorf("story window entry of article %s: %w", id, errBadKey)
			}
			var m news.StoryMember
			mv := sb.members.Get(memberKey(string(story), id))
			if mv == nil {
				continue // the membership went with its story
			}
			if err := decode(mv, &m); err != nil {
				return err
			}
			if m.Fetched.Before(since) {
				continue // keyed at a later time (see windowKey)
			}
			m.Features = bytes.Clone(features)
			out = append(out, m)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("story window: %w", err)
	}
	// In key order the members of a commit come by article ID (windowKey).
	slices.SortStableFunc(out, func(x, y news.StoryMember) int { return x.Fetched.Compare(y.Fetched) })
	return out, nil
}

// Story returns the story with the given ID, or ErrNotFound.
func (s *Store) Story(id string) (news.Story, error) {
	st, err := getValue[news.Story](s, bucketStories, id)
	if err != nil {
		return news.Story{}, fmt.Errorf("story %s: %w", id, err)
	}
	return st, nil
}

// StoryMembers returns the memberships of a story, in the order of their
// articles' times (published, else fetched).
func (s *Store) StoryMembers(id string) ([]news.StoryMember, error) {
	var out []news.StoryMember
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketStoryMembers)
		if err != nil {
			return err
		}
		prefix := memberKey(id, "")
		c := b.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var m news.StoryMember
			if err := decode(v, &m); err != nil {
				return err
			}
			out = append(out, m)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("members of story %s: %w", id, err)
	}
	slices.SortStableFunc(out, func(x, y news.StoryMember) int { return x.Time().Compare(y.Time()) })
	return out, nil
}

// StoryQuery selects stories: updated at or after Since, with an article
// that matched Topic (any topic when empty), at most Limit (0: all).
type StoryQuery struct {
	Topic string
	Since time.Time
	Limit int
}

// Stories returns the stories q selects, the most recently updated first.
func (s *Store) Stories(ctx context.Context, q StoryQuery) ([]news.Story, error) {
	var out []news.Story
	err := s.view(func(tx *bolt.Tx) error {
		bs, err := buckets(tx, bucketStories, bucketStoryUpdated)
		if err != nil {
			return err
		}
		since := encodeTime(q.Since)
		c := bs[1].Cursor()
		for k, _ := c.Last(); k != nil && (q.Limit <= 0 || len(out) < q.Limit); k, _ = c.Prev() {
			if err := ctx.Err(); err != nil {
				return err
			}
			if len(k) < timeKeyLen || bytes.Compare(k[:timeKeyLen], since) < 0 {
				break
			}
			v := bs[0].Get(k[timeKeyLen:])
			if v == nil {
				continue
			}
			var st news.Story
			if err := decode(v, &st); err != nil {
				return err
			}
			if q.Topic == "" || slices.Contains(st.Topics, q.Topic) {
				out = append(out, st)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list stories: %w", err)
	}
	return out, nil
}
