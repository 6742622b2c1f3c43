package alerts

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// env is a dispatcher on a real store.
type env struct {
	d     *Dispatcher
	store *store.Store
}

// newEnv builds a dispatcher on a real store for subs, with loopback
// allowed and the given retry schedule.
func newEnv(t testing.TB, subs []Subscriber, smtp SMTPConfig, schedule []time.Duration, opts Options) env {
	t.Helper()
	s := openStore(t)
	opts.AllowPrivateNetworks = true
	d, err := NewDispatcher(s, subs, smtp, Config{RetrySchedule: schedule}, opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	return env{d, s}
}

func (e env) plan(t testing.TB, arts []*news.Article, now time.Time) []news.Alert {
	t.Helper()
	return savePlanned(t, e.store, e.d.Router(), arts, now)
}

func (e env) alert(t testing.TB, id string) news.Alert {
	t.Helper()
	a, err := e.store.Alert(id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// drain delivers the alerts that fall due within window, retries
// included. On a loaded machine a pass may outlast the window with
// retries still due; then it drains again, so what is delivered depends
// on the retry schedule (tiny delays, or an hour) and not on the machine's
// speed.
func drain(t testing.TB, d *Dispatcher, window time.Duration) {
	t.Helper()
	for {
		ctx, cancel := context.WithTimeout(t.Context(), window)
		err := d.Drain(ctx)
		cancel()
		if err == nil {
			return
		}
		if !errors.Is(err, context.DeadlineExceeded) || t.Context().Err() != nil {
			t.Fatalf("Drain = %v", err)
		}
	}
}

func TestDispatcherRetriesUntilDelivered(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, func(n int, w http.ResponseWriter) int {
		if n <= 2 {
			return http.StatusInternalServerError
		}
		return http.StatusNoContent
	})
	e := newEnv(t, []Subscriber{webhookSub("desk", rc.URL, "trafficking")}, SMTPConfig{},
		[]time.Duration{0, 10 * time.Millisecond, 20 * time.Millisecond, time.Hour}, Options{})
	alerts := e.plan(t, loadArticles(t), time.Now())
	if len(alerts) != 3 { // vi, ar, zh match trafficking
		t.Fatalf("planned %d alerts, want 3", len(alerts))
	}
	drain(t, e.d, 10*time.Second)
	byID := map[string][]received{}
	for _, req := range rc.requests() {
		if req.SigErr != nil {
			t.Errorf("request %s: bad signature: %v", req.ID, req.SigErr)
		}
		byID[req.ID] = append(byID[req.ID], req)
	}
	if len(byID) != 3 {
		t.Errorf("receiver saw %d webhook-ids, want 3", len(byID))
	}
	for _, a := range alerts {
		reqs := byID[a.ID]
		if len(reqs) != 3 {
			t.Errorf("alert %s: %d attempts, want 3", a.ID, len(reqs))
			continue
		}
		if string(reqs[0].Body) != string(reqs[2].Body) {
			t.Errorf("alert %s: body changed between attempts", a.ID)
		}
		if got := e.alert(t, a.ID); got.State != news.AlertDelivered || got.Attempts != 3 {
			t.Errorf("alert %s = %s after %d attempts, want delivered after 3", a.ID, got.State, got.Attempts)
		}
	}
}

func TestDispatcherOutcomes(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 26, 13, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		status    int
		header    string
		schedule  []time.Duration
		wantState news.AlertState
		wantNext  time.Duration // for pending: NextAt - now
		wantErr   string
	}{
		{"retry-after honoured", 429, "90", []time.Duration{0, time.Second, time.Hour}, news.AlertPending, 90 * time.Second, "429"},
		{"schedule with jitter", 500, "", []time.Duration{0, 10 * time.Minute, time.Hour}, news.AlertPending, 12 * time.Minute, "500"},
		{"gone is a dead letter", 410, "", []time.Duration{0, time.Hour}, news.AlertFailed, 0, "410"},
		{"bad request is a dead letter", 400, "", []time.Duration{0, time.Hour}, news.AlertFailed, 0, "permanent"},
		{"exhausted", 503, "", []time.Duration{0}, news.AlertFailed, 0, "retries exhausted after 1 attempts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := newReceiver(t, func(_ int, w http.ResponseWriter) int {
				if tt.header != "" {
					w.Header().Set("Retry-After", tt.header)
				}
				return tt.status
			})
			clock := &fixedClock{t: now}
			e := newEnv(t, []Subscriber{webhookSub("desk", rc.URL, "un")}, SMTPConfig{}, tt.schedule,
				Options{Now: clock.Now, Jitter: func() float64 { return 1 }})
			alerts := e.plan(t, loadArticles(t)[3:4], now)
			if err := e.d.Drain(t.Context()); err != nil {
				t.Fatal(err)
			}
			got := e.alert(t, alerts[0].ID)
			if got.State != tt.wantState || got.Attempts != 1 || !strings.Contains(got.LastError, tt.wantErr) {
				t.Errorf("alert = %s, %d attempts, error %q; want %s, 1 attempt, error containing %q",
					got.State, got.Attempts, got.LastError, tt.wantState, tt.wantErr)
			}
			if tt.wantState == news.AlertPending && got.NextAt.Sub(now) != tt.wantNext {
				t.Errorf("NextAt = now+%v, want now+%v", got.NextAt.Sub(now), tt.wantNext)
			}
			if tt.wantState == news.AlertFailed {
				failed, _ := e.store.ListAlerts(news.AlertFailed)
				if len(failed) != 1 {
					t.Errorf("ListAlerts(failed) = %d, want 1", len(failed))
				}
			}
		})
	}
}

func TestDispatcherDeadHostDefersItsBatch(t *testing.T) {
	t.Parallel()
	dead := refusingURL(t)
	live := newReceiver(t, nil)
	e := newEnv(t, []Subscriber{webhookSub("dead", dead, "trafficking"), webhookSub("live", live.URL, "trafficking")},
		SMTPConfig{}, []time.Duration{0, time.Hour}, Options{})
	alerts := e.plan(t, loadArticles(t), time.Now())
	if err := e.d.Drain(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, a := range alerts {
		got := e.alert(t, a.ID)
		want := news.AlertDelivered
		if a.Subscriber == "dead" {
			want = news.AlertPending
		}
		if got.State != want || got.Attempts != 1 {
			t.Errorf("alert of %s = %s after %d attempts, want %s after 1", a.Subscriber, got.State, got.Attempts, want)
		}
	}
	if n := len(live.requests()); n != 3 {
		t.Errorf("live receiver got %d requests, want 3", n)
	}
}

// A destination that answers 429 holds back the rest of its lane, but the
// alerts it never saw keep their retry schedule: with one attempt allowed,
// only the alert that got the 429 becomes a dead letter.
func TestDispatcherThrottledLaneKeepsAttempts(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	first := true
	rc := newReceiver(t, func(n int, w http.ResponseWriter) int {
		mu.Lock()
		defer mu.Unlock()
		if first {
			first = false
			w.Header().Set("Retry-After", "1")
			return http.StatusTooManyRequests
		}
		return http.StatusNoContent
	})
	e := newEnv(t, []Subscriber{webhookSub("desk", rc.URL, "trafficking")}, SMTPConfig{}, []time.Duration{0}, Options{})
	alerts := e.plan(t, loadArticles(t), time.Now())
	drain(t, e.d, 10*time.Second)
	states := map[news.AlertState]int{}
	for _, a := range alerts {
		got := e.alert(t, a.ID)
		states[got.State]++
		if got.Attempts != 1 {
			t.Errorf("alert %s = %s after %d attempts, want 1 attempt", a.ID, got.State, got.Attempts)
		}
	}
	want := map[news.AlertState]int{news.AlertFailed: 1, news.AlertDelivered: len(alerts) - 1}
	if diff := cmp.Diff(want, states); diff != "" {
		t.Errorf("alert states after a 429 (-want +got):\n%s", diff)
	}
	if n := len(rc.requests()); n != len(alerts) {
		t.Errorf("receiver got %d requests, want %d (one per alert)", n, len(alerts))
	}
}

func TestDispatcherRunAndNotify(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, nil)
	e := newEnv(t, []Subscriber{webhookSub("desk", rc.URL, "un")}, SMTPConfig{}, nil, Options{Idle: time.Hour})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- e.d.Run(ctx) }()
	alerts := e.plan(t, loadArticles(t), time.Now()) // ar, zh, en match un
	e.d.Notify()
	for len(rc.requests()) < len(alerts) { // the test's deadline guards a Run that never delivers
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v, want nil", err)
	}
	if n := len(rc.requests()); n != len(alerts) {
		t.Errorf("receiver got %d requests, want %d", n, len(alerts))
	}
}

func TestDispatcherUnknownSubscriber(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil, SMTPConfig{}, nil, Options{})
	a := loadArticles(t)[0]
	al := news.Alert{ID: news.AlertID("gone", news.ChannelWebhook, a.ID), Subscriber: "gone", Channel: news.ChannelWebhook,
		ArticleID: a.ID, State: news.AlertPending, NextAt: time.Now(), Created: time.Now()}
	if _, err := e.store.SavePoll(store.Poll{Feed: store.FeedState{URL: "u"}, Articles: []*news.Article{a}, Alerts: []news.Alert{al}}); err != nil {
		t.Fatal(err)
	}
	if err := e.d.Drain(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := e.alert(t, al.ID); got.State != news.AlertFailed || !strings.Contains(got.LastError, `subscriber "gone" was removed from the config`) {
		t.Errorf("alert of removed subscriber = %s %q, want failed, subscriber removed", got.State, got.LastError)
	}
	if err := e.d.SendTest(t.Context(), "gone"); err == nil {
		t.Errorf("SendTest(unknown) = nil, want ErrUnknownSubscriber")
	}
}

func TestSendTestWebhook(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, nil)
	e := newEnv(t, []Subscriber{webhookSub("desk", rc.URL, "trafficking")}, SMTPConfig{}, nil, Options{})
	if err := e.d.SendTest(t.Context(), "desk"); err != nil {
		t.Fatalf("SendTest = %v", err)
	}
	reqs := rc.requests()
	if len(reqs) != 1 || reqs[0].SigErr != nil || !reqs[0].Event.Data.Test || reqs[0].Event.Type != EventType {
		t.Errorf("SendTest delivered %+v, want one signed test event", reqs)
	}
}

// latencies records what a DeliveryObserver receives.
type latencies struct {
	mu  sync.Mutex
	got map[string][]time.Duration // channel -> latencies
}

func (l *latencies) ObserveDelivery(channel string, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.got[channel] = append(l.got[channel], d)
}

// TestDispatcherObservesDelivery: each delivered alert reports its
// channel and the time since it was enqueued, retries included.
func TestDispatcherObservesDelivery(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, func(n int, w http.ResponseWriter) int {
		if n == 1 {
			return http.StatusInternalServerError
		}
		return http.StatusNoContent
	})
	obs := &latencies{got: map[string][]time.Duration{}}
	e := newEnv(t, []Subscriber{webhookSub("desk", rc.URL, "trafficking")}, SMTPConfig{},
		[]time.Duration{0, 10 * time.Millisecond, time.Hour}, Options{Observer: obs})
	enqueued := time.Now().Add(-time.Minute)
	alerts := e.plan(t, loadArticles(t), enqueued)
	drain(t, e.d, 10*time.Second)
	got := obs.got[news.ChannelWebhook]
	if len(got) != len(alerts) || len(obs.got) != 1 {
		t.Fatalf("observed %v, want %d webhook latencies", obs.got, len(alerts))
	}
	for _, d := range got {
		if d < time.Minute || d > time.Hour {
			t.Errorf("delivery latency %v, want the minute since the alert was enqueued and the retry", d)
		}
	}
}

// unwritableOutbox is a real store whose MarkDelivered fails while full
// is set, as on a full disk.
type unwritableOutbox struct {
	*store.Store
	mu   sync.Mutex
	full bool
}

func (o *unwritableOutbox) MarkDelivered(id string, at time.Time) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.full {
		return errors.New("write store: no space left on device")
	}
	return o.Store.MarkDelivered(id, at)
}

func (o *unwritableOutbox) setFull(full bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.full = full
}

// TestDispatcherSentButNotRecorded: an alert sent while the store cannot
// record it is not sent again on the next passes; its delivery is
// recorded, with the time it was sent, once the store writes again.
func TestDispatcherSentButNotRecorded(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, func(int, http.ResponseWriter) int { return http.StatusNoContent })
	out := &unwritableOutbox{Store: openStore(t), full: true}
	d, err := NewDispatcher(out, []Subscriber{webhookSub("desk", rc.URL, "trafficking")}, SMTPConfig{},
		Config{RetrySchedule: []time.Duration{0, time.Hour}}, Options{AllowPrivateNetworks: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	planned := savePlanned(t, out.Store, d.Router(), loadArticles(t), time.Now())
	if len(planned) == 0 {
		t.Fatal("no alerts planned")
	}
	for pass := range 3 {
		if err := d.Drain(t.Context()); err == nil || !strings.Contains(err.Error(), "no space left") {
			t.Fatalf("pass %d with the store full: Drain = %v, want the store's error", pass, err)
		}
	}
	if n := len(rc.requests()); n != len(planned) {
		t.Fatalf("receiver got %d requests over three passes, want each of the %d alerts once", n, len(planned))
	}
	out.setFull(false)
	if err := d.Drain(t.Context()); err != nil {
		t.Fatalf("Drain after the store recovered: %v", err)
	}
	if n := len(rc.requests()); n != len(planned) {
		t.Errorf("receiver got %d requests, want %d: a recorded alert was sent again", n, len(planned))
	}
	for _, a := range planned {
		got, err := out.Store.Alert(a.ID)
		if err != nil || got.State != news.AlertDelivered || got.Attempts != 1 {
			t.Errorf("alert %s = %s after %d attempts (%v), want delivered after 1", a.ID, got.State, got.Attempts, err)
		}
	}
}
