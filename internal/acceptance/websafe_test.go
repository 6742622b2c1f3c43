package acceptance

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/newswatch/newswatch/internal/daemontest"
	"github.com/newswatch/newswatch/internal/newstest"
)

// Log messages of the daemon that the checks wait for.
const (
	msgCutOff = "export cut off: the client stopped reading"
	msgServed = "export served"
)

// daemonLog is a running daemon's stderr (JSON lines): it keeps the log,
// counts each message and remembers the web server's address.
type daemonLog = daemontest.Log

// webDaemon is a running `newswatch run` with its web server.
type webDaemon struct {
	cmd     *exec.Cmd
	log     *daemonLog
	addr    string     // the web server's address
	exited  chan error // receives d.Wait's result
	stopped bool
}

// startWebDaemon starts `newswatch run` with cfg, which must set
// web.listen and JSON logs, and returns once its web server listens. The
// daemon is stopped at the end of the test if still running.
func startWebDaemon(t *testing.T, cfg string) *webDaemon {
	t.Helper()
	d := &webDaemon{log: &daemonLog{}, exited: make(chan error, 1)}
	d.cmd = daemon(t, cfg, d.log)
	go func() { d.exited <- d.cmd.Wait() }()
	t.Cleanup(func() {
		if !d.stopped {
			d.cmd.Process.Signal(syscall.SIGTERM) //nolint:errcheck // it may have exited
			<-d.exited
		}
	})
	waitFor(t, "the web server listening, or the daemon's exit", func() bool { return d.log.Listening() != "" || len(d.exited) > 0 })
	if d.addr = d.log.Listening(); d.addr == "" {
		t.Fatalf("the daemon ended before its web server listened\n%s", tail(d.log.String(), 3000))
	}
	return d
}

// stop ends the daemon with SIGTERM and requires a clean exit.
func (d *webDaemon) stop(t *testing.T) {
	t.Helper()
	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	d.stopped = true
	select {
	case err := <-d.exited:
		if err != nil {
			t.Errorf("daemon after SIGTERM: %v\n%s", err, tail(d.log.String(), 3000))
		}
	case <-beforeDeadline(t):
		d.cmd.Process.Kill() //nolint:errcheck // it may have exited
		t.Fatalf("daemon still running at the test's deadline after SIGTERM\n%s", tail(d.log.String(), 3000))
	}
}

// request sends GET path to addr with the given Host header, and the
// API token unless it is empty, and returns the status and body.
func request(t *testing.T, addr, path, host, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://"+addr+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := (&http.Client{Timeout: time.Minute}).Do(req)
	if err != nil {
		t.Fatalf("GET %s (Host %s): %v", path, host, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s (Host %s): %v", path, host, err)
	}
	return resp.StatusCode, string(body)
}

// TestWebSafeHostAndRedaction is issue 8's check of the HTTP server's
// Host rule and of redaction: a daemon on 127.0.0.1 refuses a request
// for Host evil.example, and a feed URL with user:password@ and ?token=
// is fetched with them (the site demands both) while neither secret shows
// in any log line, /feeds, /metrics, the export, or `newswatch feeds`.
func TestWebSafeHostAndRedaction(t *testing.T) {
	t.Parallel()
	const user, password, token = "reader", "S3cret-Pass", "T0ken-Secret"
	site, feeds := newsSite(t, unseenStories[:4])
	feed, ok := site.Route(feeds[0].path)
	if !ok {
		t.Fatalf("no route %s", feeds[0].path)
	}
	var authorized atomic.Int32
	site.Handle("/private/feed.rss", func(w http.ResponseWriter, r *http.Request) {
		if u, p, _ := r.BasicAuth(); u != user || p != password || r.URL.Query().Get("token") != token {
			http.Error(w, "credentials required", http.StatusUnauthorized)
			return
		}
		authorized.Add(1)
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write(bytes.ReplaceAll(feed.Body, []byte(newstest.BasePlaceholder), []byte(site.URL()))) //nolint:errcheck // the client went away
	})
	site.Handle("/private/down.rss", newstest.Status(http.StatusServiceUnavailable))
	host := strings.TrimPrefix(site.URL(), "http://")
	private := fmt.Sprintf("http://%s:%s@%s/private/feed.rss?lang=vi&token=%s", user, password, host, token)
	down := fmt.Sprintf("http://%s:%s@%s/private/down.rss?token=%s", user, password, host, token)
	shown := fmt.Sprintf("http://%s:xxxxx@%s/private/feed.rss?lang=vi&token=REDACTED", user, host)
	dir := t.TempDir()
	cfg := writeFile(t, dir, "newswatch.yaml", fmt.Sprintf(`store: %s
fetch:
  allow_private_networks: true
log:
  level: debug
  format: json
web:
  listen: "127.0.0.1:0"
feeds:
  - url: %q
    name: private
    interval: 10m
  - url: %q
    name: down
    interval: 10m
`, filepath.Join(dir, "news.db"), private, down))
	noSecrets := func(where, text string) {
		t.Helper()
		for _, s := range []string{password, token} {
			if strings.Contains(text, s) {
				t.Errorf("%s shows the secret %q:\n%s", where, s, tail(text, 3000))
			}
		}
	}

	d := startWebDaemon(t, cfg)
	log, addr := d.log, d.addr
	_, port, _ := net.SplitHostPort(addr)
	waitFor(t, "a feed polled and a feed poll failed", func() bool { return log.Seen("feed polled") >= 1 && log.Seen("feed poll failed") >= 1 })
	viewer := apiToken(t, cfg, "viewer")
	for _, foreign := range []string{"evil.example", "evil.example:" + port} {
		if code, body := request(t, addr, "/export?all=1", foreign, viewer); code != http.StatusMisdirectedRequest || strings.Contains(body, "feed_url") {
			t.Errorf("GET /export with Host %s = %d %.200q, want 421 and no archive", foreign, code, body)
		}
	}
	for _, path := range []string{"/feeds", "/metrics", "/export?all=1"} {
		code, body := request(t, addr, path, addr, viewer)
		if code != http.StatusOK {
			t.Fatalf("GET %s = %d %s", path, code, body)
		}
		noSecrets("GET "+path, body)
		if !strings.Contains(strings.ReplaceAll(body, `\u0026`, "&"), shown) {
			t.Errorf("GET %s does not name the feed as %s:\n%s", path, shown, tail(body, 2000))
		}
	}
	d.stop(t)
	noSecrets("the daemon's log", log.String())
	if authorized.Load() == 0 {
		t.Errorf("the site never saw the feed's credentials; daemon log:\n%s", tail(log.String(), 3000))
	}

	for _, args := range [][]string{{"feeds"}, {"feeds", "--format", "json"}, {"export", "--all"}} {
		r := newswatch(t, time.Minute, append(args, "--config", cfg)...)
		if r.code != 0 {
			t.Fatalf("newswatch %s: exit %d\n%s", strings.Join(args, " "), r.code, r.stderr)
		}
		noSecrets("newswatch "+strings.Join(args, " "), r.stdout+r.stderr)
	}
	exp := newswatch(t, time.Minute, "export", "--all", "--config", cfg)
	recs := parseExport(t, exp.stdout)
	for _, rec := range recs {
		if rec.FeedURL != shown {
			t.Errorf("exported feed_url = %q, want %q", rec.FeedURL, shown)
		}
	}
	if len(recs) == 0 {
		t.Error("nothing exported from the feed with credentials")
	}
}

// TestWebSafeStalledExports is issue 8's memory check: 200 clients open
// /export?all=1 on a store of 3,000 articles and never read. Every export
// streams (web.max_exports is raised above 200 for the check), is cut off
// once its client has made no progress for 30 s, and the daemon's peak
// RSS (VmHWM) stays under 300 MB.
func TestWebSafeStalledExports(t *testing.T) {
	heavy(t)
	const feeds, items, clients = 100, 30, 200
	site := newstest.NewBigSite(feeds, items)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: site, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(l) //nolint:errcheck // ends with Close
	t.Cleanup(func() { srv.Close() })
	dir := t.TempDir()
	var b strings.Builder
	// The check is about the web server, not politeness: the one loopback
	// host may be polled as fast as the machine allows.
	fmt.Fprintf(&b, "store: %s\nfetch:\n  allow_private_networks: true\n  per_host_concurrency: 16\n  per_host_rate: -1\nlog:\n  format: json\n", filepath.Join(dir, "big.db"))
	fmt.Fprintf(&b, "web:\n  listen: \"127.0.0.1:0\"\n  max_exports: %d\nfeeds:\n", clients+56)
	for n := range feeds {
		fmt.Fprintf(&b, "  - url: http://%s%s\n    interval: 10m\n", l.Addr(), site.FeedPath(n))
	}
	cfg := writeFile(t, dir, "big.yaml", b.String())
	if r := newswatch(t, 10*time.Minute, "poll", "--config", cfg); r.code != 0 {
		t.Fatalf("poll: exit %d\n%s", r.code, tail(r.stderr, 3000))
	}

	d := startWebDaemon(t, cfg)
	log, addr, pid := d.log, d.addr, d.cmd.Process.Pid
	idle := procStatusKB(t, pid, "VmRSS")
	viewer := apiToken(t, cfg, "viewer")
	for range clients { // each reads nothing
		c, err := newstest.DialSmallBuffer(t.Context(), addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		fmt.Fprintf(c, "GET /export?all=1 HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n\r\n", addr, viewer)
	}
	if code, _ := request(t, addr, "/healthz", addr, ""); code != http.StatusOK {
		t.Errorf("GET /healthz while %d exports are stalled = %d, want 200", clients, code)
	}
	// Every export ends on the server's side: cut off after 30 s without
	// progress, or served if it fit in the sockets' buffers.
	waitFor(t, "every stalled export cut off or served", func() bool { return log.Seen(msgCutOff)+log.Seen(msgServed) >= clients })
	peak, now := procStatusKB(t, pid, "VmHWM"), procStatusKB(t, pid, "VmRSS")
	t.Logf("%d stalled exports: %d cut off, %d served; daemon RSS idle %d KB, peak (VmHWM) %d KB, after %d KB",
		clients, log.Seen(msgCutOff), log.Seen(msgServed), idle, peak, now)
	if peak >= 300<<10 {
		t.Errorf("daemon peak RSS %d KB with %d stalled export clients, want under 300 MB", peak, clients)
	}
	if log.Seen(msgCutOff) == 0 {
		t.Errorf("no export was cut off: the archive fit in the socket buffers, so the check measured nothing")
	}
	d.stop(t)
}

// procStatusKB reads a field of /proc/PID/status in kB (VmRSS, VmHWM).
func procStatusKB(t *testing.T, pid int, field string) int {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			if err != nil {
				t.Fatalf("/proc/%d/status %s: %v", pid, field, err)
			}
			return n
		}
	}
	t.Fatalf("/proc/%d/status has no %s", pid, field)
	return 0
}
