package store

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	bolt "go.etcd.io/bbolt"

	"github.com/newswatch/newswatch/news"
)

// storyPoll is a poll of articles in one story: the first opens it, the
// second (in another language) joins it, the third copies the first.
func storyPoll(t0 time.Time) Poll {
	arts := []*news.Article{
		{ID: "a1", URL: "https://vnp.example/vi/1", Source: "VietnamPlus", Title: "Giải cứu bốn thiếu nữ", Text: "Văn bản.", Lang: "vi", Fetched: t0, Topics: []string{"trafficking"}, Story: "sty_a1"},
		{ID: "a2", URL: "https://vnp.example/en/1", Source: "VietnamPlus English", Title: "Four girls rescued", Text: "Text.", Lang: "en", Fetched: t0.Add(time.Minute), Published: t0.Add(-time.Hour), Story: "sty_a1"},
		{ID: "a3", URL: "https://copy.example/1", Source: "Copycat", Title: "Bốn thiếu nữ được giải cứu", Text: "Văn bản.", Lang: "vi", Fetched: t0.Add(2 * time.Minute), Story: "sty_a1", DuplicateOf: "a1"},
	}
	p := Poll{Feed: FeedState{URL: "https://vnp.example/rss"}, Articles: arts}
	for i, a := range arts {
		m := news.StoryMember{Story: a.Story, ArticleID: a.ID, URL: a.URL, Source: a.Source, Lang: a.Lang, Title: a.Title,
			Published: a.Published, Fetched: a.Fetched, Topics: a.Topics, DuplicateOf: a.DuplicateOf, Features: []byte{1, byte(i)}}
		if i > 0 {
			m.With, m.Score, m.Evidence = "a1", 3.2, []news.Evidence{{Kind: news.EvidenceNumber, Value: "150000"}}
		}
		p.Stories = append(p.Stories, m)
	}
	return p
}

func TestSavePollStories(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	t0 := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	p := storyPoll(t0)
	for range 2 { // saved twice: counted once
		if _, err := s.SavePoll(p); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Story("sty_a1")
	if err != nil {
		t.Fatal(err)
	}
	want := news.Story{
		ID: "sty_a1", Titles: map[string]string{"vi": "Giải cứu bốn thiếu nữ", "en": "Four girls rescued"},
		First: t0.Add(-time.Hour), Last: t0.Add(2 * time.Minute), Updated: t0.Add(2 * time.Minute),
		Langs: []string{"en", "vi"}, Sources: []string{"Copycat", "VietnamPlus", "VietnamPlus English"},
		Topics: []string{"trafficking"}, Articles: 3, Copies: 1,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Story() (-want +got):\n%s", d)
	}
	members, err := s.StoryMembers("sty_a1")
	if err != nil || len(members) != 3 || members[0].ArticleID != "a2" || members[2].Evidence[0].Value != "150000" {
		t.Errorf("StoryMembers() = %+v, %v; want a2, a1, a3 by time with their evidence", members, err)
	}
	orig, err := s.Article("a1")
	if err != nil || len(orig.Copies) != 1 || orig.Copies[0].URL != "https://copy.example/1" || !orig.Copies[0].FirstSeen.Equal(t0.Add(2*time.Minute)) {
		t.Errorf("original's copies = %+v, %v; want the copy once", orig.Copies, err)
	}
	cp, err := s.Article("a3")
	if err != nil || cp.Text == "" || cp.DuplicateOf != "a1" || cp.Story != "sty_a1" {
		t.Errorf("copy = %+v, %v; want its text, duplicate_of a1, its story", cp, err)
	}
	win, err := s.StoryWindow(t.Context(), t0.Add(30*time.Second))
	if err != nil || len(win) != 2 || win[0].ArticleID != "a2" || win[1].Features[1] != 2 {
		t.Errorf("StoryWindow() = %+v, %v; want a2 and a3 with their features", win, err)
	}
	list, err := s.Stories(t.Context(), StoryQuery{Topic: "trafficking"})
	if err != nil || len(list) != 1 || list[0].ID != "sty_a1" {
		t.Errorf("Stories(trafficking) = %+v, %v", list, err)
	}
	if list, _ := s.Stories(t.Context(), StoryQuery{Topic: "un"}); len(list) != 0 {
		t.Errorf("Stories(un) = %+v, want none", list)
	}
	if list, _ := s.Stories(t.Context(), StoryQuery{Since: t0.Add(time.Hour)}); len(list) != 0 {
		t.Errorf("Stories(since later) = %+v, want none", list)
	}
	// A later poll closes the window before the copy.
	if _, err := s.SavePoll(Poll{Feed: FeedState{URL: "https://vnp.example/rss"}, StoryWindowStart: t0.Add(90 * time.Second)}); err != nil {
		t.Fatal(err)
	}
	if win, _ := s.StoryWindow(t.Context(), time.Time{}); len(win) != 1 || win[0].ArticleID != "a3" {
		t.Errorf("StoryWindow() after expiry = %+v, want a3 alone", win)
	}
	if _, err := s.Story("sty_none"); err == nil {
		t.Error("Story(sty_none) = nil error, want ErrNotFound")
	}
}

// TestSavePollStoriesPollByPoll: a story that grows poll by poll in two
// stores at once counts each store's own articles: a story header kept
// decoded between polls is used only while the stored bytes match.
func TestSavePollStoriesPollByPoll(t *testing.T) {
	a, b := openTest(t), openTest(t)
	t0 := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	p := storyPoll(t0)
	poll := func(s *Store, i int) {
		t.Helper()
		if _, err := s.SavePoll(Poll{Feed: p.Feed, Articles: p.Articles[i : i+1], Stories: p.Stories[i : i+1]}); err != nil {
			t.Fatal(err)
		}
	}
	poll(a, 0)
	poll(b, 0)
	poll(b, 1)
	poll(a, 1)
	poll(a, 2)
	for _, c := range []struct {
		s              *Store
		articles, copy int
		sources        []string
	}{
		{a, 3, 1, []string{"Copycat", "VietnamPlus", "VietnamPlus English"}},
		{b, 2, 0, []string{"VietnamPlus", "VietnamPlus English"}},
	} {
		got, err := c.s.Story("sty_a1")
		if err != nil || got.Articles != c.articles || got.Copies != c.copy || !cmp.Equal(got.Sources, c.sources) {
			t.Errorf("Story() = %+v, %v; want %d articles, %d copies, sources %v", got, err, c.articles, c.copy, c.sources)
		}
	}
}

// TestStoryWindowOutOfOrder: polls saved in another order than their
// articles were fetched append to the story window (keyed after the
// last key), and the window still returns and expires members by their
// fetch time.
func TestStoryWindowOutOfOrder(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	t0 := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	p := storyPoll(t0)
	for _, i := range []int{2, 0, 1} { // fetched at t0+2m, t0, t0+1m
		if _, err := s.SavePoll(Poll{Feed: p.Feed, Articles: p.Articles[i : i+1], Stories: p.Stories[i : i+1]}); err != nil {
			t.Fatal(err)
		}
	}
	var keys []string
	var last time.Time
	if err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketStoryWindow).ForEach(func(k, _ []byte) error {
			kt, id, err := splitTimeIDKey(k)
			keys, last = append(keys, id), kt
			return err
		})
	}); err != nil {
		t.Fatal(err)
	}
	if want := []string{"a3", "a1", "a2"}; !cmp.Equal(keys, want) || !last.Equal(t0.Add(2*time.Minute+2)) {
		t.Errorf("story window keys = %v, last at %v; want %v, the order saved", keys, last, want)
	}
	ids := func(ms []news.StoryMember) (out []string) {
		for _, m := range ms {
			out = append(out, m.ArticleID)
		}
		return out
	}
	win, err := s.StoryWindow(t.Context(), t0.Add(30*time.Second))
	if got, want := ids(win), []string{"a2", "a3"}; err != nil || !cmp.Equal(got, want) || !win[0].Fetched.Equal(t0.Add(time.Minute)) {
		t.Errorf("StoryWindow(t0+30s) = %v, %v; want %v, oldest first, fetched as saved", got, err, want)
	}
	// Expiry keeps what was fetched inside the window.
	if _, err := s.SavePoll(Poll{Feed: p.Feed, StoryWindowStart: t0.Add(90 * time.Second)}); err != nil {
		t.Fatal(err)
	}
	win, err = s.StoryWindow(t.Context(), t0.Add(90*time.Second))
	if got, want := ids(win), []string{"a3"}; err != nil || !cmp.Equal(got, want) {
		t.Errorf("StoryWindow(t0+90s) after expiry = %v, %v; want %v", got, err, want)
	}
	if _, err := s.SavePoll(Poll{Feed: p.Feed, StoryWindowStart: last.Add(time.Second)}); err != nil {
		t.Fatal(err)
	}
	if win, err := s.StoryWindow(t.Context(), time.Time{}); err != nil || len(win) != 0 {
		t.Errorf("StoryWindow() after the last expiry = %v, %v; want none", ids(win), err)
	}
}
