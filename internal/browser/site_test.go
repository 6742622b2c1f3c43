package browser

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newswatch/newswatch/internal/newstest"
)

// The site's feeds, one per language: the daemon's config lists all but
// addedFeed, which the tests add on /sources.
var siteFeeds = []newstest.SiteFeed{
	{Path: "/rss/vi.rss", IDs: []int{1001, 1002, 1003, 1004, 1005, 1006}, Channel: channel("vi", "VietnamPlus - Tin mới nhất")},
	{Path: "/rss/en.rss", IDs: []int{2001, 2002, 2003, 2004, 2005}, Channel: channel("en", "VietnamPlus - Latest news")},
	{Path: "/rss/ar.rss", IDs: []int{3001, 3002, 3003, 3004, 3005}, Channel: channel("ar", "فيتنام بلس - آخر الأخبار")},
	{Path: "/rss/zh.rss", IDs: []int{4001, 4002, 4003}, Channel: channel("zh", "越通社 - 最新新闻")},
	{Path: "/rss/fr.rss", IDs: []int{5001}, Channel: channel("fr", "VietnamPlus - Actualités")},
	{Path: "/rss/ru.rss", IDs: []int{5003}, Channel: channel("ru", "VietnamPlus - Новости")},
	{Path: addedFeed, IDs: []int{5002}, Channel: channel("es", "VietnamPlus - Noticias")},
}

// addedFeed is the feed the tests add through the dashboard.
const addedFeed = "/rss/es.rss"

func channel(lang, title string) newstest.Channel {
	return newstest.Channel{Title: title, Link: newstest.BasePlaceholder + "/", Description: title, Lang: lang}
}

// newsSite serves the feeds and their article pages in seven languages
// (newstest's corpus: trafficking, the UN and traps) on 127.0.0.1.
func newsSite(t *testing.T) *newstest.Site {
	t.Helper()
	files, err := newstest.Files(siteFeeds)
	if err != nil {
		t.Fatal(err)
	}
	site, err := newstest.NewSite(nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(site.Close)
	for p, body := range files {
		site.Set("/"+p, newstest.Route{Body: body})
	}
	for _, p := range newstest.PagesOf(siteFeeds) {
		if p.Charset != "" { // declared only in the page's <meta>
			site.Update(p.Path(), func(r *newstest.Route) { r.ContentType = "text/html" })
		}
	}
	return site
}

// hook is the webhook receiver of the subscriber "desk". It refuses the
// first delivery of every alert with 422, a permanent failure that leaves
// the alert failed until someone retries it, and accepts the retries.
type hook struct {
	mu        sync.Mutex
	tries     map[string]int // by webhook-id
	delivered []string       // webhook-ids answered 204
}

func (h *hook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := r.Header.Get("webhook-id")
	h.mu.Lock()
	defer h.mu.Unlock()
	h.tries[id]++
	if h.tries[id] == 1 {
		http.Error(w, "unknown event schema", http.StatusUnprocessableEntity)
		return
	}
	h.delivered = append(h.delivered, id)
	w.WriteHeader(http.StatusNoContent)
}

// deliveries returns how many retries the receiver accepted.
func (h *hook) deliveries() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.delivered)
}

// config writes the daemon's config: the site's feeds but addedFeed, the
// built-in topics, and the subscriber desk whose webhook is h.
func config(t *testing.T, dir string, site *newstest.Site, hookURL string) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "store: %s\nfetch:\n  allow_private_networks: true\nlog:\n  format: json\nweb:\n  listen: \"127.0.0.1:0\"\nfeeds:\n", filepath.Join(dir, "news.db"))
	for _, f := range siteFeeds {
		if f.Path != addedFeed {
			fmt.Fprintf(&b, "  - url: %s\n    name: %q\n    interval: 10m\n    scrape: true\n", site.URL()+f.Path, "VNP "+f.Channel.Lang)
		}
	}
	fmt.Fprintf(&b, "subscribers:\n  - name: desk\n    topics: [trafficking, un]\n    webhook: {url: %q, secret: %q, format: standard}\n",
		hookURL+"/hook/desk", "whsec_ZGVzay1zZWNyZXQtMDEyMzQ1Njc4OWFiY2RlZg==")
	p := filepath.Join(dir, "newswatch.yaml")
	writeFile(t, p, b.String())
	return p
}

// article is a stored article as /api/export lists it.
type article struct {
	ID     string   `json:"id"`
	URL    string   `json:"url"`
	Title  string   `json:"title"`
	Lang   string   `json:"lang"`
	Topics []string `json:"topics"`
	Story  string   `json:"story"`
	// Published is zero when the feed gave no date.
	Published time.Time `json:"published"`
}

// archive is what the daemon stored from the site.
type archive struct {
	all     []article
	byID    map[string]article
	matched map[string][]article // by topic
	any     []article            // matched by some topic
	// alerted lists, sorted, the stories of the matched articles: the
	// subscriber gets one immediate alert per story (see storyOf).
	alerted []string
}

// storyOf is the story an article's alert is about: its story, or the
// article itself when it has none.
func storyOf(a article) string {
	return cmp.Or(a.Story, "article "+a.ID)
}

// readArchive reads every stored article through the API.
func readArchive(t *testing.T, d *daemon) archive {
	t.Helper()
	code, body := d.get(t, "/api/export?all=1")
	if code != http.StatusOK {
		t.Fatalf("GET /api/export?all=1 = %d\n%s", code, body)
	}
	a := archive{byID: map[string]article{}, matched: map[string][]article{}}
	for line := range strings.Lines(string(body)) {
		var art article
		if err := json.Unmarshal([]byte(line), &art); err != nil {
			t.Fatalf("/api/export: %v\n%s", err, line)
		}
		a.all = append(a.all, art)
		a.byID[art.ID] = art
		for _, tp := range art.Topics {
			a.matched[tp] = append(a.matched[tp], art)
		}
		if len(art.Topics) > 0 {
			a.any = append(a.any, art)
			if !slices.Contains(a.alerted, storyOf(art)) {
				a.alerted = append(a.alerted, storyOf(art))
			}
		}
	}
	slices.Sort(a.alerted)
	return a
}

// ids returns the IDs of arts, sorted.
func ids(arts []article) []string {
	var out []string
	for _, a := range arts {
		out = append(out, a.ID)
	}
	slices.Sort(out)
	return out
}

// fixture is a daemon that polled the site, with an admin user, and a
// Chromium tab that has not logged in yet.
type fixture struct {
	d    *daemon
	site *newstest.Site
	hook *hook
	arc  archive
	tab  *tab
}

// Who logs in.
const (
	userName = "mai"
	password = "a long passphrase for the news desk"
)

// newFixture starts the site, the webhook receiver and the daemon, adds
// the user with `user add` (the password on stdin), waits until the
// daemon stored every article and failed to deliver every alert, and
// opens a tab, with JavaScript on or off.
func newFixture(t *testing.T, js bool) *fixture {
	t.Helper()
	needBrowser(t)
	f := &fixture{site: newsSite(t), hook: &hook{tries: map[string]int{}}}
	hs := httptest.NewServer(f.hook)
	t.Cleanup(hs.Close)
	dir := t.TempDir()
	f.d = startDaemon(t, config(t, dir, f.site, hs.URL))
	if out := f.d.cli(t, password+"\n", "user", "add", userName, "--role", "admin"); !strings.Contains(out, "added admin "+userName) {
		t.Fatalf("user add: %q, want it to say it added admin %s", out, userName)
	}

	want := len(newstest.PagesOf(siteFeeds)) - 1 // not the added feed's article
	waitFor(t, fmt.Sprintf("the daemon to store the site's %d articles", want), func() bool {
		f.arc = readArchive(t, f.d)
		return len(f.arc.all) == want
	})
	for _, tp := range []string{"trafficking", "un"} {
		if len(f.arc.matched[tp]) < 3 {
			t.Fatalf("the daemon matched %d articles of the site to %s, want several: %v", len(f.arc.matched[tp]), tp, ids(f.arc.matched[tp]))
		}
	}
	waitFor(t, fmt.Sprintf("%d failed alerts, one per story", len(f.arc.alerted)), func() bool {
		var rows []alertRow
		f.d.getJSON(t, "/api/alerts?state=failed", &rows)
		return len(rows) == len(f.arc.alerted)
	})
	f.tab = openTab(t, f.d.base, js)
	return f
}

// alertRow is an alert as /api/alerts lists it.
type alertRow struct {
	ID        string `json:"id"`
	State     string `json:"state"`
	ArticleID string `json:"article_id"`
	Attempts  int    `json:"attempts"`
}
