package acceptance

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/newswatch/newswatch/internal/daemontest"
	"github.com/newswatch/newswatch/internal/newstest"
	"github.com/newswatch/newswatch/store"
)

// opsSecret signs the source-health webhooks of the health checks.
var opsSecret = "whsec_" + base64.StdEncoding.EncodeToString([]byte("ops-secret-for-source-health"))

// healthEvent is one source-health webhook as the receiver saw it.
type healthEvent struct {
	id, feedURL, state, previous string
	sigOK                        bool
}

// healthHook receives webhooks, verifies each signature on its own (not
// with newswatch's code) and records the source-health events.
type healthHook struct {
	mu  sync.Mutex
	got []healthEvent
}

func (h *healthHook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var ev struct {
		Type string `json:"type"`
		Data struct {
			Subscriber string `json:"subscriber"`
			Source     struct {
				URL, State, Previous, Reason string
			} `json:"source"`
		} `json:"data"`
	}
	err := json.Unmarshal(body, &ev)
	e := healthEvent{id: r.Header.Get("webhook-id"), feedURL: ev.Data.Source.URL, state: ev.Data.Source.State,
		previous: ev.Data.Source.Previous, sigOK: verify(opsSecret, r.Header, body)}
	if err != nil || ev.Type != "source.health_changed" || ev.Data.Subscriber != "ops" || ev.Data.Source.Reason == "" {
		e.sigOK = false // counted as bad: not a complete source-health event
	}
	h.mu.Lock()
	h.got = append(h.got, e)
	h.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// changes returns, per feed URL, the states its alerts announced, one per
// webhook-id, and fails t on a bad event.
func (h *healthHook) changes(t *testing.T) map[string][]string {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	out, seen := map[string][]string{}, map[string]bool{}
	for _, e := range h.got {
		if !e.sigOK {
			t.Errorf("bad source-health webhook %+v", e)
		}
		if !seen[e.id] {
			seen[e.id] = true
			out[e.feedURL] = append(out[e.feedURL], e.previous+">"+e.state)
		}
	}
	return out
}

// runningDaemon is `newswatch run` with its web server.
type runningDaemon struct {
	cmd   *exec.Cmd
	base  string // http://127.0.0.1:PORT
	log   *lockedBuffer
	token string // a viewer's API token, for get
}

// startDaemon runs the daemon on cfg (which sets web.listen to a free
// port) and waits until its web server listens.
func startDaemon(t *testing.T, cfg string) *runningDaemon {
	t.Helper()
	d := &runningDaemon{log: &lockedBuffer{}}
	d.cmd = daemon(t, cfg, d.log)
	t.Cleanup(func() { d.cmd.Process.Kill(); d.cmd.Wait() }) //nolint:errcheck // already stopped, usually
	waitFor(t, "the web server listening", func() bool {
		for line := range strings.Lines(d.log.String()) {
			var rec struct{ Msg, Addr string }
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == daemontest.MsgListening {
				d.base = "http://" + rec.Addr
				return true
			}
		}
		return false
	})
	d.token = apiToken(t, cfg, "viewer")
	return d
}

// madeTokens counts the tokens apiToken made, to name each anew.
var madeTokens atomic.Int32

// apiToken creates an API token with role through the running daemon of
// cfg and returns it.
func apiToken(t *testing.T, cfg, role string) string {
	t.Helper()
	name := fmt.Sprintf("acceptance-%s-%d", role, madeTokens.Add(1))
	r := newswatch(t, time.Minute, "token", "create", name, "--role", role, "--config", cfg)
	if r.code != 0 {
		t.Fatalf("token create: exit %d\n%s", r.code, r.stderr)
	}
	return strings.TrimSpace(r.stdout)
}

// stop ends the daemon with SIGTERM and checks that it exits cleanly.
func (d *runningDaemon) stop(t *testing.T) {
	t.Helper()
	d.cmd.Process.Signal(syscall.SIGTERM) //nolint:errcheck
	if err := d.cmd.Wait(); err != nil {
		t.Fatalf("daemon after SIGTERM: %v\n%s", err, tail(d.log.String(), 3000))
	}
}

// get fetches a path from the daemon's web server with its token.
func (d *runningDaemon) get(t *testing.T, path string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, d.base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+d.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// feedHealth reads a feed's health and error count from /feeds.
func (d *runningDaemon) feedHealth(t *testing.T, url string) (string, int) {
	t.Helper()
	_, body := d.get(t, "/feeds")
	var rows []struct {
		URL, Health string
		Errors      int
	}
	if err := json.Unmarshal([]byte(body), &rows); err != nil {
		t.Fatalf("GET /feeds: %v", err)
	}
	for _, r := range rows {
		if r.URL == url {
			return r.Health, r.Errors
		}
	}
	t.Fatalf("GET /feeds lacks %s", url)
	return "", 0
}

// count returns how many log lines carry message msg.
func (d *runningDaemon) count(msg string) int {
	return strings.Count(d.log.String(), `"msg":"`+msg+`"`)
}

// dailyItems returns n items of a feed, one a day, the newest at last.
func dailyItems(name string, last time.Time, n int) []newstest.FeedItem {
	var items []newstest.FeedItem
	for i := range n {
		at := last.Add(-time.Duration(i) * 24 * time.Hour)
		items = append(items, newstest.FeedItem{
			Title: fmt.Sprintf("%s: bản tin %s", name, at.Format("02/01")), Link: fmt.Sprintf("%s/%s/%d.vnp", newstest.BasePlaceholder, strings.ToLower(name), at.Unix()),
			Description: "Tin tức trong ngày về di cư và lao động.", Published: at,
		})
	}
	return items
}

// serveFeed publishes items at path.
func serveFeed(site *newstest.Site, path, name string, items []newstest.FeedItem) {
	site.Set(path, newstest.Route{Body: newstest.RSS(newstest.Channel{Title: name, Link: newstest.BasePlaceholder + "/", Lang: "vi"}, items)})
}

// healthConfig writes a config with the given feeds (name -> URL) polled
// every second without scraping, the web server on a free port, and
// extra appended.
func healthConfig(t *testing.T, dir, store string, feeds [][2]string, extra string) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "store: %s\nfetch: {allow_private_networks: true}\nlog: {level: info}\nweb: {listen: \"127.0.0.1:0\"}\nfeeds:\n", store)
	for _, f := range feeds {
		fmt.Fprintf(&b, "  - {name: %s, url: %q, interval: 1s, scrape: false}\n", f[0], f[1])
	}
	b.WriteString(extra)
	return writeFile(t, dir, "health.yaml", b.String())
}

// feedsTableHealth runs `newswatch feeds` and returns the HEALTH column
// by feed name.
func feedsTableHealth(t *testing.T, cfg string) map[string]string {
	t.Helper()
	r := newswatch(t, time.Minute, "feeds", "--config", cfg)
	if r.code != 0 {
		t.Fatalf("feeds: exit %d\n%s", r.code, r.stderr)
	}
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	out := map[string]string{}
	col := -1
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) > 0 && f[0] == "NAME" {
			col = slices.Index(f, "HEALTH")
			continue
		}
		if col > 0 && len(f) > col {
			out[f[0]] = f[col]
		}
	}
	if !strings.HasPrefix(r.stdout, "NAME") || !strings.Contains(strings.SplitN(r.stdout, "\n", 2)[0], "HEALTH") {
		t.Errorf("feeds table has no HEALTH column:\n%s", r.stdout)
	}
	return out
}

// ageErrors makes the feed at url look as if its polls had failed for
// the last 25 hours, in the stopped daemon's store: a test cannot wait a
// day. The daemon reclassifies the feed at its next poll.
func ageErrors(t *testing.T, path, url string) {
	t.Helper()
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fs, err := st.Feed(url)
	if err != nil || fs.Errors == 0 || fs.ErrorsSince.IsZero() {
		t.Fatalf("feed %s before ageing: %+v, %v; want errors counted", url, fs, err)
	}
	day := 25 * time.Hour
	fs.ErrorsSince, fs.LastSuccess, fs.NextPoll = fs.ErrorsSince.Add(-day), fs.LastSuccess.Add(-day), time.Now()
	if err := st.SaveFeedState(fs); err != nil {
		t.Fatal(err)
	}
}

// TestSourceHealth is issue 8's source-health check: a site whose feeds
// go quiet and break (500s), a webhook receiver subscribed with
// source_health: true. Each change of state is one alert; /feeds,
// /metrics and the feeds table show the state; hundreds of polls in
// between alert nothing.
func TestSourceHealth(t *testing.T) {
	slow(t)
	site, err := newstest.NewSite(nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(site.Close)
	now := time.Now()
	serveFeed(site, "/rss/steady.rss", "Steady", dailyItems("Steady", now.Add(-time.Hour), 7))
	serveFeed(site, "/rss/quiet.rss", "Quiet", dailyItems("Quiet", now.Add(-10*24*time.Hour), 10))
	serveFeed(site, "/rss/broken.rss", "Broken", dailyItems("Broken", now.Add(-2*time.Hour), 7))
	feeds := [][2]string{{"Steady", site.URL() + "/rss/steady.rss"}, {"Quiet", site.URL() + "/rss/quiet.rss"}, {"Broken", site.URL() + "/rss/broken.rss"}}
	steady, quiet, broken := feeds[0][1], feeds[1][1], feeds[2][1]
	hook := &healthHook{}
	hs := httptest.NewServer(hook)
	t.Cleanup(hs.Close)
	dir := t.TempDir()
	db := filepath.Join(dir, "news.db")
	cfg := healthConfig(t, dir, db, feeds, fmt.Sprintf(
		"alerts: {retry_schedule: [0s, 1s, 1s]}\nsubscribers:\n  - name: ops\n    source_health: true\n    webhook: {url: %q, secret: %q}\n", hs.URL, opsSecret))

	// A feed silent for ten days is quiet from its first poll.
	d := startDaemon(t, cfg)
	waitFor(t, "the quiet feed's alert", func() bool { return len(hook.changes(t)[quiet]) == 1 })
	if h, _ := d.feedHealth(t, quiet); h != "quiet" {
		t.Errorf("/feeds: quiet feed is %q, want quiet", h)
	}
	// A feed that answers 500 counts errors, but is not failing before a day.
	site.Handle("/rss/broken.rss", newstest.Status(http.StatusInternalServerError))
	waitFor(t, "two errors of the broken feed", func() bool { _, errs := d.feedHealth(t, broken); return errs >= 2 })
	if h, _ := d.feedHealth(t, broken); h != "ok" {
		t.Errorf("/feeds: feed failing for seconds is %q, want still ok", h)
	}
	d.stop(t)

	// A day of errors later (see ageErrors), it is failing.
	ageErrors(t, db, broken)
	d = startDaemon(t, cfg)
	waitFor(t, "the broken feed's alert", func() bool { return len(hook.changes(t)[broken]) == 1 })
	_, metrics := d.get(t, "/metrics")
	for _, series := range []string{
		fmt.Sprintf(`newswatch_feed_health{feed="Broken",state="failing",url=%q} 1`, broken),
		fmt.Sprintf(`newswatch_feed_health{feed="Quiet",state="quiet",url=%q} 1`, quiet),
		fmt.Sprintf(`newswatch_feed_health{feed="Steady",state="ok",url=%q} 1`, steady),
		fmt.Sprintf(`newswatch_feed_health{feed="Steady",state="failing",url=%q} 0`, steady),
	} {
		if !strings.Contains(metrics, series) {
			t.Errorf("/metrics lacks %s", series)
		}
	}
	d.stop(t)
	want := map[string]string{"Steady": "ok", "Quiet": "quiet", "Broken": "failing"}
	if got := feedsTableHealth(t, cfg); !mapsEqual(got, want) {
		t.Errorf("feeds HEALTH column = %v, want %v", got, want)
	}

	// Both recover: the broken feed answers again, the quiet one publishes.
	d = startDaemon(t, cfg)
	serveFeed(site, "/rss/broken.rss", "Broken", dailyItems("Broken", time.Now(), 7))
	serveFeed(site, "/rss/quiet.rss", "Quiet", append(dailyItems("Quiet", time.Now(), 1), dailyItems("Quiet", now.Add(-10*24*time.Hour), 10)...))
	waitFor(t, "both feeds' recovery alerts", func() bool { c := hook.changes(t); return len(c[broken]) == 2 && len(c[quiet]) == 2 })
	// Many more polls of every feed, and not one more alert.
	steadyPolls, brokenPolls := site.Requests("/rss/steady.rss"), site.Requests("/rss/broken.rss")
	waitFor(t, "more polls of every feed", func() bool {
		return site.Requests("/rss/steady.rss") >= steadyPolls+5 && site.Requests("/rss/broken.rss") >= brokenPolls+3
	})
	d.stop(t)
	wantChanges := map[string][]string{quiet: {"ok>quiet", "quiet>ok"}, broken: {"ok>failing", "failing>ok"}}
	if got := hook.changes(t); !mapsEqual(got, wantChanges) {
		t.Errorf("source-health alerts = %v, want exactly %v", got, wantChanges)
	}
	if got := feedsTableHealth(t, cfg); !mapsEqual(got, map[string]string{"Steady": "ok", "Quiet": "ok", "Broken": "ok"}) {
		t.Errorf("feeds HEALTH column after recovery = %v, want all ok", got)
	}
	t.Logf("site requests: steady %d, quiet %d, broken %d; %d health changes logged",
		site.Requests("/rss/steady.rss"), site.Requests("/rss/quiet.rss"), site.Requests("/rss/broken.rss"), d.count("feed health changed"))
}

// mapsEqual compares maps of comparable values or string slices.
func mapsEqual[V string | []string](a, b map[string]V) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok || fmt.Sprint(v) != fmt.Sprint(w) {
			return false
		}
	}
	return true
}

// TestPollExitsWhenEveryFeedFails: a one-shot poll exits 1 and says so
// when every feed failed, and 0 when one could be polled.
func TestPollExitsWhenEveryFeedFails(t *testing.T) {
	t.Parallel()
	site, err := newstest.NewSite(nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(site.Close)
	serveFeed(site, "/rss/ok.rss", "Ok", dailyItems("Ok", time.Now(), 3))
	site.Handle("/rss/down.rss", newstest.Status(http.StatusInternalServerError))
	dir := t.TempDir()
	down := healthConfig(t, dir, filepath.Join(dir, "a.db"), [][2]string{{"Down", site.URL() + "/rss/down.rss"}, {"Gone", site.URL() + "/rss/gone.rss"}}, "")
	if r := newswatch(t, time.Minute, "poll", "--config", down); r.code != 1 || !strings.Contains(r.stderr, "no feed could be polled") {
		t.Errorf("poll with every feed failing: exit %d, want 1 saying no feed could be polled\n%s", r.code, tail(r.stderr, 2000))
	}
	dir = t.TempDir()
	mixed := healthConfig(t, dir, filepath.Join(dir, "b.db"), [][2]string{{"Down", site.URL() + "/rss/down.rss"}, {"Ok", site.URL() + "/rss/ok.rss"}}, "")
	if r := newswatch(t, time.Minute, "poll", "--config", mixed); r.code != 0 || !strings.Contains(r.stderr, "down.rss") {
		t.Errorf("poll with one feed failing: exit %d, want 0 with the failure reported\n%s", r.code, tail(r.stderr, 2000))
	}
}

// fillDisk writes a file into dir until the file system is full, and
// returns its path.
func fillDisk(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "filler")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 16<<10)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !strings.Contains(err.Error(), "no space left") {
				t.Fatalf("fill %s: %v", dir, err)
			}
			break
		}
	}
	for _, small := range []int{4096, 512, 1} { // the last blocks
		for {
			if _, err := f.Write(chunk[:small]); err != nil {
				break
			}
		}
	}
	return p
}

// TestFullDiskHealthz puts the store on a small tmpfs and fills it while
// the daemon runs: /healthz turns 503 naming the error, the failures are
// counted in /metrics, the feed is not refetched every second, the
// outage is logged once; after space is freed, the next probe saves the
// poll and /healthz is 200 again. It needs root (or CAP_SYS_ADMIN) to
// mount the file system, as in CI; without it, it fails.
func TestFullDiskHealthz(t *testing.T) {
	slow(t)
	mnt := t.TempDir()
	if err := syscall.Mount("tmpfs", mnt, "tmpfs", 0, "size=2m"); err != nil {
		t.Fatalf("mount a 2 MB tmpfs on %s: %v\nThis check fills a real file system and needs root or CAP_SYS_ADMIN to mount one (CI runs it as root).", mnt, err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(mnt, 0); err != nil {
			t.Errorf("unmount %s: %v", mnt, err)
		}
	})
	site, err := newstest.NewSite(nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(site.Close)
	serveFeed(site, "/rss/news.rss", "News", dailyItems("News", time.Now(), 3))
	cfg := healthConfig(t, t.TempDir(), filepath.Join(mnt, "news.db"), [][2]string{{"News", site.URL() + "/rss/news.rss"}}, "")
	d := startDaemon(t, cfg)
	waitFor(t, "/healthz 200 after a saved poll", func() bool { code, _ := d.get(t, "/healthz"); return code == http.StatusOK && lastSave(t, d) > 0 })

	filler := fillDisk(t, mnt)
	var items []newstest.FeedItem // a day of long articles: the save needs new pages
	for i := range 40 {
		it := dailyItems("Later", time.Now().Add(-time.Duration(i)*time.Minute), 1)[0]
		it.Link += "?n=" + strconv.Itoa(i)
		it.Description = strings.Repeat("Lực lượng chức năng giải cứu nạn nhân bị mua bán qua biên giới. ", 40)
		items = append(items, it)
	}
	serveFeed(site, "/rss/news.rss", "News", items)
	var body string
	waitFor(t, "/healthz 503 on the full disk", func() bool {
		var code int
		code, body = d.get(t, "/healthz")
		return code == http.StatusServiceUnavailable
	})
	if !strings.Contains(body, "no space left on device") {
		t.Errorf("GET /healthz on a full disk = %q, want the error named", body)
	}
	if n := metricValue(t, d, "newswatch_store_write_errors_total"); n < 1 {
		t.Errorf("newswatch_store_write_errors_total = %v on a full disk, want at least 1", n)
	}
	before := site.Requests("/rss/news.rss")
	time.Sleep(5 * time.Second) // five intervals: the paused daemon must not refetch the feed each second
	if n := site.Requests("/rss/news.rss") - before; n > 1 {
		t.Errorf("feed fetched %d times in 5 s while the store could not save, want at most 1 probe", n)
	}

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "/healthz 200 after the disk was freed", func() bool { code, _ := d.get(t, "/healthz"); return code == http.StatusOK })
	// The save is done before its poll's result reaches the scheduler, which logs.
	waitFor(t, "the store's recovery logged", func() bool { return d.count("store saves again; polling resumed") == 1 })
	if n := d.count("store cannot save; polling paused until a save succeeds"); n != 1 {
		t.Errorf("daemon logged the store outage %d times, want once", n)
	}
	d.stop(t)
	exp := newswatch(t, time.Minute, "export", "--all", "--config", cfg)
	if n := strings.Count(exp.stdout, "Later: bản tin"); exp.code != 0 || n != len(items) {
		t.Errorf("export after the disk was freed: exit %d, %d of the %d articles published while it was full", exp.code, n, len(items))
	}
}

// lastSave reads newswatch_store_last_save_timestamp_seconds.
func lastSave(t *testing.T, d *runningDaemon) float64 {
	return metricValue(t, d, "newswatch_store_last_save_timestamp_seconds")
}

// metricValue reads an unlabelled sample from /metrics.
func metricValue(t *testing.T, d *runningDaemon, name string) float64 {
	t.Helper()
	_, body := d.get(t, "/metrics")
	for line := range strings.Lines(body) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), name+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("/metrics %s: %v", name, err)
			}
			return f
		}
	}
	t.Fatalf("/metrics lacks %s", name)
	return 0
}
