package store

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/news"
)

// alertIDs lists the IDs of alerts, in order.
func alertIDs(as []news.Alert) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.ID)
	}
	return out
}

func wantDue(t *testing.T, s *Store, now time.Time, limit int, want ...string) {
	t.Helper()
	got, err := s.DueAlerts(now, limit)
	if err != nil {
		t.Fatalf("DueAlerts(%v, %d) = %v", now, limit, err)
	}
	if diff := cmp.Diff(want, alertIDs(got)); diff != "" {
		t.Errorf("DueAlerts(%v, %d) mismatch (-want +got):\n%s", now, limit, diff)
	}
	pending, err := s.ListAlerts(news.AlertPending)
	if err != nil {
		t.Fatal(err)
	}
	if n := bucketLen(t, s, bucketDue); n != len(pending) {
		t.Errorf("due index has %d entries for %d pending alerts", n, len(pending))
	}
}

func wantNextDue(t *testing.T, s *Store, want time.Time, wantOK bool) {
	t.Helper()
	got, ok, err := s.NextDue()
	if err != nil || ok != wantOK || !got.Equal(want) {
		t.Errorf("NextDue() = %v, %v, %v, want %v, %v", got, ok, err, want, wantOK)
	}
}

func TestOutboxStateMachine(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	m := byLang(loadArticles(t))
	minute := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }
	a1 := testAlert("hotline@example.org", m["vi"], minute(2))
	a2 := testAlert("hotline@example.org", m["ar"], minute(1))
	a3 := testAlert("research@example.edu", m["zh"], minute(5))
	wantNextDue(t, s, time.Time{}, false)
	if n, err := s.EnqueueAlerts([]news.Alert{a1, a2, a3}); n != 3 || err != nil {
		t.Fatalf("EnqueueAlerts() = %d, %v, want 3", n, err)
	}

	wantDue(t, s, minute(3), 0, a2.ID, a1.ID)
	wantDue(t, s, minute(3), 1, a2.ID)
	wantDue(t, s, minute(0), 0)
	wantNextDue(t, s, minute(1), true)

	// A retry moves the due entry.
	if err := s.MarkRetry(a2.ID, minute(3), minute(10), "HTTP 503"); err != nil {
		t.Fatalf("MarkRetry() = %v", err)
	}
	wantDue(t, s, minute(3), 0, a1.ID)
	wantNextDue(t, s, minute(2), true)
	got, err := s.Alert(a2.ID)
	want := a2
	want.Attempts, want.LastAttempt, want.LastError, want.NextAt = 1, minute(3), "HTTP 503", minute(10)
	if err != nil || !cmp.Equal(got, want) {
		t.Errorf("Alert(%q) after MarkRetry = %+v, %v, want %+v", a2.ID, got, err, want)
	}

	// A postponed alert moves without using up an attempt.
	if err := s.PostponeAlert(a2.ID, minute(12), "not attempted: HTTP 429"); err != nil {
		t.Fatalf("PostponeAlert() = %v", err)
	}
	wantDue(t, s, minute(11), 0, a1.ID, a3.ID)
	wantDue(t, s, minute(12), 0, a1.ID, a3.ID, a2.ID)
	got, err = s.Alert(a2.ID)
	want.LastError, want.NextAt = "not attempted: HTTP 429", minute(12)
	if err != nil || !cmp.Equal(got, want) {
		t.Errorf("Alert(%q) after PostponeAlert = %+v, %v, want %+v", a2.ID, got, err, want)
	}

	// A dead letter is no longer due.
	if err := s.MarkFailed(a1.ID, minute(3), "HTTP 410"); err != nil {
		t.Fatalf("MarkFailed() = %v", err)
	}
	if err := s.MarkFailed(a1.ID, minute(4), "again"); err != nil {
		t.Errorf("MarkFailed(failed) = %v, want nil", err)
	}
	wantDue(t, s, minute(60), 0, a3.ID, a2.ID)
	if failed, err := s.ListAlerts(news.AlertFailed); err != nil || len(failed) != 1 || failed[0].LastError != "HTTP 410" {
		t.Errorf("ListAlerts(failed) = %+v, %v, want a1 with HTTP 410", failed, err)
	}
	if err := s.MarkRetry(a1.ID, minute(4), minute(5), "x"); !errors.Is(err, ErrAlertState) {
		t.Errorf("MarkRetry(failed) = %v, want ErrAlertState", err)
	}
	if err := s.PostponeAlert(a1.ID, minute(5), "x"); !errors.Is(err, ErrAlertState) {
		t.Errorf("PostponeAlert(failed) = %v, want ErrAlertState", err)
	}

	// RetryAlert brings it back, due now, with a fresh attempt count.
	if err := s.RetryAlert(a1.ID, minute(4)); err != nil {
		t.Fatalf("RetryAlert() = %v", err)
	}
	wantDue(t, s, minute(4), 0, a1.ID)
	if got, _ := s.Alert(a1.ID); got.State != news.AlertPending || got.Attempts != 0 || got.LastError != "HTTP 410" {
		t.Errorf("Alert(%q) after RetryAlert = %+v, want pending, 0 attempts, last error kept", a1.ID, got)
	}

	// Delivery is idempotent and final.
	for _, at := range []time.Time{minute(6), minute(7)} {
		if err := s.MarkDelivered(a3.ID, at); err != nil {
			t.Fatalf("MarkDelivered(%v) = %v", at, err)
		}
	}
	if got, _ := s.Alert(a3.ID); got.State != news.AlertDelivered || !got.Delivered.Equal(minute(6)) || got.Attempts != 1 {
		t.Errorf("Alert(%q) after two MarkDelivered = %+v, want delivered at %v after 1 attempt", a3.ID, got, minute(6))
	}
	wantDue(t, s, minute(60), 0, a1.ID, a2.ID)
	for name, err := range map[string]error{
		"MarkRetry":  s.MarkRetry(a3.ID, minute(8), minute(9), "x"),
		"MarkFailed": s.MarkFailed(a3.ID, minute(8), "x"),
		"RetryAlert": s.RetryAlert(a3.ID, minute(8)),
	} {
		if !errors.Is(err, ErrAlertState) {
			t.Errorf("%s(delivered) = %v, want ErrAlertState", name, err)
		}
	}

	counts, err := s.CountAlerts()
	if want := map[news.AlertState]int{news.AlertPending: 2, news.AlertDelivered: 1}; err != nil || !cmp.Equal(counts, want) {
		t.Errorf("CountAlerts() = %v, %v, want %v", counts, err, want)
	}
	mustCheck(t, s)
	all, err := s.ListAlerts("")
	if err != nil || len(all) != 3 {
		t.Errorf("ListAlerts(\"\") = %d alerts, %v, want 3", len(all), err)
	}
}

func TestAlertNeverDuplicated(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	a := loadArticles(t)[2]
	al := testAlert("ngo@example.org", a, t0)
	poll := Poll{Feed: FeedState{URL: a.FeedURL}, Articles: []*news.Article{a}, Alerts: []news.Alert{al, al}}
	if res, err := s.SavePoll(poll); err != nil || res.NewAlerts != 1 {
		t.Fatalf("SavePoll(same alert twice) = %+v, %v, want 1 new alert", res, err)
	}
	if err := s.MarkDelivered(al.ID, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	// The same article polled again (a crash before the feed state was
	// saved, or another feed) and a test enqueue must not resurrect it.
	if res, err := s.SavePoll(poll); err != nil || res != (PollResult{}) {
		t.Errorf("SavePoll(again) = %+v, %v, want nothing new", res, err)
	}
	if n, err := s.EnqueueAlerts([]news.Alert{al}); err != nil || n != 0 {
		t.Errorf("EnqueueAlerts(existing) = %d, %v, want 0", n, err)
	}
	s = reopen(t, s)
	all, err := s.ListAlerts("")
	if err != nil || len(all) != 1 || all[0].State != news.AlertDelivered {
		t.Errorf("ListAlerts() = %+v, %v, want one delivered alert", all, err)
	}
	wantDue(t, s, t0.Add(time.Hour), 0)
}

func TestAlertNotFound(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	ops := map[string]error{
		"MarkDelivered": s.MarkDelivered("alt_missing", t0),
		"MarkRetry":     s.MarkRetry("alt_missing", t0, t0, ""),
		"MarkFailed":    s.MarkFailed("alt_missing", t0, ""),
		"RetryAlert":    s.RetryAlert("alt_missing", t0),
	}
	_, ops["Alert"] = s.Alert("alt_missing")
	for name, err := range ops {
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("%s(missing) = %v, want ErrNotFound", name, err)
		}
	}
}

func TestEnqueueDefaultsToPending(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	al := news.Alert{ID: "alt_digest", Subscriber: "team@example.org", Channel: news.ChannelEmail, Digest: "daily/2026-11-25"}
	if n, err := s.EnqueueAlerts([]news.Alert{al}); n != 1 || err != nil {
		t.Fatalf("EnqueueAlerts() = %d, %v, want 1", n, err)
	}
	wantDue(t, s, t0, 0, "alt_digest") // zero NextAt: due at once
	if _, err := s.EnqueueAlerts([]news.Alert{{Subscriber: "x"}}); err == nil {
		t.Error("EnqueueAlerts(no ID) = nil, want error")
	}
}
