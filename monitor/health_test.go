package monitor_test

import (
	"fmt"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/alerts"
	"github.com/newswatch/newswatch/fetcher"
	"github.com/newswatch/newswatch/internal/newstest"
	"github.com/newswatch/newswatch/monitor"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/parser"
	"github.com/newswatch/newswatch/store"
)

// healthRouter plans source-health alerts for one subscriber, "ops".
func healthRouter(t *testing.T) *alerts.Router {
	t.Helper()
	r, err := alerts.NewRouter([]alerts.Subscriber{{Name: "ops", SourceHealth: true,
		Webhook: &alerts.WebhookTarget{URL: "https://hooks.example.org/ops", Secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// dailyFeed renders a feed with one item a day from epoch up to now, or
// up to stop when stop is before that.
func dailyFeed(epoch, stop time.Time) func(string) string {
	return func(u string) string {
		end := time.Now()
		if stop.Before(end) {
			end = stop
		}
		var items []newstest.FeedItem
		for d := epoch; !d.After(end); d = d.Add(24 * time.Hour) {
			items = append([]newstest.FeedItem{{Title: "Bản tin ngày " + d.Format("02/01"),
				Link: fmt.Sprintf("%s/ban-tin-%d.vnp", u, d.Unix()), Description: "Tin tức trong ngày.", Published: d}}, items...)
		}
		return string(newstest.RSS(newstest.Channel{Title: "Bản tin", Link: u, Lang: "vi"}, items))
	}
}

// healthChanges lists the health changes in the outbox: feed URL -> the
// states it moved to, in order.
func healthChanges(t *testing.T, st *store.Store) map[string][]news.SourceHealth {
	t.Helper()
	list, err := st.ListAlerts("")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]news.SourceHealth{}
	for _, a := range list {
		if a.Kind != news.AlertSourceHealth || a.Health == nil {
			t.Errorf("alert %s is not a source-health alert: %+v", a.ID, a)
			continue
		}
		out[a.Health.FeedURL] = append(out[a.Health.FeedURL], a.Health.To)
	}
	return out
}

// TestHealthAlertsOncePerChange runs the daemon's loop for two weeks of
// bubble time: a feed that fails for two days is failing after one and ok
// again when it recovers; a daily feed that stops publishing turns quiet
// after four silent days and ok with its next item. Each change is one
// alert in the outbox, saved with the feed's state; polls in between
// (hundreds of them) add none.
func TestHealthAlertsOncePerChange(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		f := newMemFetcher()
		epoch := time.Now()
		broken := schedFeed("https://broken.example/rss", time.Hour)
		daily := schedFeed("https://daily.example/rss", time.Hour)
		publishUntil := func(stop time.Time) {
			f.setFeed(func(u string) string {
				if u == daily.URL {
					return dailyFeed(epoch, stop)(u)
				}
				return memFeed
			})
		}
		publishUntil(epoch.Add(5 * 24 * time.Hour))
		st := openStore(t)
		rec := &logRecorder{}
		stopRun := startRun(t, loggedMonitor(t, []news.Feed{broken, daily}, f, st, rec, healthRouter(t)))
		day := func(n float64) { time.Sleep(time.Duration(n * float64(24*time.Hour))) }

		day(1) // both ok
		f.set(func(u string) error {
			if u == broken.URL {
				return &fetcher.StatusError{URL: u, Code: http.StatusInternalServerError}
			}
			return nil
		})
		day(0.5)
		if fs, _ := st.Feed(broken.URL); fs.Health != news.HealthOK || fs.Errors == 0 {
			t.Errorf("broken feed after 12 h of errors: health %q, %d errors; want still ok, errors counted", fs.Health, fs.Errors)
		}
		day(1.5) // failing since about day 2
		if fs, _ := st.Feed(broken.URL); fs.Health != news.HealthFailing {
			t.Errorf("broken feed after 2 days of errors: health %q, want failing", fs.Health)
		}
		f.set(nil)
		day(7) // the daily feed is silent since day 5: quiet after day 9
		if fs, _ := st.Feed(daily.URL); fs.Health != news.HealthQuiet {
			t.Errorf("daily feed silent for 5 days: health %q, want quiet", fs.Health)
		}
		publishUntil(epoch.Add(30 * 24 * time.Hour)) // it publishes again
		day(1.5)
		stopRun()

		want := map[string][]news.SourceHealth{
			broken.URL: {news.HealthFailing, news.HealthOK},
			daily.URL:  {news.HealthQuiet, news.HealthOK},
		}
		if diff := cmp.Diff(want, healthChanges(t, st)); diff != "" {
			t.Errorf("health alerts differ (-want +got):\n%s", diff)
		}
		for _, fd := range []news.Feed{broken, daily} {
			if fs, _ := st.Feed(fd.URL); fs.Health != news.HealthOK {
				t.Errorf("feed %s at the end: health %q, want ok", fd.URL, fs.Health)
			}
		}
		if n := len(rec.records("feed health changed")); n != 4 {
			t.Errorf("logged %d health changes, want 4", n)
		}
	})
}

func TestClassify(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC) // a Monday
	days := func(n int, every time.Duration, last time.Time) []time.Time {
		var ts []time.Time
		for i := range n {
			ts = append(ts, last.Add(-time.Duration(i)*every))
		}
		return ts
	}
	weekdays := func(last time.Time) []time.Time { // 12 items a day, Monday to Friday, two weeks
		var ts []time.Time
		for d := 0; len(ts) < store.MaxRecentItems; d++ {
			day := last.AddDate(0, 0, -d)
			if day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
				continue
			}
			for h := range 12 {
				ts = append(ts, day.Add(-time.Duration(h)*time.Hour))
			}
		}
		return ts
	}
	fallbacks := func(fb ...bool) []bool { return fb }
	tests := []struct {
		name string
		st   store.FeedState
		want news.SourceHealth
	}{
		{"new feed", store.FeedState{}, news.HealthOK},
		{"failing for 23 h", store.FeedState{Errors: 5, ErrorsSince: now.Add(-23 * time.Hour)}, news.HealthOK},
		{"failing for a day", store.FeedState{Errors: 7, ErrorsSince: now.Add(-24 * time.Hour)}, news.HealthFailing},
		{"errors since unknown", store.FeedState{Errors: 7}, news.HealthOK},
		{"one error long after the last success", store.FeedState{Errors: 1, ErrorsSince: now.Add(-10 * time.Minute), LastSuccess: now.Add(-72 * time.Hour)}, news.HealthOK},
		{"rule fell back on 6 of 10", store.FeedState{RuleFallbacks: fallbacks(true, false, true, true, false, true, false, true, false, true)}, news.HealthRuleBroken},
		{"rule fell back on 5 of 10", store.FeedState{RuleFallbacks: fallbacks(true, false, true, true, false, true, false, false, false, true)}, news.HealthOK},
		{"rule fell back on 2 of 2", store.FeedState{RuleFallbacks: fallbacks(true, true)}, news.HealthOK},
		{"rule fell back on the 3 only", store.FeedState{RuleFallbacks: fallbacks(true, true, true)}, news.HealthRuleBroken},
		{"old fallbacks out of the window", store.FeedState{RuleFallbacks: append(fallbacks(true, true, true, true, true, true), make([]bool, 10)...)}, news.HealthOK},
		{"daily feed silent 2 days", store.FeedState{RecentItems: days(20, 24*time.Hour, now.Add(-48*time.Hour))}, news.HealthOK},
		{"daily feed silent 4 days", store.FeedState{RecentItems: days(20, 24*time.Hour, now.Add(-97*time.Hour))}, news.HealthQuiet},
		{"hourly feed silent 30 h", store.FeedState{RecentItems: days(50, time.Hour, now.Add(-30*time.Hour))}, news.HealthOK},
		{"hourly feed silent 4 days", store.FeedState{RecentItems: days(50, time.Hour, now.Add(-4*24*time.Hour))}, news.HealthQuiet},
		{"weekday newsroom on Monday morning", store.FeedState{RecentItems: weekdays(now.Add(-63 * time.Hour))}, news.HealthOK},
		{"monthly feed silent 60 days", store.FeedState{RecentItems: days(12, 30*24*time.Hour, now.Add(-60*24*time.Hour))}, news.HealthOK},
		{"monthly feed silent 130 days", store.FeedState{RecentItems: days(12, 30*24*time.Hour, now.Add(-130*24*time.Hour))}, news.HealthQuiet},
		{"irregular feed within its longest gap", store.FeedState{RecentItems: append(days(10, time.Hour, now.Add(-20*24*time.Hour)), now.Add(-40*24*time.Hour))}, news.HealthOK},
		{"four dated items are too few to judge", store.FeedState{RecentItems: days(4, 24*time.Hour, now.Add(-300*24*time.Hour))}, news.HealthOK},
		{"items dated in the future", store.FeedState{RecentItems: days(10, 24*time.Hour, now.Add(24*time.Hour))}, news.HealthOK},
		{"failing beats rule_broken and quiet", store.FeedState{Errors: 9, ErrorsSince: now.Add(-30 * time.Hour),
			RuleFallbacks: fallbacks(true, true, true), RecentItems: days(20, 24*time.Hour, now.Add(-10*24*time.Hour))}, news.HealthFailing},
		{"rule_broken beats quiet", store.FeedState{RuleFallbacks: fallbacks(true, true, true),
			RecentItems: days(20, 24*time.Hour, now.Add(-10*24*time.Hour))}, news.HealthRuleBroken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, reason := monitor.Classify(tt.st, now)
			if got != tt.want {
				t.Errorf("classify(%s) = %s (%s), want %s", tt.name, got, reason, tt.want)
			}
			if got != news.HealthOK && reason == "" {
				t.Errorf("classify(%s) = %s without a reason", tt.name, got)
			}
		})
	}
}

// TestRuleBrokenAlert polls a site whose pages no longer match the site
// rule (the site changed its layout): rule_broken after the first poll,
// ok again once most recent articles are extracted by a rule again.
func TestRuleBrokenAlert(t *testing.T) {
	t.Parallel()
	pages := newstest.Corpus()[:9]
	site, err := newstest.NewSite(nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(site.Close)
	for _, p := range pages {
		site.Set(p.Path(), newstest.Route{Body: p.HTML()})
	}
	publish := func(ps []newstest.CorpusPage) {
		var items []newstest.FeedItem
		for i, p := range ps {
			it := p.Item()
			it.Published = time.Now().Add(-time.Duration(i) * time.Hour) // publishing as usual
			items = append(items, it)
		}
		site.Set("/rss/home.rss", newstest.Route{Body: newstest.RSS(newstest.Channel{Title: "VNP", Link: newstest.BasePlaceholder + "/"}, items)})
	}
	feed := news.Feed{URL: site.URL() + "/rss/home.rss", Name: "VNP", Interval: 10 * time.Minute, Scrape: true}
	st := openStore(t)
	wire := func(ex *parser.Extractor) *monitor.Monitor {
		return monitor.New([]news.Feed{feed}, monitor.Deps{Fetcher: fetcher.New(testFetchOptions()), Store: st,
			Extractor: ex, Matcher: builtinTopics(t), Planner: healthRouter(t)}, monitor.Options{Jitter: -1})
	}
	moved, err := parser.NewExtractor([]parser.Rule{{Name: "moved", Hosts: []string{"127.0.0.1"}, Body: "div.article-body-before-the-redesign"}})
	if err != nil {
		t.Fatal(err)
	}

	publish(pages[:4])
	pollAll(t, t.Context(), wire(moved))
	fs, err := st.Feed(feed.URL)
	if err != nil || fs.Health != news.HealthRuleBroken || fs.ExtractFallbacks != 4 {
		t.Fatalf("after 4 articles the rule missed: health %q, %d fallbacks (%v); want rule_broken, 4", fs.Health, fs.ExtractFallbacks, err)
	}
	publish(pages)
	pollAll(t, t.Context(), wire(extractor(t))) // the rule fixed
	want := map[string][]news.SourceHealth{feed.URL: {news.HealthRuleBroken, news.HealthOK}}
	if diff := cmp.Diff(want, healthChanges(t, st)); diff != "" {
		t.Errorf("health alerts differ (-want +got):\n%s", diff)
	}
	if fs, _ := st.Feed(feed.URL); fs.ExtractFallbacks != 4 || len(fs.RuleFallbacks) != 9 {
		t.Errorf("after the fix: %d fallbacks in all, a window of %d outcomes; want 4 and 9", fs.ExtractFallbacks, len(fs.RuleFallbacks))
	}
}

// BenchmarkClassify is the health classification every poll adds: a feed
// with the most remembered publish times and a full rule window.
func BenchmarkClassify(b *testing.B) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	st := store.FeedState{Errors: 2, ErrorsSince: now.Add(-time.Hour), RuleFallbacks: make([]bool, store.MaxRuleResults)}
	for i := range store.MaxRecentItems {
		st.RecentItems = append(st.RecentItems, now.Add(-time.Duration(i*i)*time.Minute))
	}
	for b.Loop() {
		monitor.Classify(st, now)
	}
}
