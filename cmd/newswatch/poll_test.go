package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPollExitStatus: poll fails (exit 1, saying so) when every feed
// failed, and succeeds when at least one was polled.
func TestPollExitStatus(t *testing.T) {
	t.Parallel()
	site, err := startDemoSite()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(site.Close)
	tests := []struct {
		name  string
		paths []string
		want  int
	}{
		{"every feed fails", []string{"/rss/removed.rss", "/rss/gone.rss"}, exitFailure},
		{"one feed polled", []string{"/rss/removed.rss", demoFeeds[0].path}, exitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			var b strings.Builder
			fmt.Fprintf(&b, "store: %s\nfetch: {allow_private_networks: true, per_host_rate: -1}\nlog: {level: warn}\nfeeds:\n", filepath.Join(dir, "nw.db"))
			for _, p := range tt.paths {
				fmt.Fprintf(&b, "  - url: %s%s\n", site.URL(), p)
			}
			cfg := filepath.Join(dir, "newswatch.yaml")
			if err := os.WriteFile(cfg, []byte(b.String()), 0o600); err != nil {
				t.Fatal(err)
			}
			_, stderr, err := exec(t, "poll", "--config", cfg)
			if got := exitCode(err); got != tt.want {
				t.Errorf("poll: exit %d (%v), want %d\n%s", got, err, tt.want, stderr)
			}
			if tt.want == exitFailure && !strings.Contains(stderr, "no feed could be polled: all 2 failed") {
				t.Errorf("poll with every feed failing: stderr does not say so:\n%s", stderr)
			}
			if !strings.Contains(stderr, "removed.rss") {
				t.Errorf("poll does not report the failed feed:\n%s", stderr)
			}
		})
	}
}
