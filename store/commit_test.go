package store

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/newswatch/newswatch/news"
)

// TestCommitGroupFailsAlone commits three saves as one group, the middle
// one failing after it wrote: the other two commit together and the
// failing one's write is not stored.
func TestCommitGroupFailsAlone(t *testing.T) {
	s := openTest(t)
	errBad := errors.New("bad poll")
	txOf := map[string]int{}
	save := func(url string, fail bool) *saveRequest {
		return &saveRequest{done: make(chan saveOutcome, 1), fn: func(tx *bolt.Tx) error {
			txOf[url] = tx.ID()
			if err := putFeed(tx, FeedState{URL: url, LastPoll: t0}, nil); err != nil {
				return err
			}
			if fail {
				return errBad
			}
			return nil
		}}
	}
	group := []*saveRequest{save("https://a.example/feed", false), save("https://b.example/feed", true), save("https://c.example/feed", false)}
	s.commitGroup(slices.Clone(group))
	for i, want := range []error{nil, errBad, nil} {
		if got := (<-group[i].done).err; !errors.Is(got, want) {
			t.Errorf("save %d = %v, want %v", i, got, want)
		}
	}
	feeds, err := s.Feeds()
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, f := range feeds {
		urls = append(urls, f.URL)
	}
	if want := []string{"https://a.example/feed", "https://c.example/feed"}; !slices.Equal(urls, want) {
		t.Errorf("Feeds() = %q, want %q", urls, want)
	}
	if a, c := txOf["https://a.example/feed"], txOf["https://c.example/feed"]; a != c {
		t.Errorf("the good saves committed in transactions %d and %d, want one", a, c)
	}
}

// TestSavePollConcurrent saves polls from many goroutines at once, as the
// monitor's workers do, one of them invalid: every valid poll is stored
// whole, the invalid one fails alone and stores nothing.
func TestSavePollConcurrent(t *testing.T) {
	s := openTest(t)
	const polls, perPoll = 24, 5
	errs := make([]error, polls)
	var wg sync.WaitGroup
	for i := range polls {
		wg.Go(func() {
			p := Poll{Feed: FeedState{URL: fmt.Sprintf("https://site%d.example/feed", i), LastPoll: t0}}
			for j := range perPoll {
				a := &news.Article{URL: fmt.Sprintf("https://site%d.example/%d", i, j), Title: "t", Text: "text", Fetched: t0}
				if i == 7 && j == 3 {
					a.URL = "" // no ID, no URL: the poll is refused
				}
				p.Articles = append(p.Articles, a)
				p.Seen = append(p.Seen, a.URL)
			}
			_, errs[i] = s.SavePoll(p)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if (err != nil) != (i == 7) {
			t.Errorf("SavePoll(poll %d) = %v", i, err)
		}
	}
	for i := range polls {
		_, err := s.Feed(fmt.Sprintf("https://site%d.example/feed", i))
		for j := range perPoll {
			_, aerr := s.Article(news.ArticleID(fmt.Sprintf("https://site%d.example/%d", i, j)))
			if i == 7 && (err == nil || aerr == nil) {
				t.Errorf("poll 7 (refused): feed %v, article %d %v; want neither stored", err, j, aerr)
			}
			if i != 7 && (err != nil || aerr != nil) {
				t.Errorf("poll %d: feed %v, article %d %v; want both stored", i, err, j, aerr)
			}
		}
	}
}
