package alerts

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/internal/mailpit"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// healthChange is a feed with a password in its URL turning failing.
var healthChange = news.HealthChange{
	FeedURL: "https://reader:s3cret@feeds.example.org/private.rss", FeedName: "Private feed",
	From: news.HealthOK, To: news.HealthFailing, Reason: "every poll has failed since 2026-11-26 09:00 UTC (27h): HTTP 500",
	At: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC),
}

func TestPlanHealth(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 27, 12, 0, 1, 0, time.UTC)
	wh := &WebhookTarget{URL: "https://hooks.example.org/x", Secret: testSecret}
	digest := &EmailTarget{To: []string{"desk@example.org"}, Digest: DigestDaily}
	tests := []struct {
		name string
		sub  Subscriber
		want []string // channels
	}{
		{"opted in, both channels, no digest", Subscriber{Name: "ops", SourceHealth: true, Webhook: wh, Email: digest},
			[]string{news.ChannelWebhook, news.ChannelEmail}},
		{"not opted in", Subscriber{Name: "desk", Topics: []string{AnyTopic}, Webhook: wh}, nil},
		{"sources by name", Subscriber{Name: "ops", SourceHealth: true, Sources: []string{"private FEED"}, Webhook: wh}, []string{news.ChannelWebhook}},
		{"sources by url", Subscriber{Name: "ops", SourceHealth: true, Sources: []string{healthChange.FeedURL}, Webhook: wh}, []string{news.ChannelWebhook}},
		{"sources refuse", Subscriber{Name: "ops", SourceHealth: true, Sources: []string{"VietnamPlus"}, Webhook: wh}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewRouter([]Subscriber{tt.sub})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, al := range r.PlanHealth(healthChange, now) {
				got = append(got, al.Channel)
				if al.ID != news.AlertID(tt.sub.Name, al.Channel, healthChange.Key()) || al.Kind != news.AlertSourceHealth ||
					al.State != news.AlertPending || !al.NextAt.Equal(now) || al.Digest != "" || al.ArticleID != "" ||
					al.Health == nil || *al.Health != healthChange {
					t.Errorf("PlanHealth alert = %+v, want a pending source-health alert due now with the change", al)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("PlanHealth channels differ (-want +got):\n%s", diff)
			}
			if al := r.Plan(loadArticles(t)[0], now); tt.sub.Topics == nil && len(al) != 0 {
				t.Errorf("Plan(article) for a health-only subscriber = %d alerts, want none", len(al))
			}
		})
	}
	later := healthChange
	later.At = later.At.Add(time.Minute)
	if later.Key() == healthChange.Key() {
		t.Error("two changes of one feed at different times have the same key")
	}
}

func TestValidateHealthOnlySubscriber(t *testing.T) {
	t.Parallel()
	sub := Subscriber{Name: "ops", SourceHealth: true, Webhook: &WebhookTarget{URL: "https://h.example.org/x", Secret: testSecret}}
	if errs := ValidateSubscribers([]Subscriber{sub}, nil); len(errs) != 0 {
		t.Errorf("ValidateSubscribers(source_health only) = %v, want none", errs)
	}
	sub.SourceHealth = false
	errs := ValidateSubscribers([]Subscriber{sub}, nil)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "source_health") {
		t.Errorf("ValidateSubscribers(nothing asked) = %v, want one problem naming source_health", errs)
	}
}

// saveHealthAlerts stores the alerts the dispatcher's router plans for c,
// with the feed's new state in one transaction, as the monitor does.
func saveHealthAlerts(t *testing.T, e env, c news.HealthChange) []news.Alert {
	t.Helper()
	alerts := e.d.Router().PlanHealth(c, time.Now())
	st := store.FeedState{URL: c.FeedURL, Name: c.FeedName, Health: c.To, HealthSince: c.At}
	if _, err := e.store.SavePoll(store.Poll{Feed: st, Alerts: alerts}); err != nil {
		t.Fatal(err)
	}
	return alerts
}

func TestHealthWebhook(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, nil)
	sub := webhookSub("ops", rc.URL)
	sub.SourceHealth = true
	e := newEnv(t, []Subscriber{sub}, SMTPConfig{}, []time.Duration{0, time.Hour}, Options{})
	alerts := saveHealthAlerts(t, e, healthChange)
	drain(t, e.d, 10*time.Second)
	reqs := rc.requests()
	if len(reqs) != 1 || reqs[0].SigErr != nil || reqs[0].ID != alerts[0].ID {
		t.Fatalf("receiver got %+v, want one signed request with the alert's id", reqs)
	}
	var ev HealthEvent
	if err := json.Unmarshal(reqs[0].Body, &ev); err != nil {
		t.Fatal(err)
	}
	want := HealthEvent{Type: "source.health_changed", Timestamp: ev.Timestamp, Data: HealthEventData{Subscriber: "ops", Source: EventSource{
		Name: "Private feed", URL: "https://feeds.example.org/private.rss", State: "failing", Previous: "ok",
		Reason: healthChange.Reason, Since: healthChange.At,
	}}}
	if diff := cmp.Diff(want, ev); diff != "" {
		t.Errorf("health event differs (-want +got):\n%s", diff)
	}
	if strings.Contains(string(reqs[0].Body), "s3cret") {
		t.Errorf("payload leaks the feed URL's password: %s", reqs[0].Body)
	}
	if got := e.alert(t, alerts[0].ID); got.State != news.AlertDelivered {
		t.Errorf("health alert = %s, want delivered", got.State)
	}
	if rows, _ := e.store.ListAlerts(""); len(rows) != 1 {
		t.Errorf("outbox holds %d alerts, want 1", len(rows))
	}
}

func TestHealthChatFormats(t *testing.T) {
	t.Parallel()
	c := healthChange
	c.FeedName = "@everyone <b>Tin tức</b> & *news*"
	c.Reason = strings.Repeat("الموقع لا يستجيب ", 600)
	m := Message{ID: "alt_h", Subscriber: "ops", Health: &c}
	for _, tt := range chatTargets {
		t.Run(tt.format, func(t *testing.T) {
			r, body, text := chatRequest(t, tt, m)
			if tt.format == FormatNtfy {
				text, _ = body["title"].(string)
			}
			if !strings.Contains(text, "failing") || strings.Contains(string(r.body), "s3cret") {
				t.Errorf("%s message %q: want the new state, and no password", tt.format, text)
			}
			if tt.format == FormatDiscord && strings.Contains(text, "@everyone") {
				t.Errorf("discord content pings @everyone")
			}
			if tt.format == FormatTelegram && strings.Contains(text, "<b>Tin") {
				t.Errorf("telegram text carries the feed name's markup unescaped: %q", text)
			}
		})
	}
}

func TestHealthEmail(t *testing.T) {
	t.Parallel()
	mp := mailpit.Start(t)
	sub := emailSub("ops", DigestDaily)
	sub.SourceHealth = true
	e := newEnv(t, []Subscriber{sub}, smtpFor(mp), []time.Duration{0, time.Hour}, Options{})
	alerts := saveHealthAlerts(t, e, healthChange)
	drain(t, e.d, 30*time.Second) // a digest subscriber gets health alerts at once
	msgs, err := mp.Search(t.Context(), "message-id:"+alerts[0].ID+"@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 {
		t.Fatalf("mails with the alert's Message-ID = %d, want 1", len(msgs))
	}
	full, err := mp.Message(t.Context(), msgs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := "[newswatch] source health: Private feed is failing (was ok)"; full.Subject != want {
		t.Errorf("Subject = %q, want %q", full.Subject, want)
	}
	for _, part := range []string{full.Text, full.HTML} {
		if !strings.Contains(part, healthChange.Reason) || !strings.Contains(part, "feeds.example.org/private.rss") || strings.Contains(part, "s3cret") {
			t.Errorf("mail part lacks the reason or the feed URL, or shows its password:\n%s", part)
		}
	}
}
