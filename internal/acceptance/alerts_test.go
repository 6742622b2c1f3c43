package acceptance

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/newswatch/newswatch/internal/mailpit"
	"github.com/newswatch/newswatch/internal/newstest"
)

// sub is a subscriber of the alert check and what it asked for.
type sub struct {
	name, secret string // secret empty: no webhook
	mail         string // empty: no email
	topics       []string
	langs        []string
	dead         bool // its endpoint always answers 410 Gone
}

var alertSubs = []sub{
	{name: "desk", secret: "whsec_" + base64.StdEncoding.EncodeToString([]byte("desk-secret-0123456789abcdef")), mail: "desk@example.org", topics: []string{"trafficking"}},
	{name: "un-watch", secret: "whsec_" + base64.StdEncoding.EncodeToString([]byte("un-watch-secret-abcdef")), topics: []string{"un"}, langs: []string{"ar", "zh", "ru"}},
	{name: "everything", mail: "all@example.org", topics: []string{"*"}},
	{name: "gone", secret: "whsec_" + base64.StdEncoding.EncodeToString([]byte("gone-secret-0000")), topics: []string{"un"}, langs: []string{"fr"}, dead: true},
}

func (s sub) wants(st story) bool {
	if len(s.langs) > 0 && !slices.Contains(s.langs, st.Lang) {
		return false
	}
	for _, t := range st.topics {
		if slices.Contains(s.topics, "*") || slices.Contains(s.topics, t) {
			return true
		}
	}
	return false
}

// delivery is one webhook request as the receiver saw it.
type delivery struct {
	sub, id, article string
	story            string // the story of the article, from the payload
	update           bool   // a story.updated event: a later article of a story
	sigOK            bool
	status           int
}

// hooks verifies every Standard Webhooks signature on its own (not with
// newswatch's code) and fails the first attempts of every message: a 500,
// then (if throttle) a 429 with Retry-After: 1.
type hooks struct {
	delay    time.Duration // before answering, so kills land mid-send
	throttle bool

	mu    sync.Mutex
	got   []delivery
	tries map[string]int
}

func (h *hooks) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	name := strings.TrimPrefix(r.URL.Path, "/hook/")
	d := delivery{sub: name, id: r.Header.Get("webhook-id")}
	for _, s := range alertSubs {
		if s.name == name {
			d.sigOK = verify(s.secret, r.Header, body)
			if s.dead {
				d.status = http.StatusGone
			}
		}
	}
	type article struct {
		URL string `json:"url"`
	}
	var ev struct {
		Type string `json:"type"`
		Data struct {
			Subscriber string    `json:"subscriber"`
			Article    article   `json:"article"`
			Articles   []article `json:"articles"` // story.updated
			Story      struct {
				ID string `json:"id"`
			} `json:"story"`
		} `json:"data"`
	}
	err := json.Unmarshal(body, &ev)
	d.update = ev.Type == "story.updated"
	if d.update && len(ev.Data.Articles) == 1 { // story_updates: immediate, one article each
		ev.Data.Article = ev.Data.Articles[0]
	}
	if err != nil || ev.Type != "article.matched" && !d.update || ev.Data.Subscriber != name || ev.Data.Story.ID == "" || ev.Data.Article.URL == "" {
		d.sigOK = false // counted as bad: wrong body for this endpoint
	}
	d.article, d.story = articlePath(ev.Data.Article.URL), ev.Data.Story.ID
	h.mu.Lock()
	h.tries[d.id]++
	n := h.tries[d.id]
	if d.status == 0 {
		switch n {
		case 1:
			d.status = http.StatusInternalServerError
		case 2:
			if !h.throttle {
				d.status = http.StatusNoContent
				break
			}
			d.status = http.StatusTooManyRequests
			w.Header().Set("Retry-After", "1")
		default:
			d.status = http.StatusNoContent
		}
	}
	h.got = append(h.got, d)
	h.mu.Unlock()
	time.Sleep(h.delay)
	w.WriteHeader(d.status)
}

// verify checks a Standard Webhooks signature: v1,base64(HMAC-SHA256 of
// id.timestamp.body) keyed with the decoded whsec_ secret, and a
// timestamp within five minutes.
func verify(secret string, h http.Header, body []byte) bool {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		return false
	}
	ts, err := strconv.ParseInt(h.Get("webhook-timestamp"), 10, 64)
	if err != nil || time.Since(time.Unix(ts, 0)).Abs() > 5*time.Minute {
		return false
	}
	mac := hmac.New(sha256.New, key)
	fmt.Fprintf(mac, "%s.%s.%s", h.Get("webhook-id"), h.Get("webhook-timestamp"), body)
	want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	for _, sig := range strings.Fields(h.Get("webhook-signature")) {
		if hmac.Equal([]byte(sig), []byte(want)) {
			return true
		}
	}
	return false
}

func (h *hooks) snapshot() []delivery {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.got)
}

func articlePath(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
		if j := strings.Index(u, "/"); j >= 0 {
			u = u[j:]
		}
	}
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	return u
}

func alertConfig(t *testing.T, dir, hookURL string, mp *mailpit.Server, urls []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "store: %s\nfetch: {allow_private_networks: true}\n", filepath.Join(dir, "news.db"))
	fmt.Fprintf(&b, "smtp: {host: 127.0.0.1, port: %d, from: \"newswatch <alerts@example.org>\", tls: none}\n", mp.SMTPPort)
	// Later articles of a story each give an update at once, so every
	// article a subscriber wants arrives once: as its story's alert or as
	// an update of it.
	b.WriteString("alerts: {retry_schedule: [0s, 1s, 1s, 2s, 2s, 2s, 2s, 2s, 2s, 2s, 2s, 2s], story_updates: immediate}\nfeeds:\n")
	for _, u := range urls {
		fmt.Fprintf(&b, "  - {url: %q, interval: 2s}\n", u)
	}
	b.WriteString("subscribers:\n")
	for _, s := range alertSubs {
		fmt.Fprintf(&b, "  - name: %s\n    topics: [%s]\n", s.name, quoted(s.topics))
		if len(s.langs) > 0 {
			fmt.Fprintf(&b, "    langs: [%s]\n", strings.Join(s.langs, ", "))
		}
		switch {
		case s.name == "un-watch":
			fmt.Fprintf(&b, "    webhook: {url: %q, secret_env: UN_WATCH_SECRET, format: standard}\n", hookURL+"/hook/"+s.name)
		case s.secret != "":
			fmt.Fprintf(&b, "    webhook: {url: %q, secret: %q, format: standard}\n", hookURL+"/hook/"+s.name, s.secret)
		}
		if s.mail != "" {
			fmt.Fprintf(&b, "    email: {to: [%s], digest: none}\n", s.mail)
		}
	}
	return writeFile(t, dir, "alerts.yaml", b.String())
}

func quoted(ss []string) string {
	var q []string
	for _, s := range ss {
		q = append(q, strconv.Quote(s))
	}
	return strings.Join(q, ", ")
}

// daemon starts `newswatch run`.
func daemon(t *testing.T, cfg string, log io.Writer) *exec.Cmd {
	cmd := exec.Command(binary(t), "run", "--config", cfg)
	cmd.Env = append(os.Environ(), "UN_WATCH_SECRET="+alertSubs[1].secret)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

// TestAlertsSurviveKills is issue 5's check: the daemon against a news
// site, a webhook receiver that verifies signatures and fails the first
// attempts, and Mailpit; killed with SIGKILL repeatedly mid-work, then
// left to finish. No alert lost, no bad signature, none to the wrong
// subscriber, duplicates only as retries with the same id, and every
// failure visible in `alerts list`.
func TestAlertsSurviveKills(t *testing.T) {
	heavy(t)
	stories := allStories()
	site, feeds := newsSite(t, stories)
	visible := map[int]bool{}
	publish(site, feeds, stories, func(id int) bool { return visible[id] })
	rc := &hooks{delay: 300 * time.Millisecond, throttle: true, tries: map[string]int{}}
	hs := httptest.NewServer(rc)
	t.Cleanup(hs.Close)
	mp := mailpit.Start(t)
	dir := t.TempDir()
	var urls []string
	for _, f := range feeds {
		urls = append(urls, site.URL()+f.path)
	}
	cfg := alertConfig(t, dir, hs.URL, mp, urls)
	logf, err := os.Create(filepath.Join(dir, "daemon.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()

	const kills = 25
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 5))
	for i := range kills {
		for _, s := range stories[i*len(stories)/kills : (i+1)*len(stories)/kills] {
			visible[s.ID] = true // news arrives while the daemon crashes
		}
		publish(site, feeds, stories, func(id int) bool { return visible[id] })
		cmd := daemon(t, cfg, logf)
		time.Sleep(time.Duration(150+rng.IntN(1200)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL) //nolint:errcheck
		cmd.Wait()                          //nolint:errcheck // killed
	}
	t.Logf("after %d kills: %d webhook requests, site %d requests", kills, len(rc.snapshot()), countAll(site.AllCounts()))

	cmd := daemon(t, cfg, logf)
	want := expectedAlerts(stories)
	// Every alert received, then marked delivered (or, to the dead
	// endpoint, failed) in the outbox: nothing pending.
	waitFor(t, "every alert received and none pending", func() bool {
		return len(missing(t, rc, mp, want)) == 0 && pendingAlerts(t, cfg) == 0
	})
	start := time.Now()
	cmd.Process.Signal(syscall.SIGTERM) //nolint:errcheck
	err = cmd.Wait()
	t.Logf("SIGTERM to exit: %v (err %v)", time.Since(start).Round(time.Millisecond), err)
	if err != nil {
		t.Errorf("newswatch run after SIGTERM: %v (log %s)", err, logf.Name())
	}
	for _, m := range missing(t, rc, mp, want) {
		t.Errorf("lost: %s", m)
	}
	checkDeliveries(t, rc, mp, want)
	checkOnePerStory(t, rc)
	checkAlertList(t, cfg)
}

// checkOnePerStory asserts that each webhook subscriber got one
// article.matched alert per story, under one id, whatever the kills did;
// the story's other articles came as updates.
func checkOnePerStory(t *testing.T, rc *hooks) {
	t.Helper()
	first := map[[2]string]map[string]bool{} // subscriber, story -> ids
	updates := 0
	for _, d := range rc.snapshot() {
		if d.status >= 300 {
			continue
		}
		if d.update {
			updates++
			continue
		}
		k := [2]string{d.sub, d.story}
		if first[k] == nil {
			first[k] = map[string]bool{}
		}
		first[k][d.id] = true
	}
	for k, ids := range first {
		if len(ids) != 1 {
			t.Errorf("%s got story %s's alert under %d ids: %v", k[0], k[1], len(ids), ids)
		}
	}
	t.Logf("%d story alerts, %d updates delivered by webhook", len(first), updates)
}

// key is one alert: subscriber, channel and article path.
type key struct{ sub, channel, article string }

func expectedAlerts(stories []story) map[key]bool {
	want := map[key]bool{}
	for _, st := range stories {
		for _, s := range alertSubs {
			if !s.wants(st) || s.dead {
				continue
			}
			if s.secret != "" {
				want[key{s.name, "webhook", st.Path()}] = true
			}
			if s.mail != "" {
				want[key{s.name, "email", st.Path()}] = true
			}
		}
	}
	return want
}

// mails caches what Mailpit received: article path per Mailpit ID.
var mails = struct {
	sync.Mutex
	byID map[string]key
	mid  map[string]string // Mailpit ID → Message-ID
}{byID: map[string]key{}, mid: map[string]string{}}

// received returns every delivered alert (webhooks answered 2xx, mails)
// with the ids it arrived under.
func received(t *testing.T, rc *hooks, mp *mailpit.Server) map[key]map[string]bool {
	got := map[key]map[string]bool{}
	add := func(k key, id string) {
		if got[k] == nil {
			got[k] = map[string]bool{}
		}
		got[k][id] = true
	}
	for _, d := range rc.snapshot() {
		if d.status < 300 {
			add(key{d.sub, "webhook", d.article}, d.id)
		}
	}
	msgs, err := mp.Messages(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	mails.Lock()
	defer mails.Unlock()
	for _, m := range msgs {
		k, ok := mails.byID[m.ID]
		if !ok {
			full, err := mp.Message(t.Context(), m.ID)
			if err != nil {
				t.Fatal(err)
			}
			k = key{channel: "email", article: mailArticle(full.Text)}
			for _, s := range alertSubs {
				for _, to := range m.To {
					if to.Address == s.mail {
						k.sub = s.name
					}
				}
			}
			mails.byID[m.ID], mails.mid[m.ID] = k, m.MessageID
		}
		add(k, mails.mid[m.ID])
	}
	return got
}

// mailArticle finds the article path linked in a mail's text.
func mailArticle(text string) string {
	for _, f := range strings.Fields(text) {
		if strings.Contains(f, "-post") && strings.Contains(f, "://") {
			return articlePath(strings.Trim(f, "<>()"))
		}
	}
	return ""
}

func missing(t *testing.T, rc *hooks, mp *mailpit.Server, want map[key]bool) []key {
	got := received(t, rc, mp)
	var out []key
	for k := range want {
		if len(got[k]) == 0 {
			out = append(out, k)
		}
	}
	return out
}

func checkDeliveries(t *testing.T, rc *hooks, mp *mailpit.Server, want map[key]bool) {
	t.Helper()
	all := rc.snapshot()
	bad := 0
	for _, d := range all {
		if !d.sigOK {
			bad++
			t.Errorf("bad signature or body: webhook-id %s to %s", d.id, d.sub)
		}
	}
	got := received(t, rc, mp)
	dups := 0
	for k, ids := range got {
		if !want[k] {
			t.Errorf("unasked alert: %s got %s for %s", k.sub, k.channel, k.article)
		}
		if len(ids) != 1 {
			t.Errorf("%s %s %s arrived under %d ids: %v", k.sub, k.channel, k.article, len(ids), ids)
		}
	}
	msgs, _ := mp.Messages(t.Context())
	perMID := map[string]int{}
	for _, m := range msgs {
		perMID[m.MessageID]++
	}
	for _, n := range perMID {
		dups += n - 1
	}
	t.Logf("%d expected alerts, %d received; %d webhook requests (%d with bad signatures), %d mails (%d repeated Message-IDs)",
		len(want), len(got), len(all), bad, len(msgs), dups)
}

// checkAlertList asserts that `alerts list` shows every alert of the dead
// endpoint as failed with its error, and no other alert as failed or
// still pending.
func checkAlertList(t *testing.T, cfg string) {
	t.Helper()
	r := newswatch(t, time.Minute, "alerts", "list", "--format", "json", "--config", cfg)
	if r.code != 0 {
		t.Fatalf("alerts list: exit %d\n%s", r.code, r.stderr)
	}
	var rows []struct {
		ID         string `json:"id"`
		State      string `json:"state"`
		Subscriber string `json:"subscriber"`
		Channel    string `json:"channel"`
		LastError  string `json:"last_error"`
		ArticleURL string `json:"article_url"`
		Attempts   int    `json:"attempts"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
		t.Fatalf("alerts list --format json: %v\n%.500s", err, r.stdout)
	}
	states := map[string]int{}
	for _, a := range rows {
		states[a.Subscriber+" "+a.State]++
		switch {
		case a.Subscriber == "gone" && (a.State != "failed" || a.LastError == ""):
			t.Errorf("alert %s to the dead endpoint: state %s, error %q; want failed with its error", a.ID, a.State, a.LastError)
		case a.Subscriber != "gone" && a.State != "delivered":
			t.Errorf("alert %s (%s %s %s) is %s: %s", a.ID, a.Subscriber, a.Channel, a.ArticleURL, a.State, a.LastError)
		}
	}
	t.Logf("alerts list: %v", states)
	failed := newswatch(t, time.Minute, "alerts", "list", "--state", "failed", "--config", cfg)
	t.Logf("alerts list --state failed:\n%s", tail(failed.stdout, 1500))
}

// pendingAlerts counts the alerts `alerts list` shows as pending.
func pendingAlerts(t *testing.T, cfg string) int {
	t.Helper()
	r := newswatch(t, time.Minute, "alerts", "list", "--format", "json", "--config", cfg)
	var rows []struct {
		State string `json:"state"`
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &rows) != nil {
		t.Fatalf("alerts list: exit %d\n%s", r.code, r.stderr)
	}
	n := 0
	for _, a := range rows {
		if a.State == "pending" {
			n++
		}
	}
	return n
}

func countAll(m map[string]newstest.Counts) int {
	n := 0
	for _, c := range m {
		n += c.Requests
	}
	return n
}
