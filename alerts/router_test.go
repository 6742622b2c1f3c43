package alerts

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/news"
)

func TestPlan(t *testing.T) {
	t.Parallel()
	arts := loadArticles(t) // 0 vi trafficking, 1 ar trafficking+un, 2 zh trafficking+un, 3 en un, 4 fr none
	now := time.Date(2026, 11, 26, 13, 0, 0, 0, time.UTC)
	wh := &WebhookTarget{URL: "https://hooks.example.org/x", Secret: testSecret}
	em := &EmailTarget{To: []string{"desk@example.org"}}
	type want struct {
		sub, channel string
		topics       []string
	}
	tests := []struct {
		name string
		sub  Subscriber
		art  int
		want []want
	}{
		{"topic match, both channels", Subscriber{Name: "desk", Topics: []string{"trafficking"}, Webhook: wh, Email: em}, 0,
			[]want{{"desk", news.ChannelWebhook, []string{"trafficking"}}, {"desk", news.ChannelEmail, []string{"trafficking"}}}},
		{"only the subscriber's topics", Subscriber{Name: "un", Topics: []string{"un"}, Webhook: wh}, 1,
			[]want{{"un", news.ChannelWebhook, []string{"un"}}}},
		{"topic names fold case", Subscriber{Name: "un", Topics: []string{"UN"}, Webhook: wh}, 2,
			[]want{{"un", news.ChannelWebhook, []string{"un"}}}},
		{"no topic match", Subscriber{Name: "un", Topics: []string{"un"}, Webhook: wh}, 0, nil},
		{"any topic", Subscriber{Name: "all", Topics: []string{AnyTopic}, Webhook: wh}, 2,
			[]want{{"all", news.ChannelWebhook, []string{"trafficking", "un"}}}},
		{"any topic skips unmatched", Subscriber{Name: "all", Topics: []string{AnyTopic}, Webhook: wh}, 4, nil},
		{"langs admit", Subscriber{Name: "ar", Topics: []string{"trafficking"}, Langs: []string{"ar", "zh-Hans"}, Webhook: wh}, 2,
			[]want{{"ar", news.ChannelWebhook, []string{"trafficking"}}}},
		{"langs refuse", Subscriber{Name: "ar", Topics: []string{"trafficking"}, Langs: []string{"ar"}, Webhook: wh}, 0, nil},
		{"sources by name", Subscriber{Name: "vnp", Topics: []string{"trafficking"}, Sources: []string{"vietnamplus"}, Webhook: wh}, 0,
			[]want{{"vnp", news.ChannelWebhook, []string{"trafficking"}}}},
		{"sources by feed url", Subscriber{Name: "vnp", Topics: []string{"trafficking"}, Sources: []string{"https://news.un.org/feed/subscribe/zh/news/all/rss.xml"}, Webhook: wh}, 2,
			[]want{{"vnp", news.ChannelWebhook, []string{"trafficking"}}}},
		{"sources refuse", Subscriber{Name: "vnp", Topics: []string{"trafficking"}, Sources: []string{"VietnamPlus"}, Webhook: wh}, 1, nil},
		{"query alone", Subscriber{Name: "q", Query: "coopération", Webhook: wh}, 4,
			[]want{{"q", news.ChannelWebhook, []string{QueryTopic}}}},
		{"query or topics", Subscriber{Name: "q", Topics: []string{"un"}, Query: "South Sudan", Webhook: wh}, 3,
			[]want{{"q", news.ChannelWebhook, []string{"un", QueryTopic}}}},
		{"query no match", Subscriber{Name: "q", Query: "bóng đá", Webhook: wh}, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewRouter([]Subscriber{tt.sub})
			if err != nil {
				t.Fatal(err)
			}
			a := arts[tt.art]
			var got []want
			for _, al := range r.Plan(a, now) {
				if al.ID != news.AlertID(al.Subscriber, al.Channel, a.ID) || al.State != news.AlertPending ||
					!al.NextAt.Equal(now) || al.ArticleID != a.ID || al.Digest != "" {
					t.Errorf("Plan(%q) alert = %+v, want pending, due now, id from AlertID", a.Title, al)
				}
				got = append(got, want{al.Subscriber, al.Channel, al.Topics})
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("Plan(%q) mismatch (-want +got):\n%s", a.Title, diff)
			}
		})
	}
}

func TestPlanDigest(t *testing.T) {
	t.Parallel()
	arts := loadArticles(t)
	r, err := NewRouter([]Subscriber{{Name: "daily", Topics: []string{"trafficking"},
		Email: &EmailTarget{To: []string{"a@example.org"}, Digest: DigestDaily, At: "08:00", TZ: "Asia/Ho_Chi_Minh"}}})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 26, 13, 0, 0, 0, time.UTC) // 20:00 in Hanoi
	got := r.Plan(arts[0], now)
	if len(got) != 1 {
		t.Fatalf("Plan = %d alerts, want 1", len(got))
	}
	wantAt := time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC) // 08:00 next day in Hanoi
	if !got[0].NextAt.Equal(wantAt) || got[0].Digest != "daily/2026-11-27" {
		t.Errorf("Plan digest = (%v, %q), want (%v, %q)", got[0].NextAt, got[0].Digest, wantAt, "daily/2026-11-27")
	}
}

func TestDigestNext(t *testing.T) {
	t.Parallel()
	ny, _ := time.LoadLocation("America/New_York")
	tests := []struct {
		name    string
		target  EmailTarget
		now     time.Time
		wantAt  time.Time
		wantKey string
	}{
		{"daily later today", EmailTarget{Digest: DigestDaily, At: "18:30"}, time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC),
			time.Date(2026, 11, 26, 18, 30, 0, 0, time.UTC), "daily/2026-11-26"},
		{"daily exactly at send time goes to tomorrow", EmailTarget{Digest: DigestDaily}, time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC),
			time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC), "daily/2026-11-27"},
		{"hourly uses the minutes", EmailTarget{Digest: DigestHourly, At: "00:15"}, time.Date(2026, 11, 26, 9, 20, 0, 0, time.UTC),
			time.Date(2026, 11, 26, 10, 15, 0, 0, time.UTC), "hourly/2026-11-26T10:15"},
		{"weekly on monday", EmailTarget{Digest: DigestWeekly, At: "07:00"}, time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC), // Thursday
			time.Date(2026, 11, 30, 7, 0, 0, 0, time.UTC), "weekly/2026-11-30"},
		{"weekly monday after send time", EmailTarget{Digest: DigestWeekly, At: "07:00"}, time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC),
			time.Date(2026, 12, 7, 7, 0, 0, 0, time.UTC), "weekly/2026-12-07"},
		{"daily across DST change", EmailTarget{Digest: DigestDaily, At: "08:00", TZ: "America/New_York"}, time.Date(2026, 3, 7, 20, 0, 0, 0, ny),
			time.Date(2026, 3, 8, 8, 0, 0, 0, ny), "daily/2026-03-08"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := tt.target.schedule()
			if err != nil {
				t.Fatal(err)
			}
			at, key := s.next(tt.now)
			if !at.Equal(tt.wantAt) || key != tt.wantKey {
				t.Errorf("next(%v) = (%v, %q), want (%v, %q)", tt.now, at, key, tt.wantAt, tt.wantKey)
			}
		})
	}
}

func TestValidateSubscribers(t *testing.T) {
	t.Parallel()
	topics := []string{"trafficking", "un"}
	tests := []struct {
		name string
		subs []Subscriber
		want int // number of problems
	}{
		{"valid", []Subscriber{{Name: "desk", Topics: []string{"trafficking"}, Webhook: &WebhookTarget{URL: "https://h.example.org/x", Secret: testSecret},
			Email: &EmailTarget{To: []string{"Desk <desk@example.org>"}, Digest: DigestDaily, At: "08:00", TZ: "Asia/Ho_Chi_Minh"}}}, 0},
		{"slack without secret", []Subscriber{{Name: "s", Query: "bão", Webhook: &WebhookTarget{URL: "https://hooks.slack.com/services/x", Format: FormatSlack}}}, 0},
		{"everything wrong at once", []Subscriber{{Topics: []string{"nope"}, Webhook: &WebhookTarget{URL: "ftp://x", Format: "teams", Secret: "not base64!", SecretEnv: "X"},
			Email: &EmailTarget{Digest: "monthly", At: "25:00", TZ: "Mars/Base"}}}, 10},
		{"no targets, no topics", []Subscriber{{Name: "x"}}, 2},
		{"standard needs a secret", []Subscriber{{Name: "x", Topics: []string{"un"}, Webhook: &WebhookTarget{URL: "https://h.example.org"}}}, 1},
		{"telegram needs chat_id", []Subscriber{{Name: "x", Topics: []string{"un"}, Webhook: &WebhookTarget{URL: "https://api.telegram.org/botT/sendMessage", Format: FormatTelegram}}}, 1},
		{"duplicate names", []Subscriber{{Name: "x", Topics: []string{"un"}, Email: &EmailTarget{To: []string{"a@example.org"}}},
			{Name: "x", Topics: []string{"un"}, Email: &EmailTarget{To: []string{"a@example.org"}}}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := ValidateSubscribers(tt.subs, topics)
			if len(errs) != tt.want {
				t.Errorf("ValidateSubscribers = %d problems %v, want %d", len(errs), errs, tt.want)
			}
		})
	}
}

func TestValidateSMTPAndConfig(t *testing.T) {
	t.Parallel()
	if errs := (SMTPConfig{Host: "127.0.0.1", Port: 1025, From: "newswatch <alerts@example.org>", TLS: TLSNone}).Validate(); len(errs) != 0 {
		t.Errorf("Validate(valid smtp) = %v, want none", errs)
	}
	bad := SMTPConfig{Port: 70000, From: "nobody", TLS: "ssl", Password: "p", PasswordEnv: "P", UnsubscribeURL: "http://x"}
	if errs := bad.Validate(); len(errs) != 6 {
		t.Errorf("Validate(bad smtp) = %d problems %v, want 6", len(errs), errs)
	}
	if errs := (Config{RetrySchedule: []time.Duration{0, -time.Second}}).Validate(); len(errs) != 1 {
		t.Errorf("Validate(negative delay) = %v, want 1 problem", errs)
	}
}

func TestResolve(t *testing.T) {
	t.Parallel()
	env := map[string]string{"HOOK": testSecret, "SMTP_PASSWORD": "s3cret"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	s, err := Subscriber{Name: "d", Webhook: &WebhookTarget{URL: "https://h.example.org", SecretEnv: "HOOK"}}.Resolve(lookup)
	if err != nil || s.Webhook.Secret != testSecret {
		t.Errorf("Resolve = %+v, %v; want secret from HOOK", s.Webhook, err)
	}
	if _, err := (Subscriber{Name: "d", Webhook: &WebhookTarget{SecretEnv: "MISSING"}}).Resolve(lookup); err == nil {
		t.Errorf("Resolve(missing env) = nil error, want one")
	}
	c, err := SMTPConfig{PasswordEnv: "SMTP_PASSWORD"}.Resolve(lookup)
	if err != nil || c.Password != "s3cret" {
		t.Errorf("SMTPConfig.Resolve = %q, %v; want s3cret", c.Password, err)
	}
	if !slices.Equal(DefaultConfig().RetrySchedule, DefaultRetrySchedule) {
		t.Errorf("DefaultConfig() = %v, want %v", DefaultConfig().RetrySchedule, DefaultRetrySchedule)
	}
}
