package browser

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// viewerZone is the time zone the tab runs in: the dashboard's script
// shows times in it, with its offset.
const viewerZone = "Asia/Ho_Chi_Minh"

// actionGuard bounds one browser action, so that a selector that never
// matches fails the test naming it rather than hanging; pages load in
// milliseconds.
const actionGuard = time.Minute

// tab is a Chromium tab on the dashboard. Its methods fail the test on
// an error, naming the page.
type tab struct {
	t         *testing.T
	ctx       context.Context
	base      string // the dashboard's address
	js        bool
	downloads string // where the browser saves downloads
}

// openTab starts Chromium with a new profile and returns its tab, in the
// viewer's time zone, with JavaScript on or off.
func openTab(t *testing.T, base string, js bool) *tab {
	t.Helper()
	ctx, cancel, err := Start(t.Context(), Options{ExecPath: os.Getenv(envChromium), ProfileDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cancel)
	b := &tab{t: t, ctx: ctx, base: base, js: js, downloads: filepath.Join(t.TempDir(), "downloads")}
	b.do("set up the tab", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		if _, err := chromedp.Call(ctx, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: viewerZone}); err != nil {
			return err
		}
		// Page scripts off; the test's own Runtime.evaluate still runs.
		_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !js})
		return err
	}))
	_, err = chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: b.downloads, EventsEnabled: new(true),
	})
	if err != nil {
		t.Fatalf("allow downloads: %v", err)
	}
	return b
}

// guarded returns the tab's context bounded by actionGuard.
func (b *tab) guarded() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, actionGuard)
}

// do runs actions; what names them in the failure.
func (b *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := b.guarded()
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s (on %s): %v", what, b.location(), err)
	}
}

// open loads path and requires 200 (after redirects).
func (b *tab) open(path string) {
	b.t.Helper()
	if code := b.openStatus(path); code != 200 {
		b.t.Fatalf("GET %s = %d, want 200\n%s", path, code, b.mainText())
	}
}

// openStatus loads path and returns the status of the page it ends on.
func (b *tab) openStatus(path string) int64 {
	b.t.Helper()
	ctx, cancel := b.guarded()
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(b.base+path))
	if err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
	return resp.Status
}

// submit clicks the element sel (a submit button or a link), waits for
// the page it leads to and returns that page's status.
func (b *tab) submit(sel string) int64 {
	b.t.Helper()
	ctx, cancel := b.guarded()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("click %s on %s: %v", sel, b.location(), err)
	}
	return resp.Status
}

// submitOK is submit requiring 200.
func (b *tab) submitOK(sel string) {
	b.t.Helper()
	if code := b.submit(sel); code != 200 {
		b.t.Fatalf("click %s: the page it led to (%s) answered %d, want 200\n%s", sel, b.location(), code, b.mainText())
	}
}

// fill empties the field sel and types value into it, as a user does.
func (b *tab) fill(sel, value string) {
	b.t.Helper()
	var ok bool
	b.eval(`(function(){const e = document.querySelector(`+jsString(sel)+`); if (!e) return false; e.value = ""; return true;})()`, &ok)
	if !ok {
		b.t.Fatalf("fill %s: no such field on %s", sel, b.location())
	}
	b.do("fill "+sel, chromedp.SendKeys(chromedp.CSS(sel), value))
}

// location returns the tab's URL, "" when it cannot tell.
func (b *tab) location() string {
	ctx, cancel := b.guarded()
	defer cancel()
	u, _ := chromedp.Run(ctx, chromedp.Location())
	return u
}

// path returns the path and query of the tab's URL.
func (b *tab) path() string {
	b.t.Helper()
	u, err := url.Parse(b.location())
	if err != nil {
		b.t.Fatal(err)
	}
	return u.RequestURI()
}

// mainText returns the text of the page's <main>, for failure messages.
func (b *tab) mainText() string {
	var s string
	b.evalInto(`(document.querySelector("main") || document.body || {innerText: ""}).innerText`, &s)
	return s
}

// eval evaluates a JavaScript expression in the page (also with the
// page's scripts off) and decodes its JSON value into v.
func (b *tab) eval(expr string, v any) {
	b.t.Helper()
	if err := b.evalInto(expr, v); err != nil {
		b.t.Fatalf("evaluate on %s: %v\n%s", b.location(), err, expr)
	}
}

func (b *tab) evalInto(expr string, v any, opts ...chromedp.EvaluateOption) error {
	ctx, cancel := b.guarded()
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](expr, opts...))
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, v)
}

// text returns the text content of the first element sel, "" if none.
func (b *tab) text(sel string) string {
	b.t.Helper()
	var s string
	b.eval(`(function(){const e = document.querySelector(`+jsString(sel)+`); return e ? e.textContent.trim() : "";})()`, &s)
	return s
}

// attr returns an attribute of the first element sel, "" if none.
func (b *tab) attr(sel, name string) string {
	b.t.Helper()
	var s string
	b.eval(`(function(){const e = document.querySelector(`+jsString(sel)+`); return e ? (e.getAttribute(`+jsString(name)+`) || "") : "";})()`, &s)
	return s
}

// count returns how many elements match sel.
func (b *tab) count(sel string) int {
	b.t.Helper()
	var n int
	b.eval(`document.querySelectorAll(`+jsString(sel)+`).length`, &n)
	return n
}

// download clicks the link sel and returns the file the browser saved.
func (b *tab) download(sel string) []byte {
	b.t.Helper()
	ctx, cancel := b.guarded()
	defer cancel()
	progress := chromedp.BrowserEvents(ctx, browser.DownloadProgress) // subscribed before the click
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		b.t.Fatalf("click %s on %s: %v", sel, b.location(), err)
	}
	for ev, err := range progress {
		if err != nil {
			b.t.Fatalf("download from %s: %v", sel, err)
		}
		switch ev.State {
		case browser.DownloadProgressStateCompleted:
			data, err := os.ReadFile(filepath.Join(b.downloads, ev.GUID))
			if err != nil {
				b.t.Fatal(err)
			}
			return data
		case browser.DownloadProgressStateCanceled:
			b.t.Fatalf("the download from %s was canceled", sel)
		}
	}
	return nil
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}
