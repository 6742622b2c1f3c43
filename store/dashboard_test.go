package store

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/news"
)

// browseStore holds n articles one minute apart from t0: every third
// matched "un", every fifth "un2" (a topic whose name starts like "un"),
// the rest unmatched; languages alternate vi, ar; sources go round three
// names, one with characters JSON escapes.
func browseStore(t *testing.T, n int) (*Store, []*news.Article) {
	t.Helper()
	s := openTest(t)
	var as []*news.Article
	for i := range n {
		a := &news.Article{
			URL: fmt.Sprintf("https://example.org/a/%d", i), FeedURL: "https://example.org/rss", Source: []string{"Example", `"Odd" \ source`, "Другой"}[i%3],
			Title: fmt.Sprintf("article %d", i), Lang: []string{"vi", "ar"}[i%2],
			Published: t0.Add(time.Duration(i) * time.Minute), Fetched: t0.Add(time.Duration(i) * time.Minute),
		}
		a.ID = news.ArticleID(a.URL)
		var hits []news.Hit
		if i%3 == 0 {
			hits = append(hits, news.Hit{Topic: "un", Term: "UN", Field: news.FieldTitle})
		}
		if i%5 == 0 {
			hits = append(hits, news.Hit{Topic: "un2", Term: "UN", Field: news.FieldTitle})
		}
		a.SetHits(hits)
		as = append(as, a)
	}
	for i := 0; i < n; i += 40 {
		if _, err := s.SavePoll(Poll{Feed: FeedState{URL: "https://example.org/rss"}, Articles: as[i:min(i+40, n)]}); err != nil {
			t.Fatal(err)
		}
	}
	return s, as
}

// browseAll follows Next from the first page to the last and returns the
// titles, the pages and the most any page read.
func browseAll(t *testing.T, s *Store, b Browse) (titles []string, pages, maxRead int) {
	t.Helper()
	for {
		p, err := s.Browse(t.Context(), b)
		if err != nil {
			t.Fatalf("Browse(%+v) = %v", b, err)
		}
		pages++
		maxRead = max(maxRead, p.Read)
		for _, a := range p.Articles {
			titles = append(titles, a.Title)
		}
		if p.Next == "" {
			return titles, pages, maxRead
		}
		if pages > 1000 {
			t.Fatal("Browse never ends")
		}
		b.After = p.Next
	}
}

// want lists the titles of as that keep accepts, newest first.
func want(as []*news.Article, keep func(i int, a *news.Article) bool) []string {
	var out []string
	for i := len(as) - 1; i >= 0; i-- {
		if keep(i, as[i]) {
			out = append(out, as[i].Title)
		}
	}
	return out
}

func TestBrowse(t *testing.T) {
	t.Parallel()
	s, as := browseStore(t, 300)
	since, until := t0.Add(50*time.Minute), t0.Add(200*time.Minute)
	tests := []struct {
		name string
		b    Browse
		keep func(i int, a *news.Article) bool
	}{
		{"topic", Browse{Topic: "un", Limit: 7}, func(i int, _ *news.Article) bool { return i%3 == 0 }},
		{"topic sharing a prefix", Browse{Topic: "un2", Limit: 10}, func(i int, _ *news.Article) bool { return i%5 == 0 }},
		{"every article", Browse{Limit: 25}, func(int, *news.Article) bool { return true }},
		{"matched only", Browse{MatchedOnly: true, Limit: 9}, func(i int, _ *news.Article) bool { return i%3 == 0 || i%5 == 0 }},
		{"since and until", Browse{Topic: "un", Since: since, Until: until, Limit: 8}, func(i int, _ *news.Article) bool {
			return i%3 == 0 && i >= 50 && i < 200
		}},
		{"keep", Browse{Topic: "un", Limit: 5, Keep: func(a *news.Article) bool { return a.Lang == "ar" }}, func(i int, a *news.Article) bool {
			return i%3 == 0 && a.Lang == "ar"
		}},
		{"budget below the page", Browse{Topic: "un", Limit: 10, Budget: 30, Keep: func(a *news.Article) bool { return a.Lang == "ar" && a.Title[len(a.Title)-1] == '0' }},
			func(i int, a *news.Article) bool { return i%3 == 0 && a.Lang == "ar" && i%10 == 0 }},
		{"lang", Browse{Topic: "un", Lang: "ar", Limit: 4}, func(i int, a *news.Article) bool { return i%3 == 0 && a.Lang == "ar" }},
		{"source", Browse{Source: "Другой", Limit: 6}, func(i int, _ *news.Article) bool { return i%3 == 2 }},
		{"source with escapes", Browse{Source: `"Odd" \ source`, Lang: "vi", Limit: 6}, func(i int, _ *news.Article) bool { return i%3 == 1 && i%2 == 0 }},
		{"lang and keep", Browse{Lang: "vi", Limit: 5, Budget: 5, Keep: func(a *news.Article) bool { return strings.HasSuffix(a.Title, "2") }},
			func(i int, a *news.Article) bool { return a.Lang == "vi" && i%10 == 2 }},
		{"page of one", Browse{Topic: "un2", Limit: 1}, func(i int, _ *news.Article) bool { return i%5 == 0 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, pages, maxRead := browseAll(t, s, tt.b)
			if diff := cmp.Diff(want(as, tt.keep), got); diff != "" {
				t.Errorf("titles differ (-want +got):\n%s", diff)
			}
			budget := max(tt.b.Budget, tt.b.Limit)
			if tt.b.Lang != "" || tt.b.Source != "" {
				budget *= scanFactor
			}
			if maxRead > budget {
				t.Errorf("a page visited %d articles, want at most %d", maxRead, budget)
			}
			if pages < 2 {
				t.Errorf("%d pages, want several", pages)
			}
		})
	}
}

func TestBrowsePageBounds(t *testing.T) {
	t.Parallel()
	s, _ := browseStore(t, 30)
	p, err := s.Browse(t.Context(), Browse{Topic: "un", Limit: 10}) // exactly the 10 "un" articles
	if err != nil || len(p.Articles) != 10 || p.Next != "" {
		t.Errorf("Browse(un, 10) = %d articles, next %q, %v; want 10 and no next page", len(p.Articles), p.Next, err)
	}
	p, err = s.Browse(t.Context(), Browse{Topic: "none", Limit: 10})
	if err != nil || len(p.Articles) != 0 || p.Next != "" {
		t.Errorf("Browse(none) = %d articles, next %q, %v", len(p.Articles), p.Next, err)
	}
	p, _ = s.Browse(t.Context(), Browse{Limit: 3, Budget: 3, Keep: func(*news.Article) bool { return false }})
	if p.Read != 3 || p.Next == "" || !p.Oldest.Equal(t0.Add(27*time.Minute)) {
		t.Errorf("Browse with nothing kept = read %d, next %q, oldest %v; want 3 read, a next page, %v", p.Read, p.Next, p.Oldest, t0.Add(27*time.Minute))
	}
	s, _ = browseStore(t, 300) // more than a batch
	p, err = s.Browse(t.Context(), Browse{Limit: 10, Budget: 1000, Keep: func(a *news.Article) bool { return a.Title == "article 0" }})
	if err != nil || len(p.Articles) != 1 || p.Next != "" || p.Read != 300 {
		t.Errorf("Browse to the end over several batches = %d articles, %d read, next %q, %v; want 1, 300, no next page", len(p.Articles), p.Read, p.Next, err)
	}
	for _, bad := range []string{"!!", "AAAA"} {
		if _, err := s.Browse(t.Context(), Browse{After: bad, Limit: 3}); !errors.Is(err, ErrBadCursor) {
			t.Errorf("Browse(After: %q) = %v, want ErrBadCursor", bad, err)
		}
	}
}

func TestTopicTimes(t *testing.T) {
	t.Parallel()
	s, as := browseStore(t, 100)
	var got []time.Time
	if err := s.TopicTimes("un", t0.Add(30*time.Minute), t0.Add(60*time.Minute), func(t time.Time) { got = append(got, t) }); err != nil {
		t.Fatal(err)
	}
	var wantTimes []time.Time
	for i, a := range as {
		if i%3 == 0 && i >= 30 && i < 60 {
			wantTimes = append(wantTimes, a.Published)
		}
	}
	if diff := cmp.Diff(wantTimes, got, cmp.Comparer(time.Time.Equal)); diff != "" {
		t.Errorf("TopicTimes differ (-want +got):\n%s", diff)
	}
}

func TestUserLabels(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	for _, l := range []Label{
		{ArticleID: "a1", Topic: "un", User: "mai", Label: LabelRelevant},
		{ArticleID: "a1", Topic: "trafficking", User: "mai", Label: LabelNotRelevant},
		{ArticleID: "a1", Topic: "un", User: "xmai", Label: LabelNotRelevant},
		{ArticleID: "a2", Topic: "un", User: "an", Label: LabelRelevant},
		{ArticleID: "a3", Topic: "un", User: "mai", Label: LabelRelevant},
	} {
		if err := s.SetLabel(l); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.UserLabels("mai", []string{"a1", "a2"})
	wantLabels := map[string]map[string]string{"a1": {"un": LabelRelevant, "trafficking": LabelNotRelevant}}
	if err != nil || !cmp.Equal(got, wantLabels) {
		t.Errorf("UserLabels(mai) = %v, %v; want %v", got, err, wantLabels)
	}
}

func TestOutbox(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	var all []news.Alert
	for i := range 23 {
		al := news.Alert{
			ID: fmt.Sprintf("alt_%02d", i), Subscriber: `hostile "State":"failed" \ sub`, Channel: news.ChannelWebhook,
			State: news.AlertPending, NextAt: t0, Created: t0.Add(time.Duration(i/2) * time.Minute), // pairs share a time
			LastError: `"Created":"2099-01-01T00:00:00Z"`,
		}
		all = append(all, al)
	}
	if _, err := s.EnqueueAlerts(all); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 23; i += 3 {
		if err := s.MarkFailed(all[i].ID, t0, `"State":"delivered"`); err != nil {
			t.Fatal(err)
		}
		all[i].State = news.AlertFailed
	}
	for _, state := range []news.AlertState{"", news.AlertPending, news.AlertFailed} {
		var wantIDs []string
		for i := len(all) - 1; i >= 0; i-- { // newest first: later time, then greater ID
			if state == "" || all[i].State == state {
				wantIDs = append(wantIDs, all[i].ID)
			}
		}
		var gotIDs []string
		q := OutboxQuery{State: state, Limit: 4}
		for range 20 {
			p, err := s.Outbox(q)
			if err != nil {
				t.Fatal(err)
			}
			if p.Counts[news.AlertFailed] != 8 || p.Counts[news.AlertPending] != 15 {
				t.Errorf("counts = %v, want 8 failed and 15 pending", p.Counts)
			}
			for _, a := range p.Alerts {
				gotIDs = append(gotIDs, a.ID)
			}
			if p.Next == "" {
				break
			}
			q.After = p.Next
		}
		if !slices.Equal(gotIDs, wantIDs) {
			t.Errorf("Outbox(%q) pages = %v, want %v", state, gotIDs, wantIDs)
		}
	}
	if _, err := s.Outbox(OutboxQuery{After: "bad"}); !errors.Is(err, ErrBadCursor) {
		t.Errorf("Outbox(After: bad) = %v, want ErrBadCursor", err)
	}
}

// TestArticleHead: the probe reads what decoding reads, whatever the
// strings before the fields hold, and declines escaped values.
func TestArticleHead(t *testing.T) {
	t.Parallel()
	for _, a := range []news.Article{
		{Source: "UN News", Lang: "ar", Title: `"Lang":"xx" "Source":"yy"`, Text: `{"Lang":"zz"}`},
		{URL: `https://example.org/?"Source":"no"`, Source: "Tin tức", Lang: "vi"},
		{Source: "", Lang: ""},
	} {
		v, err := encode(a)
		if err != nil {
			t.Fatal(err)
		}
		if source, lang, ok := articleHead(v); !ok || source != a.Source || lang != a.Lang {
			t.Errorf("articleHead(%s) = %q %q %v, want %q %q", v, source, lang, ok, a.Source, a.Lang)
		}
	}
	v, _ := encode(news.Article{Source: `say "hi"`, Lang: "en"})
	if _, _, ok := articleHead(v); ok {
		t.Errorf("articleHead(%s) read an escaped value", v)
	}
}

// TestAlertHead: the probes read what decoding reads, whatever the
// strings before the fields hold, and falls back to decoding.
func TestAlertHead(t *testing.T) {
	t.Parallel()
	for _, al := range []news.Alert{
		{ID: "a", State: news.AlertDelivered, Created: t0},
		{ID: "b", Subscriber: `"State":"failed","Created":"2001-01-01T00:00:00Z"`, Topics: []string{`"State":"x"`}, State: news.AlertPending, Created: t0.Add(time.Nanosecond)},
		{ID: "c", State: `fa\il"ed`, Created: t0.In(time.FixedZone("ICT", 7*3600))},
	} {
		v, err := encode(al)
		if err != nil {
			t.Fatal(err)
		}
		state, rest, err := alertState(v)
		created, err2 := alertCreated(rest, v)
		if err != nil || err2 != nil || state != al.State || !created.Equal(al.Created) {
			t.Errorf("alertState, alertCreated(%s) = %q %v %v %v, want %q %v", v, state, created, err, err2, al.State, al.Created)
		}
	}
}

func TestDailyCounts(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	feed := FeedState{URL: "https://example.org/rss"}
	day := func(d int) time.Time { return t0.AddDate(0, 0, d) }
	save := func(fetched ...time.Time) {
		t.Helper()
		p := Poll{Feed: feed}
		for _, f := range fetched {
			p.Articles = append(p.Articles, &news.Article{URL: fmt.Sprintf("https://example.org/%d", f.UnixNano()), Fetched: f})
		}
		if _, err := s.SavePoll(p); err != nil {
			t.Fatal(err)
		}
	}
	save(day(0), day(0).Add(time.Hour), day(1))
	save(day(1).Add(time.Minute))
	feed.Daily = []DayCount{{Day: "1999-01-01", N: 99}} // ignored: the store keeps the counts
	if err := s.SaveFeedState(feed); err != nil {
		t.Fatal(err)
	}
	save(day(1)) // the same URL: not new, not counted
	save(day(40))
	st, err := s.Feed(feed.URL)
	if err != nil {
		t.Fatal(err)
	}
	wantDays := []DayCount{{Day: day(40).Format(dayLayout), N: 1}}
	if diff := cmp.Diff(wantDays, st.Daily); diff != "" {
		t.Errorf("Daily after 40 days differs (-want +got):\n%s", diff)
	}
	save(day(41), day(41).Add(time.Hour))
	st, _ = s.Feed(feed.URL)
	if got := st.ArticlesPerDay(day(42), 3); !slices.Equal(got, []int{1, 2, 0}) {
		t.Errorf("ArticlesPerDay = %v, want [1 2 0]", got)
	}
}

func TestDailyCountsKeepsRecentDays(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	feed := FeedState{URL: "https://example.org/rss"}
	for d := range 5 {
		a := &news.Article{URL: fmt.Sprintf("https://example.org/%d", d), Fetched: t0.AddDate(0, 0, d)}
		if _, err := s.SavePoll(Poll{Feed: feed, Articles: []*news.Article{a}}); err != nil {
			t.Fatal(err)
		}
	}
	st, _ := s.Feed(feed.URL)
	if got := st.ArticlesPerDay(t0.AddDate(0, 0, 4), 30); got[29] != 1 || got[25] != 1 || got[24] != 0 {
		t.Errorf("ArticlesPerDay over 5 days of one article = %v", got)
	}
}
