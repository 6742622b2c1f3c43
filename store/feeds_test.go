package store

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestFeedState(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	if _, err := s.Feed("https://www.vietnamplus.vn/rss/home.rss"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Feed(unknown) = %v, want ErrNotFound", err)
	}
	var recent []time.Time
	for i := range MaxRecentItems + 10 { // newest first, as feeds list them
		recent = append(recent, t0.Add(-time.Duration(i)*time.Hour))
	}
	states := []FeedState{
		{URL: "https://www.vietnamplus.vn/rss/home.rss", Name: "VietnamPlus", ETag: `"5f3a"`, LastModified: "Tue, 24 Nov 2026 09:00:00 GMT",
			LastPoll: t0, LastSuccess: t0, NextPoll: t0.Add(10 * time.Minute), Status: 200, ItemsSeen: 60,
			Interval: 10 * time.Minute, RecentItems: recent, ExtractFallbacks: 2},
		{URL: "https://news.un.org/feed/subscribe/zh/news/all/rss.xml", Name: "联合国新闻", LastPoll: t0,
			Errors: 4, LastError: "fetch: HTTP 503", Status: 503, NextPoll: t0.Add(2 * time.Hour)},
		{URL: "https://news.un.org/feed/subscribe/ar/news/all/rss.xml", Name: "أخبار الأمم المتحدة"},
	}
	for _, st := range states {
		if err := s.SaveFeedState(st); err != nil {
			t.Fatalf("SaveFeedState(%q) = %v", st.URL, err)
		}
	}
	if err := s.SaveFeedState(FeedState{Name: "no URL"}); err == nil {
		t.Error("SaveFeedState(no URL) = nil, want error")
	}

	got, err := s.Feed(states[0].URL)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(got.RecentItems); n != MaxRecentItems || !got.RecentItems[0].Equal(recent[MaxRecentItems-1]) || !got.RecentItems[n-1].Equal(t0) {
		t.Errorf("Feed().RecentItems = %d times from %v to %v, want the newest %d ascending", n, got.RecentItems[0], got.RecentItems[n-1], MaxRecentItems)
	}
	if len(states[0].RecentItems) != MaxRecentItems+10 || !states[0].RecentItems[0].Equal(t0) {
		t.Error("SaveFeedState modified the caller's RecentItems")
	}
	got.RecentItems = states[0].RecentItems // checked above
	if diff := cmp.Diff(states[0], got); diff != "" {
		t.Errorf("Feed() mismatch (-want +got):\n%s", diff)
	}

	all, err := s.Feeds()
	if err != nil {
		t.Fatal(err)
	}
	var gotURLs []string
	for _, st := range all {
		gotURLs = append(gotURLs, st.URL)
	}
	want := []string{states[2].URL, states[1].URL, states[0].URL}
	if diff := cmp.Diff(want, gotURLs); diff != "" {
		t.Errorf("Feeds() order mismatch (-want +got):\n%s", diff)
	}
}

// TestFeedStateGapsAndSitemaps checks that gap records, the window and a
// sitemap index's children survive a save, bounded.
func TestFeedStateGapsAndSitemaps(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	st := FeedState{URL: "https://www.vietnamplus.vn/sitemap.xml", Turnover: 4 * time.Minute, GapsTotal: MaxGaps + 5,
		Notes: []string{"ignored 2 link(s) to other sites"}}
	for i := range MaxGaps + 5 {
		st.Gaps = append(st.Gaps, Gap{At: t0.Add(time.Duration(i) * time.Hour), Window: 50})
	}
	for i := range MaxWindow + 30 {
		st.Window = append(st.Window, uint64(i)<<40|uint64(i))
	}
	for i := range MaxSitemaps + 3 {
		st.Sitemaps = append(st.Sitemaps, ChildSitemap{URL: fmt.Sprintf("https://www.vietnamplus.vn/sitemaps/news-2026-%d.xml", 12-i),
			Modified: t0.AddDate(0, -i, 0), ETag: fmt.Sprintf(`"%d"`, i)})
	}
	if err := s.SaveFeedState(st); err != nil {
		t.Fatal(err)
	}
	got, err := s.Feed(st.URL)
	if err != nil {
		t.Fatal(err)
	}
	want := st
	want.Gaps = st.Gaps[5:]                   // the newest
	want.Window = st.Window[:MaxWindow]       // the first, as the poll listed them
	want.Sitemaps = st.Sitemaps[:MaxSitemaps] // newest first
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Feed() mismatch (-want +got):\n%s", diff)
	}
}
