package alerts

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/news"
)

// lookupSecrets resolves DESK_SECRET, and no other variable.
func lookupSecrets(name string) (string, bool) {
	if name == "DESK_SECRET" {
		return testSecret, true
	}
	return "", false
}

// states returns the state of each alert, by subscriber.
func (e env) states(t testing.TB, alerts []news.Alert) map[string][]news.AlertState {
	t.Helper()
	out := map[string][]news.AlertState{}
	for _, a := range alerts {
		out[a.Subscriber] = append(out[a.Subscriber], e.alert(t, a.ID).State)
	}
	return out
}

func TestReconfigureAddsAndRemovesSubscribers(t *testing.T) {
	t.Parallel()
	old, added := newReceiver(t, nil), newReceiver(t, nil)
	e := newEnv(t, []Subscriber{webhookSub("old", old.URL, "trafficking")}, SMTPConfig{}, nil, Options{})
	arts := loadArticles(t)
	before := e.plan(t, arts[:1], time.Now()) // vi: trafficking
	if err := e.d.Reconfigure([]Subscriber{webhookSub("added", added.URL, "trafficking")}, SMTPConfig{}, Config{}); err != nil {
		t.Fatalf("Reconfigure = %v", err)
	}
	after := e.plan(t, arts[1:3], time.Now()) // ar, zh: trafficking
	drain(t, e.d, 10*time.Second)

	want := map[string][]news.AlertState{"old": {news.AlertFailed}, "added": {news.AlertDelivered, news.AlertDelivered}}
	if diff := cmp.Diff(want, e.states(t, append(before, after...))); diff != "" {
		t.Errorf("alert states after Reconfigure (-want +got):\n%s", diff)
	}
	if got := e.alert(t, before[0].ID).LastError; !strings.Contains(got, `subscriber "old" was removed from the config`) {
		t.Errorf("error of the removed subscriber's alert = %q, want it to say the subscriber was removed", got)
	}
	if n, m := len(old.requests()), len(added.requests()); n != 0 || m != 2 {
		t.Errorf("requests: %d to the removed subscriber, %d to the added one; want 0, 2", n, m)
	}
}

func TestReconfigureRejectsInvalidConfig(t *testing.T) {
	t.Parallel()
	const unset = "NEWSWATCH_TEST_UNSET_SECRET"
	mail := &EmailTarget{To: []string{"desk@example.org"}}
	tests := []struct {
		name    string
		subs    []Subscriber
		smtp    SMTPConfig
		wantErr string
	}{
		{"unset secret_env", []Subscriber{{Name: "desk", Topics: []string{"un"}, Webhook: &WebhookTarget{URL: "https://hooks.example/x", SecretEnv: unset}}},
			SMTPConfig{}, unset + " is not set"},
		{"duplicate subscriber", []Subscriber{webhookSub("desk", "https://a.example/", "un"), webhookSub("desk", "https://b.example/", "un")},
			SMTPConfig{}, "duplicate name"},
		{"query that does not compile", []Subscriber{{Name: "desk", Query: `"unclosed`, Webhook: &WebhookTarget{URL: "https://a.example/", Secret: testSecret}}},
			SMTPConfig{}, "query"},
		{"unset smtp password_env", []Subscriber{{Name: "desk", Topics: []string{"un"}, Email: mail}},
			SMTPConfig{Host: "smtp.example.org", From: "newswatch@example.org", PasswordEnv: unset}, "password_env"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := newReceiver(t, nil)
			e := newEnv(t, []Subscriber{{Name: "desk", Topics: []string{"un"}, Webhook: &WebhookTarget{URL: rc.URL, SecretEnv: "DESK_SECRET"}}},
				SMTPConfig{}, nil, Options{LookupEnv: lookupSecrets})
			router := e.d.Router()
			err := e.d.Reconfigure(tt.subs, tt.smtp, Config{})
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Reconfigure = %v, want an error containing %q", err, tt.wantErr)
			}
			if e.d.Router() != router {
				t.Errorf("Router() changed after a refused Reconfigure")
			}
			alerts := e.plan(t, loadArticles(t)[3:4], time.Now()) // en: un
			drain(t, e.d, 10*time.Second)
			if diff := cmp.Diff(map[string][]news.AlertState{"desk": {news.AlertDelivered}}, e.states(t, alerts)); diff != "" {
				t.Errorf("the old configuration stopped working (-want +got):\n%s", diff)
			}
			if len(rc.requests()) != 1 {
				t.Errorf("old receiver got %d requests, want 1", len(rc.requests()))
			}
		})
	}
}

// wait returns when n values arrived on ch.
func wait(t *testing.T, ch <-chan int, n int) {
	t.Helper()
	for range n {
		select {
		case <-ch:
		case <-t.Context().Done():
			t.Fatal("test ended while waiting for deliveries")
		}
	}
}

// A pass in flight finishes with the senders it started with; the next
// pass uses the new ones. Run with -race: Reconfigure, Router and the
// running dispatcher share the configuration.
func TestReconfigureWhileDelivering(t *testing.T) {
	t.Parallel()
	arrived, release := make(chan int, 16), make(chan struct{})
	old := newReceiver(t, func(n int, _ http.ResponseWriter) int {
		arrived <- n
		<-release // the first pass stays in flight until the test reconfigures
		return http.StatusNoContent
	})
	seen := make(chan int, 16)
	moved := newReceiver(t, func(n int, _ http.ResponseWriter) int { seen <- n; return http.StatusNoContent })
	added := newReceiver(t, func(n int, _ http.ResponseWriter) int { seen <- n; return http.StatusNoContent })
	e := newEnv(t, []Subscriber{webhookSub("desk", old.URL, "trafficking", "un")}, SMTPConfig{}, nil, Options{Idle: time.Hour})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- e.d.Run(ctx) }()
	arts := loadArticles(t)

	first := e.plan(t, arts[:3], time.Now()) // vi, ar, zh: three alerts to desk
	e.d.Notify()
	wait(t, arrived, 1)
	err := e.d.Reconfigure([]Subscriber{webhookSub("desk", moved.URL, "trafficking", "un"), webhookSub("added", added.URL, "un")}, SMTPConfig{}, Config{})
	if err != nil {
		t.Fatalf("Reconfigure = %v", err)
	}
	close(release)
	wait(t, arrived, len(first)-1) // the rest of the pass still goes to the old URL

	second := e.plan(t, arts[3:4], time.Now()) // en: un, for desk and added
	e.d.Notify()
	wait(t, seen, 2)
	if err := e.d.Drain(t.Context()); err != nil { // waits for Run's pass to be recorded
		t.Fatal(err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v, want nil", err)
	}
	want := map[string][]news.AlertState{
		"desk":  {news.AlertDelivered, news.AlertDelivered, news.AlertDelivered, news.AlertDelivered},
		"added": {news.AlertDelivered},
	}
	if diff := cmp.Diff(want, e.states(t, append(first, second...))); diff != "" {
		t.Errorf("alert states (-want +got):\n%s", diff)
	}
	got := []int{len(old.requests()), len(moved.requests()), len(added.requests())}
	if diff := cmp.Diff([]int{3, 1, 1}, got); diff != "" {
		t.Errorf("requests to the old URL, the moved URL and the added subscriber (-want +got):\n%s", diff)
	}
}
