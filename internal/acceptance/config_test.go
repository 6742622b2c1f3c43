package acceptance

import (
	"bytes"
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestCheckFailsOnUnsetSecret: check, like run, refuses a config whose
// secret_env names an unset variable, with exit 2 and the variable's name
// and line; with the variable set, it is valid.
func TestCheckFailsOnUnsetSecret(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := writeFile(t, dir, "newswatch.yaml", `store: `+filepath.Join(dir, "news.db")+`
feeds:
  - url: https://example.org/rss
subscribers:
  - name: desk
    topics: [trafficking]
    webhook: {url: "https://hooks.example.org/newswatch", secret_env: NEWSWATCH_ACCEPTANCE_DESK_SECRET}
`)
	const want = `line 7: subscriber "desk": webhook secret_env: environment variable NEWSWATCH_ACCEPTANCE_DESK_SECRET is not set`
	for _, cmd := range []string{"check", "run", "poll"} {
		r := newswatch(t, time.Minute, cmd, "--config", cfg)
		if r.code != 2 || !strings.Contains(r.stderr, want) {
			t.Errorf("newswatch %s with the secret unset: exit %d, stderr %q; want exit 2 and %q", cmd, r.code, r.stderr, want)
		}
	}
	r := exe(t, time.Minute, false, []string{"NEWSWATCH_ACCEPTANCE_DESK_SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}, "check", "--config", cfg)
	if r.code != 0 || !strings.Contains(r.stdout, "is valid") {
		t.Errorf("check with the secret set: exit %d, stdout %q, stderr %q; want valid", r.code, r.stdout, r.stderr)
	}
}

// TestCustomTopicKeepsBuiltins: a config with one topic of its own still
// matches the built-in trafficking and un topics, in Vietnamese, English
// and Arabic; only disabled: true takes a built-in topic out.
func TestCustomTopicKeepsBuiltins(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	lines := []struct {
		text string
		want []string
	}{
		{"Triệt phá đường dây mua bán người qua biên giới, Liên hợp quốc hoan nghênh", []string{"trafficking", "un"}},
		{"UN agencies warn of human trafficking in scam compounds", []string{"trafficking", "un"}},
		{"الأمم المتحدة تحذر من الاتجار بالبشر في المنطقة", []string{"trafficking", "un"}},
		// Forced labour at sea is trafficking told through its parts: the
		// built-in topic recognises it too.
		{"Fishermen forced to work at sea for years without pay", []string{"fishing", "trafficking"}},
	}
	custom := writeFile(t, dir, "custom.yaml", "topics:\n  fishing:\n    query: '(fishing OR fishermen) NEAR/5 forced'\n")
	got := matchTopics(t, custom, lines[0].text, lines[1].text, lines[2].text, lines[3].text)
	for i, l := range lines {
		if !slices.Equal(got[i], l.want) {
			t.Errorf("match -c custom.yaml %q: topics %q, want %q", l.text, got[i], l.want)
		}
	}
	without := writeFile(t, dir, "without-un.yaml", "topics:\n  fishing:\n    query: fishermen\n  un:\n    disabled: true\n")
	got = matchTopics(t, without, lines[1].text)
	if want := []string{"trafficking"}; !slices.Equal(got[0], want) {
		t.Errorf("match with un disabled %q: topics %q, want %q", lines[1].text, got[0], want)
	}
}

// matchTopics runs newswatch match -c cfg over one JSON line per text and
// returns the topics of each.
func matchTopics(t *testing.T, cfg string, texts ...string) [][]string {
	t.Helper()
	var in bytes.Buffer
	for i, s := range texts {
		line, err := json.Marshal(map[string]any{"id": i, "title": s, "text": ""})
		if err != nil {
			t.Fatal(err)
		}
		in.Write(append(line, '\n'))
	}
	bin := binary(t) // built before the guard's clock starts
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "match", "--config", cfg)
	cmd.Stdin = &in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("newswatch match --config %s: %v\n%s", cfg, err, stderr.String())
	}
	var topics [][]string
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var r struct{ Topics []string }
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("match output %q: %v", out, err)
		}
		topics = append(topics, r.Topics)
	}
	if len(topics) != len(texts) {
		t.Fatalf("match printed %d lines for %d inputs:\n%s", len(topics), len(texts), out)
	}
	return topics
}

// TestEffectiveConfigRoundTrip: config --effective prints YAML that check
// accepts and that prints the same again. Secrets are never printed: a
// literal one reads <redacted>, which check refuses with a message that
// says so.
func TestEffectiveConfigRoundTrip(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	conf := `store: ` + filepath.Join(dir, "news.db") + `
schedule: {jitter: 0}
feeds:
  - {url: https://example.org/rss, name: Example, lang: vi}
topics:
  fishing: {query: 'fishermen NEAR/5 forced'}
  un: {disabled: true}
smtp: {host: smtp.example.org, from: "newswatch <alerts@example.org>", username: alerts, password_env: NEWSWATCH_ACCEPTANCE_SMTP}
subscribers:
  - name: desk
    topics: [trafficking, fishing]
    webhook: {url: "https://hooks.example.org/newswatch", secret_env: NEWSWATCH_ACCEPTANCE_HOOK}
    email: {to: [desk@example.org], digest: daily}
`
	cfg := writeFile(t, dir, "newswatch.yaml", conf)
	env := []string{"NEWSWATCH_ACCEPTANCE_HOOK=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "NEWSWATCH_ACCEPTANCE_SMTP=pw"}
	first := newswatch(t, time.Minute, "config", "--effective", "--config", cfg)
	if first.code != 0 {
		t.Fatalf("config --effective: exit %d\n%s", first.code, first.stderr)
	}
	for _, want := range []string{"jitter: 0\n", "trafficking:", "disabled: true", "fishing:", "secret_env: NEWSWATCH_ACCEPTANCE_HOOK", "password_env: NEWSWATCH_ACCEPTANCE_SMTP"} {
		if !strings.Contains(first.stdout, want) {
			t.Errorf("config --effective lacks %q:\n%s", want, first.stdout)
		}
	}
	effective := writeFile(t, dir, "effective.yaml", first.stdout)
	if r := exe(t, time.Minute, false, env, "check", "--config", effective); r.code != 0 {
		t.Errorf("check of config --effective's output: exit %d\n%s", r.code, r.stderr)
	}
	second := newswatch(t, time.Minute, "config", "--effective", "--config", effective)
	if body := func(s string) string { _, b, _ := strings.Cut(s, "\n\n"); return b }; body(second.stdout) != body(first.stdout) {
		t.Errorf("config --effective of its own output differs:\nfirst:\n%s\nsecond:\n%s", first.stdout, second.stdout)
	}

	const password = "literal-smtp-password"
	literal := writeFile(t, dir, "literal.yaml", strings.Replace(conf, "password_env: NEWSWATCH_ACCEPTANCE_SMTP", "password: "+password, 1))
	r := newswatch(t, time.Minute, "config", "--effective", "--config", literal)
	if r.code != 0 || strings.Contains(r.stdout, password) || !strings.Contains(r.stdout, "password: <redacted>") {
		t.Fatalf("config --effective of a literal password: exit %d; want it shown as <redacted>:\n%s", r.code, r.stdout)
	}
	redacted := writeFile(t, dir, "redacted.yaml", r.stdout)
	if r := exe(t, time.Minute, false, env, "check", "--config", redacted); r.code != 2 || !strings.Contains(r.stderr, "smtp.password") {
		t.Errorf("check of a config with a redacted password: exit %d, %q; want 2 naming smtp.password", r.code, r.stderr)
	}
}
