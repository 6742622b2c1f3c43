package alerts

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/fetcher"
)

func singleMessage(t testing.TB, art int) Message {
	a := loadArticles(t)[art]
	return Message{ID: "alt_0123456789abcdef01234567", Subscriber: "desk", Time: time.Date(2026, 11, 26, 13, 0, 0, 0, time.UTC),
		Entries: []Entry{{Article: a, Topics: a.Topics, Hits: a.Hits}}}
}

func TestWebhookOutcome(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		status        int
		header        string
		wantErr       bool
		wantPermanent bool
		wantRA        time.Duration
	}{
		{"ok", 200, "", false, false, 0},
		{"accepted", 202, "", false, false, 0},
		{"server error", 500, "", true, false, 0},
		{"unavailable with retry-after", 503, "7", true, false, 7 * time.Second},
		{"too many requests", 429, "120", true, false, 2 * time.Minute},
		{"request timeout", 408, "", true, false, 0},
		{"gone", 410, "", true, true, 0},
		{"not found", 404, "", true, true, 0},
		{"redirect is not followed", 301, "", true, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := newReceiver(t, func(_ int, w http.ResponseWriter) int {
				if tt.header != "" {
					w.Header().Set("Retry-After", tt.header)
				}
				if tt.status/100 == 3 {
					w.Header().Set("Location", "http://127.0.0.1:1/elsewhere")
				}
				return tt.status
			})
			w, err := NewWebhook(WebhookTarget{URL: rc.URL + "/hook?token=s3cret", Secret: testSecret}, NewWebhookClient(true))
			if err != nil {
				t.Fatal(err)
			}
			err = w.Send(t.Context(), singleMessage(t, 1))
			if (err != nil) != tt.wantErr || IsPermanent(err) != tt.wantPermanent || retryAfterOf(err) != tt.wantRA {
				t.Errorf("Send() = %v (permanent %v, retry after %v), want error %v permanent %v retry after %v",
					err, IsPermanent(err), retryAfterOf(err), tt.wantErr, tt.wantPermanent, tt.wantRA)
			}
			if err != nil && strings.Contains(err.Error(), "s3cret") {
				t.Errorf("Send() error %q leaks the URL's query", err)
			}
			reqs := rc.requests()
			if len(reqs) != 1 || reqs[0].SigErr != nil || reqs[0].ID != "alt_0123456789abcdef01234567" {
				t.Fatalf("receiver got %+v, want one signed request with the alert id", reqs)
			}
		})
	}
}

func TestWebhookPayload(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, nil)
	w, err := NewWebhook(WebhookTarget{URL: rc.URL, Secret: testSecret}, NewWebhookClient(true))
	if err != nil {
		t.Fatal(err)
	}
	m := singleMessage(t, 1) // Arabic
	if err := w.Send(t.Context(), m); err != nil {
		t.Fatal(err)
	}
	a := m.Entries[0].Article
	pub := a.Published.UTC()
	want := Event{Type: EventType, Timestamp: m.Time, Data: EventData{Subscriber: "desk", Article: EventArticle{
		ID: a.ID, URL: a.URL, Title: a.Title, Source: a.Source, Lang: "ar", Published: &pub,
		Topics: []string{"trafficking", "un"}, Snippet: a.Hits[0].Snippet, Matches: a.Hits,
	}}}
	got := rc.requests()[0].Event
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("webhook event mismatch (-want +got):\n%s", diff)
	}
	var raw map[string]map[string]map[string]any
	json.Unmarshal(rc.requests()[0].Body, &raw)
	for _, k := range []string{"id", "url", "title", "source", "lang", "published", "topics", "snippet", "matches"} {
		if _, ok := raw["data"]["article"][k]; !ok {
			t.Errorf("payload data.article lacks key %q", k)
		}
	}
}

func TestWebhookSSRFBlocked(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, nil)
	w, err := NewWebhook(WebhookTarget{URL: rc.URL, Secret: testSecret}, NewWebhookClient(false))
	if err != nil {
		t.Fatal(err)
	}
	err = w.Send(t.Context(), singleMessage(t, 0))
	if !errors.Is(err, fetcher.ErrBlocked) || !IsPermanent(err) {
		t.Errorf("Send(loopback) = %v, want a permanent fetcher.ErrBlocked", err)
	}
	if n := len(rc.requests()); n != 0 {
		t.Errorf("receiver got %d requests, want 0", n)
	}
}

func TestChatFormats(t *testing.T) {
	t.Parallel()
	long := loadArticles(t)[1]
	long.Title = strings.Repeat("الاتجار بالبشر @everyone ", 400)
	long.Summary = strings.Repeat("人口贩运 <b>&amp;</b> ", 2000)
	long.Hits = nil
	m := Message{ID: "alt_x", Subscriber: "desk", Entries: []Entry{{Article: long, Topics: []string{"trafficking"}}}}
	for _, tt := range chatTargets {
		t.Run(tt.format, func(t *testing.T) {
			r, body, text := chatRequest(t, tt, m)
			switch tt.format {
			case FormatDiscord:
				if strings.Contains(text, "@everyone") {
					t.Errorf("discord content pings @everyone")
				}
			case FormatTelegram:
				if body["chat_id"] != "-1001" {
					t.Errorf("telegram chat_id = %v, want -1001", body["chat_id"])
				}
			case FormatNtfy:
				if r.url != "https://ntfy.sh/" || body["topic"] != "newswatch-desk" || body["click"] != long.URL {
					t.Errorf("ntfy request = %s %v, want POST to root with topic and click", r.url, body)
				}
			}
		})
	}
}

func TestTelegramNotOK(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, func(_ int, w http.ResponseWriter) int {
		w.Write([]byte(`{"ok":false,"description":"Too Many Requests: retry after 9","parameters":{"retry_after":9}}`))
		return 200
	})
	w, _ := NewWebhook(WebhookTarget{URL: rc.URL + "/bot1:x/sendMessage?chat_id=5", Format: FormatTelegram}, NewWebhookClient(true))
	err := w.Send(t.Context(), singleMessage(t, 2))
	if err == nil || IsPermanent(err) || retryAfterOf(err) != 9*time.Second {
		t.Errorf("Send(telegram ok=false) = %v, want a retryable error after 9s", err)
	}
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 26, 13, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0}, {"0", 0}, {"-5", 0}, {"30", 30 * time.Second}, {"999999999999", maxRetryAfter},
		{"Thu, 26 Nov 2026 13:01:00 GMT", time.Minute}, {"Wed, 25 Nov 2026 13:00:00 GMT", 0}, {"soon", 0},
	}
	for _, tt := range tests {
		if got := parseRetryAfter(tt.in, now); got != tt.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
