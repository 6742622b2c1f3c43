package alerts

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// storyArticles are three articles of one story: a Vietnamese one that
// opens it, its English edition and a copy of the Vietnamese one.
func storyArticles(t0 time.Time) []*news.Article {
	hit := func(field string) []news.Hit {
		return []news.Hit{{Topic: "trafficking", Term: "trafficking", Field: field, Snippet: "trafficking"}}
	}
	arts := []*news.Article{
		{ID: "a1", URL: "https://vnp.example/vi/1", Source: "VietnamPlus", Title: "Giải cứu bốn thiếu nữ bị lừa bán", Lang: "vi", Fetched: t0, Hits: hit("title"), Story: "sty_a1"},
		{ID: "a2", URL: "https://vnp.example/en/1", Source: "VietnamPlus English", Title: "Four girls rescued from traffickers", Lang: "en", Fetched: t0.Add(10 * time.Minute), Hits: hit("title"), Story: "sty_a1"},
		{ID: "a3", URL: "https://copy.example/1", Source: "Copycat", Title: "Bốn thiếu nữ được giải cứu", Lang: "vi", Fetched: t0.Add(11 * time.Minute), Hits: hit("title"), Story: "sty_a1", DuplicateOf: "a1"},
	}
	for _, a := range arts {
		a.SetHits(a.Hits)
	}
	return arts
}

// saveStoryPoll saves articles with their story memberships and the
// alerts r plans, as the monitor does, and returns the alerts inserted.
func saveStoryPoll(t *testing.T, s *store.Store, r *Router, arts []*news.Article, now time.Time) int {
	t.Helper()
	p := store.Poll{Feed: store.FeedState{URL: "https://vnp.example/rss"}, Articles: arts}
	for _, a := range arts {
		p.Alerts = append(p.Alerts, r.Plan(a, now)...)
		p.Stories = append(p.Stories, news.StoryMember{Story: a.Story, ArticleID: a.ID, URL: a.URL, Source: a.Source,
			Lang: a.Lang, Title: a.Title, Fetched: a.Fetched, Topics: a.Topics, DuplicateOf: a.DuplicateOf})
	}
	res, err := s.SavePoll(p)
	if err != nil {
		t.Fatal(err)
	}
	return res.NewAlerts
}

func TestStoryAlertsOncePerStory(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 11, 23, 9, 5, 0, 0, time.UTC)
	for _, tt := range []struct {
		mode        string
		wantAlerts  []int  // inserted by the polls of a1, then a2 with a3
		wantUpdate  string // the update's type; "" for none
		updateAfter time.Duration
	}{
		{StoryUpdatesDigest, []int{1, 1}, StoryUpdateType, 3*time.Hour - 5*time.Minute}, // due at 12:00, the end of the interval
		{StoryUpdatesImmediate, []int{1, 1}, StoryUpdateType, 10 * time.Minute},
		{StoryUpdatesNone, []int{1, 0}, "", 0},
	} {
		t.Run(tt.mode, func(t *testing.T) {
			rc := newReceiver(t, nil)
			clock := &fixedClock{t: t0}
			s := openStore(t)
			d, err := NewDispatcher(s, []Subscriber{webhookSub("desk", rc.URL, "trafficking")}, SMTPConfig{},
				Config{StoryUpdates: tt.mode}, Options{AllowPrivateNetworks: true, Now: clock.Now}, nil)
			if err != nil {
				t.Fatal(err)
			}
			arts := storyArticles(t0)
			if n := saveStoryPoll(t, s, d.Router(), arts[:1], t0); n != tt.wantAlerts[0] {
				t.Errorf("first article: %d alerts, want %d", n, tt.wantAlerts[0])
			}
			clock.Set(t0.Add(10 * time.Minute))
			if n := saveStoryPoll(t, s, d.Router(), arts[1:], t0.Add(10*time.Minute)); n != tt.wantAlerts[1] {
				t.Errorf("later article and copy: %d alerts, want %d", n, tt.wantAlerts[1])
			}
			if err := d.Drain(t.Context()); err != nil { // the clock is fixed: what is due now
				t.Fatal(err)
			}
			reqs := rc.requests()
			if len(reqs) == 0 || reqs[0].Event.Type != EventType || reqs[0].ID != StoryAlertID("desk", news.ChannelWebhook, "sty_a1") {
				t.Fatalf("first request = %+v, want the story's article.matched", reqs)
			}
			st := reqs[0].Event.Data.Story
			if st == nil || st.ID != "sty_a1" || st.ArticleCount != 3 || len(st.Languages) != 2 || len(st.Sources) != 3 || st.Title != "Giải cứu bốn thiếu nữ bị lừa bán" {
				t.Errorf("story of the alert = %+v, want sty_a1 with 3 articles in vi, en from 3 sources", st)
			}
			clock.Set(t0.Add(tt.updateAfter))
			if err := d.Drain(t.Context()); err != nil { // the clock is fixed: what is due now
				t.Fatal(err)
			}
			reqs = rc.requests()
			if tt.wantUpdate == "" {
				if len(reqs) != 1 {
					t.Errorf("%d requests, want the story's alone", len(reqs))
				}
				return
			}
			if len(reqs) != 2 {
				t.Fatalf("%d requests, want the story's alert and one update", len(reqs))
			}
			var ev StoryEvent
			if err := json.Unmarshal(reqs[1].Body, &ev); err != nil || ev.Type != tt.wantUpdate || ev.Data.Story.ID != "sty_a1" ||
				len(ev.Data.Articles) != 1 || ev.Data.Articles[0].ID != "a2" {
				t.Errorf("update = %s (%v), want %s of sty_a1 listing a2 alone", reqs[1].Body, err, tt.wantUpdate)
			}
		})
	}
}

// TestStoryAlertInDigest: a digest subscriber finds the story's later
// article in the next digest, grouped with its story.
func TestStoryAlertInDigest(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 11, 23, 9, 5, 0, 0, time.UTC)
	r, err := NewRouter([]Subscriber{{Name: "daily", Topics: []string{"trafficking"}, Email: &EmailTarget{To: []string{"d@example.org"}, Digest: DigestDaily}}})
	if err != nil {
		t.Fatal(err)
	}
	arts := storyArticles(t0)
	first := r.Plan(arts[0], t0)
	later := r.Plan(arts[1], t0.Add(10*time.Minute))
	copied := r.Plan(arts[2], t0.Add(11*time.Minute))
	if len(first) != 1 || first[0].Kind != news.AlertStory || first[0].Digest != "daily/2026-11-24" {
		t.Fatalf("first = %+v, want the story's alert in tomorrow's digest", first)
	}
	if len(later) != 1 || later[0].ID != first[0].ID || later[0].Fallback == nil || later[0].Fallback.Digest != first[0].Digest ||
		later[0].Fallback.Kind != news.AlertStoryUpdate || later[0].Fallback.ArticleID != "a2" {
		t.Errorf("later = %+v, want the story's alert falling back to an update in the same digest", later)
	}
	if len(copied) != 1 || copied[0].Fallback != nil {
		t.Errorf("copy = %+v, want the story's alert and no update", copied)
	}
}
