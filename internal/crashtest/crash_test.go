package crashtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/newswatch/newswatch/alerts"
	"github.com/newswatch/newswatch/internal/mailpit"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// Subscribers of the crash config, and what each asked for.
var subscribers = []struct {
	name, secret string
	webhook      bool
	email        string
	wants        func(story) bool
}{
	{"desk", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", true, "",
		func(s story) bool { return s.trafficking }},
	{"un-mena", "whsec_c2Vjb25kLXNlY3JldC1mb3ItdGhlLWNyYXNoLXRlc3Q=", true, "un@example.org",
		func(s story) bool { return s.un && (s.lang == "ar" || s.lang == "zh") }},
	{"all-mail", "", false, "all@example.org",
		func(s story) bool { return s.trafficking || s.un }},
	{"nobody-fr", "whsec_dGhpcmQtc2VjcmV0LXRoYXQtbmV2ZXItZ2V0cy1tYWls", true, "fr@example.org",
		func(s story) bool { return false }}, // langs: [fr]; the site has no French
}

// hit is one webhook request the receiver got.
type hit struct {
	path, id, subscriber, articleID, url, title string
	sigOK                                       bool
}

// receiver verifies every signature with the secret of the path's
// subscriber and fails the first attempts of every webhook-id on purpose.
type receiver struct {
	mu    sync.Mutex
	hits  []hit
	tries map[string]int
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	sub := strings.TrimPrefix(r.URL.Path, "/hook/")
	h := hit{path: sub, id: r.Header.Get(alerts.HeaderWebhookID)}
	for _, s := range subscribers {
		if s.name == sub {
			key, _ := alerts.DecodeSecret(s.secret)
			h.sigOK = alerts.Verify(key, r.Header, body, time.Now()) == nil
		}
	}
	var ev alerts.Event
	if json.Unmarshal(body, &ev) == nil {
		h.subscriber, h.articleID, h.url, h.title = ev.Data.Subscriber, ev.Data.Article.ID, ev.Data.Article.URL, ev.Data.Article.Title
	}
	rc.mu.Lock()
	rc.tries[h.id]++
	n := rc.tries[h.id]
	rc.hits = append(rc.hits, h)
	rc.mu.Unlock()
	switch n {
	case 1:
		w.WriteHeader(http.StatusInternalServerError)
	case 2:
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

func (rc *receiver) snapshot() []hit {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]hit(nil), rc.hits...)
}

// writeConfig writes the daemon's config. Stories are off: this test is
// about the outbox under kills, one alert per article, and its articles
// share their filler text, so they would be near-duplicates of each other;
// internal/acceptance's TestAlertsSurviveKills kills a daemon with stories.
func writeConfig(t *testing.T, dir, site, hooks string, mp *mailpit.Server) string {
	var b strings.Builder
	fmt.Fprintf(&b, `store: %s
fetch: {allow_private_networks: true, workers: 4, per_host_concurrency: 4, per_host_rate: 200, timeout: 5s}
schedule: {interval: 1s, jitter: 0}
stories: {disabled: true}
log: {level: debug, format: json}
topics:
  trafficking: {query: '"mua bán người" OR "الاتجار بالبشر" OR "人口贩运" OR "human trafficking"'}
  un: {query: '"Liên Hợp Quốc" OR "الأمم المتحدة" OR "联合国" OR "United Nations"'}
smtp: {host: 127.0.0.1, port: %d, from: "newswatch <alerts@example.org>", tls: none}
alerts: {retry_schedule: [0s, 200ms, 500ms, 1s, 1s, 2s, 2s, 2s, 2s, 2s, 2s, 2s]}
feeds:
`, filepath.Join(dir, "newswatch.db"), mp.SMTPPort)
	for _, lang := range []string{"vi", "ar", "zh", "en"} {
		fmt.Fprintf(&b, "  - {name: Test %s, url: %q, lang: %s, interval: 1s}\n", lang, site+"/rss/"+lang+".rss", lang)
	}
	b.WriteString("subscribers:\n")
	b.WriteString(fmt.Sprintf("  - {name: desk, topics: [trafficking], webhook: {url: %q, secret: %q}}\n", hooks+"/hook/desk", subscribers[0].secret))
	b.WriteString(fmt.Sprintf("  - {name: un-mena, topics: [un], langs: [ar, zh], webhook: {url: %q, secret_env: CRASH_UN_SECRET}, email: {to: [un@example.org]}}\n", hooks+"/hook/un-mena"))
	b.WriteString("  - {name: all-mail, topics: ['*'], email: {to: [all@example.org], digest: none}}\n")
	b.WriteString(fmt.Sprintf("  - {name: nobody-fr, topics: [trafficking, un], langs: [fr], webhook: {url: %q, secret: %q}, email: {to: [fr@example.org]}}\n", hooks+"/hook/nobody-fr", subscribers[3].secret))
	path := filepath.Join(dir, "newswatch.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// binary returns the newswatch binary: $NEWSWATCH_BIN, or a fresh build.
func binary(t *testing.T) string {
	if p := os.Getenv("NEWSWATCH_BIN"); p != "" {
		return p
	}
	out := filepath.Join(t.TempDir(), "newswatch")
	cmd := exec.Command("go", "build", "-o", out, "github.com/newswatch/newswatch/cmd/newswatch")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	return out
}

func start(t *testing.T, bin, cfg string, logw io.Writer) *exec.Cmd {
	cmd := exec.Command(bin, "run", "--config", cfg)
	cmd.Env = append(os.Environ(), "CRASH_UN_SECRET="+subscribers[1].secret)
	cmd.Stdout, cmd.Stderr = logw, logw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

func TestCrashLoop(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test runs the real binary for about a minute")
	}
	const perLang, kills = 12, 30
	all := stories(perLang)
	site := newsSite(t, all, 500*time.Millisecond)
	rc := &receiver{tries: map[string]int{}}
	hooks := httptest.NewServer(rc)
	t.Cleanup(hooks.Close)
	mp := mailpit.Start(t)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, site.URL, hooks.URL, mp)
	bin := binary(t)
	logf, err := os.Create(filepath.Join(dir, "daemon.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()

	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	for i := range kills {
		cmd := start(t, bin, cfg, logf)
		time.Sleep(time.Duration(100+rng.IntN(700)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		t.Logf("kill %d: %d webhook requests so far", i+1, len(rc.snapshot()))
	}

	// Let it finish: run until every expected alert arrived and the
	// outbox marks each delivered, then SIGTERM. No deadline of its own:
	// a loaded machine only makes this slower; the test binary's deadline
	// guards a daemon that never gets there.
	cmd := start(t, bin, cfg, logf)
	expected := expectedAlerts(all)
	for !complete(t, rc, mp, expected) || !allDelivered(t, bin, cfg, len(expected)) {
		time.Sleep(200 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Errorf("newswatch run after SIGTERM: %v (log %s)", err, logf.Name())
	}
	check(t, rc, mp, all, expected, filepath.Join(dir, "newswatch.db"))
}

// want is one expected (subscriber, channel, story).
type want struct{ sub, channel, token string }

func expectedAlerts(all []story) map[want]bool {
	exp := map[want]bool{}
	for _, s := range all {
		for _, sub := range subscribers {
			if !sub.wants(s) {
				continue
			}
			if sub.webhook {
				exp[want{sub.name, news.ChannelWebhook, s.token}] = true
			}
			if sub.email != "" {
				exp[want{sub.name, news.ChannelEmail, s.token}] = true
			}
		}
	}
	return exp
}

var tokenRE = regexp.MustCompile(`\[(vi|ar|zh|en)-\d+\]`)

// received returns what reached the sinks: per (sub, channel, token) the
// set of ids (webhook-id or Message-ID) it arrived with.
func received(t *testing.T, rc *receiver, mp *mailpit.Server) (map[want]map[string]bool, []string) {
	got := map[want]map[string]bool{}
	var problems []string
	add := func(w want, id string) {
		if got[w] == nil {
			got[w] = map[string]bool{}
		}
		got[w][id] = true
	}
	for _, h := range rc.snapshot() {
		if !h.sigOK {
			problems = append(problems, fmt.Sprintf("bad signature on %s to %s", h.id, h.path))
		}
		if h.subscriber != h.path {
			problems = append(problems, fmt.Sprintf("alert for %q posted to %q's endpoint", h.subscriber, h.path))
		}
		if wantID := news.AlertID(h.subscriber, news.ChannelWebhook, h.articleID); h.id != wantID || h.articleID != news.ArticleID(h.url) {
			problems = append(problems, fmt.Sprintf("webhook-id %s for %s, want %s", h.id, h.url, wantID))
		}
		add(want{h.path, news.ChannelWebhook, tokenRE.FindString(h.title)}, h.id)
	}
	msgs, err := mp.Messages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		for _, to := range m.To {
			sub := ""
			for _, s := range subscribers {
				if s.email == to.Address {
					sub = s.name
				}
			}
			add(want{sub, news.ChannelEmail, tokenRE.FindString(m.Subject)}, m.MessageID)
		}
	}
	return got, problems
}

func complete(t *testing.T, rc *receiver, mp *mailpit.Server, expected map[want]bool) bool {
	got, _ := received(t, rc, mp)
	for w := range expected {
		if len(got[w]) == 0 {
			return false
		}
	}
	return true
}

// allDelivered reports whether the running daemon's outbox holds n
// alerts, each delivered (asked through the CLI, which reaches the daemon).
func allDelivered(t *testing.T, bin, cfg string, n int) bool {
	out, err := exec.Command(bin, "alerts", "list", "--format", "json", "--config", cfg).Output()
	if err != nil {
		t.Fatalf("alerts list: %v", err)
	}
	var rows []struct {
		State string `json:"state"`
	}
	if err := json.Unmarshal(out, &rows); err != nil {
		t.Fatalf("alerts list: %v\n%s", err, out)
	}
	for _, a := range rows {
		if a.State != string(news.AlertDelivered) {
			return false
		}
	}
	return len(rows) == n
}

func check(t *testing.T, rc *receiver, mp *mailpit.Server, all []story, expected map[want]bool, db string) {
	got, problems := received(t, rc, mp)
	for _, p := range problems {
		t.Error(p)
	}
	for w := range expected {
		if len(got[w]) == 0 {
			t.Errorf("lost: %s %s %s", w.sub, w.channel, w.token)
		}
	}
	for w, ids := range got {
		if !expected[w] {
			t.Errorf("unasked: %s got %s %s", w.sub, w.channel, w.token)
		}
		if len(ids) != 1 {
			t.Errorf("%s %s %s arrived under %d different ids: %v", w.sub, w.channel, w.token, len(ids), ids)
		}
	}
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatalf("store.Open after the crash loop: %v", err)
	}
	defer st.Close()
	if _, err := st.Check(context.Background()); err != nil {
		t.Errorf("store check: %v", err)
	}
	list, err := st.ListAlerts("")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != len(expected) {
		t.Errorf("store holds %d alerts, want %d (one per subscriber, channel and article)", len(list), len(expected))
	}
	for _, a := range list {
		if a.State != news.AlertDelivered {
			t.Errorf("alert %s (%s %s) is %s: %s", a.ID, a.Subscriber, a.Channel, a.State, a.LastError)
		}
		if a.Channel == news.ChannelEmail {
			art, err := st.Article(a.ArticleID)
			if err != nil {
				t.Errorf("alert %s: article: %v", a.ID, err)
				continue
			}
			ids := got[want{a.Subscriber, news.ChannelEmail, tokenRE.FindString(art.Title)}]
			if !ids[a.ID+"@example.org"] || len(ids) != 1 {
				t.Errorf("mail of alert %s arrived as %v, want Message-ID %s@example.org", a.ID, ids, a.ID)
			}
		}
	}
	t.Logf("%d stories, %d expected alerts, %d stored, %d webhook requests (3 per alert without crashes), %d mails",
		len(all), len(expected), len(list), len(rc.snapshot()), mailCount(t, mp))
}

func mailCount(t *testing.T, mp *mailpit.Server) int {
	msgs, err := mp.Messages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(msgs)
}
