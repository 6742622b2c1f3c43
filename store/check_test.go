package store

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/newswatch/newswatch/news"
)

func TestCheckFindsDamage(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	as := loadArticles(t)
	m := byLang(as)
	alerts := []news.Alert{testAlert("ngo@example.org", m["ar"], t0), testAlert("ngo@example.org", m["zh"], t0)}
	if _, err := s.SavePoll(Poll{Feed: FeedState{URL: "https://example.org/feed"}, Seen: urls(as), Articles: as, Alerts: alerts}); err != nil {
		t.Fatal(err)
	}
	mustCheck(t, s)

	// Damage the indexes behind the store's back.
	err := s.db.Update(func(tx *bolt.Tx) error {
		k, _ := topicKey("trafficking", m["vi"].Published, m["vi"].ID)
		return errors.Join(
			tx.Bucket(bucketDue).Delete(timeIDKey(t0, alerts[0].ID)),
			tx.Bucket(bucketByTime).Put(timeIDKey(t0, "0123456789abcdef0123"), nil),
			tx.Bucket(bucketByTopic).Delete(k),
		)
	})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s.Check(t.Context())
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("Check(damaged store) = %v, want ErrCorrupt", err)
	}
	for _, want := range []string{
		"pending alert " + alerts[0].ID + " has no due entry",
		"index by_time: entry",
		"index by_topic: entry",
	} {
		if !slices.ContainsFunc(rep.Problems, func(p string) bool { return strings.Contains(p, want) }) {
			t.Errorf("Check(damaged store).Problems = %q, want one mentioning %q", rep.Problems, want)
		}
	}
	if len(rep.Problems) != 3 {
		t.Errorf("Check(damaged store) reported %d problems, want 3: %q", len(rep.Problems), rep.Problems)
	}
}

func TestCheckReadOnly(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	if _, err := s.SavePoll(Poll{Feed: FeedState{URL: "https://example.org/feed"}, Articles: loadArticles(t)}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	ro, err := Open(s.Path(), Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	mustCheck(t, ro)
}

func TestUnusableTopicDoesNotLosePoll(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	a := loadArticles(t)[2]
	a.SetHits(append(a.Hits, news.Hit{Topic: "bad\x00name", Term: "x"}, news.Hit{Topic: "", Term: "y"}))
	res, err := s.SavePoll(Poll{Feed: FeedState{URL: a.FeedURL}, Articles: []*news.Article{a}})
	if err != nil || res.NewArticles != 1 {
		t.Fatalf("SavePoll(article with unusable topics) = %+v, %v, want it stored", res, err)
	}
	if got := collect(t, s, Query{Topic: "trafficking"}); len(got) != 1 {
		t.Errorf("ForEachArticle(trafficking) = %d articles, want 1", len(got))
	}
	mustCheck(t, s)
}

func TestDanglingDueEntryIgnored(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	a := loadArticles(t)[1]
	al := testAlert("ngo@example.org", a, t0.Add(time.Hour))
	if _, err := s.EnqueueAlerts([]news.Alert{al}); err != nil {
		t.Fatal(err)
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketDue).Put(timeIDKey(t0, "alt_gone"), nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	wantNextDue(t, s, t0.Add(time.Hour), true)
	if due, err := s.DueAlerts(t0.Add(2*time.Hour), 0); err != nil || len(due) != 1 || due[0].ID != al.ID {
		t.Errorf("DueAlerts() = %v, %v, want only %s", alertIDs(due), err, al.ID)
	}
}
