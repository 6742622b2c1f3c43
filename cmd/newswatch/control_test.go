package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/newswatch/newswatch/web"
)

// TestNewCommandsBadInput: every new command refuses bad input with a
// message naming the problem, exit 2 for the user's input and 1 for the
// state it meets, and leaves the store as it was.
func TestNewCommandsBadInput(t *testing.T) {
	t.Parallel()
	cfg, site := demoSiteConfig(t)
	if _, stderr, err := exec(t, "poll", "--config", cfg); err != nil {
		t.Fatalf("poll = %v\n%s", err, stderr)
	}
	dir := filepath.Dir(cfg)
	notOPML := filepath.Join(dir, "feed.opml")
	if err := os.WriteFile(notOPML, []byte(`<rss version="2.0"><channel><title>x</title></channel></rss>`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := exec(t, "token", "create", "ops", "--config", cfg); err != nil {
		t.Fatal(err)
	}
	snapshot := func() string {
		var b strings.Builder
		for _, args := range [][]string{{"feeds", "--format", "json"}, {"export", "--all"}, {"alerts", "list", "--format", "json"}, {"token", "list", "--format", "json"}} {
			out, stderr, err := exec(t, append(args, "--config", cfg)...)
			if err != nil {
				t.Fatalf("%s = %v\n%s", args, err, stderr)
			}
			b.WriteString(out)
		}
		return b.String()
	}
	before := snapshot()
	configFeed := site.URL() + demoFeeds[0].path
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"feeds add without a URL", []string{"feeds", "add"}, exitUsage, "accepts 1 arg"},
		{"feeds add ftp", []string{"feeds", "add", "ftp://example.org/rss"}, exitUsage, "not an http(s) URL"},
		{"feeds add bad interval", []string{"feeds", "add", "https://example.org/rss", "--interval", "10 minutes"}, exitUsage, "10 minutes"},
		{"feeds add bad lang", []string{"feeds", "add", "https://example.org/rss", "--lang", "Vietnamese"}, exitUsage, "Vietnamese"},
		{"feeds add a config feed", []string{"feeds", "add", strings.Replace(configFeed, "http://", "HTTP://", 1)}, exitFailure, "already watched"},
		{"feeds add bad type", []string{"feeds", "add", "https://example.org/x", "--type", "rss"}, exitUsage, `type: "rss" is not one of feed, sitemap, page`},
		{"feeds add selectors of a feed", []string{"feeds", "add", "https://example.org/x", "--items", "a.title"}, exitUsage, "items: only a section page has selectors"},
		{"feeds add bad selector", []string{"feeds", "add", "https://example.org/x", "--type", "page", "--items", "a["}, exitUsage, `items selector "a["`},
		{"feeds add backfill nowhere", []string{"feeds", "add", "https://example.org/x", "--backfill", "no such feed"}, exitUsage, "backfill: \"no such feed\" is neither"},
		{"feeds add backfill itself", []string{"feeds", "add", "https://example.org/x", "--backfill", "https://example.org/x"}, exitUsage, "is this feed itself"},
		{"feeds remove a config feed", []string{"feeds", "remove", configFeed}, exitFailure, "remove it there"},
		{"feeds remove unknown", []string{"feeds", "remove", "https://example.org/none.xml"}, exitFailure, "no feed"},
		{"feeds import missing file", []string{"feeds", "import", filepath.Join(dir, "none.opml")}, exitUsage, "none.opml"},
		{"feeds import not OPML", []string{"feeds", "import", notOPML}, exitUsage, "<opml>"},
		{"token create bad name", []string{"token", "create", "a b"}, exitUsage, "token name"},
		{"token create bad role", []string{"token", "create", "x", "--role", "root"}, exitUsage, "role"},
		{"token create twice", []string{"token", "create", "ops"}, exitFailure, "exists"},
		{"token revoke unknown", []string{"token", "revoke", "nobody"}, exitFailure, "no token"},
		{"reload without a daemon", []string{"reload"}, exitFailure, "no newswatch daemon"},
		{"backup without -o", []string{"backup"}, exitUsage, "--output"},
		{"alerts retry without an id", []string{"alerts", "retry"}, exitUsage, "alert ID"},
		{"alerts retry unknown", []string{"alerts", "retry", "ffff"}, exitFailure, "not found"},
		{"export unknown topic", []string{"export", "--topic", "sport"}, exitUsage, "trafficking"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, err := exec(t, append(tt.args, "--config", cfg)...)
			if got := exitCode(err); got != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("newswatch %s: exit %d, stderr %q; want exit %d naming %q", strings.Join(tt.args, " "), got, stderr, tt.code, tt.want)
			}
		})
	}
	if after := snapshot(); after != before {
		t.Errorf("refused commands changed the store")
	}
}

// TestFeedsAddImportExportWithoutDaemon: feeds added or imported with no
// daemon running are in the store, listed with their origin, exported as
// OPML, and polled by the next poll.
func TestFeedsAddImportExportWithoutDaemon(t *testing.T) {
	t.Parallel()
	cfg, site := demoSiteConfig(t)
	dir := filepath.Dir(cfg)
	out, stderr, err := exec(t, "feeds", "add", "http://127.0.0.1:1/never.xml", "--name", "Never", "--lang", "vi", "--interval", "1h", "--config", cfg)
	if err != nil || !strings.Contains(out, "added Never") || !strings.Contains(stderr, "no daemon is running") {
		t.Fatalf("feeds add = %v\n%s%s", err, out, stderr)
	}
	opml := `<opml version="1.0"><body><outline text="Folder"><outline text="Extra" xmlUrl="` + site.URL() + `/rss/extra.rss"/></outline></body></opml>`
	if err := os.WriteFile(filepath.Join(dir, "subs.opml"), []byte(opml), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _, err = exec(t, "feeds", "import", filepath.Join(dir, "subs.opml"), "--config", cfg)
	if err != nil || !strings.Contains(out, "imported 1 feed(s) from subs.opml; skipped 0") {
		t.Fatalf("feeds import = %v\n%s", err, out)
	}
	list, _, err := exec(t, "feeds", "--config", cfg)
	if err != nil || strings.Count(list, " added ") != 2 || strings.Count(list, " config ") != len(demoFeeds)+1 {
		t.Errorf("feeds = %v; want 2 feeds of origin added and the config's:\n%s", err, list)
	}
	exported, _, err := exec(t, "feeds", "export", "--config", cfg)
	if err != nil || !strings.Contains(exported, `text="Never"`) || !strings.Contains(exported, `language="vi"`) || !strings.Contains(exported, "/rss/extra.rss") {
		t.Errorf("feeds export = %v:\n%s", err, exported)
	}
	if _, stderr, err := exec(t, "poll", "--config", cfg); err != nil {
		t.Fatalf("poll = %v\n%s", err, stderr)
	}
	if site.Requests("/rss/extra.rss") == 0 {
		t.Error("poll did not poll the imported feed")
	}
	if _, _, err := exec(t, "feeds", "remove", "http://127.0.0.1:1/never.xml", "--config", cfg); err != nil {
		t.Errorf("feeds remove = %v", err)
	}
	if list, _, _ := exec(t, "feeds", "--config", cfg); strings.Contains(list, "Never") {
		t.Errorf("feeds after remove still lists it:\n%s", list)
	}
}

// TestBackupCheckRestore: a backup of the store checks clean, restores in
// place of the store keeping the replaced file, and a damaged backup is
// refused without touching the store.
func TestBackupCheckRestore(t *testing.T) {
	t.Parallel()
	cfg, _ := demoSiteConfig(t)
	if _, stderr, err := exec(t, "poll", "--config", cfg); err != nil {
		t.Fatalf("poll = %v\n%s", err, stderr)
	}
	dir := filepath.Dir(cfg)
	copyPath := filepath.Join(dir, "copy.db")
	if _, stderr, err := exec(t, "backup", "-o", copyPath, "--config", cfg); err != nil || !strings.Contains(stderr, "checked") {
		t.Fatalf("backup = %v\n%s", err, stderr)
	}
	out, _, err := exec(t, "store", "check", copyPath)
	if err != nil || !strings.Contains(out, "no problems found") || !strings.Contains(out, "articles") {
		t.Fatalf("store check FILE = %v\n%s", err, out)
	}
	before, _, _ := exec(t, "export", "--all", "--config", cfg)

	damaged := filepath.Join(dir, "damaged.db")
	data, err := os.ReadFile(copyPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(damaged, data[:len(data)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	if _, stderr, err := exec(t, "store", "check", damaged); exitCode(err) != exitFailure || !strings.Contains(stderr+err.Error(), "damaged.db") {
		t.Errorf("store check of a truncated file = %v %q, want exit 1 naming it", err, stderr)
	}
	if _, _, err := exec(t, "restore", damaged, "--config", cfg); exitCode(err) != exitFailure {
		t.Errorf("restore of a truncated backup = %v, want exit 1", err)
	}
	if after, _, _ := exec(t, "export", "--all", "--config", cfg); after != before {
		t.Error("a refused restore changed the store")
	}

	out, stderr, err := exec(t, "restore", copyPath, "--config", cfg)
	if err != nil || !strings.Contains(out, "before-restore") {
		t.Fatalf("restore = %v\n%s%s", err, out, stderr)
	}
	if after, _, _ := exec(t, "export", "--all", "--config", cfg); after != before {
		t.Error("the restored store exports differently from the one backed up")
	}
	if _, _, err := exec(t, "restore", copyPath, "--config", cfg); exitCode(err) != exitFailure {
		t.Errorf("a second restore over a kept .before-restore = %v, want refused", err)
	}
}

// TestTopicsSavedAtRunTime: a topic saved at run time is listed with its
// origin, matched by the next poll and by rematch, refused when its query
// is wrong or its name is the config's, and deleted.
func TestTopicsSavedAtRunTime(t *testing.T) {
	t.Parallel()
	cfg, _ := demoSiteConfig(t)
	if _, stderr, err := exec(t, "topics", "add", "rice", "lúa OR gạo OR rice", "--config", cfg); err != nil {
		t.Fatalf("topics add = %v\n%s", err, stderr)
	}
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"topics", "add", "broken", `("human trafficking" OR`}, exitUsage, "broken"},
		{[]string{"topics", "add", "un", "UN"}, exitFailure, "declared in"},
		{[]string{"topics", "add", "rice", "rice"}, exitFailure, "saved already"},
		{[]string{"topics", "add", "a b", "x"}, exitUsage, "topic name"},
		{[]string{"topics", "remove", "trafficking"}, exitFailure, "declared in"},
		{[]string{"topics", "remove", "nothing"}, exitFailure, "no topic"},
	} {
		if _, stderr, err := exec(t, append(tt.args, "--config", cfg)...); exitCode(err) != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("newswatch %s: exit %d %q, want %d naming %q", strings.Join(tt.args, " "), exitCode(err), stderr, tt.code, tt.want)
		}
	}
	out, _, err := exec(t, "topics", "--config", cfg)
	if err != nil || !regexpMatch(`(?m)^rice\s+saved\s+lúa OR gạo OR rice$`, out) || !regexpMatch(`(?m)^trafficking\s+config\s`, out) {
		t.Errorf("topics = %v:\n%s", err, out)
	}
	if _, stderr, err := exec(t, "poll", "--config", cfg); err != nil {
		t.Fatalf("poll = %v\n%s", err, stderr)
	}
	recs := exportRecords(t, "export", "--topic", "rice", "--config", cfg)
	if len(recs) == 0 {
		t.Error("no article matched the saved topic rice in the poll after it was saved")
	}
	if _, _, err := exec(t, "topics", "remove", "rice", "--config", cfg); err != nil {
		t.Errorf("topics remove = %v", err)
	}
	if out, _, _ := exec(t, "topics", "--config", cfg); regexpMatch(`(?m)^rice\s`, out) {
		t.Errorf("topics after remove still lists rice:\n%s", out)
	}
}

func regexpMatch(re, s string) bool { return regexp.MustCompile(re).MatchString(s) }

// TestFeedsAddSources: feeds add takes the source keys; a backfill named
// by a source's name is kept as its URL, and feeds shows the type.
func TestFeedsAddSources(t *testing.T) {
	t.Parallel()
	cfg, site := demoSiteConfig(t)
	name := demoFeeds[0].name
	if out, stderr, err := exec(t, "feeds", "add", site.URL()+"/xa-hoi.vnp", "--type", "page", "--items", ".timeline .story", "--title", "h2 a",
		"--date", "time[datetime]", "--name", "Section", "--config", cfg); err != nil {
		t.Fatalf("feeds add page = %v\n%s%s", err, out, stderr)
	}
	if out, stderr, err := exec(t, "feeds", "add", site.URL()+"/rss/extra.rss", "--backfill", name, "--config", cfg); err != nil {
		t.Fatalf("feeds add --backfill NAME = %v\n%s%s", err, out, stderr)
	}
	js, _, err := exec(t, "feeds", "--format", "json", "--config", cfg)
	if err != nil {
		t.Fatal(err)
	}
	var rows []web.FeedHealth
	if err := json.Unmarshal([]byte(js), &rows); err != nil {
		t.Fatal(err)
	}
	byURL := map[string]web.FeedHealth{}
	for _, r := range rows {
		byURL[r.URL] = r
	}
	if r := byURL[site.URL()+"/xa-hoi.vnp"]; r.Type != "page" || r.Origin != "added" {
		t.Errorf("page source row = %+v; want type page, origin added", r)
	}
	if r := byURL[site.URL()+"/rss/extra.rss"]; r.Type != "feed" || r.Backfill != site.URL()+demoFeeds[0].path {
		t.Errorf("feed row = %+v; want its backfill %s", r, site.URL()+demoFeeds[0].path)
	}
	table, _, _ := exec(t, "feeds", "--config", cfg)
	if !regexp.MustCompile(`Section\s+added\s+page\s`).MatchString(table) || !strings.Contains(table, "backfill "+site.URL()+demoFeeds[0].path) {
		t.Errorf("feeds table lacks the type or the backfill:\n%s", table)
	}
}
