package main

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/search"
)

// TestSearchCommand: after a poll, search finds what a scan of the
// exported archive with the matcher finds, newest first, in both
// formats, before and after store reindex.
func TestSearchCommand(t *testing.T) {
	t.Parallel()
	cfg, _ := demoSiteConfig(t)
	if _, stderr, err := exec(t, "poll", "--config", cfg); err != nil {
		t.Fatalf("poll = %v; stderr:\n%s", err, stderr)
	}
	all := exportRecords(t, "export", "--config", cfg, "--all")
	for _, query := range []string{`"human trafficking" OR "mua bán người" OR 拐卖 OR "الاتجار بالبشر"`, `("Liên hợp quốc" OR trafficking) AND lang:vi`, `police OR полиция OR 警方`} {
		q, err := search.Compile(query)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for i := len(all) - 1; i >= 0; i-- { // the export is oldest first
			r := all[i]
			a := &news.Article{Title: r["title"].(string), Text: r["text"].(string), URL: r["url"].(string), Source: r["source"].(string), Lang: r["lang"].(string)}
			if len(q.Match(a)) > 0 {
				want = append(want, a.URL)
			}
		}
		if len(want) == 0 {
			t.Fatalf("no article of the demo site matches %q: the test says nothing", query)
		}
		got := exportRecords(t, "search", "--config", cfg, "--format", "jsonl", "--limit", "0", query)
		var urls []string
		for _, r := range got {
			urls = append(urls, r["url"].(string))
			if r["snippet"] == "" || r["term"] == nil {
				t.Errorf("search %q: result %v lacks its snippet or term", query, r["url"])
			}
		}
		if !slices.Equal(urls, want) {
			t.Errorf("search %q = %q, a scan finds %q", query, urls, want)
		}
	}

	out, stderr, err := exec(t, "search", "--config", cfg, "--limit", "1", "--since", time.Now().AddDate(-5, 0, 0).Format(time.DateOnly), `"mua bán người"`)
	if err != nil || strings.Count(out, "://") != 1 || !strings.Contains(out, "mua bán người") || !strings.Contains(stderr, "found 1 article\n") {
		t.Errorf("search --limit 1 = %v:\n%s\nstderr: %s", err, out, stderr)
	}
	if _, stderr, err := exec(t, "store", "reindex", "--config", cfg); err != nil || !strings.Contains(stderr, "search index ready") {
		t.Errorf("store reindex = %v; stderr:\n%s", err, stderr)
	}
	if out2, _, err := exec(t, "search", "--config", cfg, "--limit", "1", "--since", time.Now().AddDate(-5, 0, 0).Format(time.DateOnly), `"mua bán người"`); err != nil || out2 != out {
		t.Errorf("search after reindex = %v:\n%s\nwant\n%s", err, out2, out)
	}

	for _, args := range [][]string{
		{"search", "--config", cfg, `"unclosed`},
		{"search", "--config", cfg, "--format", "csv", "un"},
		{"search", "--config", cfg, "--limit", "-1", "un"},
		{"search", "--config", cfg, "--lang", "??", "un"},
		{"search", "--config", cfg},
	} {
		_, _, err := exec(t, args...)
		var ue usageError
		if !errors.As(err, &ue) {
			t.Errorf("%q = %v, want a usage error", args, err)
		}
	}
}
