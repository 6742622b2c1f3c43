package store

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/news"
)

func TestPrune(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	as := loadArticles(t)
	m := byLang(as)
	if _, err := s.SavePoll(Poll{Feed: FeedState{URL: "https://example.org/feed"}, Seen: urls(as), Articles: as}); err != nil {
		t.Fatal(err)
	}
	// Fetched before the cutoff: vi-rice (19th), ru (18th) are unmatched;
	// vi (20th) and ar (21st) are matched and stay. en (25th) is too new.
	n, err := s.Prune(t.Context(), time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC))
	if err != nil || n != 2 {
		t.Errorf("Prune() = %d, %v, want 2", n, err)
	}
	want := []*news.Article{m["vi"], m["ar"], m["zh"], m["fr"], m["es"], m["en"]}
	if diff := cmp.Diff(urls(want), urls(collect(t, s, Query{All: true}))); diff != "" {
		t.Errorf("articles after Prune mismatch (-want +got):\n%s", diff)
	}
	for _, a := range []*news.Article{m["vi-rice"], m["ru"]} {
		if _, err := s.Article(a.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("Article(%q) after Prune = %v, want ErrNotFound", a.ID, err)
		}
	}
	if unseen, err := s.Unseen(urls(as)); err != nil || len(unseen) != 0 {
		t.Errorf("Unseen() after Prune = %q, %v, want none: pruned items must stay seen", unseen, err)
	}
	for b, want := range map[string]int{string(bucketByTime): 6, string(bucketUnmatched): 1, string(bucketSeen): 8} {
		if got := bucketLen(t, s, []byte(b)); got != want {
			t.Errorf("bucket %s has %d keys after Prune, want %d", b, got, want)
		}
	}
	mustCheck(t, s)
	if n, err := s.Prune(t.Context(), time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)); err != nil || n != 0 {
		t.Errorf("second Prune() = %d, %v, want 0", n, err)
	}
}

func TestPruneManyInBatches(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	const n = 2*pruneBatch + 123
	var as []*news.Article
	for i := range n {
		as = append(as, &news.Article{URL: fmt.Sprintf("https://ar.example.org/%d", i), Title: "خبر عاجل", Lang: "ar",
			Fetched: t0.Add(-time.Duration(i) * time.Hour)})
	}
	if _, err := s.SavePoll(Poll{Feed: FeedState{URL: "https://ar.example.org/rss"}, Articles: as}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Prune(t.Context(), t0.Add(-99*time.Hour)) // keeps hours 0..99
	if want := n - 100; err != nil || got != want {
		t.Errorf("Prune() = %d, %v, want %d", got, err, want)
	}
	if left := len(collect(t, s, Query{All: true})); left != 100 {
		t.Errorf("%d articles left after Prune, want 100", left)
	}

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := s.Prune(ctx, t0); !errors.Is(err, context.Canceled) {
		t.Errorf("Prune(cancelled) = %v, want context.Canceled", err)
	}
}

func TestPruneAlerts(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	now := time.Now()
	old, recent := now.Add(-DeliveredRetention-time.Hour), now.Add(-24*time.Hour)
	alerts := []news.Alert{
		{ID: "alt_delivered_old", Created: old, NextAt: old},
		{ID: "alt_delivered_recent", Created: old, NextAt: old},
		{ID: "alt_failed_old", Created: old, NextAt: old},
		{ID: "alt_pending_old", Created: old, NextAt: old},
	}
	if _, err := s.EnqueueAlerts(alerts); err != nil {
		t.Fatal(err)
	}
	for id, at := range map[string]time.Time{"alt_delivered_old": old, "alt_delivered_recent": recent} {
		if err := s.MarkDelivered(id, at); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.MarkFailed("alt_failed_old", old, "HTTP 404"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Prune(t.Context(), now); err != nil {
		t.Fatalf("Prune() = %v", err)
	}
	left, err := s.ListAlerts("")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"alt_delivered_recent", "alt_failed_old", "alt_pending_old"}
	if diff := cmp.Diff(want, alertIDs(left)); diff != "" {
		t.Errorf("alerts after Prune mismatch (-want +got):\n%s", diff)
	}
}
