package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestStoriesCommands polls the demo site and lists its stories: every
// stored article is in exactly one story, export names it, and stories
// show lists each story's articles with how they joined.
func TestStoriesCommands(t *testing.T) {
	t.Parallel()
	cfg, _ := demoSiteConfig(t)
	if _, stderr, err := exec(t, "poll", "--config", cfg); err != nil {
		t.Fatalf("poll = %v\n%s", err, stderr)
	}
	records := exportRecords(t, "export", "--config", cfg, "--all")
	storyOf := map[string]string{}
	for _, r := range records {
		s, _ := r["story"].(string)
		if !strings.HasPrefix(s, "sty_") {
			t.Errorf("export record %v: story %q, want a story id", r["url"], r["story"])
		}
		storyOf[r["id"].(string)] = s
	}

	out, stderr, err := exec(t, "stories", "--format", "jsonl", "--config", cfg)
	if err != nil {
		t.Fatalf("stories = %v\n%s", err, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	total := 0
	for _, l := range lines {
		var s struct {
			ID       string   `json:"id"`
			Articles int      `json:"articles"`
			Langs    []string `json:"languages"`
		}
		if err := json.Unmarshal([]byte(l), &s); err != nil {
			t.Fatalf("stories --format jsonl: %q: %v", l, err)
		}
		total += s.Articles
		show, stderr, err := exec(t, "stories", "show", s.ID, "--format", "json", "--config", cfg)
		if err != nil {
			t.Fatalf("stories show %s = %v\n%s", s.ID, err, stderr)
		}
		var d struct {
			Articles []struct {
				ArticleID string `json:"article_id"`
				With      string `json:"with"`
			} `json:"articles"`
		}
		if err := json.Unmarshal([]byte(show), &d); err != nil || len(d.Articles) != s.Articles {
			t.Errorf("stories show %s: %d articles (%v), want %d", s.ID, len(d.Articles), err, s.Articles)
		}
		for i, a := range d.Articles {
			if storyOf[a.ArticleID] != s.ID {
				t.Errorf("stories show %s lists %s, whose export says story %q", s.ID, a.ArticleID, storyOf[a.ArticleID])
			}
			if i > 0 && a.With == "" && "sty_"+a.ArticleID != s.ID {
				t.Errorf("stories show %s: %s joined through no article", s.ID, a.ArticleID)
			}
		}
	}
	if total != len(records) {
		t.Errorf("stories count %d articles, export has %d", total, len(records))
	}
	text, _, err := exec(t, "stories", "--config", cfg)
	if err != nil || !strings.HasPrefix(text, "ID ") || strings.Count(text, "\n") != len(lines)+1 {
		t.Errorf("stories (text) = %v:\n%s\nwant a header and %d rows", err, text, len(lines))
	}

	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"stories", "--format", "xml"}, exitUsage, `--format "xml"`},
		{[]string{"stories", "--since", "yesterday"}, exitUsage, `--since "yesterday"`},
		{[]string{"stories", "show"}, exitUsage, "accepts 1 arg"},
		{[]string{"stories", "show", "sty_none"}, exitFailure, "sty_none"},
	} {
		_, stderr, err := exec(t, append(tt.args, "--config", cfg)...)
		if got := exitCode(err); got != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("newswatch %s: exit %d, stderr %q; want exit %d naming %q", strings.Join(tt.args, " "), got, stderr, tt.code, tt.want)
		}
	}
}
