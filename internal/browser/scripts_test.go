package browser

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/chromedp"

	"github.com/newswatch/newswatch/lang"
)

// TestScriptsRender saves screenshots of an Arabic article page and of a
// topic page mixing Arabic, Vietnamese, Chinese and English titles, and
// checks in the DOM that every title carries its language and direction
// and that Chromium draws each script with a font made for it.
func TestScriptsRender(t *testing.T) {
	f := newFixture(t, true)
	f.login(t)
	dir := artifactDir(t)

	ar := f.pick(t, "ar", "trafficking")
	f.tab.open("/articles/" + ar.ID)
	f.checkScripts(t)
	if d := f.tab.attr("main article", "dir"); d != "rtl" {
		t.Errorf("the Arabic article's text has dir %q, want rtl", d)
	}
	f.checkFonts(t, "main article > h1", "Arabic")
	f.checkWireCredit(t)
	f.screenshot(t, filepath.Join(dir, "article-ar.png"))

	f.tab.open("/topics/trafficking")
	titles := f.checkScripts(t)
	for _, l := range []string{"ar", "vi", "zh", "en"} {
		if !slices.ContainsFunc(titles, func(s shownText) bool { return s.Lang == l }) {
			t.Errorf("/topics/trafficking shows no %s title; the screenshot must mix Arabic, Vietnamese, Chinese and English", l)
		}
	}
	for _, l := range []struct{ lang, font string }{{"ar", "Arabic"}, {"zh", "CJK"}} {
		f.checkFonts(t, `.rows .title[lang="`+l.lang+`"] a`, l.font)
	}
	f.screenshot(t, filepath.Join(dir, "topic-trafficking.png"))
}

// shownText is an element of the page with a language.
type shownText struct {
	ID        string // the article a title links to or heads
	Tag       string
	Text      string
	Lang      string // in force: the element's or an ancestor's
	Dir       string // the attribute in force, like Lang
	OwnDir    string // the element's own dir attribute
	Direction string // computed
	InBdi     bool   // a <bdi> or inside one
}

// scriptsJS lists the page's article titles (links to articles and the
// article's heading) and every element of <main> with a lang, each with
// the lang and dir in force (its own or its nearest ancestor's).
const scriptsJS = `(() => {
	const attr = (el, name) => { const e = el.closest("[" + name + "]"); return e ? e.getAttribute(name) : ""; };
	const info = el => ({Tag: el.tagName.toLowerCase(), Text: el.textContent.trim(),
		Lang: attr(el, "lang"), Dir: attr(el, "dir"), OwnDir: el.getAttribute("dir") || "",
		Direction: getComputedStyle(el).direction, InBdi: !!el.closest("bdi")});
	const titles = [...document.querySelectorAll('main a[href^="/articles/"]')]
		.map(a => ({...info(a), ID: a.getAttribute("href").slice("/articles/".length)}));
	const h1 = document.querySelector("main article > h1");
	if (h1) titles.push({...info(h1), ID: location.pathname.slice("/articles/".length)});
	return {Titles: titles, Langs: [...document.querySelectorAll("main [lang]")].map(info)};
})()`

// checkScripts checks that every article title on the page shows the
// stored title with its language, and the direction of that language
// (Arabic: dir="rtl", or dir="auto" or a <bdi> that resolve to rtl), and
// that every element with a known language renders in its direction.
// It returns the titles.
func (f *fixture) checkScripts(t *testing.T) []shownText {
	t.Helper()
	var got struct{ Titles, Langs []shownText }
	f.tab.eval(scriptsJS, &got)
	page := f.tab.path()
	for _, s := range got.Titles {
		a, ok := f.arc.byID[s.ID]
		switch {
		case !ok:
			t.Errorf("%s links article %s, which the daemon did not store", page, s.ID)
			continue
		case s.Text != a.Title:
			t.Errorf("%s shows the title of %s as %q, want %q", page, s.ID, s.Text, a.Title)
		}
		want := lang.Dir(a.Lang)
		marked := s.Dir == want || (s.Dir == "auto" || s.InBdi) && s.Direction == want
		if s.Lang != a.Lang || !marked || s.Direction != want {
			t.Errorf("%s: the %s title %q is a <%s> with lang=%q and dir=%q in force (in a bdi: %v) and renders %s, want lang %q and %s",
				page, a.Lang, a.Title, s.Tag, s.Lang, s.Dir, s.InBdi, s.Direction, a.Lang, want)
		}
	}
	for _, s := range got.Langs {
		auto := s.OwnDir == "auto" || s.Tag == "bdi" && s.OwnDir == ""
		if lang.Normalize(s.Lang) != "" && !auto && s.Direction != lang.Dir(s.Lang) {
			t.Errorf("%s: <%s lang=%q dir=%q> %.40q renders %s, want %s", page, s.Tag, s.Lang, s.Dir, s.Text, s.Direction, lang.Dir(s.Lang))
		}
	}
	return got.Titles
}

// wireCreditJS returns where Chromium draws the characters of the
// Latin "(TTXVN/Vietnam+)" that opens an Arabic paragraph: the left edge
// of each of "(", "T", "m", "+" and ")", or null without the credit.
const wireCreditJS = `(() => {
	const credit = "(TTXVN/Vietnam+)";
	const walk = document.createTreeWalker(document.querySelector("main article"), NodeFilter.SHOW_TEXT);
	for (let n = walk.nextNode(); n; n = walk.nextNode()) {
		const at = n.data.indexOf(credit);
		if (at < 0) continue;
		const left = i => { const r = document.createRange(); r.setStart(n, at + i); r.setEnd(n, at + i + 1); return r.getBoundingClientRect().left; };
		return [0, 1, credit.length - 3, credit.length - 2, credit.length - 1].map(left);
	}
	return null;
})()`

// checkWireCredit checks that the Latin wire credit opening an Arabic
// paragraph reads as written, left to right: by the bidi algorithm alone
// an RTL paragraph draws it "(+TTXVN/Vietnam)".
func (f *fixture) checkWireCredit(t *testing.T) {
	t.Helper()
	var x []float64
	f.tab.eval(wireCreditJS, &x)
	if len(x) != 5 {
		t.Fatalf("%s does not show the wire credit (TTXVN/Vietnam+) as one text: %v", f.tab.path(), x)
	}
	for i := 1; i < len(x); i++ {
		if x[i] > x[i-1] {
			continue
		}
		t.Errorf("%s draws (TTXVN/Vietnam+) with its characters '(', 'T', 'm', '+', ')' at x %v: want them left to right", f.tab.path(), x)
		break
	}
}

// checkFonts checks that Chromium draws the text of the first element
// sel with a font whose family names the script (such as "Arabic" or
// "CJK"): with no font for a script it draws empty boxes.
func (f *fixture) checkFonts(t *testing.T, sel, script string) {
	t.Helper()
	var families []string
	f.tab.do("read the fonts of "+sel, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		ids, err := chromedp.QueryNodeIDs(chromedp.CSS(sel))(ctx, tg)
		if err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, tg, css.Enable, cdp.Empty{}); err != nil {
			return err
		}
		fonts, err := cdp.Call(ctx, tg, css.GetPlatformFontsForNode, css.GetPlatformFontsForNodeParams{NodeID: ids[0]})
		for _, pf := range fonts.Fonts {
			if pf.GlyphCount > 0 {
				families = append(families, pf.FamilyName)
			}
		}
		return err
	}))
	if !slices.ContainsFunc(families, func(fam string) bool { return strings.Contains(fam, script) }) {
		t.Errorf("%s on %s is drawn with %v, want a font for %s (fonts-noto-core, fonts-noto-cjk)", sel, f.tab.path(), families, script)
	}
	t.Logf("%s on %s: drawn with %v", sel, f.tab.path(), families)
}

// screenshot saves a PNG of the whole page at path.
func (f *fixture) screenshot(t *testing.T, path string) {
	t.Helper()
	ctx, cancel := f.tab.guarded()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot of %s: %v", f.tab.path(), err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of %s: %s (%d bytes)", f.tab.path(), path, len(png))
}
