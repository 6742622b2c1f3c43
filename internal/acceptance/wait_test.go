package acceptance

import (
	"testing"
	"time"
)

// Waiting on the daemon. It works in its own time, and a loaded machine
// (other test binaries, -race, a busy CI host) only makes it slower, so
// the waits here have no deadline of their own: they wait for the event
// itself. The test binary's deadline (go test -timeout) guards an event
// that never comes; shortly before it, the wait fails the test saying what
// it waited for, rather than leaving the test binary to panic.

// beforeDeadline returns a channel that fires shortly before the test
// binary's deadline, or nil (never) when it has none.
func beforeDeadline(t *testing.T) <-chan time.Time {
	d, ok := t.Deadline()
	if !ok {
		return nil
	}
	left := time.Until(d)
	return time.After(left - min(30*time.Second, left/10))
}

// waitFor polls cond until it holds; what names the event for the
// failure message.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	guard := beforeDeadline(t)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-guard:
			t.Fatalf("still waiting for %s at the test's deadline", what)
		case <-tick.C:
		}
	}
}
