package alerts

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newswatch/newswatch/internal/newstest"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// testSecret is the Standard Webhooks reference secret.
const testSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// loadArticles reads the multilingual sample articles (vi, ar, zh, en, fr).
func loadArticles(t testing.TB) []*news.Article {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "articles.json"))
	if err != nil {
		t.Fatal(err)
	}
	var arts []*news.Article
	if err := json.Unmarshal(b, &arts); err != nil {
		t.Fatal(err)
	}
	for _, a := range arts {
		a.ID = news.ArticleID(a.URL)
	}
	return arts
}

// openStore opens a real bbolt store in a temp dir.
func openStore(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(filepath.Join(t.TempDir(), "newswatch.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// savePlanned stores the articles and the alerts r plans for them at now,
// in one poll transaction as the monitor does, and returns the alerts.
func savePlanned(t testing.TB, s *store.Store, r *Router, arts []*news.Article, now time.Time) []news.Alert {
	t.Helper()
	var alerts []news.Alert
	for _, a := range arts {
		alerts = append(alerts, r.Plan(a, now)...)
	}
	_, err := s.SavePoll(store.Poll{Feed: store.FeedState{URL: "https://example.org/feed"}, Articles: arts, Alerts: alerts})
	if err != nil {
		t.Fatal(err)
	}
	return alerts
}

// received is one request a receiver got.
type received struct {
	ID     string
	SigErr error
	Event  Event
	Body   []byte
	Status int
}

// receiver is a webhook endpoint that verifies every signature and answers
// according to respond(attempt number of this webhook-id, starting at 1).
type receiver struct {
	*httptest.Server
	key     []byte
	respond func(attempt int, w http.ResponseWriter) int
	mu      sync.Mutex
	tries   map[string]int
	got     []received
}

func newReceiver(t testing.TB, respond func(attempt int, w http.ResponseWriter) int) *receiver {
	t.Helper()
	key, err := DecodeSecret(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	rc := &receiver{key: key, respond: respond, tries: map[string]int{}}
	rc.Server = httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rec := received{ID: r.Header.Get(HeaderWebhookID), Body: body}
	rec.SigErr = Verify(rc.key, r.Header, body, time.Now())
	_ = json.Unmarshal(body, &rec.Event)
	rc.mu.Lock()
	rc.tries[rec.ID]++
	n := rc.tries[rec.ID]
	rc.mu.Unlock()
	status := http.StatusOK
	if rc.respond != nil {
		status = rc.respond(n, w)
	}
	w.WriteHeader(status)
	rec.Status = status
	rc.mu.Lock()
	rc.got = append(rc.got, rec)
	rc.mu.Unlock()
}

func (rc *receiver) requests() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.got...)
}

// refusingURL returns the URL of a loopback port that refuses
// connections while t runs (a closed server's port could be given to the
// next server and receive the dead host's alerts).
func refusingURL(t *testing.T) string {
	t.Helper()
	addr, release, err := newstest.RefusingAddr()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { release() })
	return "http://" + addr
}

// webhookSub returns a subscriber with a standard webhook to url.
func webhookSub(name, url string, topics ...string) Subscriber {
	return Subscriber{Name: name, Topics: topics, Webhook: &WebhookTarget{URL: url, Secret: testSecret}}
}

// fixedClock is a settable clock for Options.Now.
type fixedClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fixedClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fixedClock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// chatTarget is a target URL of a chat format, the body field that
// carries the message text and that field's limit (bytes for ntfy, runes
// for the others).
type chatTarget struct {
	format, url, field string
	limit              int
}

// chatTargets has a target of each chat format.
var chatTargets = []chatTarget{
	{FormatSlack, "https://hooks.slack.com/services/T/B/X", "text", slackTextLimit},
	{FormatDiscord, "https://discord.com/api/webhooks/1/x", "content", discordLimit},
	{FormatTelegram, "https://api.telegram.org/bot123:abc/sendMessage?chat_id=-1001", "text", telegramLimit},
	{FormatNtfy, "https://ntfy.sh/newswatch-desk", "message", ntfyMessageBytes},
}

// chatRequest builds m's request for tt and checks that its message field
// is valid UTF-8 within the format's limit. It returns the request, its
// decoded body and the message field.
func chatRequest(t *testing.T, tt chatTarget, m Message) (request, map[string]any, string) {
	t.Helper()
	r, err := buildRequest(tt.format, mustURL(t, tt.url), m)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if err := json.Unmarshal(r.body, &body); err != nil {
		t.Fatalf("body %q: %v", r.body, err)
	}
	text, _ := body[tt.field].(string)
	n := utf8.RuneCountInString(text)
	if tt.format == FormatNtfy {
		n = len(text)
	}
	if n == 0 || n > tt.limit || !utf8.ValidString(text) {
		t.Errorf("%s %s = %d long (valid UTF-8 %v), want 1..%d", tt.format, tt.field, n, utf8.ValidString(text), tt.limit)
	}
	return r, body, text
}
