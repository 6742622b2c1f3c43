package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/web"
)

// execIn runs the command line with stdin.
func execIn(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = run(t.Context(), args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), err
}

// runDaemon runs `newswatch run` on cfg (which sets web.listen) until the
// end of the test and returns the web server's address and the log.
func runDaemon(t *testing.T, cfg string) (string, *addrLog) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.WithoutCancel(t.Context()))
	stderr := &addrLog{addr: make(chan string, 1)}
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"run", "--config", cfg}, strings.NewReader(""), io.Discard, stderr) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run after cancel = %v\n%s", err, stderr)
		}
	})
	select {
	case addr := <-stderr.addr:
		return addr, stderr
	case err := <-done:
		t.Fatalf("run ended before the web server listened: %v\n%s", err, stderr)
	}
	return "", nil
}

const testPassword = "correct horse battery staple"

// userScript is a session of user commands with what each must do; the
// same with and without a daemon.
var userScript = []struct {
	stdin string
	args  []string
	code  int
	want  string // in stdout, or in stderr when the command fails
}{
	{testPassword + "\n", []string{"user", "add", "mai", "--role", "admin"}, exitOK, "added admin mai"},
	{testPassword + "\r\n", []string{"user", "add", "an"}, exitOK, "added viewer an"},
	{testPassword, []string{"user", "add", "mai"}, exitFailure, `a user named "mai" exists`},
	{testPassword, []string{"user", "add", "bao", "--role", "root"}, exitUsage, `role "root"`},
	{testPassword, []string{"user", "add", "a b"}, exitUsage, "user name"},
	{"hunter2\n", []string{"user", "add", "bao"}, exitUsage, "at least 15"},
	{"", []string{"user", "add", "bao"}, exitUsage, "no password"},
	{testPassword, []string{"user", "add"}, exitUsage, "accepts 1 arg"},
	{"", []string{"user", "remove", "nobody"}, exitFailure, `no user named "nobody"`},
	{testPassword, []string{"user", "passwd", "nobody"}, exitFailure, `no user named "nobody"`},
	{"short\n", []string{"user", "passwd", "an"}, exitUsage, "at least 15"},
	{"", []string{"user", "feedkey", "nobody"}, exitFailure, `no user named "nobody"`},
	{"", []string{"user", "list", "--format", "yaml"}, exitUsage, "--format"},
	{"", []string{"user", "list"}, exitOK, "an    viewer"},
	{"a longer passphrase for an\n", []string{"user", "passwd", "an"}, exitOK, "password of an changed (sessions ended: 0)"},
	{"", []string{"user", "feedkey", "an", "--revoke"}, exitOK, "revoked the feed key of an"},
	{"", []string{"user", "remove", "an"}, exitOK, "removed user an"},
	{"", []string{"user", "list"}, exitOK, "mai   admin"},
}

// logLines are the log lines on stderr of the in-process server (at the
// config's level, info): the daemon logs them in its own log instead.
var logLines = regexp.MustCompile(`(?m)^\{"time":.*\n`)

// times are the times of user list, which differ between runs.
var times = regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}`)

// runUserScript runs userScript on cfg and returns what each command
// printed, times masked.
func runUserScript(t *testing.T, cfg string) []string {
	t.Helper()
	var out []string
	for _, step := range userScript {
		args := append(step.args, "--config", cfg)
		stdout, stderr, err := execIn(t, step.stdin, args...)
		where := stdout
		if err != nil {
			where = stderr
		}
		if got := exitCode(err); got != step.code || !strings.Contains(where, step.want) {
			t.Errorf("newswatch %s: exit %d\nstdout %q\nstderr %q\nwant exit %d with %q", strings.Join(step.args, " "), got, stdout, stderr, step.code, step.want)
		}
		out = append(out, fmt.Sprintf("%s: %d\n%s%s", strings.Join(step.args, " "), exitCode(err), times.ReplaceAllString(stdout, "TIME"), logLines.ReplaceAllString(stderr, "")))
	}
	return out
}

// TestUserCommands runs the user commands without a daemon and through
// one: the same output and exit codes, and the users they make log in.
func TestUserCommands(t *testing.T) {
	t.Parallel()
	alone := runUserScript(t, webConfig(t, "127.0.0.1:0"))
	cfg := webConfig(t, "127.0.0.1:0")
	addr, log := runDaemon(t, cfg)
	if strings.Contains(log.String(), "require_tokens") {
		t.Errorf("the daemon warns of web.require_tokens, which the config does not set")
	}
	withDaemon := runUserScript(t, cfg)
	if diff := cmp.Diff(alone, withDaemon); diff != "" {
		t.Errorf("user commands differ without and with a daemon (-alone +daemon):\n%s", diff)
	}

	// Through the daemon: mai, added by the script, logs in.
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm("http://"+addr+"/login", url.Values{"username": {"mai"}, "password": {testPassword}, "next": {"/account"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/account" || len(resp.Cookies()) == 0 {
		t.Errorf("POST /login as mai = %d %q, cookies %v; want 303 to /account with a cookie", resp.StatusCode, resp.Header.Get("Location"), resp.Cookies())
	}

	// A feed key is printed once, and listed only as "yes".
	key, stderr, err := execIn(t, "", "user", "feedkey", "mai", "--config", cfg)
	if key = strings.TrimSpace(key); err != nil || len(key) != 43 || !strings.Contains(stderr, "shown only now") {
		t.Fatalf("user feedkey mai = %q, %v\n%s", key, err, stderr)
	}
	list, _, err := execIn(t, "", "user", "list", "--format", "json", "--config", cfg)
	var rows []web.UserRow
	if err != nil || json.Unmarshal([]byte(list), &rows) != nil || len(rows) != 1 || !rows[0].FeedKey || strings.Contains(list, key) || strings.Contains(list, "argon2") {
		t.Errorf("user list --format json = %v:\n%s\nwant mai with feed_key true, and neither the key nor the hash", err, list)
	}
}

// TestUserCommandsChangeNothingOnBadInput: refused commands leave the
// users as they were.
func TestUserCommandsChangeNothingOnBadInput(t *testing.T) {
	t.Parallel()
	cfg, _ := demoSiteConfig(t)
	if _, stderr, err := execIn(t, testPassword+"\n", "user", "add", "mai", "--config", cfg); err != nil {
		t.Fatalf("user add = %v\n%s", err, stderr)
	}
	before, _, _ := execIn(t, "", "user", "list", "--format", "json", "--config", cfg)
	for _, args := range [][]string{
		{"user", "add", "mai"}, {"user", "add", "x y"}, {"user", "passwd", "mai"}, {"user", "remove", "nobody"},
	} {
		execIn(t, "short\n", append(args, "--config", cfg)...) //nolint:errcheck // refused, see above
	}
	if after, _, _ := execIn(t, "", "user", "list", "--format", "json", "--config", cfg); after != before {
		t.Errorf("refused commands changed the users:\n%s\n---\n%s", before, after)
	}
}

// TestRequireTokensDeprecated: web.require_tokens, which the auth rules
// made moot, is accepted with a warning, so an old config still starts.
func TestRequireTokensDeprecated(t *testing.T) {
	t.Parallel()
	cfg := webConfig(t, "127.0.0.1:0")
	appendConfig(t, cfg, "  require_tokens: true\n")
	if out, stderr, err := exec(t, "check", "--config", cfg); err != nil {
		t.Fatalf("check with web.require_tokens = %v\n%s%s", err, out, stderr)
	}
	_, log := runDaemon(t, cfg)
	if !strings.Contains(log.String(), "web.require_tokens is deprecated and has no effect") {
		t.Errorf("the daemon does not warn of web.require_tokens:\n%s", log)
	}
}

// appendConfig appends text to the config file at path.
func appendConfig(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
