package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/KimMachineGun/automemlimit/memlimit"
)

// TestSetMemoryLimit: under a cgroup limit (here a provider standing in
// for the cgroup file) Go's soft limit becomes 90 % of it and the daemon
// says so; GOMEMLIMIT in the environment wins; no limit changes nothing.
func TestSetMemoryLimit(t *testing.T) {
	prev := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(prev) })
	t.Setenv("GOMEMLIMIT", "")
	t.Setenv("AUTOMEMLIMIT", "") // restored after the test; unset for it:
	os.Unsetenv("AUTOMEMLIMIT")

	run := func(provider memlimit.Provider) string {
		t.Helper()
		var logs bytes.Buffer
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel() // stops the refresh goroutine
		setMemoryLimit(ctx, slog.New(slog.NewJSONHandler(&logs, nil)), provider)
		return logs.String()
	}

	logs := run(memlimit.Limit(200 << 20))
	if got, want := debug.SetMemoryLimit(-1), int64(180<<20); got != want {
		t.Errorf("under a 200 MiB limit: Go memory limit %d, want %d (90 %%)", got, want)
	}
	if !strings.Contains(logs, `"msg":"Go memory limit","limit_mib":180,"from":"cgroup"`) {
		t.Errorf("the limit is not logged: %s", logs)
	}

	debug.SetMemoryLimit(prev)
	if logs := run(func() (uint64, error) { return 0, memlimit.ErrNoLimit }); strings.Contains(logs, "memory limit") {
		t.Errorf("without a limit something was logged: %s", logs)
	}
	if got := debug.SetMemoryLimit(-1); got != prev {
		t.Errorf("without a limit: Go memory limit %d, want it unchanged (%d)", got, prev)
	}

	t.Setenv("GOMEMLIMIT", "64MiB")
	called := false
	run(func() (uint64, error) { called = true; return 200 << 20, nil })
	if called {
		t.Error("with GOMEMLIMIT set the cgroup was read")
	}
	if got := debug.SetMemoryLimit(-1); got != prev {
		t.Errorf("with GOMEMLIMIT set: Go memory limit %d, want the environment's (%d)", got, prev)
	}
}
