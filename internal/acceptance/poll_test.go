package acceptance

import (
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newswatch/newswatch/internal/newstest"
)

// stableConfig writes a config with only the keys the acceptance checks
// may rely on: store, fetch.allow_private_networks and feeds[].url, name,
// interval and scrape.
func stableConfig(t *testing.T, dir string, allowPrivate bool, urls []string, names []string) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "store: %s\n", filepath.Join(dir, "news.db"))
	if allowPrivate {
		b.WriteString("fetch:\n  allow_private_networks: true\n")
	}
	b.WriteString("feeds:\n")
	for i, u := range urls {
		fmt.Fprintf(&b, "  - url: %s\n    name: %q\n    interval: 10m\n    scrape: true\n", u, names[i])
	}
	return writeFile(t, dir, "newswatch.yaml", b.String())
}

// siteConfig serves stories on a news site and writes a stableConfig, in
// a new directory, that polls all its feeds.
func siteConfig(t *testing.T, stories []story) (*newstest.Site, []siteFeed, string) {
	t.Helper()
	site, feeds := newsSite(t, stories)
	var urls, names []string
	for _, f := range feeds {
		urls, names = append(urls, site.URL()+f.path), append(names, f.name)
	}
	return site, feeds, stableConfig(t, t.TempDir(), true, urls, names)
}

// TestPollExportUnseenSite is the first check of issue 2: poll, then export
// --all, against a VietnamPlus-like site in seven languages; every article
// exported with its body and topics; a second poll costs only 304s.
func TestPollExportUnseenSite(t *testing.T) {
	slow(t)
	stories := allStories()
	site, feeds, cfg := siteConfig(t, stories)

	first := measured(t, 2*time.Minute, "poll", "--config", cfg)
	if first.code != 0 {
		t.Fatalf("poll exit %d\n%s", first.code, tail(first.stderr, 4000))
	}
	exp := newswatch(t, time.Minute, "export", "--all", "--config", cfg)
	if exp.code != 0 {
		t.Fatalf("export --all exit %d\n%s", exp.code, tail(exp.stderr, 4000))
	}
	recs := parseExport(t, exp.stdout)
	checkArticles(t, site.URL(), stories, recs)
	t.Logf("first poll: %v wall, peak RSS %d KB; %d articles served, %d exported", first.wall.Round(time.Millisecond), first.maxRSSKB, len(stories), len(recs))

	site.ResetCounts()
	second := newswatch(t, 2*time.Minute, "poll", "--config", cfg)
	if second.code != 0 {
		t.Fatalf("second poll exit %d\n%s", second.code, tail(second.stderr, 4000))
	}
	checkSecondPoll(t, site, feeds)
}

// checkArticles compares the export with what the site served.
func checkArticles(t *testing.T, base string, stories []story, recs []record) {
	t.Helper()
	byURL := map[string][]record{}
	for _, r := range recs {
		u, err := url.Parse(r.URL)
		if err != nil {
			t.Errorf("export url %q: %v", r.URL, err)
			continue
		}
		byURL[u.Path] = append(byURL[u.Path], r)
		if u.RawQuery != "" {
			t.Errorf("export url %q keeps its tracking parameters", r.URL)
		}
	}
	topics := map[string]*confusion{"trafficking": {}, "un": {}}
	var sumBody, sumLead, minBody float64 = 0, 0, 1
	for _, s := range stories {
		got := byURL[s.Path()]
		if len(got) != 1 {
			t.Errorf("article %s (%s) exported %d times, want once", s.Path(), s.Lang, len(got))
			continue
		}
		r := got[0]
		body := strings.Join(s.Body, "\n")
		f1, lead := tokenF1(r.Text, body), tokenF1(r.Text, s.Sapo+"\n"+body)
		sumBody, sumLead, minBody = sumBody+f1, sumLead+lead, min(minBody, f1)
		if f1 < 0.9 {
			t.Logf("article %d (%s): F1 against the body paragraphs alone %.3f (with the lead %.3f)", s.ID, s.Lang, f1, lead)
		}
		if max(f1, lead) < 0.9 {
			t.Errorf("article %d (%s, alt=%v): body F1 %.3f (with lead %.3f), want ≥ 0.9\n got: %.600q\nwant: %.600q", s.ID, s.Lang, s.alt, f1, lead, r.Text, body)
		}
		if r.Title != s.Title {
			t.Errorf("article %d: title %q, want %q", s.ID, r.Title, s.Title)
		}
		if r.Lang != s.Lang {
			t.Errorf("article %d: lang %q, want %q", s.ID, r.Lang, s.Lang)
		}
		if r.Published == nil || !samePublished(*r.Published, s.Published) {
			t.Errorf("article %d: published %v, want %v", s.ID, deref(r.Published), s.Published.Format(time.RFC3339))
		}
		for name, c := range topics {
			want, have := slices.Contains(s.topics, name), slices.Contains(r.Topics, name)
			switch {
			case want && have:
				c.tp++
			case have:
				c.fp++
				t.Logf("false %s: article %d (%s) %q", name, s.ID, s.Lang, s.Title)
			case want:
				c.fn++
				t.Logf("missed %s: article %d (%s) %q", name, s.ID, s.Lang, s.Title)
			}
		}
	}
	n := float64(len(stories))
	t.Logf("body F1: mean %.3f (against body and lead: %.3f), min %.3f", sumBody/n, sumLead/n, minBody)
	for name, c := range topics {
		t.Logf("topic %s: F1 %.3f (tp %d, fp %d, fn %d)", name, c.f1(), c.tp, c.fp, c.fn)
		if c.f1() < 0.8 {
			t.Errorf("topic %s: F1 %.3f, want ≥ 0.8", name, c.f1())
		}
	}
	if len(recs) != len(stories) {
		t.Errorf("export has %d records, want %d (one per served article)", len(recs), len(stories))
	}
}

func samePublished(got string, want time.Time) bool {
	g, err := time.Parse(time.RFC3339, got)
	return err == nil && g.Equal(want)
}

func deref(p *string) string {
	if p == nil {
		return "null"
	}
	return *p
}

// checkSecondPoll asserts that the second poll sent only conditional
// requests for the feeds, all answered 304, and fetched no page again.
func checkSecondPoll(t *testing.T, site *newstest.Site, feeds []siteFeed) {
	t.Helper()
	isFeed := map[string]bool{}
	for _, f := range feeds {
		isFeed[f.path] = true
		c := site.Counts(f.path)
		if c.Requests != 1 || c.Conditional != 1 || c.NotModified != 1 {
			t.Errorf("second poll, feed %s: %+v, want one conditional request answered 304", f.path, c)
		}
	}
	for p, c := range site.AllCounts() {
		if !isFeed[p] && c.Requests > 0 {
			t.Errorf("second poll requested %s %d times, want 0", p, c.Requests)
		}
	}
}
