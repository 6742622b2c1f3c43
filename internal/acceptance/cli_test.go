package acceptance

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/newswatch/newswatch/internal/newstest"
)

// TestExitCodes checks the documented exit statuses: 0 success, 1 a
// runtime failure, 2 a usage or configuration error.
func TestExitCodes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := writeFile(t, dir, "good.yaml", "store: "+filepath.Join(dir, "x.db")+"\nfeeds:\n  - url: https://example.org/feed.xml\n")
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"check of a valid config", []string{"check", "--config", good}, 0},
		{"help", []string{"help"}, 0},
		{"unknown command", []string{"frobnicate"}, 2},
		{"unknown flag", []string{"poll", "--frobnicate"}, 2},
		{"extra argument", []string{"export", "extra"}, 2},
		{"bad export format", []string{"export", "--format", "xml", "--config", good}, 2},
		{"invalid config", []string{"check", "--config", writeFile(t, dir, "bad.yaml", "feeds:\n  - url: ftp://x\n")}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newswatch(t, time.Minute, tt.args...)
			if r.code != tt.want {
				t.Errorf("newswatch %s: exit %d, want %d\n%s", strings.Join(tt.args, " "), r.code, tt.want, r.stderr)
			}
		})
	}
}

// TestCheckReportsEveryProblem: a config with wrong types, an unknown key
// and invalid values gets all of them reported in one run.
func TestCheckReportsEveryProblem(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := writeFile(t, dir, "bad.yaml", `store: `+filepath.Join(dir, "x.db")+`
fetch:
  allow_private_networks: maybe
  workers: -3
feeds:
  - url: "ftp://example.org/feed"
    interval: 10 minutes
  - name: no url
  - url: https://example.org/a.xml
    scrape: yes-please
topics:
  un: {query: 'United AND'}
colour: blue
`)
	r := newswatch(t, time.Minute, "check", "--config", cfg)
	if r.code != 2 {
		t.Errorf("check: exit %d, want 2", r.code)
	}
	for _, want := range []string{"maybe", "yes-please", "colour", "ftp://example.org/feed", "10 minutes", "url is missing", "topics.un", "workers"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("check does not report the problem with %q:\n%s", want, r.stderr)
		}
	}
}

// TestGracefulShutdown: SIGTERM while a fetch is in flight (a trickling
// feed) ends the daemon promptly with status 0 and a clean store. The
// fetch timeout is an hour, so only the daemon's cancelling the fetch
// can end it: a daemon that waited for it would run into the test's
// deadline, whatever the load on the machine.
func TestGracefulShutdown(t *testing.T) {
	t.Parallel()
	site, feeds := newsSite(t, unseenStories[:4])
	site.Set("/slow.rss", newstest.Route{Handler: newstest.Trickle("application/rss+xml", bytes.Repeat([]byte("<!-- slow -->"), 1000), 4, time.Second)})
	dir := t.TempDir()
	cfg := stableConfig(t, dir, true, []string{site.URL() + "/slow.rss", site.URL() + feeds[0].path}, []string{"slow", "vi"})
	writeFile(t, dir, "newswatch.yaml", strings.Replace(readFile(t, cfg), "fetch:\n", "fetch:\n  timeout: 1h\n", 1))
	var log lockedBuffer
	d := daemon(t, cfg, &log)
	// The vi feed's poll saved, the slow one's fetch in flight.
	waitFor(t, "the vi feed polled while the slow feed trickles", func() bool {
		return site.Requests("/slow.rss") > 0 && strings.Contains(log.String(), `"msg":"feed polled"`)
	})
	start := time.Now()
	d.Process.Signal(syscall.SIGTERM) //nolint:errcheck
	done := make(chan error, 1)
	go func() { done <- d.Wait() }()
	select {
	case err := <-done:
		t.Logf("SIGTERM to exit: %v", time.Since(start).Round(time.Millisecond))
		if err != nil {
			t.Errorf("run after SIGTERM: %v\n%s", err, tail(log.String(), 2000))
		}
	case <-beforeDeadline(t):
		d.Process.Kill() //nolint:errcheck
		t.Fatalf("run still running %v after SIGTERM: it waits for the fetch in flight\n%s", time.Since(start).Round(time.Second), tail(log.String(), 2000))
	}
	if r := newswatch(t, time.Minute, "export", "--all", "--config", cfg); r.code != 0 || len(parseExport(t, r.stdout)) == 0 {
		t.Errorf("export after shutdown: exit %d, %d bytes\n%s", r.code, len(r.stdout), r.stderr)
	}
}

// TestPollDrainsOutbox: a one-shot poll delivers the alerts it enqueued
// before it exits, retrying a receiver that fails each first attempt.
func TestPollDrainsOutbox(t *testing.T) {
	slow(t)
	stories := unseenStories
	site, feeds := newsSite(t, stories)
	rc := &hooks{tries: map[string]int{}}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.URL.Path = "/hook/desk"
		rc.ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	dir := t.TempDir()
	var b strings.Builder
	fmt.Fprintf(&b, "store: %s\nfetch: {allow_private_networks: true}\nalerts: {retry_schedule: [0s, 1s, 2s], story_updates: immediate}\nfeeds:\n", filepath.Join(dir, "news.db"))
	for _, f := range feeds {
		fmt.Fprintf(&b, "  - url: %s%s\n", site.URL(), f.path)
	}
	fmt.Fprintf(&b, "subscribers:\n  - name: desk\n    topics: [trafficking]\n    webhook: {url: %q, secret: %q}\n", hs.URL, alertSubs[0].secret)
	// story_updates: immediate, so a later article of a story is due at
	// once too (by default it waits for the story's next update interval).
	cfg := writeFile(t, dir, "drain.yaml", b.String())
	r := newswatch(t, 2*time.Minute, "poll", "--config", cfg)
	if r.code != 0 {
		t.Fatalf("poll: exit %d\n%s", r.code, tail(r.stderr, 3000))
	}
	delivered := map[string]bool{}
	for _, d := range rc.snapshot() {
		if !d.sigOK {
			t.Errorf("bad signature on %s", d.id)
		}
		if d.status < 300 {
			delivered[d.article] = true
		}
	}
	for _, s := range stories {
		if alertSubs[0].wants(s) && !delivered[s.Path()] {
			t.Errorf("poll exited without delivering the alert for %s", s.Path())
		}
	}
	t.Logf("poll took %v; %d alerts delivered in %d requests", r.wall.Round(time.Millisecond), len(delivered), len(rc.snapshot()))
	if t.Failed() {
		l := newswatch(t, time.Minute, "alerts", "list", "--config", cfg)
		t.Logf("alerts list:\n%s\npoll log:\n%s", l.stdout, tail(r.stderr, 4000))
	}
}

// lockedBuffer is a bytes.Buffer safe for a child process's two streams.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
