package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestStoreCompact: compaction keeps every article and reports the sizes;
// with a daemon running it is refused, naming the daemon's pid.
func TestStoreCompact(t *testing.T) {
	t.Parallel()
	cfg := webConfig(t, "127.0.0.1:0")
	if _, stderr, err := exec(t, "poll", "--config", cfg); err != nil {
		t.Fatalf("poll = %v; stderr:\n%s", err, stderr)
	}
	before := exportRecords(t, "export", "--config", cfg, "--all")
	out, stderr, err := exec(t, "store", "compact", "--config", cfg)
	if err != nil || !strings.Contains(out, "compacted") || !strings.Contains(out, "MB ->") {
		t.Fatalf("store compact = %v\n%s%s", err, out, stderr)
	}
	if diff := cmp.Diff(before, exportRecords(t, "export", "--config", cfg, "--all")); diff != "" {
		t.Errorf("export after compaction differs (-before +after):\n%s", diff)
	}

	runDaemon(t, cfg)
	_, _, err = exec(t, "store", "compact", "--config", cfg)
	if err == nil || !strings.Contains(err.Error(), "pid") || exitCode(err) != exitFailure {
		t.Errorf("store compact with a daemon running = %v (exit %d), want exit 1 naming its pid", err, exitCode(err))
	}
}
