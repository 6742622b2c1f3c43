package browser

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mmcdole/gofeed"
)

// byPost returns the stored article of the site's post id.
func (f *fixture) byPost(t *testing.T, id int) article {
	t.Helper()
	suffix := fmt.Sprintf("-post%d.vnp", id)
	for _, a := range f.arc.all {
		if strings.HasSuffix(a.URL, suffix) {
			return a
		}
	}
	t.Fatalf("the daemon stored no article of post %d", id)
	return article{}
}

// search types a query in four scripts into the search form, then a
// wrong one, which the page shows with its position.
func (f *fixture) search(t *testing.T) {
	t.Helper()
	b := f.tab
	b.open("/search")
	const query = `title:("mua bán người" OR 拐卖 OR الاتجار OR "human trafficking")`
	b.fill("#q", query)
	b.submitOK(`form[role="search"] button[type=submit]`)
	want := "/search?" + url.Values{"q": {query}}.Encode()
	if got := b.path(); !strings.HasPrefix(got, want) {
		t.Errorf("the search form led to %s, want %s…", got, want)
	}
	var got []string
	b.eval(`[...document.querySelectorAll('.rows li[id^="a-"]')].map(li => li.id.replace(/^a-/, ""))`, &got)
	for _, post := range []int{1001, 2001, 3001, 4001} { // their titles hold a term
		if a := f.byPost(t, post); !slices.Contains(got, a.ID) {
			t.Errorf("the search for %s finds %v, not %s (%q)", query, got, a.ID, a.Title)
		}
	}
	for _, post := range []int{2002, 4003} { // drug trafficking
		if a := f.byPost(t, post); slices.Contains(got, a.ID) {
			t.Errorf("the search for %s finds %s (%q)", query, a.ID, a.Title)
		}
	}
	f.checkScripts(t)

	const wrong = `trafficking AND (un OR`
	b.fill("#q", wrong)
	if code := b.submit(`form[role="search"] button[type=submit]`); code != http.StatusBadRequest {
		t.Errorf("a wrong query answers %d, want 400", code)
	}
	msg := b.text(`#q-error[role="alert"] p`)
	if !strings.HasPrefix(msg, "The query is wrong at line 1, column ") {
		t.Errorf("the wrong query %q shows %q, want where it is wrong", wrong, msg)
	}
	if shown := b.text("#q-error pre.query-error"); strings.TrimSpace(shown) != wrong {
		t.Errorf("the wrong query is shown as %q, want %q with the place marked", shown, wrong)
	}
	if b.count("#q-error pre.query-error mark") != 1 || b.attr("#q", "aria-invalid") != "true" {
		t.Errorf("the wrong query's place is not marked, or the field not flagged invalid")
	}
}

// feedback judges an Arabic match relevant on the topic page, changes
// the judgement to not relevant, and finds it on the article page.
func (f *fixture) feedback(t *testing.T) {
	t.Helper()
	b := f.tab
	a := f.pick(t, "ar", "trafficking")
	row := `[id="a-` + a.ID + `"]`
	b.open("/topics/trafficking")
	for _, step := range []struct {
		label, pressed, precision string
	}{
		{"relevant", "relevant", "ar 1 0 100 %"},
		{"not_relevant", "not_relevant", "ar 0 1 0 %"},
	} {
		b.submitOK(row + ` .feedback button[value="` + step.label + `"]`)
		if p := b.path(); !strings.HasPrefix(p, "/topics/trafficking") {
			t.Errorf("judging %s %s led to %s, want back to the topic page", a.ID, step.label, p)
		}
		for _, v := range []string{"relevant", "not_relevant"} {
			want := fmt.Sprint(v == step.pressed)
			if got := b.attr(row+` .feedback button[value="`+v+`"]`, "aria-pressed"); got != want {
				t.Errorf("after judging %s %s, the %s button has aria-pressed=%q, want %s", a.ID, step.label, v, got, want)
			}
		}
		var cells []string
		b.eval(`[...document.querySelectorAll('section[aria-labelledby="h-precision"] tbody tr > *')].map(c => c.textContent.trim())`, &cells)
		if got := strings.Join(cells, " "); got != step.precision {
			t.Errorf("after judging %s %s, the precision reads %q, want %q", a.ID, step.label, got, step.precision)
		}
	}
	b.open("/articles/" + a.ID)
	if got := b.text(`ul.topics > li:has(a[href="/topics/trafficking"]) > .muted`); got != "(0 relevant, 1 not relevant)" {
		t.Errorf("the article page counts the judgements as %q, want (0 relevant, 1 not relevant)", got)
	}
}

// retryAlert retries the failed alert of a story on /alerts, a Chinese
// article's when a story's alert is about one; the receiver takes the
// retry and the alert shows as delivered.
func (f *fixture) retryAlert(t *testing.T) {
	t.Helper()
	b := f.tab
	var failed []alertRow
	f.d.getJSON(t, "/api/alerts?state=failed", &failed)
	if len(failed) == 0 {
		t.Fatal("no failed alert to retry")
	}
	a := f.arc.byID[failed[0].ArticleID]
	for _, r := range failed {
		if art := f.arc.byID[r.ArticleID]; art.Lang == "zh" {
			a = art
			break
		}
	}
	b.open("/alerts?state=failed")
	b.submitOK(`tr:has(a[href="/articles/` + a.ID + `"]) form[action="/alerts/retry"] button`)
	if got := b.text(`.notice[role="status"]`); got != "1 alerts queued for delivery again." {
		t.Errorf("retrying an alert says %q", got)
	}
	waitFor(t, "the retried alert to be delivered", func() bool {
		var rows []alertRow
		f.d.getJSON(t, "/api/alerts?state=delivered", &rows)
		return len(rows) == 1 && rows[0].ArticleID == a.ID
	})
	if n := f.hook.deliveries(); n != 1 {
		t.Errorf("the receiver accepted %d deliveries, want the one retry", n)
	}
	b.open("/alerts?state=delivered")
	rows := f.alertRows(t)
	// A retry starts a new schedule: the attempts count from 0 again.
	if len(rows) != 1 || rows[0].Article != a.ID || rows[0].State != "delivered" || rows[0].Attempts != "1" {
		t.Errorf("/alerts?state=delivered shows %+v, want the alert of %s delivered at the retry's first attempt", rows, a.ID)
	}
	b.open("/alerts")
	if tab := b.text(`nav.tabs a[aria-current="page"]`); tab != fmt.Sprintf("failed (%d)", len(f.arc.alerted)-1) {
		t.Errorf("after the retry /alerts opens on %q, want failed (%d)", tab, len(f.arc.alerted)-1)
	}
}

// addFeed adds the Spanish feed on /sources; the daemon polls it at once
// and the page lists it as added, healthy, with its article.
func (f *fixture) addFeed(t *testing.T) {
	t.Helper()
	b := f.tab
	u := f.site.URL() + addedFeed
	b.open("/sources")
	b.fill("#add-url", u)
	b.fill("#add-name", "VNP es")
	b.fill("#add-lang", "es")
	b.submitOK(`form[action="/sources/add"] button[type=submit]`)
	if got, want := b.text(`.notice[role="status"]`), "Added "+u+"; it is polled at once."; got != want {
		t.Errorf("adding a feed says %q, want %q", got, want)
	}
	waitFor(t, "the added feed's article to be stored", func() bool {
		f.arc = readArchive(t, f.d)
		return slices.ContainsFunc(f.arc.all, func(a article) bool { return strings.HasSuffix(a.URL, "-post5002.vnp") })
	})
	b.open("/sources")
	r, ok := f.sourceRows(t)[u]
	if !ok || r.Name != "VNP es" || !strings.Contains(r.Origin, "added") || !r.polled() || r.Items != "1" {
		t.Errorf("/sources shows the added feed as %+v (listed: %v), want VNP es, added, polled, 1 item seen", r, ok)
	}
}

// downloads downloads the topic's CSV, with and without the byte-order
// mark, and reads its Atom feed with the key made on /account.
func (f *fixture) downloads(t *testing.T) {
	t.Helper()
	b := f.tab
	matches := f.arc.matched["trafficking"]
	b.open("/topics/trafficking")
	plain := b.download(`a[href^="/topics/trafficking/matches.csv"]:not([href*="bom=1"])`)
	excel := b.download(`a[href^="/topics/trafficking/matches.csv"][href*="bom=1"]`)
	if bytes.HasPrefix(plain, []byte("\uFEFF")) {
		t.Errorf("the plain CSV starts with a byte-order mark")
	}
	if !bytes.HasPrefix(excel, []byte{0xEF, 0xBB, 0xBF}) || !bytes.Equal(excel[3:], plain) {
		t.Errorf("the CSV for Excel starts with % x, want the UTF-8 byte-order mark EF BB BF before the plain CSV", excel[:min(len(excel), 3)])
	}
	records, err := csv.NewReader(bytes.NewReader(plain)).ReadAll()
	if err != nil || len(records) != len(matches)+1 {
		t.Errorf("the CSV has %d records (%v), want a header and one row per match (%d)", len(records), err, len(matches))
	}

	old := f.rotateFeedKey(t)
	b.open("/topics/trafficking")
	feedURL := b.attr(`a[type="application/atom+xml"]`, "href")
	u, err := url.Parse(feedURL)
	if err != nil || u.Query().Get("key") == "" || u.Query().Get("key") == old {
		t.Fatalf("the topic page links the feed %q, want one with the new key", feedURL)
	}
	code, body := fetch(t, feedURL, nil) // a feed reader: no session
	if code != http.StatusOK {
		t.Fatalf("GET %s = %d", feedURL, code)
	}
	feed, err := gofeed.NewParser().ParseString(string(body))
	if err != nil {
		t.Fatalf("the Atom feed does not parse: %v\n%s", err, body)
	}
	var links, want []string
	for _, it := range feed.Items {
		links = append(links, it.Link)
	}
	for _, a := range matches {
		want = append(want, a.URL)
	}
	slices.Sort(links)
	slices.Sort(want)
	if feed.FeedType != "atom" || !cmp.Equal(links, want) {
		t.Errorf("the %s feed lists %v, want the topic's matches %v", feed.FeedType, links, want)
	}
	q := u.Query()
	q.Set("key", old)
	u.RawQuery = q.Encode()
	if code, _ := fetch(t, u.String(), nil); code != http.StatusForbidden {
		t.Errorf("the feed with the replaced key = %d, want 403", code)
	}
}

// rotateFeedKey gets a feed key on /account, then a new one, and
// returns the first.
func (f *fixture) rotateFeedKey(t *testing.T) string {
	t.Helper()
	b := f.tab
	b.open("/account")
	var keys []string
	for range 2 {
		b.submitOK(`form[action="/account/feedkey"] button[value="new"]`)
		key := b.text("code.feedkey")
		if key == "" || slices.Contains(keys, key) {
			t.Fatalf("after asking for a new feed key /account shows %q (before: %v)", key, keys)
		}
		keys = append(keys, key)
	}
	return keys[0]
}
