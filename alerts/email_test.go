package alerts

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newswatch/newswatch/internal/mailpit"
	"github.com/newswatch/newswatch/news"
)

func smtpFor(mp *mailpit.Server) SMTPConfig {
	return SMTPConfig{Host: mp.SMTPHost, Port: mp.SMTPPort, From: "newswatch <alerts@example.org>", TLS: TLSNone}
}

func emailSub(name string, digest string, topics ...string) Subscriber {
	return Subscriber{Name: name, Topics: topics, Email: &EmailTarget{To: []string{name + "@example.org"}, Digest: digest, At: "08:00", TZ: "Asia/Ho_Chi_Minh"}}
}

func TestEmailDelivery(t *testing.T) {
	t.Parallel()
	mp := mailpit.Start(t)
	e := newEnv(t, []Subscriber{emailSub("desk", DigestNone, "trafficking")}, smtpFor(mp), []time.Duration{0, time.Hour}, Options{})
	arts := loadArticles(t)
	alerts := e.plan(t, arts, time.Now())
	drain(t, e.d, 30*time.Second)
	ctx := t.Context()
	for i, a := range alerts {
		art := arts[i]
		msgs, err := mp.Search(ctx, "message-id:"+a.ID+"@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 1 {
			t.Fatalf("mails with Message-ID %s = %d, want 1", a.ID, len(msgs))
		}
		full, err := mp.Message(ctx, msgs[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(full.Subject, "trafficking") || !strings.Contains(full.Subject, art.Title[:10]) {
			t.Errorf("Subject = %q, want the topic and the title", full.Subject)
		}
		if !strings.Contains(full.Text, art.URL) || !strings.Contains(full.HTML, art.Title) {
			t.Errorf("mail %s lacks the article URL in text or title in HTML", a.ID)
		}
		wantBlock := fmt.Sprintf(`lang="%s" dir="%s"`, art.Lang, dir(art))
		if !strings.Contains(full.HTML, wantBlock) {
			t.Errorf("HTML lacks %s", wantBlock)
		}
		h, err := mp.Headers(ctx, msgs[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := h["Auto-Submitted"]; !slices.Equal(got, []string{"auto-generated"}) {
			t.Errorf("Auto-Submitted = %v, want auto-generated", got)
		}
		if got := strings.Join(h["List-Unsubscribe"], ""); !strings.Contains(got, "mailto:alerts@example.org") {
			t.Errorf("List-Unsubscribe = %q, want a mailto", got)
		}
		if ct := strings.Join(h["Content-Type"], ""); !strings.Contains(ct, "multipart/alternative") {
			t.Errorf("Content-Type = %q, want multipart/alternative", ct)
		}
		if st := e.alert(t, a.ID).State; st != news.AlertDelivered {
			t.Errorf("alert %s = %s, want delivered", a.ID, st)
		}
	}
}

func TestEmailSMTPFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		code int
		want news.AlertState
	}{
		{"temporary 451 is retried", 451, news.AlertPending},
		{"refused address 550 is a dead letter", 550, news.AlertFailed},
	}
	mp := mailpit.Start(t, "--enable-chaos")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := mp.Chaos(t.Context(), "Recipient", tt.code, 100); err != nil {
				t.Fatal(err)
			}
			e := newEnv(t, []Subscriber{emailSub("desk", DigestNone, "un")}, smtpFor(mp), []time.Duration{0, time.Hour}, Options{})
			alerts := e.plan(t, loadArticles(t)[3:4], time.Now())
			if err := e.d.Drain(t.Context()); err != nil {
				t.Fatal(err)
			}
			got := e.alert(t, alerts[0].ID)
			if got.State != tt.want || !strings.Contains(got.LastError, fmt.Sprint(tt.code)) {
				t.Errorf("alert after SMTP %d = %s %q, want %s with the code", tt.code, got.State, got.LastError, tt.want)
			}
		})
	}
	if err := mp.Chaos(t.Context(), "Recipient", 0, 0); err != nil {
		t.Fatal(err)
	}
}

func TestEmailDigest(t *testing.T) {
	t.Parallel()
	mp := mailpit.Start(t)
	clock := &fixedClock{t: time.Date(2026, 11, 26, 13, 0, 0, 0, time.UTC)} // 20:00 in Hanoi
	e := newEnv(t, []Subscriber{emailSub("daily", DigestDaily, AnyTopic)}, smtpFor(mp), []time.Duration{0, time.Hour}, Options{Now: clock.Now})
	alerts := e.plan(t, loadArticles(t), clock.Now()) // vi, ar, zh, en
	if err := e.d.Drain(t.Context()); err != nil {
		t.Fatal(err)
	}
	if msgs, _ := mp.Messages(t.Context()); len(msgs) != 0 {
		t.Fatalf("before the digest time: %d mails, want 0", len(msgs))
	}
	clock.Set(time.Date(2026, 11, 27, 1, 0, 1, 0, time.UTC)) // 08:00:01 in Hanoi
	if err := e.d.Drain(t.Context()); err != nil {
		t.Fatal(err)
	}
	msgs, err := mp.Messages(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 {
		t.Fatalf("digest mails = %d, want 1", len(msgs))
	}
	full, _ := mp.Message(t.Context(), msgs[0].ID)
	for _, a := range loadArticles(t)[:4] {
		if !strings.Contains(full.HTML, a.URL) {
			t.Errorf("digest lacks %s", a.URL)
		}
	}
	if !strings.Contains(full.Subject, "daily digest, 4 articles") || !strings.HasPrefix(msgs[0].MessageID, "dig_") {
		t.Errorf("digest subject %q, Message-ID %q; want a 4-article daily digest with a dig_ id", full.Subject, msgs[0].MessageID)
	}
	if _, err := mail.ParseAddress(msgs[0].To[0].Address); err != nil {
		t.Error(err)
	}
	for _, a := range alerts {
		if st := e.alert(t, a.ID).State; st != news.AlertDelivered {
			t.Errorf("alert %s = %s, want delivered", a.ID, st)
		}
	}
}

func TestSendTestEmail(t *testing.T) {
	t.Parallel()
	mp := mailpit.Start(t)
	e := newEnv(t, []Subscriber{emailSub("desk", DigestWeekly, "un")}, smtpFor(mp), nil, Options{})
	if err := e.d.SendTest(t.Context(), "desk"); err != nil {
		t.Fatalf("SendTest = %v", err)
	}
	msgs, _ := mp.Messages(t.Context())
	if len(msgs) != 1 || !strings.HasPrefix(msgs[0].Subject, "[newswatch test]") {
		t.Errorf("SendTest mails = %+v, want one test mail", msgs)
	}
}

func FuzzEmailCompose(f *testing.F) {
	for _, a := range loadArticles(f) {
		f.Add(a.Title, a.Source, a.Summary)
	}
	f.Add("a\r\nBcc: victim@example.org", "x\x00y", "\r\n.\r\n")
	em, err := NewEmail(SMTPConfig{Host: "127.0.0.1", From: "newswatch <alerts@example.org>"}, "desk", []string{"desk@example.org"})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, title, source, summary string) {
		a := &news.Article{ID: "x", URL: "https://example.org/a", Title: title, Source: source, Summary: summary, Lang: "ar"}
		msg, err := em.compose(Message{ID: "alt_f", Subscriber: "desk", Entries: []Entry{{Article: a, Topics: []string{"un"}}}})
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		if _, err := msg.WriteTo(&b); err != nil {
			t.Fatal(err)
		}
		m, err := mail.ReadMessage(strings.NewReader(b.String()))
		if err != nil {
			t.Fatalf("composed mail does not parse: %v", err)
		}
		if bcc := m.Header.Get("Bcc"); bcc != "" {
			t.Errorf("header injection: Bcc = %q", bcc)
		}
		if got := m.Header.Get("Message-Id"); got != "<alt_f@example.org>" {
			t.Errorf("Message-ID = %q, want <alt_f@example.org>", got)
		}
	})
}
