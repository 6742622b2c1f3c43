package acceptance

import (
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newswatch/newswatch/internal/newstest"
)

// commandCase is a command run with and without a daemon.
type commandCase struct {
	name string
	args []string
}

// readCommands are the read commands of issue 8 item 1, and errors they
// must report the same way through the daemon.
var readCommands = []commandCase{
	{"feeds", []string{"feeds", "--format", "json"}},
	{"feeds text", []string{"feeds"}},
	{"feeds export", []string{"feeds", "export"}},
	{"alerts list", []string{"alerts", "list", "--format", "json"}},
	{"export", []string{"export", "--all"}},
	{"export topic", []string{"export", "--topic", "trafficking"}},
	{"export unknown topic", []string{"export", "--topic", "no-such-topic"}},
	{"rematch dry run", []string{"rematch", "--dry-run"}},
	{"search", []string{"search", "--limit", "0", "--format", "jsonl", `trafficking OR "mua bán người" OR 拐卖 OR "الاتجار بالبشر" OR UN`}},
	{"search text", []string{"search", "--lang", "vi", "police OR \"công an\""}},
	{"search bad query", []string{"search", `"unclosed`}},
	{"store check", []string{"store", "check"}},
	{"token list", []string{"token", "list", "--format", "json"}},
	{"stories", []string{"stories", "--format", "jsonl"}},
	{"stories text", []string{"stories", "--topic", "trafficking"}},
	{"stories show unknown", []string{"stories", "show", "sty_0000"}},
	{"alerts retry unknown", []string{"alerts", "retry", "0000000000000000"}},
	{"feeds remove config feed", []string{"feeds", "remove", "PLACEHOLDER"}},
}

// TestCommandsThroughDaemon is issue 8's first check: while a daemon runs,
// every read command gives the same output and exit code as without one;
// feeds added or imported at run time are polled without a restart; SIGHUP
// applies a new topic and survives a broken config; a backup taken while
// the daemon runs passes store check.
func TestCommandsThroughDaemon(t *testing.T) {
	slow(t)
	stories := unseenStories
	site, feeds := newsSite(t, stories)
	dir := t.TempDir()
	// The daemon starts with the first feed only: the others are added
	// at run time, one with feeds add and the rest from an OPML file.
	cfg := stableConfig(t, dir, true, []string{site.URL() + feeds[0].path}, []string{feeds[0].name})
	if r := newswatch(t, 2*time.Minute, "poll", "--config", cfg); r.code != 0 {
		t.Fatalf("poll: exit %d\n%s", r.code, tail(r.stderr, 3000))
	}
	cases := slices.Clone(readCommands)
	cases[len(cases)-1].args = []string{"feeds", "remove", site.URL() + feeds[0].path}
	without := map[string]result{}
	for _, c := range cases {
		without[c.name] = newswatch(t, time.Minute, append(c.args, "--config", cfg)...)
	}

	var log lockedBuffer
	d := daemon(t, cfg, &log)
	t.Cleanup(func() { d.Process.Kill(); d.Wait() }) //nolint:errcheck
	waitFor(t, "newswatch started", func() bool { return strings.Contains(log.String(), "newswatch started") })
	for _, c := range cases {
		got := newswatch(t, time.Minute, append(c.args, "--config", cfg)...)
		want := without[c.name]
		if got.code != want.code || got.stdout != want.stdout {
			t.Errorf("newswatch %s with a daemon: exit %d, stdout\n%s\nwithout: exit %d, stdout\n%s\nstderr with: %s",
				strings.Join(c.args, " "), got.code, tail(got.stdout, 1500), want.code, tail(want.stdout, 1500), got.stderr)
		}
	}
	if r := newswatch(t, time.Minute, "poll", "--config", cfg); r.code != 1 || !strings.Contains(r.stderr, "pid") {
		t.Errorf("poll while the daemon runs: exit %d, %q; want exit 1 naming the daemon's pid", r.code, r.stderr)
	}

	checkFeedsAddedAtRunTime(t, site, feeds, cfg, dir)
	checkReload(t, cfg, d.Process.Pid, &log)
	checkBackupWhileRunning(t, cfg, dir)
	checkClientDisconnects(t, cfg)

	// Only SIGINT and SIGTERM stop the daemon.
	for _, sig := range []syscall.Signal{syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGPIPE, syscall.SIGALRM, syscall.SIGWINCH, syscall.SIGHUP} {
		d.Process.Signal(sig) //nolint:errcheck
	}
	if r := newswatch(t, time.Minute, "reload", "--config", cfg); r.code != 0 {
		t.Errorf("reload after SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM, SIGWINCH and SIGHUP: exit %d %s (did a signal stop the daemon?)\n%s", r.code, r.stderr, tail(log.String(), 2000))
	}

	d.Process.Signal(syscall.SIGTERM) //nolint:errcheck
	if err := d.Wait(); err != nil {
		t.Errorf("daemon after SIGTERM: %v\n%s", err, tail(log.String(), 3000))
	}
}

// checkFeedsAddedAtRunTime adds feeds[1] with feeds add and the rest with
// feeds import, and waits until the daemon has stored their articles.
func checkFeedsAddedAtRunTime(t *testing.T, site *newstest.Site, feeds []siteFeed, cfg, dir string) {
	t.Helper()
	add := newswatch(t, time.Minute, "feeds", "add", site.URL()+feeds[1].path, "--name", feeds[1].name, "--config", cfg)
	if add.code != 0 || !strings.Contains(add.stdout, "added "+feeds[1].name) {
		t.Fatalf("feeds add: exit %d\n%s%s", add.code, add.stdout, add.stderr)
	}
	if again := newswatch(t, time.Minute, "feeds", "add", site.URL()+feeds[1].path, "--config", cfg); again.code != 1 || !strings.Contains(again.stderr, "already watched") {
		t.Errorf("feeds add of a watched feed: exit %d, %q; want 1, already watched", again.code, again.stderr)
	}
	var opml strings.Builder
	opml.WriteString(`<?xml version="1.0" encoding="UTF-8"?><opml version="2.0"><head><title>subs</title></head><body><outline text="news">`)
	for _, f := range feeds[2:] {
		fmt.Fprintf(&opml, `<outline type="rss" text=%q xmlUrl="%s%s"/>`, f.name, site.URL(), f.path)
	}
	fmt.Fprintf(&opml, `<outline type="rss" text="dup" xmlUrl="%s%s"/><outline text="bad" xmlUrl="ftp://example.org/x"/>`, site.URL(), feeds[0].path)
	opml.WriteString(`</outline></body></opml>`)
	file := writeFile(t, dir, "subs.opml", opml.String())
	imp := newswatch(t, time.Minute, "feeds", "import", file, "--config", cfg)
	if imp.code != 0 || !strings.Contains(imp.stdout, fmt.Sprintf("imported %d feed(s) from subs.opml; skipped 2", len(feeds)-2)) {
		t.Fatalf("feeds import: exit %d\n%s%s", imp.code, imp.stdout, imp.stderr)
	}
	for _, f := range feeds[1:] {
		waitFor(t, "a request for "+f.path, func() bool { return site.Requests(f.path) > 0 })
	}
	want := 0
	for _, f := range feeds {
		want += len(f.ids)
	}
	waitFor(t, "a successful poll of every feed", func() bool {
		r := newswatch(t, time.Minute, "feeds", "--format", "json", "--config", cfg)
		return r.code == 0 && strings.Count(r.stdout, `"last_success": "`) == len(feeds)
	})
	list := newswatch(t, time.Minute, "feeds", "--config", cfg)
	if n := strings.Count(list.stdout, " added "); n != len(feeds)-1 {
		t.Errorf("feeds lists %d feeds of origin added, want %d:\n%s", n, len(feeds)-1, list.stdout)
	}
	rm := newswatch(t, time.Minute, "feeds", "remove", site.URL()+feeds[1].path, "--config", cfg)
	if rm.code != 0 {
		t.Errorf("feeds remove of an added feed: exit %d %s", rm.code, rm.stderr)
	}
}

// checkReload adds a topic to the config and sends SIGHUP: the daemon
// applies it (rematch --dry-run shows articles gaining it); then a broken
// config is refused and the daemon goes on.
func checkReload(t *testing.T, cfg string, pid int, log *lockedBuffer) {
	t.Helper()
	data, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	withTopic := string(data) + "topics:\n  reload_probe:\n    query: 'Vietnam OR \"Việt Nam\" OR 越南 OR Вьетнам OR فيتنام'\n"
	if err := os.WriteFile(cfg, []byte(withTopic), 0o600); err != nil {
		t.Fatal(err)
	}
	n := strings.Count(log.String(), "configuration reloaded")
	syscall.Kill(pid, syscall.SIGHUP) //nolint:errcheck
	waitFor(t, "the reload logged", func() bool { return strings.Count(log.String(), "configuration reloaded") > n })
	dry := newswatch(t, time.Minute, "rematch", "--dry-run", "--config", cfg)
	if dry.code != 0 || !strings.Contains(dry.stdout, "  reload_probe: +") || strings.Contains(dry.stdout, "reload_probe: +0 ") {
		t.Errorf("rematch --dry-run after SIGHUP: exit %d; want articles gaining reload_probe:\n%s%s", dry.code, dry.stdout, dry.stderr)
	}
	for _, builtin := range []string{"trafficking", "un"} {
		if strings.Contains(dry.stdout, "  "+builtin+": +0 -") {
			t.Errorf("a config with one custom topic takes %s away from archived articles:\n%s", builtin, dry.stdout)
		}
	}

	if err := os.WriteFile(cfg, []byte(withTopic+"  broken:\n    query: '(unclosed'\nfrobnicate: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	refused := strings.Count(log.String(), "config reload refused")
	syscall.Kill(pid, syscall.SIGHUP) //nolint:errcheck
	waitFor(t, "the refused reload logged", func() bool { return strings.Count(log.String(), "config reload refused") > refused })
	if r := newswatch(t, time.Minute, "reload", "--config", cfg); r.code != 2 || !strings.Contains(r.stderr, "frobnicate") {
		t.Errorf("reload of a broken config: exit %d %q, want 2 naming the problem", r.code, r.stderr)
	}
	if err := os.WriteFile(cfg, []byte(withTopic), 0o600); err != nil {
		t.Fatal(err)
	}
	if f := newswatch(t, time.Minute, "feeds", "--config", cfg); f.code != 0 {
		t.Errorf("feeds after a refused reload: exit %d %s", f.code, f.stderr)
	}
}

// checkBackupWhileRunning backs the store up through the daemon, checks
// the copy with store check FILE, and sees restore refused while the
// daemon holds the store.
func checkBackupWhileRunning(t *testing.T, cfg, dir string) {
	t.Helper()
	copyPath := filepath.Join(dir, "backup", "copy.db")
	if err := os.MkdirAll(filepath.Dir(copyPath), 0o700); err != nil {
		t.Fatal(err)
	}
	b := newswatch(t, time.Minute, "backup", "-o", copyPath, "--config", cfg)
	if b.code != 0 || !strings.Contains(b.stderr, "checked") {
		t.Fatalf("backup while running: exit %d %s", b.code, b.stderr)
	}
	if fi, err := os.Stat(copyPath); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup file: %v, mode %v; want 0600", err, fi.Mode().Perm())
	}
	c := newswatch(t, time.Minute, "store", "check", copyPath)
	if c.code != 0 || !strings.Contains(c.stdout, "no problems found") {
		t.Errorf("store check of the backup: exit %d\n%s%s", c.code, c.stdout, c.stderr)
	}
	copyCfg := writeFile(t, dir, "copy.yaml", "store: "+copyPath+"\n")
	e := newswatch(t, time.Minute, "export", "--all", "--config", copyCfg)
	if e.code != 0 || len(parseExport(t, e.stdout)) == 0 {
		t.Errorf("export of the backup: exit %d, %d bytes %s", e.code, len(e.stdout), e.stderr)
	}
	r := newswatch(t, time.Minute, "restore", copyPath, "--config", cfg)
	if r.code != 1 || !strings.Contains(r.stderr, "stop it first") {
		t.Errorf("restore while the daemon runs: exit %d %q, want 1 asking to stop it", r.code, r.stderr)
	}
}

// checkClientDisconnects sends requests to the control socket and hangs
// up half-way: an OPML import cut off in its body adds nothing, a rematch
// abandoned mid-run leaves the store consistent.
func checkClientDisconnects(t *testing.T, cfg string) {
	t.Helper()
	before := newswatch(t, time.Minute, "feeds", "--format", "json", "--config", cfg)
	sock := filepath.Join(filepath.Dir(cfg), "news.sock")
	send := func(req string) {
		conn, err := net.Dial("unix", sock)
		if err != nil {
			t.Fatalf("dial the control socket: %v", err)
		}
		if _, err := io.WriteString(conn, req); err != nil {
			t.Fatal(err)
		}
		conn.Close()
	}
	opml := `<opml version="2.0"><body><outline text="cut" xmlUrl="https://example.org/cut.xml"/>`
	send("POST /api/feeds/import?via=cut HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000\r\n\r\n" + opml)
	body := `{"allow_removals":true}`
	send(fmt.Sprintf("POST /api/rematch HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body))
	after := newswatch(t, time.Minute, "feeds", "--format", "json", "--config", cfg)
	if after.stdout != before.stdout {
		t.Errorf("an import cut off half-way changed the feeds:\n%s", after.stdout)
	}
	if c := newswatch(t, time.Minute, "store", "check", "--config", cfg); c.code != 0 {
		t.Errorf("store check after clients hung up: exit %d\n%s%s", c.code, c.stdout, c.stderr)
	}
}
