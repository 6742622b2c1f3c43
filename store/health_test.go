package store

import (
	"bufio"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/news"
)

func TestWriteHealth(t *testing.T) {
	t.Parallel()
	s, err := Open(filepath.Join(t.TempDir(), "small.db"), Options{MaxSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if h := s.WriteHealth(); !h.OK() || h.WriteErrors != 0 || !h.LastSave.IsZero() {
		t.Errorf("WriteHealth() of a new store = %+v, want OK, no errors, no save yet", h)
	}
	feed := FeedState{URL: "https://news.un.org/zh/rss"}
	if err := s.SaveFeedState(feed); err != nil {
		t.Fatal(err)
	}
	saved := s.WriteHealth().LastSave
	if saved.IsZero() {
		t.Fatal("WriteHealth().LastSave is zero after a save")
	}

	text := strings.Repeat(loadArticles(t)[2].Text, 40)
	var saveErr error
	for i := 0; saveErr == nil && i < 1000; i++ {
		a := &news.Article{URL: fmt.Sprintf("https://news.un.org/zh/story/%d", i), Text: text, Lang: "zh", Fetched: t0}
		_, saveErr = s.SavePoll(Poll{Feed: feed, Articles: []*news.Article{a}})
	}
	if !errors.Is(saveErr, ErrWrite) || !errors.Is(saveErr, ErrFull) {
		t.Fatalf("SavePoll beyond MaxSize = %v, want ErrWrite and ErrFull", saveErr)
	}
	h := s.WriteHealth()
	if h.OK() || h.WriteErrors != 1 || !strings.HasPrefix(h.SaveError, ErrWrite.Error()) || !strings.HasSuffix(saveErr.Error(), h.SaveError) ||
		h.FailingSince.IsZero() || h.LastSave.Before(saved) {
		t.Errorf("WriteHealth() after a failed save = %+v, want not OK, 1 error, the cause of %q", h, saveErr)
	}

	// A refused request is the caller's error, not a write failure, and
	// writes other than poll saves do not end a failure.
	if err := s.MarkDelivered("alt_missing", t0); !errors.Is(err, ErrNotFound) {
		t.Fatalf("MarkDelivered(missing) = %v, want ErrNotFound", err)
	}
	if _, err := s.EnqueueAlerts([]news.Alert{testAlert("desk", loadArticles(t)[0], t0)}); err != nil {
		t.Fatal(err)
	}
	if got := s.WriteHealth(); got.OK() || got.WriteErrors != 1 {
		t.Errorf("WriteHealth() after other writes = %+v, want still failing with 1 error", got)
	}

	// A poll that fits is saved: health is restored, the count stays.
	if _, err := s.SavePoll(Poll{Feed: feed}); err != nil {
		t.Fatal(err)
	}
	if got := s.WriteHealth(); !got.OK() || got.WriteErrors != 1 || !got.FailingSince.IsZero() || !got.LastSave.After(h.LastSave) {
		t.Errorf("WriteHealth() after a good save = %+v, want OK, 1 error counted, a later save", got)
	}
}

func TestFeedStateHealthFields(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	st := FeedState{
		URL: "https://www.vietnamplus.vn/rss/home.rss", Health: news.HealthRuleBroken, HealthSince: t0, ErrorsSince: t0.Add(-time.Hour),
		RuleFallbacks: []bool{false, true, true, true, true, true, true, true, true, true, true, false},
	}
	if err := s.SaveFeedState(st); err != nil {
		t.Fatal(err)
	}
	got, err := s.Feed(st.URL)
	if err != nil {
		t.Fatal(err)
	}
	want := st
	want.RuleFallbacks = st.RuleFallbacks[len(st.RuleFallbacks)-MaxRuleResults:]
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Feed() after SaveFeedState differs (-want +got):\n%s", diff)
	}
}

// crashFeed is the feed whose health the crash child flips.
const crashFeed = "https://news.un.org/feed/subscribe/ar/news/all/rss.xml"

// envCrashStore names the store file the crash child writes; set only in
// the child process.
const envCrashStore = "NEWSWATCH_HEALTH_CRASH_STORE"

// crashChange is the n-th health change of the crash child: deterministic,
// so the parent can name every alert it must find.
func crashChange(n int) news.HealthChange {
	c := news.HealthChange{FeedURL: crashFeed, From: news.HealthFailing, To: news.HealthOK, At: time.Unix(0, int64(n)).UTC()}
	if n%2 == 1 {
		c.From, c.To = c.To, c.From
	}
	return c
}

func crashAlert(c news.HealthChange) news.Alert {
	return news.Alert{
		ID: news.AlertID("desk", news.ChannelWebhook, c.Key()), Subscriber: "desk", Channel: news.ChannelWebhook,
		Kind: news.AlertSourceHealth, Health: &c, State: news.AlertPending, NextAt: c.At, Created: c.At,
	}
}

// TestHealthCrashChild is the child of TestHealthAlertsSurviveCrash: it
// saves health changes, each with its alert, until it is killed.
func TestHealthCrashChild(t *testing.T) {
	t.Parallel()
	path := os.Getenv(envCrashStore)
	if path == "" {
		return // run only as the child
	}
	s, err := Open(path, Options{LockTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.Feed(crashFeed)
	if errors.Is(err, ErrNotFound) {
		st, err = FeedState{URL: crashFeed}, nil
	}
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Repeat("تحذير من الاتجار بالبشر عبر الإنترنت. ", 200) // some pages per poll
	for n := st.ItemsSeen + 1; ; n++ {
		c := crashChange(n)
		st.ItemsSeen, st.Health, st.HealthSince = n, c.To, c.At
		a := &news.Article{URL: fmt.Sprintf("https://news.un.org/ar/story/%d", n), Text: text, Lang: "ar", Fetched: c.At}
		if _, err := s.SavePoll(Poll{Feed: st, Articles: []*news.Article{a}, Alerts: []news.Alert{crashAlert(c)}}); err != nil {
			t.Fatal(err)
		}
		if n%20 == 0 {
			fmt.Println("saved", n) // the parent kills after some saves
		}
	}
}

// TestHealthAlertsSurviveCrash kills a process that saves health changes
// with their alerts at random moments: after every crash, the stored
// health state and the outbox agree, with exactly one alert per change
// saved, none lost and none doubled.
func TestHealthAlertsSurviveCrash(t *testing.T) {
	t.Parallel()
	if os.Getenv(envCrashStore) != "" {
		t.Skip("in the crash child")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 8))
	for round := range 6 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHealthCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), envCrashStore+"="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		for range 1 + rng.IntN(3) { // wait for 20 to 60 saves
			if !sc.Scan() {
				break
			}
		}
		time.Sleep(time.Duration(rng.IntN(3000)) * time.Microsecond)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait() // killed
		checkCrashStore(t, path, round)
	}
}

// checkCrashStore checks that the saved state and the outbox agree.
func checkCrashStore(t *testing.T, path string, round int) {
	t.Helper()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("round %d: Open after a crash = %v", round, err)
	}
	defer s.Close()
	mustCheck(t, s)
	st, err := s.Feed(crashFeed)
	if err != nil {
		t.Fatalf("round %d: Feed() = %v", round, err)
	}
	n := st.ItemsSeen
	if want := crashChange(n); st.Health != want.To || !st.HealthSince.Equal(want.At) {
		t.Errorf("round %d: saved health %s since %v, want %s since %v", round, st.Health, st.HealthSince, want.To, want.At)
	}
	list, err := s.ListAlerts("")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for i := 1; i <= n; i++ {
		want = append(want, crashAlert(crashChange(i)).ID)
	}
	if diff := cmp.Diff(want, alertIDs(list)); diff != "" {
		t.Errorf("round %d: after %d saved changes the outbox differs (-want +got):\n%s", round, n, diff)
	}
	t.Logf("round %d: %d changes saved, %d alerts", round, n, len(list))
}
