package web

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newswatch/newswatch/internal/newstest"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// archiveStore returns a store of n matched articles of about size bytes.
func archiveStore(t *testing.T, n, size int) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "newswatch.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	text := strings.Repeat("Buôn bán người qua biên giới. ", size/32+1)
	var as []*news.Article
	for i := range n {
		a := &news.Article{URL: fmt.Sprintf("https://example.org/tin-%d", i), FeedURL: "https://example.org/rss", Title: "Tin",
			Text: text, Lang: "vi", Published: t0.Add(time.Duration(i) * time.Minute), Fetched: t0}
		a.ID = news.ArticleID(a.URL)
		a.SetHits([]news.Hit{{Topic: "trafficking", Term: "buôn bán người"}})
		as = append(as, a)
	}
	if _, err := st.SavePoll(store.Poll{Feed: store.FeedState{URL: "https://example.org/rss"}, Articles: as}); err != nil {
		t.Fatal(err)
	}
	return st
}

// smallBuffers is a listener whose connections have small kernel send
// buffers, so a response that is not read blocks the server soon.
type smallBuffers struct{ net.Listener }

func (l smallBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetWriteBuffer(4 << 10)
	}
	return c, err
}

// dialSmall connects to addr with a small receive buffer and closes the
// connection at the end of the test.
func dialSmall(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := newstest.DialSmallBuffer(t.Context(), addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// logEvents is a slog handler that sends the message of every record.
type logEvents chan string

func (e logEvents) Enabled(context.Context, slog.Level) bool { return true }
func (e logEvents) Handle(_ context.Context, r slog.Record) error {
	e <- r.Message
	return nil
}
func (e logEvents) WithAttrs([]slog.Attr) slog.Handler { return e }
func (e logEvents) WithGroup(string) slog.Handler      { return e }

// serveSmall serves h through Serve on a smallBuffers listener.
func serveSmall(t *testing.T, h http.Handler, o ServeOptions) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, smallBuffers{ln}, h, o) }()
	t.Cleanup(func() { cancel(); <-done })
	return ln.Addr().String()
}

// TestStalledExportIsCutOff: an export whose client stops reading is cut
// off once StallTimeout passes without progress; the client then finds
// the stream broken, not a clean end that would pass for the whole archive.
func TestStalledExportIsCutOff(t *testing.T) {
	t.Parallel()
	const n = 200
	events := make(logEvents, 16)
	h := New(Options{Store: archiveStore(t, n, 4<<10), Auth: AuthLocal, Logger: slog.New(events)})
	addr := serveSmall(t, h, ServeOptions{StallTimeout: 200 * time.Millisecond})
	c := dialSmall(t, addr)
	fmt.Fprintf(c, "GET /export HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
	for msg := range events { // the server-side event; the test's deadline guards it
		if msg == "export cut off: the client stopped reading" {
			break
		}
		t.Logf("log: %s", msg)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err == nil {
		t.Errorf("reading the stalled export ended cleanly after %d bytes, want a broken stream", len(body))
	}
	if got := strings.Count(string(body), "\n"); got >= n {
		t.Errorf("stalled export delivered %d of %d articles, want it cut off", got, n)
	}
}

// TestSlowReaderIsServed: a client that reads slowly but steadily gets the
// whole export, although it takes several times StallTimeout.
func TestSlowReaderIsServed(t *testing.T) {
	t.Parallel()
	const n, stall = 100, time.Second
	h := New(Options{Store: archiveStore(t, n, 4<<10), Auth: AuthLocal})
	addr := serveSmall(t, h, ServeOptions{StallTimeout: stall})
	c := dialSmall(t, addr)
	fmt.Fprintf(c, "GET /export HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", addr)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body []byte
	buf := make([]byte, 8<<10)
	pauses := time.Duration(0)
	for {
		m, err := resp.Body.Read(buf)
		body = append(body, buf[:m]...)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("slow read after %d bytes: %v", len(body), err)
		}
		time.Sleep(50 * time.Millisecond) // the slow client under test, 20 times faster than the cut-off
		pauses += 50 * time.Millisecond
	}
	if got := strings.Count(string(body), "\n"); got != n {
		t.Errorf("slow reader got %d articles, want %d", got, n)
	}
	if pauses < 2*stall {
		t.Errorf("the client paused %v in all, want more than 2×%v for the test to mean anything", pauses, stall)
	}
}

// TestReadTimeout: a request body that stops arriving fails the handler's
// read after ReadTimeout.
func TestReadTimeout(t *testing.T) {
	t.Parallel()
	readErr := make(chan error, 1)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := io.ReadAll(r.Body)
		readErr <- err
	})
	addr := serveSmall(t, h, ServeOptions{ReadTimeout: 100 * time.Millisecond})
	c := dialSmall(t, addr)
	fmt.Fprintf(c, "POST /api HTTP/1.1\r\nHost: %s\r\nContent-Length: 100\r\n\r\nonly ten b", addr)
	if err := <-readErr; !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("reading a stalled body = %v, want a deadline error", err)
	}
}

// TestReadTimeoutSparesHandlers: once the body is read, ReadTimeout is
// over: a handler that works past it keeps its context and answers.
func TestReadTimeoutSparesHandlers(t *testing.T) {
	t.Parallel()
	const readTimeout = 100 * time.Millisecond
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(r.Body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		select {
		case <-time.After(5 * readTimeout): // well past the read deadline
		case <-r.Context().Done():
			http.Error(w, "context cancelled: "+context.Cause(r.Context()).Error(), http.StatusInternalServerError)
			return
		}
		io.WriteString(w, "done")
	})
	addr := serveSmall(t, h, ServeOptions{ReadTimeout: readTimeout})
	resp, err := http.Post("http://"+addr+"/api", "text/plain", strings.NewReader("a body"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || string(body) != "done" {
		t.Errorf("POST with work past the read deadline = %d %q, want 200 done", resp.StatusCode, body)
	}
}
