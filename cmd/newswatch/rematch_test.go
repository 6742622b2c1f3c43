package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRematchCommand polls the demo site with the built-in topics, then
// rematches the archive with a config whose only topic is football: the
// archive follows the new rules, and --dry-run changes nothing.
func TestRematchCommand(t *testing.T) {
	t.Parallel()
	cfg, _ := demoSiteConfig(t)
	if _, stderr, err := exec(t, "poll", "--config", cfg); err != nil {
		t.Fatalf("poll = %v; stderr:\n%s", err, stderr)
	}
	before := topicsByURL(exportRecords(t, "export", "--config", cfg, "--all"))

	data, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	sport := strings.TrimSuffix(cfg, ".yaml") + "-sport.yaml"
	// Built-in topics stay unless disabled: disable them so rematch removes them.
	topics := "topics:\n  football:\n    query: 'football OR \"bóng đá\"'\n  trafficking: {disabled: true}\n  un: {disabled: true}\n"
	if err := os.WriteFile(sport, append(data, topics...), 0o600); err != nil {
		t.Fatal(err)
	}

	out, stderr, err := exec(t, "rematch", "--config", sport, "--dry-run")
	if err != nil {
		t.Fatalf("rematch --dry-run = %v; stderr:\n%s", err, stderr)
	}
	if got := topicsByURL(exportRecords(t, "export", "--config", cfg, "--all")); !cmp.Equal(before, got) {
		t.Errorf("rematch --dry-run changed the archive:\n%s", cmp.Diff(before, got))
	}
	dry := out

	want := map[string][]string{}
	lost := map[string]int{}
	for u, ts := range before {
		want[u] = []string{}
		if strings.Contains(u, "football") {
			want[u] = []string{"football"}
		}
		for _, tp := range ts {
			lost[tp]++
		}
	}
	for tp := range lost {
		if !strings.Contains(dry, "  "+tp+": +0 -") {
			t.Errorf("rematch --dry-run lacks the lost topic %s:\n%s", tp, dry)
		}
	}
	if !regexp.MustCompile(`(?m)^    \+ [0-9a-f]+  .*football.*$`).MatchString(dry) {
		t.Errorf("rematch --dry-run does not list the article gaining football (id, title, url):\n%s", dry)
	}

	// Taking topics away needs --yes when nobody can be asked.
	_, stderr, err = exec(t, "rematch", "--config", sport)
	if exitCode(err) != exitUsage || !strings.Contains(stderr, "--yes") {
		t.Errorf("rematch removing topics without --yes = %v, want exit %d pointing at --yes\n%s", err, exitUsage, stderr)
	}
	if got := topicsByURL(exportRecords(t, "export", "--config", cfg, "--all")); !cmp.Equal(before, got) {
		t.Errorf("rematch without --yes changed the archive:\n%s", cmp.Diff(before, got))
	}

	out, stderr, err = exec(t, "rematch", "--config", sport, "--yes")
	if err != nil {
		t.Fatalf("rematch --yes = %v; stderr:\n%s", err, stderr)
	}
	if diff := cmp.Diff(want, topicsByURL(exportRecords(t, "export", "--config", cfg, "--all"))); diff != "" {
		t.Errorf("export --all after rematch: URL -> topics differ (-want +got):\n%s", diff)
	}
	for tp, n := range lost {
		if line := fmt.Sprintf("  %s: +0 -%d\n", tp, n); !strings.Contains(out, line) {
			t.Errorf("rematch output lacks %q:\n%s", line, out)
		}
	}
	if !strings.Contains(out, "  football: +1 -0\n") {
		t.Errorf("rematch output lacks the gained football topic:\n%s", out)
	}
	counts := regexp.MustCompile(`(?m)^    [-+] .*\n`).ReplaceAllString(dry, "")
	if strings.Replace(counts, "would change", "changed", 1) != out {
		t.Errorf("rematch --dry-run reported\n%s\nbut rematch did\n%s", counts, out)
	}
}
