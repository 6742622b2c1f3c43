package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// notifySocket listens on a unixgram socket and points NOTIFY_SOCKET at it,
// as systemd does for a Type=notify service.
func notifySocket(t *testing.T) *net.UnixConn {
	t.Helper()
	addr := &net.UnixAddr{Name: filepath.Join(t.TempDir(), "notify.sock"), Net: "unixgram"}
	conn, err := net.ListenUnixgram("unixgram", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	t.Setenv("NOTIFY_SOCKET", addr.Name)
	return conn
}

// received returns the datagrams waiting on conn, without waiting for more.
// Notifications are sent synchronously, so after the sender returns every
// one it sent is already queued.
func received(t *testing.T, conn *net.UnixConn) []string {
	t.Helper()
	raw, err := conn.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	buf := make([]byte, 4096)
	for {
		var n int
		var rerr error
		if err := raw.Read(func(fd uintptr) bool {
			n, _, rerr = syscall.Recvfrom(int(fd), buf, syscall.MSG_DONTWAIT)
			return true
		}); err != nil {
			t.Fatal(err)
		}
		if errors.Is(rerr, syscall.EAGAIN) {
			return got
		}
		if rerr != nil {
			t.Fatal(rerr)
		}
		got = append(got, string(buf[:n]))
	}
}

func testNotifier() notifier { return notifier{log: slog.New(slog.DiscardHandler)} }

func TestNotifierStates(t *testing.T) {
	conn := notifySocket(t)
	n := testNotifier()
	n.Ready()
	n.Status("polling 3 feeds\nnext at 10:00")
	n.Reloading()
	n.Ready()
	n.Stopping()
	got := received(t, conn)
	want := []string{"READY=1", "STATUS=polling 3 feeds next at 10:00", "RELOADING=1", "READY=1", "STOPPING=1"}
	if len(got) != len(want) {
		t.Fatalf("notifications = %q, want %q", got, want)
	}
	for i := range want {
		if i == 2 {
			continue // checked below: it carries the clock
		}
		if got[i] != want[i] {
			t.Errorf("notification %d = %q, want %q", i, got[i], want[i])
		}
	}
	reload, clock, _ := strings.Cut(got[2], "\n")
	usec, ok := strings.CutPrefix(clock, "MONOTONIC_USEC=")
	if v, err := strconv.ParseUint(usec, 10, 64); reload != "RELOADING=1" || !ok || err != nil || v == 0 {
		t.Errorf("reloading notification = %q, want RELOADING=1 and MONOTONIC_USEC=<microseconds>", got[2])
	}
}

func TestNotifierOutsideSystemd(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", "")
	t.Setenv("WATCHDOG_USEC", "")
	n := testNotifier()
	n.Ready()
	n.Stopping()
	calls := 0
	n.watchdog(t.Context(), func() error { calls++; return nil })
	if calls != 0 {
		t.Errorf("watchdog without WATCHDOG_USEC checked health %d times, want it to return at once", calls)
	}
}

// TestWatchdogPingsOnlyWhileHealthy drives the watchdog one health check at
// a time: a ping follows each healthy check and none an unhealthy one.
func TestWatchdogPingsOnlyWhileHealthy(t *testing.T) {
	conn := notifySocket(t)
	t.Setenv("WATCHDOG_USEC", "2000") // a check every millisecond
	t.Setenv("WATCHDOG_PID", strconv.Itoa(syscall.Getpid()))
	ctx, cancel := context.WithCancel(t.Context())
	results := make(chan error)
	done := make(chan struct{})
	go func() {
		defer close(done)
		testNotifier().watchdog(ctx, func() error {
			select {
			case err := <-results:
				return err
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	checks := []error{nil, errors.New("store wedged"), errors.New("store wedged"), nil, nil}
	for _, err := range checks {
		results <- err
	}
	cancel()
	<-done
	pings := 0
	for _, msg := range received(t, conn) {
		if msg != "WATCHDOG=1" {
			t.Errorf("watchdog sent %q, want only WATCHDOG=1", msg)
		}
		pings++
	}
	if pings != 3 {
		t.Errorf("watchdog sent %d pings for checks %v, want 3 (one per healthy check)", pings, checks)
	}
}

func TestWatchdogOtherProcess(t *testing.T) {
	notifySocket(t)
	t.Setenv("WATCHDOG_USEC", "2000")
	t.Setenv("WATCHDOG_PID", strconv.Itoa(syscall.Getpid()+1))
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	calls := 0
	testNotifier().watchdog(ctx, func() error { calls++; return nil })
	if calls != 0 {
		t.Errorf("watchdog meant for another process checked health %d times, want none", calls)
	}
}
