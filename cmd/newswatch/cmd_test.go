package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/internal/newstest"
)

// exec runs the command line through run and returns stdout, stderr and
// the error run returned.
func exec(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = run(t.Context(), args, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), err
}

// demoSiteConfig serves the demo site and writes a config for it (plus a
// feed that answers 404) with the store in a temporary directory.
func demoSiteConfig(t *testing.T) (cfgPath string, site *newstest.Site) {
	t.Helper()
	site, err := startDemoSite()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(site.Close)
	dir := t.TempDir()
	var b strings.Builder
	fmt.Fprintf(&b, "store: %s\nfetch:\n  allow_private_networks: true\n  per_host_concurrency: 8\n  per_host_rate: -1\n  timeout: 5s\nlog:\n  level: warn\nfeeds:\n", filepath.Join(dir, "nw.db"))
	for _, f := range demoFeeds {
		fmt.Fprintf(&b, "  - url: %s%s\n    name: %q\n    interval: 15m\n", site.URL(), f.path, f.name)
	}
	fmt.Fprintf(&b, "  - url: %s/rss/removed.rss\n    name: Removed feed\n", site.URL())
	cfgPath = filepath.Join(dir, "newswatch.yaml")
	if err := os.WriteFile(cfgPath, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfgPath, site
}

func TestCheckCommand(t *testing.T) {
	t.Parallel()
	cfg, _ := demoSiteConfig(t)
	out, _, err := exec(t, "check", "--config", cfg)
	if err != nil || !strings.Contains(out, "is valid: 4 feeds, 2 topics") {
		t.Errorf("check valid config = %q, %v; want a valid report of 4 feeds and 2 topics", out, err)
	}

	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte(`feeds:
  - name: no url
  - url: ftp://example.org/rss
    interval: sometimes
  - url: https://example.org/rss
  - url: https://example.org/rss
topics:
  empty:
    query: ""
  broken:
    query: '("human trafficking" OR'
schedule:
  jitter: 0.9
log:
  level: loud
`), 0o600)
	_, stderr, err := exec(t, "check", "--config", bad)
	if got := exitCode(err); got != exitUsage {
		t.Errorf("check of a bad config: exit code %d (%v), want %d", got, err, exitUsage)
	}
	for _, want := range []string{"url is missing", "ftp://example.org/rss", "sometimes", "repeats feeds[2]", "topics.empty", "topics.broken", "jitter", "log.level"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("check of a bad config: stderr lacks %q:\n%s", want, stderr)
		}
	}
}

// Wrong types and unknown keys are reported together with every other
// problem, not instead of them.
func TestCheckReportsTypeErrorsWithTheRest(t *testing.T) {
	t.Parallel()
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte(`fetch:
  allow_private_networks: maybe
feeds:
  - url: ftp://example.org/rss
    scrape: yes-please
  - name: no url
colour: blue
`), 0o600)
	_, stderr, err := exec(t, "check", "--config", bad)
	if got := exitCode(err); got != exitUsage {
		t.Errorf("check of a bad config: exit code %d (%v), want %d", got, err, exitUsage)
	}
	for _, want := range []string{"maybe", "yes-please", "unknown key colour", "ftp://example.org/rss", "url is missing"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("check of a bad config: stderr lacks %q:\n%s", want, stderr)
		}
	}
}

func TestUnknownCommandIsUsageError(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"frobnicate"}, {"pol"}, {"export", "extra"}, {"poll", "--frobnicate"}} {
		_, stderr, err := exec(t, args...)
		if got := exitCode(err); got != exitUsage {
			t.Errorf("newswatch %v: exit code %d (%v), want %d", args, got, err, exitUsage)
		}
		if !strings.Contains(stderr, "unknown") {
			t.Errorf("newswatch %v: stderr %q does not say what is unknown", args, stderr)
		}
	}
	if _, _, err := exec(t); err != nil {
		t.Errorf("newswatch without arguments = %v, want help and success", err)
	}
}

func TestPollExportFeedsCommands(t *testing.T) {
	t.Parallel()
	cfg, site := demoSiteConfig(t)
	if _, stderr, err := exec(t, "poll", "--config", cfg); err != nil {
		t.Fatalf("poll = %v, want success although one feed is gone; stderr:\n%s", err, stderr)
	}

	pages := newstest.PagesOf(newstest.DemoLayout())
	want := map[string][]string{}
	for _, p := range pages {
		ts := append([]string{}, p.Topics...)
		slices.Sort(ts)
		want[newstest.PageURL(site.URL(), p.Page)] = ts
	}
	all := exportRecords(t, "export", "--config", cfg, "--all")
	if diff := cmp.Diff(want, topicsByURL(all)); diff != "" {
		t.Errorf("export --all: URL -> topics differ (-want +got):\n%s", diff)
	}
	for _, r := range all {
		for _, k := range []string{"id", "url", "feed_url", "source", "title", "text", "lang", "published", "fetched", "topics"} {
			if _, ok := r[k]; !ok {
				t.Errorf("export record of %v lacks %q", r["url"], k)
			}
		}
	}

	matched := map[string][]string{}
	un := map[string][]string{}
	for u, ts := range want {
		if len(ts) > 0 {
			matched[u] = ts
		}
		if slices.Contains(ts, "un") {
			un[u] = ts
		}
	}
	if diff := cmp.Diff(matched, topicsByURL(exportRecords(t, "export", "--config", cfg))); diff != "" {
		t.Errorf("export (matched only): URL -> topics differ (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(un, topicsByURL(exportRecords(t, "export", "--config", cfg, "--topic", "un"))); diff != "" {
		t.Errorf("export --topic un: URL -> topics differ (-want +got):\n%s", diff)
	}

	out, _, err := exec(t, "feeds", "--config", cfg)
	if err != nil {
		t.Fatalf("feeds: %v", err)
	}
	for _, f := range demoFeeds {
		if !regexp.MustCompile(regexp.QuoteMeta(f.name) + `\s.*\s200\s+0\s`).MatchString(out) {
			t.Errorf("feeds: no healthy row (status 200, 0 errors) for %q:\n%s", f.name, out)
		}
	}
	if !regexp.MustCompile(`Removed feed\s.*\s404\s+1\s.*404`).MatchString(out) {
		t.Errorf("feeds: the removed feed does not show status 404, 1 error and its message:\n%s", out)
	}
}

// exportRecords runs an export and decodes its JSON lines.
func exportRecords(t *testing.T, args ...string) []map[string]any {
	t.Helper()
	out, stderr, err := exec(t, args...)
	if err != nil {
		t.Fatalf("%v = %v; stderr:\n%s", args, err, stderr)
	}
	var recs []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r map[string]any
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("%v: line %q is not JSON: %v", args, sc.Text(), err)
		}
		recs = append(recs, r)
	}
	return recs
}

// topicsByURL maps exported records' url to their sorted topics.
func topicsByURL(recs []map[string]any) map[string][]string {
	out := map[string][]string{}
	for _, r := range recs {
		ts := []string{}
		list, _ := r["topics"].([]any)
		for _, v := range list {
			ts = append(ts, fmt.Sprint(v))
		}
		slices.Sort(ts)
		out[fmt.Sprint(r["url"])] = ts
	}
	return out
}

func TestDemoCommand(t *testing.T) {
	t.Parallel()
	out, stderr, err := exec(t, "demo")
	if err != nil {
		t.Fatalf("demo = %v; stderr:\n%s", err, stderr)
	}
	pages := newstest.PagesOf(newstest.DemoLayout())
	matched := 0
	for _, p := range pages {
		if !strings.Contains(out, p.Title) {
			t.Errorf("demo output lacks the article %q", p.Title)
		}
		if len(p.Topics) > 0 {
			matched++
		}
	}
	if want := fmt.Sprintf("Matched %d of %d articles", matched, len(pages)); !strings.Contains(out, want) {
		t.Errorf("demo output lacks %q:\n%s", want, out)
	}
	trap, _ := newstest.CorpusPageByID(1003)
	if i := strings.Index(out, "Not matched"); i < 0 || !strings.Contains(out[i:], trap.Title) {
		t.Errorf("demo: the trap page %q is not listed as not matched:\n%s", trap.Title, out)
	}
}

func TestConfigCommandPrintsAValidDefault(t *testing.T) {
	t.Parallel()
	out, _, err := exec(t, "config")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := parseConfig([]byte(out), "config output")
	if err != nil {
		t.Fatalf("parse the printed default: %v", err)
	}
	if len(cfg.Feeds) == 0 || cfg.Topics["trafficking"].Query == "" || cfg.Topics["un"].Query == "" {
		t.Errorf("printed default: %d feeds, topics %v; want feeds and the built-in topics", len(cfg.Feeds), slices.Sorted(mapsKeys(cfg.Topics)))
	}
}

// TestREADMEConfig parses and validates the sample config of the README,
// so the documentation keeps working.
func TestREADMEConfig(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatalf("README.md: %v", err)
	}
	m := regexp.MustCompile("(?s)\n#+ [^\n]*Configuration[^\n]*\n.*?```yaml\n(.*?)```").FindSubmatch(data)
	if m == nil {
		t.Fatal("README.md has no ```yaml block under a heading containing \"Configuration\"")
	}
	if _, err := parseConfig(m[1], "README.md"); err != nil {
		t.Errorf("README sample config: %v", err)
	}
}

func mapsKeys[M ~map[string]V, V any](m M) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}
