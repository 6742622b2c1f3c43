package browser

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newswatch/newswatch/internal/daemontest"
)

// daemon is a running `newswatch run` with its web server, and an API
// token the test reads the daemon's state with (the browser sees the
// pages; the token tells the test when the daemon has done its work).
type daemon struct {
	cfg    string
	base   string // such as http://127.0.0.1:41234
	token  string
	log    *daemontest.Log
	cmd    *exec.Cmd
	exited chan error
}

// startDaemon starts `newswatch run --config cfg` (cfg sets web.listen
// and JSON logs), waits until its web server listens and makes the
// test's API token. The daemon stops with SIGTERM when the test ends,
// and must exit cleanly.
func startDaemon(t *testing.T, cfg string) *daemon {
	t.Helper()
	d := &daemon{cfg: cfg, log: &daemontest.Log{}, exited: make(chan error, 1)}
	d.cmd = exec.Command(daemontest.Binary(t), "run", "--config", cfg)
	d.cmd.Stdout, d.cmd.Stderr = d.log, d.log
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { d.exited <- d.cmd.Wait() }()
	t.Cleanup(func() { d.stop(t) })
	waitFor(t, "the daemon's web server to listen", func() bool { return d.log.Listening() != "" || len(d.exited) > 0 })
	addr := d.log.Listening()
	if addr == "" {
		t.Fatalf("the daemon ended before its web server listened\n%s", d.log.Tail(3000))
	}
	d.base = "http://" + addr
	d.token = strings.TrimSpace(d.cli(t, "", "token", "create", "browser-test", "--role", "viewer"))
	return d
}

// stop ends the daemon with SIGTERM and requires a clean exit.
func (d *daemon) stop(t *testing.T) {
	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return // it has exited: the error is reported below
	}
	select {
	case err := <-d.exited:
		if err != nil {
			t.Errorf("daemon after SIGTERM: %v\n%s", err, d.log.Tail(3000))
		}
	case <-time.After(time.Minute): // a guard: shutdown takes a second
		d.cmd.Process.Kill() //nolint:errcheck // it may have exited
		t.Errorf("daemon still running a minute after SIGTERM\n%s", d.log.Tail(3000))
	}
}

// cli runs `newswatch ARGS --config CFG` with stdin while the daemon
// runs, and returns its standard output; a non-zero exit fails t.
func (d *daemon) cli(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, daemontest.Binary(t), append(args, "--config", d.cfg)...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("newswatch %s: %v\n%s%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// get fetches path from the daemon with the test's API token.
func (d *daemon) get(t *testing.T, path string) (int, []byte) {
	t.Helper()
	return fetch(t, d.base+path, http.Header{"Authorization": {"Bearer " + d.token}})
}

// getJSON decodes the JSON answer to GET path into v.
func (d *daemon) getJSON(t *testing.T, path string, v any) {
	t.Helper()
	code, body := d.get(t, path)
	if code != http.StatusOK {
		t.Fatalf("GET %s = %d\n%s", path, code, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v\n%s", path, err, body)
	}
}

// fetch GETs u with the header and returns the status and body.
func fetch(t *testing.T, u string, h http.Header) (int, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	c := &http.Client{Timeout: time.Minute}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	return resp.StatusCode, body
}

// waitFor polls cond until it holds. The two minutes are a guard that
// turns a hang into a failure naming what never happened; the daemon's
// work takes seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	guard := time.NewTimer(2 * time.Minute)
	defer guard.Stop()
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-guard.C:
			t.Fatalf("waited two minutes for %s", what)
		case <-t.Context().Done():
			t.Fatalf("test ended while waiting for %s", what)
		case <-tick.C:
		}
	}
}

// writeFile writes body to path.
func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}
