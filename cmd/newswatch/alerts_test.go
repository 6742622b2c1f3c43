package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newswatch/newswatch/alerts"
	"github.com/newswatch/newswatch/internal/mailpit"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
	"github.com/newswatch/newswatch/web"
)

const alertsTestSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// hookLog is a webhook receiver that checks signatures and records ids.
type hookLog struct {
	mu     sync.Mutex
	ids    []string
	badSig int
	tests  int
}

func newHookLog(t *testing.T) (*hookLog, *httptest.Server) {
	t.Helper()
	key, _ := alerts.DecodeSecret(alertsTestSecret)
	h := &hookLog{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body bytes.Buffer
		body.ReadFrom(r.Body)
		var ev alerts.Event
		json.Unmarshal(body.Bytes(), &ev)
		h.mu.Lock()
		defer h.mu.Unlock()
		if alerts.Verify(key, r.Header, body.Bytes(), time.Now()) != nil {
			h.badSig++
		}
		if ev.Data.Test {
			h.tests++
		}
		h.ids = append(h.ids, r.Header.Get(alerts.HeaderWebhookID))
	}))
	t.Cleanup(srv.Close)
	return h, srv
}

// writeAlertsConfig writes a config with one webhook and one email
// subscriber and returns its path and the store path.
func writeAlertsConfig(t *testing.T, hookURL string, mp *mailpit.Server) (string, string) {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, "newswatch.db")
	cfg := fmt.Sprintf(`store: %s
fetch: {allow_private_networks: true}
feeds: []
smtp: {host: 127.0.0.1, port: %d, from: "newswatch <alerts@example.org>", username: "", password_env: NEWSWATCH_TEST_SMTP_PASSWORD, tls: none}
alerts: {retry_schedule: [0s, 5s, 5m]}
subscribers:
  - name: desk
    topics: [trafficking]
    webhook: {url: %q, secret_env: NEWSWATCH_TEST_HOOK_SECRET, format: standard}
  - name: mail
    topics: [un]
    langs: [ar, zh]
    email: {to: [desk@example.org], digest: none}
`, db, mp.SMTPPort, hookURL)
	path := filepath.Join(dir, "newswatch.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, db
}

func runCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(t.Context(), args, strings.NewReader(""), &stdout, &stderr)
	return stdout.String() + stderr.String(), err
}

func TestAlertsCommands(t *testing.T) {
	t.Setenv("NEWSWATCH_TEST_HOOK_SECRET", alertsTestSecret)
	t.Setenv("NEWSWATCH_TEST_SMTP_PASSWORD", "unused")
	hooks, srv := newHookLog(t)
	mp := mailpit.Start(t)
	cfgPath, db := writeAlertsConfig(t, srv.URL, mp)

	// One delivered, one failed and one pending alert in the outbox.
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	art := &news.Article{URL: "https://www.vietnamplus.vn/mua-ban-nguoi-post1.vnp", Title: "Triệt phá đường dây mua bán người", Lang: "vi", Topics: []string{"trafficking"}}
	art.ID = news.ArticleID(art.URL)
	var as []news.Alert
	for _, sub := range []string{"desk", "a", "b"} {
		as = append(as, news.Alert{ID: news.AlertID(sub, news.ChannelWebhook, art.ID), Subscriber: sub, Channel: news.ChannelWebhook,
			ArticleID: art.ID, Topics: []string{"trafficking"}, State: news.AlertPending, NextAt: now, Created: now})
	}
	if _, err := st.SavePoll(store.Poll{Feed: store.FeedState{URL: "https://www.vietnamplus.vn/rss/xahoi.rss"}, Articles: []*news.Article{art}, Alerts: as}); err != nil {
		t.Fatal(err)
	}
	if err := st.MarkDelivered(as[1].ID, now); err != nil {
		t.Fatal(err)
	}
	if err := st.MarkFailed(as[2].ID, now, "webhook https://hooks.example.org: status 410: Gone (permanent)"); err != nil {
		t.Fatal(err)
	}
	st.Close()

	out, err := runCmd(t, "--config", cfgPath, "alerts", "list", "--state", "failed", "--format", "json")
	if err != nil {
		t.Fatalf("alerts list: %v\n%s", err, out)
	}
	var rows []web.AlertRow
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("alerts list --format json = %q: %v", out, err)
	}
	if len(rows) != 1 || rows[0].ID != as[2].ID || !strings.Contains(rows[0].LastError, "410") || rows[0].ArticleURL != art.URL {
		t.Errorf("alerts list --state failed = %+v, want the 410 alert with its article", rows)
	}
	out, err = runCmd(t, "--config", cfgPath, "alerts", "list")
	if err != nil || strings.Count(out, "alt_") != 3 || !strings.Contains(out, "delivered") || !strings.Contains(out, "pending") {
		t.Errorf("alerts list = %v\n%s\nwant 3 alerts in a table", err, out)
	}

	if out, err := runCmd(t, "--config", cfgPath, "alerts", "retry", "--all-failed"); err != nil || !strings.Contains(out, "1 alert(s)") {
		t.Errorf("alerts retry --all-failed = %v, %q", err, out)
	}
	out, _ = runCmd(t, "--config", cfgPath, "alerts", "list", "--state", "failed", "--format", "json")
	if strings.TrimSpace(out) != "[]" {
		t.Errorf("failed alerts after retry = %s, want []", out)
	}
	if _, err := runCmd(t, "--config", cfgPath, "alerts", "retry"); exitCode(err) != exitUsage {
		t.Errorf("alerts retry without ID = %v, want a usage error", err)
	}

	if out, err := runCmd(t, "--config", cfgPath, "alerts", "test", "desk"); err != nil {
		t.Errorf("alerts test desk = %v\n%s", err, out)
	}
	if out, err := runCmd(t, "--config", cfgPath, "alerts", "test", "mail"); err != nil {
		t.Errorf("alerts test mail = %v\n%s", err, out)
	}
	hooks.mu.Lock()
	if hooks.tests != 1 || hooks.badSig != 0 {
		t.Errorf("receiver got %d test events, %d bad signatures; want 1, 0", hooks.tests, hooks.badSig)
	}
	hooks.mu.Unlock()
	if msgs, err := mp.Messages(t.Context()); err != nil || len(msgs) != 1 {
		t.Errorf("Mailpit got %d mails (%v), want the test mail", len(msgs), err)
	}
	if _, err := runCmd(t, "--config", cfgPath, "alerts", "test", "nobody"); exitCode(err) != exitUsage {
		t.Errorf("alerts test nobody = %v, want a usage error", err)
	}
}

func TestAlertsConfigValidation(t *testing.T) {
	t.Parallel()
	cfg := `feeds: []
smtp: {host: "", from: "not an address", tls: ssl}
alerts: {retry_schedule: [0s, -5s]}
subscribers:
  - name: desk
    topics: [trafficking, sports]
    webhook: {url: "ftp://example.org", format: teams}
    email: {to: [desk@example.org], digest: monthly, at: "8am", tz: Mars/Olympus}
`
	_, err := parseConfig([]byte(cfg), "test.yaml")
	ce, ok := err.(*ConfigError)
	if !ok {
		t.Fatalf("parseConfig = %v, want a ConfigError", err)
	}
	want := []string{"sports", "ftp://", "teams", "monthly", "8am", "Mars/Olympus", "-5s", "smtp.host", "smtp.from", "smtp.tls"}
	all := strings.Join(ce.Problems, "\n")
	for _, w := range want {
		if !strings.Contains(all, w) && !strings.Contains(all, strings.ToLower(w)) {
			t.Errorf("problems lack %q:\n%s", w, all)
		}
	}
}
