package browser

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestDashboard is issue 9's browser test: in a real Chromium, with
// JavaScript on and off, log in through the form, open every page and
// find the site's matched articles in it with their language and
// direction, then search, judge matches, retry a failed alert, add a
// feed and download the CSV and the Atom feed.
func TestDashboard(t *testing.T) {
	needBrowser(t)
	for _, js := range []bool{true, false} {
		name := "javascript"
		if !js {
			name = "no-javascript"
		}
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, js)
			f.login(t)
			f.checkTimes(t)
			f.checkPages(t)
			f.search(t)
			f.feedback(t)
			f.retryAlert(t)
			f.addFeed(t)
			f.downloads(t)
		})
	}
}

// login opens a page without a session, is sent to the login form, is
// refused a wrong password, then logs in and lands on the page it asked
// for.
func (f *fixture) login(t *testing.T) {
	t.Helper()
	b := f.tab
	b.open("/topics/trafficking")
	if got, want := b.path(), "/login?next=%2Ftopics%2Ftrafficking"; got != want {
		t.Fatalf("without a session, /topics/trafficking led to %s, want %s", got, want)
	}
	b.fill("#username", userName)
	b.fill("#password", "not the passphrase")
	if code := b.submit("form.auth-form button[type=submit]"); code != 422 {
		t.Errorf("login with a wrong password = %d, want 422", code)
	}
	if msg := b.text(`#login-error[role="alert"]`); msg == "" {
		t.Errorf("login with a wrong password shows no error\n%s", b.mainText())
	}
	b.fill("#username", userName)
	b.fill("#password", password)
	b.submitOK("form.auth-form button[type=submit]")
	if got := b.path(); got != "/topics/trafficking" {
		t.Fatalf("after the login the tab is on %s, want /topics/trafficking", got)
	}
	if who := b.text("header .who"); who != userName+" (admin)" {
		t.Errorf("the header names %q, want %q", who, userName+" (admin)")
	}
}

// checkTimes checks that times show in the viewer's zone when scripts
// run, and in UTC with the offset when they do not: the proof that the
// tab runs with JavaScript as the test asked.
func (f *fixture) checkTimes(t *testing.T) {
	t.Helper()
	var times []string
	f.tab.eval(`[...document.querySelectorAll("main time[datetime]")].map(e => e.textContent)`, &times)
	want := "+00:00"
	if f.tab.js {
		want = "+07:00" // Asia/Ho_Chi_Minh
	}
	if len(times) == 0 {
		t.Fatalf("the topic page shows no <time>\n%s", f.tab.mainText())
	}
	for _, s := range times {
		if !strings.HasSuffix(s, want) {
			t.Errorf("with JavaScript %v a time shows as %q, want the offset %s", f.tab.js, s, want)
		}
	}
}

// checkPages opens every page and checks that it shows what the daemon
// stored, every title in its language and direction.
func (f *fixture) checkPages(t *testing.T) {
	t.Helper()
	f.checkOverview(t)
	for _, tp := range []string{"trafficking", "un"} {
		f.checkTopic(t, tp)
	}
	f.checkArticle(t, f.pick(t, "ar", "trafficking"))
	f.checkArticle(t, f.pick(t, "vi", "trafficking"))
	f.checkSources(t)
	f.checkFailedAlerts(t)
	b := f.tab
	b.open("/account")
	if name := b.text("dl.account-facts dd"); name != userName {
		t.Errorf("/account names %q, want %q", name, userName)
	}
}

// pick returns a stored article in lang matched to topic.
func (f *fixture) pick(t *testing.T, lang, topic string) article {
	t.Helper()
	for _, a := range f.arc.matched[topic] {
		if a.Lang == lang {
			return a
		}
	}
	t.Fatalf("the daemon matched no %s article to %s: %v", lang, topic, ids(f.arc.matched[topic]))
	return article{}
}

// checkOverview checks /: each topic's count over 30 days, the latest
// matches and the failed alerts.
func (f *fixture) checkOverview(t *testing.T) {
	t.Helper()
	b := f.tab
	b.open("/")
	var topics []struct{ Name, Month string }
	b.eval(`[...document.querySelectorAll('section[aria-labelledby="h-topics"] tbody tr')].map(r => ({Name: r.querySelector("th").textContent.trim(), Month: r.querySelectorAll("td")[2].textContent.trim()}))`, &topics)
	for _, tp := range []string{"trafficking", "un"} {
		i := slices.IndexFunc(topics, func(r struct{ Name, Month string }) bool { return r.Name == tp })
		if i < 0 {
			t.Errorf("/ lists no topic %s: %v", tp, topics)
			continue
		}
		if want := strconv.Itoa(f.arc.since(tp, time.Now().AddDate(0, 0, -30))); topics[i].Month != want {
			t.Errorf("/ counts %s matches of %s in 30 days, want %s", topics[i].Month, tp, want)
		}
	}
	if len(f.arc.any) <= 15 { // the overview lists 15
		f.checkRows(t, "/", "latest matches", f.arc.any)
	}
	if got, want := b.text(`a[href="/alerts?state=failed"]`), fmt.Sprintf("%d failed", len(f.arc.alerted)); got != want {
		t.Errorf("/ says %q, want %q", got, want)
	}
	f.checkScripts(t)
}

// checkTopic checks /topics/NAME: every match of the topic, each with
// its evidence marked.
func (f *fixture) checkTopic(t *testing.T, topic string) {
	t.Helper()
	f.tab.open("/topics/" + topic)
	f.checkRows(t, "/topics/"+topic, "matches", f.arc.matched[topic])
	if n, rows := f.tab.count(`.rows li[id^="a-"]:has(mark)`), f.tab.count(`.rows li[id^="a-"]`); n != rows {
		t.Errorf("/topics/%s: %d of %d matches show their evidence marked", topic, n, rows)
	}
	f.checkScripts(t)
}

// checkRows compares the articles listed on the page (.rows) with want,
// and checks every title.
func (f *fixture) checkRows(t *testing.T, page, what string, want []article) {
	t.Helper()
	var got []string
	f.tab.eval(`[...document.querySelectorAll('.rows li[id^="a-"]')].map(li => li.id.replace(/^a-/, ""))`, &got)
	slices.Sort(got)
	if diff := cmp.Diff(ids(want), got); diff != "" {
		t.Errorf("%s lists other %s than the daemon stored (-stored +listed):\n%s", page, what, diff)
	}
}

// checkArticle checks /articles/ID: the title, the text with its hits
// marked, the topics and the original link.
func (f *fixture) checkArticle(t *testing.T, a article) {
	t.Helper()
	b := f.tab
	p := "/articles/" + a.ID
	b.open(p)
	if got := b.text("main article > h1"); got != a.Title {
		t.Errorf("%s: title %q, want %q", p, got, a.Title)
	}
	if n := b.count("main article p mark, main article h1 mark"); n == 0 {
		t.Errorf("%s marks no hit in the text", p)
	}
	var topics []string
	b.eval(`[...document.querySelectorAll("ul.topics > li > a")].map(a => a.textContent)`, &topics)
	if !slices.Equal(topics, a.Topics) {
		t.Errorf("%s lists topics %v, want %v", p, topics, a.Topics)
	}
	if href := b.attr("a.url", "href"); href != a.URL {
		t.Errorf("%s links the original as %q, want %q", p, href, a.URL)
	}
	f.checkScripts(t)
}

// checkSources checks /sources: every configured feed, healthy, with
// the items it served.
func (f *fixture) checkSources(t *testing.T) {
	t.Helper()
	f.tab.open("/sources")
	rows := f.sourceRows(t)
	for _, sf := range siteFeeds {
		if sf.Path == addedFeed {
			continue
		}
		r, ok := rows[f.site.URL()+sf.Path]
		if !ok {
			t.Errorf("/sources lacks %s", sf.Path)
			continue
		}
		if !r.polled() || r.Items != strconv.Itoa(len(sf.IDs)) {
			t.Errorf("/sources shows %s as %s, status %s, with %s items seen; want ok or quiet (its news is old), 200, %d", sf.Path, r.Health, r.Status, r.Items, len(sf.IDs))
		}
	}
	f.checkScripts(t)
}

// sourceRow is a feed as /sources shows it.
type sourceRow struct{ Name, URL, Health, Status, Items, Origin string }

// polled reports whether the row shows a successful poll: status 200 and
// a health that is not an error (the site's news is weeks old, so a
// feed may be quiet).
func (r sourceRow) polled() bool {
	return r.Status == "200" && (r.Health == "ok" || r.Health == "quiet")
}

// sourceRows returns the rows of /sources by feed URL.
func (f *fixture) sourceRows(t *testing.T) map[string]sourceRow {
	t.Helper()
	var rows []sourceRow
	f.tab.eval(`[...document.querySelectorAll("table.sources tbody tr")].map(r => ({
		Name: r.querySelector("th bdi").textContent, URL: r.querySelector("th .url").textContent,
		Health: r.querySelector(".health").textContent, Status: r.querySelectorAll("td.num")[0].textContent.trim(),
		Items: r.querySelectorAll("td.num")[1].textContent.trim(),
		Origin: (r.querySelector("th .muted") || {textContent: ""}).textContent}))`, &rows)
	out := map[string]sourceRow{}
	for _, r := range rows {
		out[r.URL] = r
	}
	return out
}

// checkFailedAlerts checks /alerts: it opens on the failed alerts, one
// per story of the matched articles, each with the receiver's 422.
func (f *fixture) checkFailedAlerts(t *testing.T) {
	t.Helper()
	b := f.tab
	b.open("/alerts")
	if tab := b.text(`nav.tabs a[aria-current="page"]`); tab != fmt.Sprintf("failed (%d)", len(f.arc.alerted)) {
		t.Errorf("/alerts opens on the tab %q, want failed (%d)", tab, len(f.arc.alerted))
	}
	rows := f.alertRows(t)
	var got []string
	for _, r := range rows {
		art, ok := f.arc.byID[r.Article]
		if !ok {
			t.Errorf("/alerts lists an alert about %q, not a stored article", r.Article)
			continue
		}
		got = append(got, storyOf(art))
		if r.State != "failed" || !strings.Contains(r.Error, "422") {
			t.Errorf("/alerts shows the alert of %s as %s with the error %q, want failed with the receiver's 422", r.Article, r.State, r.Error)
		}
	}
	slices.Sort(got)
	if diff := cmp.Diff(f.arc.alerted, got); diff != "" {
		t.Errorf("/alerts lists other failed alerts than one per story of the matched articles (-stories +listed):\n%s", diff)
	}
	f.checkScripts(t)
}

// shownAlert is a row of /alerts.
type shownAlert struct{ Article, State, Attempts, Error string }

func (f *fixture) alertRows(t *testing.T) []shownAlert {
	t.Helper()
	var rows []shownAlert
	f.tab.eval(`[...document.querySelectorAll("table.alerts tbody tr")].map(r => ({
		Article: (r.querySelector('a[href^="/articles/"]') || {getAttribute: () => ""}).getAttribute("href").replace("/articles/", ""),
		State: r.querySelector(".state").textContent, Attempts: r.querySelector("td.num").textContent,
		Error: r.querySelectorAll("td")[6].textContent}))`, &rows)
	return rows
}

// since counts the matches of topic published since t.
func (a archive) since(topic string, t time.Time) int {
	n := 0
	for _, art := range a.matched[topic] {
		if !art.Published.Before(t) {
			n++
		}
	}
	return n
}
