package store

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

	"github.com/newswatch/newswatch/news"
)

var t0 = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func testAlert(sub string, a *news.Article, next time.Time) news.Alert {
	return news.Alert{
		ID:         news.AlertID(sub, news.ChannelWebhook, a.ID),
		Subscriber: sub,
		Channel:    news.ChannelWebhook,
		ArticleID:  a.ID,
		Topics:     a.Topics,
		State:      news.AlertPending,
		NextAt:     next,
		Created:    t0,
	}
}

func TestSavePollStoresEverything(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	as := loadArticles(t)
	m := byLang(as)
	feed := FeedState{URL: "https://news.un.org/feed/subscribe/ar/news/all/rss.xml", Name: "UN News (ar)", ETag: `"abc"`, Status: 200, LastSuccess: t0}
	guidOnly := "urn:uuid:6f1c1e4e-3b8a-4d2a-9d44-0c5e2a1b7f10"
	alerts := []news.Alert{testAlert("ngo@example.org", m["ar"], t0), testAlert("ngo@example.org", m["zh"], t0)}

	res, err := s.SavePoll(Poll{Feed: feed, Seen: append(urls(as), guidOnly), Articles: as, Alerts: alerts})
	if err != nil {
		t.Fatalf("SavePoll() = %v", err)
	}
	if want := (PollResult{NewArticles: len(as), NewAlerts: 2}); res != want {
		t.Errorf("SavePoll() = %+v, want %+v", res, want)
	}
	for _, a := range as {
		got, err := s.Article(a.ID)
		if err != nil {
			t.Fatalf("Article(%q) = %v", a.ID, err)
		}
		if diff := cmp.Diff(a, got); diff != "" {
			t.Errorf("Article(%q) mismatch (-want +got):\n%s", a.ID, diff)
		}
	}
	if unseen, err := s.Unseen(append(urls(as), guidOnly)); err != nil || len(unseen) != 0 {
		t.Errorf("Unseen(saved keys) = %q, %v, want none", unseen, err)
	}
	// The store counts the new articles per day of fetching: one a day
	// from 18 to 25 November in testdata.
	feed.Daily = []DayCount{{"2026-11-18", 1}, {"2026-11-19", 1}, {"2026-11-20", 1}, {"2026-11-21", 1}, {"2026-11-22", 1}, {"2026-11-23", 1}, {"2026-11-24", 1}, {"2026-11-25", 1}}
	if got, err := s.Feed(feed.URL); err != nil || !cmp.Equal(got, feed) {
		t.Errorf("Feed(%q) = %+v, %v, want %+v", feed.URL, got, err, feed)
	}
	due, err := s.DueAlerts(t0, 0)
	if err != nil || len(due) != 2 {
		t.Errorf("DueAlerts() = %d alerts, %v, want 2", len(due), err)
	}
	st, err := s.Stats()
	if err != nil {
		t.Fatal(err)
	}
	topics := map[string]int{}
	for _, a := range as {
		for _, tp := range a.Topics {
			topics[tp]++
		}
	}
	want := Stats{SchemaVersion: SchemaVersion, FileSize: st.FileSize, DataSize: st.DataSize, Feeds: 1, Articles: 8, Matched: 5, SeenKeys: 9,
		Topics: topics, Alerts: map[news.AlertState]int{news.AlertPending: 2}}
	if diff := cmp.Diff(want, st); diff != "" {
		t.Errorf("Stats() mismatch (-want +got):\n%s", diff)
	}
}

func TestSavePollIsAtomic(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	as := loadArticles(t)
	bad := testAlert("ngo@example.org", as[0], t0)
	bad.ID = "" // fails after the articles and seen keys were written
	_, err := s.SavePoll(Poll{Feed: FeedState{URL: as[0].FeedURL}, Seen: urls(as), Articles: as, Alerts: []news.Alert{bad}})
	if err == nil {
		t.Fatal("SavePoll(alert without ID) = nil, want error")
	}
	for _, a := range as {
		if _, err := s.Article(a.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("Article(%q) after failed poll = %v, want ErrNotFound", a.ID, err)
		}
	}
	if unseen, _ := s.Unseen(urls(as)); len(unseen) != len(as) {
		t.Errorf("Unseen() after failed poll = %d keys, want %d", len(unseen), len(as))
	}
	if _, err := s.Feed(as[0].FeedURL); !errors.Is(err, ErrNotFound) {
		t.Errorf("Feed() after failed poll = %v, want ErrNotFound", err)
	}
	for _, b := range [][]byte{bucketByTime, bucketByTopic, bucketUnmatched, bucketDue, bucketAlerts} {
		if n := bucketLen(t, s, b); n != 0 {
			t.Errorf("bucket %s has %d keys after failed poll, want 0", b, n)
		}
	}
}

func TestSameArticleStoredOnce(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	a := loadArticles(t)[0]
	viaOther := *a
	viaOther.FeedURL, viaOther.Source = "https://en.vietnamplus.vn/rss/society.rss", "VietnamPlus (en)"

	polls := []struct {
		name string
		p    Poll
		want PollResult
	}{
		{"first feed", Poll{Feed: FeedState{URL: a.FeedURL}, Articles: []*news.Article{a, a}}, PollResult{NewArticles: 1}},
		{"second feed", Poll{Feed: FeedState{URL: viaOther.FeedURL}, Articles: []*news.Article{&viaOther}}, PollResult{}},
	}
	for _, tc := range polls {
		got, err := s.SavePoll(tc.p)
		if err != nil || got != tc.want {
			t.Errorf("SavePoll(%s) = %+v, %v, want %+v", tc.name, got, err, tc.want)
		}
	}
	got, err := s.Article(a.ID)
	if err != nil || got.FeedURL != a.FeedURL {
		t.Errorf("Article(%q).FeedURL = %v, want the first feed %q", a.ID, err, a.FeedURL)
	}
	var visited []string
	err = s.ForEachArticle(t.Context(), Query{All: true}, func(a *news.Article) error {
		visited = append(visited, a.ID)
		return nil
	})
	if err != nil || len(visited) != 1 {
		t.Errorf("ForEachArticle() visited %q, %v, want one article", visited, err)
	}
	for _, b := range [][]byte{bucketByTime, bucketByTopic} {
		if n := bucketLen(t, s, b); n != 1 {
			t.Errorf("bucket %s has %d keys, want 1", b, n)
		}
	}
}

func TestUnseen(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	as := loadArticles(t)
	guid := "tag:news.un.org,2026:story/1120009"
	if _, err := s.SavePoll(Poll{Feed: FeedState{URL: as[0].FeedURL}, Seen: []string{guid, ""}, Articles: as[:2]}); err != nil {
		t.Fatal(err)
	}
	s = reopen(t, s) // the seen-set survives a restart

	tests := []struct {
		name string
		keys []string
		want []string
	}{
		{"nil", nil, nil},
		{"all seen", []string{as[0].URL, guid, as[1].URL}, nil},
		{"order kept", []string{as[3].URL, as[0].URL, as[2].URL}, []string{as[3].URL, as[2].URL}},
		{"duplicates dropped", []string{as[2].URL, as[2].URL, guid, as[2].URL}, []string{as[2].URL}},
		{"empty key never seen", []string{"", "", as[0].URL}, []string{""}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Unseen(tc.keys)
			if err != nil || !slices.Equal(got, tc.want) {
				t.Errorf("Unseen(%q) = %q, %v, want %q", tc.keys, got, err, tc.want)
			}
		})
	}
}

func TestSeenValues(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	a := loadArticles(t)[1]
	guid := "https://news.un.org/ar/story/2026/11/1120001?guid"
	// First the GUID alone (zero-length value, bbolt#726), then with the article.
	if _, err := s.SavePoll(Poll{Feed: FeedState{URL: a.FeedURL}, Seen: []string{guid}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SavePoll(Poll{Feed: FeedState{URL: a.FeedURL}, Seen: []string{a.URL}, Articles: []*news.Article{a}}); err != nil {
		t.Fatal(err)
	}
	s = reopen(t, s)
	tests := []struct {
		key, want string
	}{
		{guid, ""},
		{a.URL, a.ID},
	}
	for _, tc := range tests {
		var got []byte
		err := s.view(func(tx *bolt.Tx) error {
			got = append([]byte(nil), tx.Bucket(bucketSeen).Get(seenKey(tc.key))...)
			return nil
		})
		if err != nil || string(got) != tc.want {
			t.Errorf("seen[%q] = %q, %v, want %q", tc.key, got, err, tc.want)
		}
		if unseen, _ := s.Unseen([]string{tc.key}); len(unseen) != 0 {
			t.Errorf("Unseen(%q) = %q, want none", tc.key, unseen)
		}
	}
}

func TestUpdateArticleTopics(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	as := loadArticles(t)
	m := byLang(as)
	if _, err := s.SavePoll(Poll{Feed: FeedState{URL: "https://example.org/feed"}, Articles: as}); err != nil {
		t.Fatal(err)
	}
	rice := []news.Hit{{Topic: "agriculture", Term: "lúa gạo", Field: news.FieldTitle, Start: 4, End: 14, Snippet: "Giá lúa gạo tăng mạnh"}}
	if err := s.UpdateArticleTopics(m["vi-rice"].ID, rice, time.Now()); err != nil {
		t.Fatalf("UpdateArticleTopics(rice) = %v", err)
	}
	if err := s.UpdateArticleTopics(m["fr"].ID, nil, time.Now()); err != nil {
		t.Fatalf("UpdateArticleTopics(fr, nil) = %v", err)
	}
	if err := s.UpdateArticleTopics("0000", nil, time.Now()); !errors.Is(err, ErrNotFound) {
		t.Errorf("UpdateArticleTopics(unknown) = %v, want ErrNotFound", err)
	}
	tests := []struct {
		q    Query
		want []*news.Article
	}{
		{Query{Topic: "agriculture"}, []*news.Article{m["vi-rice"]}},
		{Query{Topic: "united-nations"}, []*news.Article{m["ar"], m["zh"]}},
		{Query{}, []*news.Article{m["vi-rice"], m["vi"], m["ar"], m["zh"], m["es"]}},
	}
	for _, tc := range tests {
		got := collect(t, s, tc.q)
		if diff := cmp.Diff(urls(tc.want), urls(got)); diff != "" {
			t.Errorf("ForEachArticle(%+v) mismatch (-want +got):\n%s", tc.q, diff)
		}
	}
	got, err := s.Article(m["vi-rice"].ID)
	if err != nil || !slices.Equal(got.Topics, []string{"agriculture"}) || !cmp.Equal(got.Hits, rice) {
		t.Errorf("Article(rice) = %+v, %v, want topics [agriculture]", got, err)
	}
	mustCheck(t, s)
	if n := bucketLen(t, s, bucketUnmatched); n != 3 { // ru, en, fr
		t.Errorf("unmatched index has %d keys, want 3", n)
	}
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	as := loadArticles(t)
	var wg sync.WaitGroup
	for i, a := range as {
		wg.Go(func() {
			al := testAlert("ngo@example.org", a, t0)
			if _, err := s.SavePoll(Poll{Feed: FeedState{URL: a.FeedURL}, Seen: []string{a.URL}, Articles: []*news.Article{a}, Alerts: []news.Alert{al}}); err != nil {
				t.Errorf("SavePoll(%d) = %v", i, err)
			}
		})
		wg.Go(func() {
			if _, err := s.Unseen(urls(as)); err != nil {
				t.Errorf("Unseen() = %v", err)
			}
			if err := s.ForEachArticle(t.Context(), Query{All: true}, func(*news.Article) error { return nil }); err != nil {
				t.Errorf("ForEachArticle() = %v", err)
			}
		})
	}
	wg.Wait()
	if got := collect(t, s, Query{All: true}); len(got) != len(as) {
		t.Errorf("ForEachArticle() = %d articles after concurrent polls, want %d", len(got), len(as))
	}
}

// TestUnmatchedByRematchKeptForRetention: an article that loses its last
// topic is pruned only a retention period after that moment, however old
// it is, never at once.
func TestUnmatchedByRematchKeptForRetention(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	as := loadArticles(t)
	fr := byLang(as)["fr"]
	if !fr.Matched() {
		t.Fatal("fixture: the fr article should be matched")
	}
	if _, err := s.SavePoll(Poll{Feed: FeedState{URL: "https://example.org/feed"}, Articles: as}); err != nil {
		t.Fatal(err)
	}
	lost := fr.Fetched.Add(365 * 24 * time.Hour) // a rematch a year later
	if err := s.UpdateArticleTopics(fr.ID, nil, lost); err != nil {
		t.Fatal(err)
	}
	mustCheck(t, s)
	if _, err := s.Prune(t.Context(), lost.Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Article(fr.ID); err != nil {
		t.Fatalf("Article(fr) after a prune just before it lost its topic = %v, want kept", err)
	}
	if _, err := s.Prune(t.Context(), lost.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Article(fr.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Article(fr) after retention from losing its topic = %v, want ErrNotFound", err)
	}
	mustCheck(t, s)
}
