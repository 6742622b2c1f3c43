package store

import (
	"errors"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/newswatch/newswatch/news"
)

// MaxRecentItems is how many publish times FeedState.RecentItems keeps.
const MaxRecentItems = 50

// FeedState is what the store remembers about one feed between polls, so
// that a restarted daemon resumes its schedule and conditional requests.
type FeedState struct {
	URL          string
	Name         string
	ETag         string
	LastModified string
	LastPoll     time.Time // last attempt
	LastSuccess  time.Time
	NextPoll     time.Time
	Status       int    // last HTTP status; 0 = network error or none yet
	Errors       int    // consecutive failures (a feed is never disabled)
	LastError    string // empty after a success
	ItemsSeen    int    // total items seen in this feed
	// Interval is the effective poll interval last computed.
	Interval time.Duration
	// RecentItems are publish times of the most recent items, ascending,
	// at most MaxRecentItems, for the adaptive interval.
	RecentItems []time.Time
	// ExtractFallbacks counts articles whose site rule found nothing (has
	// the site's layout changed?).
	ExtractFallbacks int
	// ArticleRetries counts, per item key, the polls in a row whose article
	// page failed for a transient reason; the item is retried until a limit.
	ArticleRetries map[string]int `json:",omitempty"`
	// NotBefore is set when the server asked us to wait (Retry-After):
	// the feed is not requested again before it, not even by a one-shot poll.
	NotBefore time.Time
	// ErrorsSince is when the current run of consecutive failures began;
	// zero after a success.
	ErrorsSince time.Time
	// Health is the feed's source health as last classified; empty before
	// its first classification. HealthSince is when it entered that state.
	Health      news.SourceHealth `json:",omitempty"`
	HealthSince time.Time
	// RuleFallbacks records, oldest first, whether each of the most recent
	// articles (at most MaxRuleResults) that had a site rule fell back to
	// the generic extractor: a window, where ExtractFallbacks is a total.
	RuleFallbacks []bool `json:",omitempty"`
	// Daily counts the new articles stored from the feed per day of
	// fetching (UTC), oldest first, for the last MaxDays days that had
	// any. The store keeps it: SavePoll adds what it inserts, and the
	// value a caller passes is ignored.
	Daily []DayCount `json:",omitempty"`

	// Window holds hashes of the item keys of the last poll that read the
	// source's whole window (at most MaxWindow), to find gaps: a poll
	// sharing none of them may have missed items that scrolled out.
	Window []uint64 `json:",omitempty"`
	// Gaps are the most recent gaps found (at most MaxGaps), oldest
	// first; GapsTotal counts every gap since the feed was first polled.
	Gaps      []Gap `json:",omitempty"`
	GapsTotal int   `json:",omitempty"`
	// Turnover is the interval gaps taught: the feed is polled at least
	// this often until polls without a gap relax it; 0 for none.
	Turnover time.Duration `json:",omitempty"`
	// Sitemaps are the child sitemaps of a sitemap index the last poll
	// read, with their validators, so an index that answers 304 still has
	// its children fetched conditionally (at most MaxSitemaps).
	Sitemaps []ChildSitemap `json:",omitempty"`
	// Notes say what the last successful poll of a sitemap or page left
	// out (a bound, links to other sites, broken XML); nil when nothing.
	Notes []string `json:",omitempty"`
}

// Gap is a poll that shared no item with the previous one: items may
// have scrolled out of the feed's window unseen.
type Gap struct {
	At     time.Time
	Window int // items in the feed when the gap was found
}

// ChildSitemap is a child of a sitemap index, as last fetched.
type ChildSitemap struct {
	URL          string
	Modified     time.Time `json:",omitzero"` // the index's <lastmod>
	ETag         string    `json:",omitempty"`
	LastModified string    `json:",omitempty"`
}

// Bounds of the gap and sitemap records of a FeedState.
const (
	MaxWindow   = 200
	MaxGaps     = 20
	MaxSitemaps = 20
)

// DayCount is the number of articles of one UTC day (2006-01-02).
type DayCount struct {
	Day string
	N   int
}

// MaxRuleResults is how many site-rule outcomes FeedState.RuleFallbacks keeps.
const MaxRuleResults = 10

// Feed returns the state of the feed at url, or ErrNotFound.
func (s *Store) Feed(url string) (FeedState, error) {
	st, err := getValue[FeedState](s, bucketFeeds, url)
	if err != nil {
		return FeedState{}, fmt.Errorf("feed %s: %w", url, err)
	}
	return st, nil
}

// Feeds returns the state of every feed, sorted by URL.
func (s *Store) Feeds() ([]FeedState, error) {
	var out []FeedState
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketFeeds)
		if err != nil {
			return err
		}
		return b.ForEach(func(k, v []byte) error {
			var st FeedState
			if err := decode(v, &st); err != nil {
				return fmt.Errorf("feed %s: %w", k, err)
			}
			out = append(out, st)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("feeds: %w", err)
	}
	return out, nil // bbolt iterates in key order, which is URL order
}

// SaveFeedState records a poll that brought nothing new (a 304, an error,
// only seen items). Polls with new items use SavePoll, which saves the
// feed state in the same transaction as the items.
func (s *Store) SaveFeedState(st FeedState) error {
	err := s.save(func(tx *bolt.Tx) error { return putFeed(tx, st, nil) })
	if err != nil {
		return fmt.Errorf("save feed %s: %w", st.URL, err)
	}
	return nil
}

// putFeed writes st, trimming RecentItems to the newest MaxRecentItems,
// RuleFallbacks to the newest MaxRuleResults, Gaps to the newest MaxGaps,
// and Window and Sitemaps to their first MaxWindow and MaxSitemaps, with
// the stored Daily counts plus added (day -> new articles).
func putFeed(tx *bolt.Tx, st FeedState, added map[string]int) error {
	if st.URL == "" {
		return errors.New("feed state without URL")
	}
	st.RuleFallbacks = st.RuleFallbacks[max(0, len(st.RuleFallbacks)-MaxRuleResults):]
	st.Gaps = st.Gaps[max(0, len(st.Gaps)-MaxGaps):]
	st.Window = st.Window[:min(len(st.Window), MaxWindow)]
	st.Sitemaps = st.Sitemaps[:min(len(st.Sitemaps), MaxSitemaps)]
	if len(st.RecentItems) > 0 {
		recent := slices.Clone(st.RecentItems)
		slices.SortFunc(recent, time.Time.Compare)
		st.RecentItems = recent[max(0, len(recent)-MaxRecentItems):]
	}
	b, err := bucket(tx, bucketFeeds)
	if err != nil {
		return err
	}
	if st.Daily, err = dailyCounts(b.Get([]byte(st.URL)), added); err != nil {
		return fmt.Errorf("feed %s: %w", st.URL, err)
	}
	v, err := encode(st)
	if err != nil {
		return err
	}
	return b.Put([]byte(st.URL), v)
}
