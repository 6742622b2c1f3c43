package acceptance

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDamagedStore: commands given a damaged or foreign store file exit 1
// with a message that names the file and what to do; they never panic,
// never take the file for a missing store, and leave it as it is.
func TestDamagedStore(t *testing.T) {
	t.Parallel()
	site, feeds := newsSite(t, unseenStories[:3])
	dir := t.TempDir()
	cfg := stableConfig(t, dir, true, []string{site.URL() + feeds[0].path}, []string{"vi"})
	if r := newswatch(t, 2*time.Minute, "poll", "--config", cfg); r.code != 0 {
		t.Fatalf("poll: exit %d\n%s", r.code, tail(r.stderr, 2000))
	}
	good, err := os.ReadFile(filepath.Join(dir, "news.db"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		file []byte
		says string
	}{
		{"truncated store", good[:len(good)/3], "truncated"},
		{"empty store", nil, "empty"},
		{"garbage", bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef, 0x00}, 4096), "not a bbolt database"},
		{"SQLite database", append([]byte("SQLite format 3\x00"), make([]byte, 8192)...), "SQLite"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, "news.db")
			if err := os.WriteFile(path, tc.file, 0o600); err != nil {
				t.Fatal(err)
			}
			for _, args := range [][]string{{"export", "--all"}, {"poll"}, {"feeds"}, {"alerts", "list"}, {"store", "check"}, {"backup", "-o", filepath.Join(t.TempDir(), "copy.db")}} {
				r := newswatch(t, time.Minute, append(args, "--config", cfg)...)
				t.Logf("newswatch %s: exit %d: %s", args[0], r.code, strings.TrimSpace(r.stderr))
				if r.code != 1 {
					t.Errorf("newswatch %s on a %s: exit %d, want 1", args[0], tc.name, r.code)
				}
				for _, want := range []string{path, tc.says, "newswatch restore"} {
					if !strings.Contains(r.stderr, want) {
						t.Errorf("newswatch %s on a %s: stderr %q does not say %q", args[0], tc.name, r.stderr, want)
					}
				}
				for _, never := range []string{"panic", "goroutine", "does not exist"} {
					if strings.Contains(r.stderr, never) {
						t.Errorf("newswatch %s on a %s: stderr says %q:\n%s", args[0], tc.name, never, tail(r.stderr, 2000))
					}
				}
			}
			if after, err := os.ReadFile(path); err != nil || !bytes.Equal(after, tc.file) {
				t.Errorf("the commands changed the %s (%d bytes, now %d, %v)", tc.name, len(tc.file), len(after), err)
			}
		})
	}
}
