package acceptance

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newswatch/newswatch/internal/newstest"
)

// sourceRow is what these checks read of a row of `feeds --format json`.
type sourceRow struct {
	Name          string   `json:"name"`
	Type          string   `json:"type"`
	Errors        int      `json:"errors"`
	LastError     string   `json:"last_error"`
	Gaps          int      `json:"gaps"`
	LastGapWindow int      `json:"last_gap_window"`
	Notes         []string `json:"notes"`
}

// sourceRows runs `feeds --format json` and returns the rows by name.
func sourceRows(t *testing.T, cfg string) map[string]sourceRow {
	t.Helper()
	r := newswatch(t, time.Minute, "feeds", "--format", "json", "--config", cfg)
	if r.code != 0 {
		t.Fatalf("feeds: exit %d\n%s", r.code, r.stderr)
	}
	var rows []sourceRow
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
		t.Fatalf("feeds --format json: %v\n%s", err, r.stdout)
	}
	out := map[string]sourceRow{}
	for _, row := range rows {
		out[row.Name] = row
	}
	return out
}

// exportedTopics runs `export --all` and returns each article's path with
// its topics, failing t for an article without text.
func exportedTopics(t *testing.T, cfg string) map[string][]string {
	t.Helper()
	r := newswatch(t, time.Minute, "export", "--all", "--config", cfg)
	if r.code != 0 {
		t.Fatalf("export --all: exit %d\n%s", r.code, r.stderr)
	}
	out := map[string][]string{}
	for _, rec := range parseExport(t, r.stdout) {
		if !strings.Contains(rec.URL, "/farm/") && strings.TrimSpace(rec.Text) == "" {
			t.Errorf("article %s has no text", rec.URL)
		}
		topics := slices.Clone(rec.Topics)
		slices.Sort(topics)
		out[articlePath(rec.URL)] = append([]string{}, topics...)
	}
	return out
}

// TestSourcesMissNothing is the acceptance check of issue 11, with the
// real binary on an unseen local news site: a feed whose 10-item window
// turns over between polls loses nothing with a news-sitemap backfill and
// shows the gap in `feeds`; an Arabic edition with only a section page and
// an English one with only a news sitemap are collected in full, text and
// topics as for feeds; a daemon restarted after downtime recovers what was
// published meanwhile; and the bad inputs are reported on their sources,
// bounded, while the rest is collected.
func TestSourcesMissNothing(t *testing.T) {
	t.Parallel()
	site, err := newstest.NewSite(nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(site.Close)
	now := time.Now().Add(-time.Minute)
	vi := newstest.Stories("vi", 90, 760000, now, 2*time.Minute) // newest first
	ar := newstest.Stories("ar", 8, 770000, now, time.Hour)
	en := newstest.Stories("en", 8, 780000, now, time.Hour)
	for _, p := range slices.Concat(vi, ar, en) {
		site.Set(p.Path(), newstest.Route{Body: p.HTML(), Gzip: p.ID%2 == 0})
	}
	publish := func(n int) { // the oldest n Vietnamese stories are out; the feed shows the newest 10
		out := vi[len(vi)-n:]
		items := make([]newstest.FeedItem, 0, 10)
		for _, p := range out[:10] {
			items = append(items, p.Item())
		}
		site.Set("/rss/vi.rss", newstest.Route{Body: newstest.RSS(newstest.Channel{Title: "VietnamPlus", Link: newstest.BasePlaceholder + "/", Lang: "vi"}, items)})
		site.Set("/sitemaps/vi-news.xml", newstest.Route{Body: newstest.NewsSitemap(out), Gzip: true})
	}
	site.Set("/ar/society.vnp", newstest.Route{Body: newstest.SectionPage("ar", "المجتمع", ar)})
	site.Set("/sitemaps/en-news.xml", newstest.Route{Body: newstest.NewsSitemap(en)})
	site.Set("/bad/nothing.vnp", newstest.Route{Body: newstest.SectionPage("vi", "Xã hội", vi[:3])})
	site.Handle("/bad/huge.xml", newstest.HugeSitemap(50<<20))
	site.Set("/bad/self.xml", newstest.Route{Body: newstest.SitemapIndex([]newstest.SitemapChild{{Path: "/bad/self.xml"}})})
	site.Set("/bad/broken.xml", newstest.Route{Body: []byte("<urlset><url><loc>&&<<\x00")})
	site.Set("/bad/farm.vnp", newstest.Route{Body: newstest.LinkFarm(10_000)})

	dir := t.TempDir()
	cfg := writeFile(t, dir, "newswatch.yaml", fmt.Sprintf(`store: %s
fetch: {allow_private_networks: true, per_host_concurrency: 8, per_host_rate: -1, max_body_size: 4194304}
log: {level: info, format: json}
feeds:
  - {name: VNP vi, url: %[2]s/rss/vi.rss, interval: 2s, backfill: %[2]s/sitemaps/vi-news.xml}
  - {name: VNP ar, url: %[2]s/ar/society.vnp, type: page, interval: 10m}
  - {name: VNP en, url: %[2]s/sitemaps/en-news.xml, type: sitemap, interval: 10m}
  - {name: nothing, url: %[2]s/bad/nothing.vnp, type: page, items: "div.no-such-list a", interval: 10m}
  - {name: huge, url: %[2]s/bad/huge.xml, type: sitemap, interval: 10m}
  - {name: self, url: %[2]s/bad/self.xml, type: sitemap, interval: 10m}
  - {name: broken, url: %[2]s/bad/broken.xml, type: sitemap, interval: 10m}
  - {name: farm, url: %[2]s/bad/farm.vnp, type: page, interval: 10m}
`, filepath.Join(dir, "news.db"), site.URL()))
	if r := newswatch(t, time.Minute, "check", "--config", cfg); r.code != 0 {
		t.Fatalf("check: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	publish(10)
	if r := newswatch(t, 2*time.Minute, "poll", "--config", cfg); r.code != 0 {
		t.Fatalf("first poll: exit %d\n%s", r.code, tail(r.stderr, 4000))
	}
	publish(50) // 40 published between two polls
	if r := newswatch(t, 2*time.Minute, "poll", "--config", cfg); r.code != 0 {
		t.Fatalf("second poll: exit %d\n%s", r.code, tail(r.stderr, 4000))
	}
	rows := sourceRows(t, cfg)
	if r := rows["VNP vi"]; r.Gaps != 1 || r.LastGapWindow != 10 {
		t.Errorf("feeds: VNP vi gaps %d (window %d); want the gap of a 10-item window", r.Gaps, r.LastGapWindow)
	}
	checkBadSources(t, rows)

	// The daemon runs, stops, the site publishes 40 more, it restarts.
	polled := site.Requests("/rss/vi.rss")
	log := &daemonLog{}
	d := daemon(t, cfg, log)
	waitFor(t, "the daemon to poll the feed", func() bool { return site.Requests("/rss/vi.rss") > polled })
	stopRun(t, d, log)
	publish(90)
	log = &daemonLog{}
	d = daemon(t, cfg, log)
	waitFor(t, "the restarted daemon to read the backfill", func() bool { return log.Seen("backfill read") > 0 })
	stopRun(t, d, log)

	want := map[string][]string{}
	for _, p := range slices.Concat(vi, ar, en) {
		want[p.Path()] = newstest.StoryTopics(p)
	}

	got := exportedTopics(t, cfg)
	for p, topics := range want {
		g, ok := got[p]
		switch {
		case !ok:
			t.Errorf("article %s is missing", p)
		case !slices.Equal(g, topics):
			t.Errorf("article %s: topics %q, want %q", p, g, topics)
		}
	}
	farm := 0
	for p := range got {
		if strings.HasPrefix(p, "/farm/") {
			farm++
		}
	}
	if farm != 1000 || len(got) != len(want)+farm {
		t.Errorf("export: %d articles, %d of the link farm; want %d and 1000", len(got), farm, len(want)+1000)
	}
	if r := sourceRows(t, cfg)["VNP vi"]; r.Gaps < 2 {
		t.Errorf("feeds after the restart: VNP vi gaps %d, want the second gap too", r.Gaps)
	}
}

// stopRun ends `newswatch run` with SIGTERM and checks it exits cleanly.
func stopRun(t *testing.T, cmd *exec.Cmd, log *daemonLog) {
	t.Helper()
	cmd.Process.Signal(syscall.SIGTERM) //nolint:errcheck // it may have exited
	if err := cmd.Wait(); err != nil {
		t.Fatalf("newswatch run after SIGTERM: %v\n%s", err, log.Tail(4000))
	}
}

// checkBadSources checks the rows of the bad sources: each reported on
// itself, bounded, and the healthy ones collected all the same.
func checkBadSources(t *testing.T, rows map[string]sourceRow) {
	t.Helper()
	for name, want := range map[string]string{
		"nothing": `items selector "div.no-such-list a" matched nothing on the page`,
		"huge":    "response body exceeds size limit",
		"broken":  "broken xml",
	} {
		if r := rows[name]; r.Errors != 2 || !strings.Contains(r.LastError, want) { // one per poll
			t.Errorf("feeds: %s: errors %d, last error %q; want 2, saying %q", name, r.Errors, r.LastError, want)
		}
	}
	for name, want := range map[string]string{
		"self": "the index lists itself: not followed",
		"farm": "links to more than 1000 articles",
	} {
		if r := rows[name]; r.Errors != 0 || !strings.Contains(strings.Join(r.Notes, "; "), want) {
			t.Errorf("feeds: %s: errors %d (%s), notes %q; want a note saying %q", name, r.Errors, r.LastError, r.Notes, want)
		}
	}
	for _, name := range []string{"VNP vi", "VNP ar", "VNP en"} {
		if r := rows[name]; r.Errors != 0 {
			t.Errorf("feeds: %s: %d errors (%s)", name, r.Errors, r.LastError)
		}
	}
}
