// Package daemontest runs the real newswatch binary for end-to-end tests
// (internal/acceptance, internal/browser): it builds the binary once per
// test process and reads the daemon's JSON log as it runs.
package daemontest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// EnvBin names a newswatch binary to test instead of one built from this
// checkout.
const EnvBin = "NEWSWATCH_BIN"

// MsgListening is the daemon's log message once its web server listens;
// its attribute addr is the address.
const MsgListening = "web server listening"

var build struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// Binary returns the newswatch binary under test: $NEWSWATCH_BIN, or one
// built from this checkout once per test process. Call RemoveBuild from
// TestMain when the tests are done.
func Binary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv(EnvBin); p != "" {
		return p
	}
	build.once.Do(func() {
		build.dir, build.err = os.MkdirTemp("", "newswatch-test-")
		if build.err != nil {
			return
		}
		build.path = filepath.Join(build.dir, "newswatch")
		out, err := exec.Command("go", "build", "-o", build.path, "github.com/newswatch/newswatch/cmd/newswatch").CombinedOutput()
		if err != nil {
			build.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if build.err != nil {
		t.Fatal(build.err)
	}
	return build.path
}

// RemoveBuild removes the binary that Binary built, if any.
func RemoveBuild() {
	if build.dir != "" {
		os.RemoveAll(build.dir)
	}
}

// Log is a running daemon's stderr, JSON lines (log.format: json): it
// keeps the text, counts each message and remembers the web server's
// address. It is safe for the daemon's two streams at once.
type Log struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	partial []byte
	count   map[string]int
	addr    string
}

// Write records p, a part of the log.
func (l *Log) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(p)
	l.partial = append(l.partial, p...)
	for {
		line, rest, ok := bytes.Cut(l.partial, []byte("\n"))
		if !ok {
			break
		}
		var rec struct{ Msg, Addr string }
		if json.Unmarshal(line, &rec) == nil {
			if l.count == nil {
				l.count = map[string]int{}
			}
			l.count[rec.Msg]++
			if rec.Msg == MsgListening {
				l.addr = rec.Addr
			}
		}
		l.partial = rest
	}
	return len(p), nil
}

// Seen returns how many lines carried the message msg.
func (l *Log) Seen(msg string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.count[msg]
}

// Listening returns the web server's address, "" until it listens.
func (l *Log) Listening() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.addr
}

// String returns the whole log.
func (l *Log) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Tail returns the last n bytes of the log, for failure messages.
func (l *Log) Tail(n int) string {
	s := l.String()
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
