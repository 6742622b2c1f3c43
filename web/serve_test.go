package web

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

// startServe runs Serve on a loopback port and returns its base URL, the
// cancel that stops it and a function that waits for Serve's result.
func startServe(t *testing.T, h http.Handler, o ServeOptions) (string, context.CancelFunc, func() error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	var served error
	done := make(chan struct{})
	go func() { served = Serve(ctx, ln, h, o); close(done) }()
	wait := func() error { <-done; return served }
	t.Cleanup(func() { cancel(); wait() })
	return "http://" + ln.Addr().String(), cancel, wait
}

func TestServeHealthzThenShutdown(t *testing.T) {
	t.Parallel()
	h, _, _ := fixtureHandler(t)
	base, cancel, wait := startServe(t, h, ServeOptions{})
	resp, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != "ok\n" {
		t.Errorf("GET /healthz = %d %q, want 200 ok", resp.StatusCode, body)
	}
	cancel()
	if err := wait(); err != nil {
		t.Errorf("Serve after cancel = %v, want nil", err)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Errorf("GET /healthz after shutdown succeeded, want a refused connection")
	}
}

// TestServeLetsRequestsFinish checks the grace period: a request in flight
// when the context ends completes normally.
func TestServeLetsRequestsFinish(t *testing.T) {
	t.Parallel()
	entered, release := make(chan struct{}), make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		io.WriteString(w, "finished")
	})
	base, cancel, wait := startServe(t, h, ServeOptions{ShutdownTimeout: time.Minute})
	got := make(chan string, 1)
	go func() {
		resp, err := http.Get(base + "/")
		if err != nil {
			got <- err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		got <- string(b)
	}()
	<-entered
	cancel()
	close(release)
	if err := wait(); err != nil {
		t.Errorf("Serve = %v, want nil", err)
	}
	if s := <-got; s != "finished" {
		t.Errorf("request in flight at shutdown got %q, want \"finished\"", s)
	}
}

// TestServeWaitsForCancelledHandlers checks that Serve returns only after a
// handler that outlived the grace period has seen its context cancelled
// and returned: after Serve, nothing uses the store.
func TestServeWaitsForCancelledHandlers(t *testing.T) {
	t.Parallel()
	entered := make(chan struct{})
	var returned atomic.Bool
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-r.Context().Done()
		returned.Store(true)
	})
	base, cancel, wait := startServe(t, h, ServeOptions{ShutdownTimeout: time.Millisecond})
	go func() {
		if resp, err := http.Get(base + "/"); err == nil {
			resp.Body.Close()
		}
	}()
	<-entered
	cancel()
	if err := wait(); err != nil {
		t.Errorf("Serve = %v, want nil after cancelling a slow request", err)
	}
	if !returned.Load() {
		t.Error("Serve returned while a handler was still running")
	}
}

func TestServeListenerError(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
	err = Serve(t.Context(), ln, http.NotFoundHandler(), ServeOptions{})
	if err == nil || !errors.Is(err, net.ErrClosed) {
		t.Errorf("Serve on a closed listener = %v, want an error wrapping net.ErrClosed", err)
	}
}
