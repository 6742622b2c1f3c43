package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestEffectiveRoundTrip: the configuration config --effective prints
// parses back to the same configuration, and printing that again gives
// the same text.
func TestEffectiveRoundTrip(t *testing.T) {
	t.Parallel()
	store := filepath.Join(t.TempDir(), "nw.db")
	tests := []struct{ name, conf string }{
		{"empty", ""},
		{"no jitter and other settings", `
retention: 48h
fetch: {workers: 2, per_host_rate: -1, timeout: 1m30s, user_agent: "research-bot/1.0"}
schedule: {interval: 1h, jitter: 0, max_backoff: 2h}
log: {level: debug, format: json}
web: {listen: "127.0.0.1:8080"}
`},
		{"feeds, topics, sites", `
feeds:
  - {url: https://example.org/rss, name: Example, lang: vi, interval: adaptive}
  - {url: https://example.org/atom, interval: 30m, scrape: false}
topics:
  fishing: {query: '(fishing OR "đánh bắt") NEAR/5 (forced OR "cưỡng bức")'}
  arabic: {query: '"الاتجار بالبشر"'}
  un: {disabled: true}
  trafficking:
    query: |
      "human trafficking"
      OR "mua bán người"
sites:
  - {hosts: [example.org], title: h1.headline, body: div.story-body, remove: [.share, .related]}
`},
		{"alerts", `
smtp: {host: smtp.example.org, port: 2525, from: "newswatch <alerts@example.org>", username: alerts, password_env: SMTP_PASSWORD, tls: starttls}
alerts:
  retry_schedule: [0s, 5s, 1h30m]
subscribers:
  - name: desk
    topics: [trafficking, "*"]
    query: 'lang:ar AND "العمل القسري"'
    langs: [ar, fr]
    webhook: {url: "https://hooks.example.org/newswatch", secret_env: DESK_WEBHOOK_SECRET}
    email: {to: [desk@example.org], digest: daily, at: "08:00", tz: Asia/Ho_Chi_Minh}
`},
	}
	opts := cmp.Options{cmpopts.IgnoreFields(Config{}, "source", "lines"), cmp.AllowUnexported(TopicConfig{})}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := parseConfig([]byte("store: "+store+"\n"+tt.conf), "in.yaml")
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if err := writeEffective(&out, cfg); err != nil {
				t.Fatal(err)
			}
			back, err := parseConfig(out.Bytes(), "effective.yaml")
			if err != nil {
				t.Fatalf("the effective configuration does not parse: %v\n%s", err, out.String())
			}
			if diff := cmp.Diff(cfg, back, opts); diff != "" {
				t.Errorf("config --effective, parsed back, differs (-config +parsed):\n%s", diff)
			}
			back.source = cfg.source
			var again bytes.Buffer
			if err := writeEffective(&again, back); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(out.String(), again.String()); diff != "" {
				t.Errorf("printing the effective configuration twice differs (-first +second):\n%s", diff)
			}
		})
	}
}

// TestEffectiveRedactsSecrets: literal secrets are printed as <redacted>,
// *_env keys as they are.
func TestEffectiveRedactsSecrets(t *testing.T) {
	t.Parallel()
	const secret, password, feedPassword = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "hunter2-smtp", "s3cret-feed"
	cfg, err := parseConfig([]byte(`
feeds:
  - url: https://reader:`+feedPassword+`@example.org/private.rss
smtp: {host: smtp.example.org, from: a@example.org, username: alerts, password: `+password+`}
subscribers:
  - name: desk
    topics: [un]
    webhook: {url: "https://hooks.example.org/x", secret: `+secret+`}
  - name: mail
    topics: [un]
    webhook: {url: "https://hooks.example.org/y", secret_env: HOOK_SECRET}
    email: {to: [b@example.org]}
`), "secrets.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := writeEffective(&out, cfg); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, s := range []string{secret, password, feedPassword} {
		if strings.Contains(text, s) {
			t.Errorf("config --effective prints the secret %q:\n%s", s, text)
		}
	}
	for _, want := range []string{"password: <redacted>", "secret: <redacted>", "secret_env: HOOK_SECRET", "https://reader:xxxxx@example.org/private.rss"} {
		if !strings.Contains(text, want) {
			t.Errorf("config --effective lacks %q:\n%s", want, text)
		}
	}
	if cfg.SMTP.Password != password || cfg.Subscribers[0].Webhook.Secret != secret {
		t.Error("printing the effective configuration changed the configuration in force")
	}
}

// TestConfigCommand: plain config prints the embedded file; --effective
// the configuration in force; --config alone is a usage error.
func TestConfigCommand(t *testing.T) {
	t.Parallel()
	out, _, err := exec(t, "config")
	if err != nil || out != string(defaultYAML) {
		t.Errorf("config = %d bytes, %v; want the embedded default file", len(out), err)
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "nw.yaml")
	if err := os.WriteFile(cfg, []byte("store: "+filepath.Join(dir, "nw.db")+"\ntopics:\n  fishing: {query: fishing}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := exec(t, "config", "--config", cfg); exitCode(err) != exitUsage {
		t.Errorf("config --config without --effective = %v, want a usage error", err)
	}
	out, _, err = exec(t, "config", "--effective", "--config", cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"fishing:", "trafficking:", "un:", "jitter: 0.1", "interval: 10m"} {
		if !strings.Contains(out, want) {
			t.Errorf("config --effective lacks %q:\n%s", want, out)
		}
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("retention: 0s\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, stderr, err := exec(t, "config", "--effective", "--config", bad); exitCode(err) != exitUsage || !strings.Contains(stderr, "retention") {
		t.Errorf("config --effective of an invalid file = %v, %q; want a usage error naming retention", err, stderr)
	}
}
