package browser

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestAccessibility runs axe-core in every page of the dashboard, in the
// states a user meets (a login error, a query error, failed alerts, a
// form's outcome), and fails on serious or critical violations; the
// moderate and minor ones are logged.
func TestAccessibility(t *testing.T) {
	f := newFixture(t, true)
	script, err := axeScript()
	if err != nil {
		t.Fatal(err)
	}
	b := f.tab
	b.open("/login")
	f.checkA11y(t, script)
	b.fill("#username", userName)
	b.fill("#password", "not the passphrase")
	b.submit("form.auth-form button[type=submit]")
	f.checkA11y(t, script) // with the error shown
	f.login(t)

	ar, vi := f.pick(t, "ar", "trafficking"), f.pick(t, "vi", "trafficking")
	for _, p := range []string{
		"/", "/topics/trafficking", "/topics/un", "/topics/trafficking?lang=ar",
		"/articles/" + ar.ID, "/articles/" + vi.ID,
		"/search", "/search?q=" + url.QueryEscape(`"mua bán người" OR الاتجار OR 拐卖`), "/search?q=" + url.QueryEscape("trafficking AND (un OR"),
		"/sources", "/alerts", "/alerts?state=delivered", "/account", "/api/",
	} {
		b.openStatus(p) // a wrong query answers 400, with its page
		f.checkA11y(t, script)
	}
	b.open("/sources") // a form's outcome: the notice of an error
	b.fill("#add-url", f.site.URL()+"/rss/vi.rss")
	b.submit(`form[action="/sources/add"] button[type=submit]`)
	f.checkA11y(t, script)
}

// axeResult is a rule that axe-core found broken, with the elements.
type axeResult struct {
	ID, Impact, Help, HelpURL string
	Nodes                     []struct{ Target, Summary string }
}

// String reports the violation readably: rule, impact, help and its
// URL, and each element with what to fix.
func (v axeResult) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "axe %s (%s): %s\n  %s", v.ID, v.Impact, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n  - %s\n    %s", n.Target, strings.ReplaceAll(n.Summary, "\n", "\n    "))
	}
	return b.String()
}

// serious reports whether the violation fails the test.
func (v axeResult) serious() bool { return v.Impact == "serious" || v.Impact == "critical" }

// axeRunJS runs axe-core on the document (every rule but the
// experimental ones) and returns its violations and how many rules
// passed.
const axeRunJS = `axe.run(document, {resultTypes: ["violations"]}).then(r => ({
	Passes: r.passes.length,
	Violations: r.violations.map(v => ({
		ID: v.id, Impact: v.impact || "", Help: v.help, HelpURL: v.helpUrl,
		Nodes: v.nodes.map(n => ({Target: n.target.join(" "), Summary: n.failureSummary || ""}))}))}))`

// axe injects axe-core into the tab's page and runs it.
func (b *tab) axe(script []byte) []axeResult {
	b.t.Helper()
	page := b.path()
	if err := b.evalInto(string(script)+"\n;true", new(bool)); err != nil {
		b.t.Fatalf("inject axe-core into %s: %v", page, err)
	}
	var res struct {
		Passes     int
		Violations []axeResult
	}
	if err := b.evalInto(axeRunJS, &res, chromedp.EvalAwaitPromise); err != nil {
		b.t.Fatalf("run axe-core on %s: %v", page, err)
	}
	if res.Passes == 0 {
		b.t.Fatalf("axe-core ran no rule on %s", page)
	}
	b.t.Logf("%s: axe-core: %d rules pass, %d violated", page, res.Passes, len(res.Violations))
	return res.Violations
}

// checkA11y runs axe-core on the page and fails t on serious and
// critical violations; it logs the others.
func (f *fixture) checkA11y(t *testing.T, script []byte) {
	t.Helper()
	page := f.tab.path()
	for _, v := range f.tab.axe(script) {
		if v.serious() {
			t.Errorf("%s: %s", page, v)
		} else {
			t.Logf("%s: %s", page, v)
		}
	}
}

// TestAxeFindsViolations checks the check: axe-core, injected as the
// dashboard tests inject it, reports an image without alt text and a
// field without a label as serious or critical, naming the elements.
func TestAxeFindsViolations(t *testing.T) {
	needBrowser(t)
	script, err := axeScript()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `<!doctype html><html lang="en"><title>bad</title><main><h1>Bad</h1>`+
			`<img id="photo" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input id="nameless" type="text"></main></html>`)
	}))
	t.Cleanup(srv.Close)
	b := openTab(t, srv.URL, true)
	b.open("/")
	found := map[string]string{}
	for _, v := range b.axe(script) {
		if v.serious() {
			for _, n := range v.Nodes {
				found[v.ID] = n.Target
			}
		}
	}
	for rule, target := range map[string]string{"image-alt": "#photo", "label": "#nameless"} {
		if found[rule] != target {
			t.Errorf("axe-core reports %q for %s, want it on %s (all serious: %v)", found[rule], rule, target, found)
		}
	}
}
