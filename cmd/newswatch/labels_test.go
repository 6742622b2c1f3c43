package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mmcdole/gofeed"

	"github.com/newswatch/newswatch/export"
	"github.com/newswatch/newswatch/store"
)

// TestExportCSVAndAtom: after a poll, `export --format csv --bom` is a
// CSV with the byte-order mark and one row per matched article, and
// `export --format atom` a feed of the same articles.
func TestExportCSVAndAtom(t *testing.T) {
	t.Parallel()
	cfg, _ := demoSiteConfig(t)
	if _, stderr, err := exec(t, "poll", "--config", cfg); err != nil {
		t.Fatalf("poll = %v\n%s", err, stderr)
	}
	var wantURLs []string
	for _, r := range exportRecords(t, "export", "--config", cfg) {
		wantURLs = append(wantURLs, r["url"].(string))
	}
	if len(wantURLs) == 0 {
		t.Fatal("the demo site gave no matched article")
	}

	out, stderr, err := exec(t, "export", "--format", "csv", "--bom", "--config", cfg)
	if err != nil {
		t.Fatalf("export --format csv --bom = %v\n%s", err, stderr)
	}
	if !strings.HasPrefix(out, "\uFEFF"+strings.Join(export.CSVHeader, ",")+"\r\n") {
		t.Errorf("export --format csv --bom starts %q, want the byte-order mark and the header", out[:min(len(out), 20)])
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatalf("export --format csv: %v", err)
	}
	var gotURLs []string
	for _, row := range rows[1:] {
		gotURLs = append(gotURLs, row[1])
	}
	if diff := cmp.Diff(wantURLs, gotURLs); diff != "" {
		t.Errorf("CSV rows (-jsonl +csv):\n%s", diff)
	}
	if want := "exported " + strconv.Itoa(len(wantURLs)) + " articles\n"; stderr != want {
		t.Errorf("export --format csv: stderr %q, want %q", stderr, want)
	}
	if plain, _, _ := exec(t, "export", "--format", "csv", "--config", cfg); strings.HasPrefix(plain, "\uFEFF") || plain != strings.TrimPrefix(out, "\uFEFF") {
		t.Errorf("export --format csv without --bom differs from the BOM export other than by the mark")
	}

	file := filepath.Join(t.TempDir(), "un.atom")
	if _, stderr, err := exec(t, "export", "--format", "atom", "--topic", "un", "-o", file, "--config", cfg); err != nil {
		t.Fatalf("export --format atom = %v\n%s", err, stderr)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	f, err := gofeed.NewParser().ParseString(string(data))
	if err != nil {
		t.Fatalf("export --format atom does not parse: %v", err)
	}
	un := exportRecords(t, "export", "--topic", "un", "--config", cfg)
	if len(f.Items) != len(un) || len(un) == 0 {
		t.Errorf("atom export of un: %d entries, want %d", len(f.Items), len(un))
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"export", "--bom"}, "csv format only"},
		{[]string{"export", "--format", "atom", "--bom"}, "csv format only"},
		{[]string{"export", "--format", "xlsx"}, "want jsonl, csv, atom"},
		{[]string{"labels", "export", "--topic", "sport"}, "trafficking"},
		{[]string{"labels", "export", "extra"}, "unknown command"},
		{[]string{"labels", "exprot"}, "unknown command"},
	} {
		if _, stderr, err := exec(t, append(tt.args, "--config", cfg)...); exitCode(err) != exitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("newswatch %s: exit %d, stderr %q; want exit 2 naming %q", strings.Join(tt.args, " "), exitCode(err), stderr, tt.want)
		}
	}
}

// TestLabelsExport: `labels export` writes the judged articles with the
// majority's verdicts, the same with and without a daemon.
func TestLabelsExport(t *testing.T) {
	t.Parallel()
	cfg := webConfig(t, "127.0.0.1:0")
	if _, stderr, err := exec(t, "poll", "--config", cfg); err != nil {
		t.Fatalf("poll = %v\n%s", err, stderr)
	}
	recs := exportRecords(t, "export", "--config", cfg)
	var unID, otherID string
	for _, r := range recs {
		ts := r["topics"].([]any)
		switch {
		case unID == "" && len(ts) > 0 && ts[len(ts)-1] == "un":
			unID = r["id"].(string)
		case otherID == "" && ts[0] == "trafficking":
			otherID = r["id"].(string)
		}
	}
	if unID == "" || otherID == "" {
		t.Fatalf("the demo site gave no un or trafficking article: %v", recs)
	}
	c, err := loadConfigFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(c.Store, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []store.Label{
		{ArticleID: unID, Topic: "un", User: "ann", Label: store.LabelRelevant},
		{ArticleID: unID, Topic: "un", User: "bob", Label: store.LabelRelevant},
		{ArticleID: unID, Topic: "un", User: "cem", Label: store.LabelNotRelevant},
		{ArticleID: otherID, Topic: "trafficking", User: "ann", Label: store.LabelNotRelevant},
	} {
		if err := st.SetLabel(l); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.CreateUser(store.User{Name: "ann", Role: "viewer", FeedKey: "fk_ann"}); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	out, stderr, err := exec(t, "labels", "export", "--config", cfg)
	if err != nil {
		t.Fatalf("labels export = %v\n%s", err, stderr)
	}
	got := map[string]string{}
	for line := range strings.Lines(out) {
		var r struct {
			ID, Lang, URL, Title, Text string
			Labels, Judged             []string
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil || r.URL == "" || r.Title == "" || r.Text == "" || r.Lang == "" {
			t.Errorf("labels export line %q: %v; want id, lang, url, title and text", line, err)
		}
		got[r.ID] = strings.Join(r.Labels, ",") + "|" + strings.Join(r.Judged, ",")
	}
	if diff := cmp.Diff(map[string]string{unID: "un|un", otherID: "|trafficking"}, got); diff != "" {
		t.Errorf("labels export: id -> labels|judged (-want +got):\n%s", diff)
	}
	if !strings.HasSuffix(stderr, "exported 2 judged articles\n") {
		t.Errorf("labels export: stderr %q", stderr)
	}
	onlyUn, _, err := exec(t, "labels", "export", "--topic", "un", "--config", cfg)
	if err != nil || strings.Count(onlyUn, "\n") != 1 || !strings.Contains(onlyUn, unID) {
		t.Errorf("labels export --topic un = %v:\n%s", err, onlyUn)
	}

	// The same through a running daemon, to a file.
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	log := &addrLog{addr: make(chan string, 1)}
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"run", "--config", cfg}, strings.NewReader(""), io.Discard, log) }()
	var addr string
	select {
	case addr = <-log.addr:
	case err := <-done:
		t.Fatalf("run ended before it served: %v\n%s", err, log)
	}
	checkTopicFeeds(t, cfg, "http://"+addr, len(onlyUnRecords(recs)))
	file := filepath.Join(t.TempDir(), "labels.jsonl")
	if _, stderr, err := exec(t, "labels", "export", "-o", file, "--config", cfg); err != nil || !strings.HasSuffix(stderr, "exported 2 judged articles to "+file+"\n") {
		t.Errorf("labels export -o with a daemon = %v, stderr %q", err, stderr)
	}
	if data, _ := os.ReadFile(file); string(data) != out {
		t.Errorf("labels export through the daemon differs:\n%s\nwithout a daemon:\n%s", data, out)
	}
	csvDaemon, _, err := exec(t, "export", "--format", "csv", "--bom", "--config", cfg)
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run = %v\n%s", err, log)
	}
	csvAlone, _, err2 := exec(t, "export", "--format", "csv", "--bom", "--config", cfg)
	if err != nil || err2 != nil || !bytes.Equal([]byte(csvDaemon), []byte(csvAlone)) || !strings.HasPrefix(csvAlone, "\uFEFF") {
		t.Errorf("export --format csv --bom with a daemon (%v) and without (%v) differ", err, err2)
	}
}

// onlyUnRecords keeps the exported records that matched un.
func onlyUnRecords(recs []map[string]any) []map[string]any {
	var out []map[string]any
	for _, r := range recs {
		for _, t := range r["topics"].([]any) {
			if t == "un" {
				out = append(out, r)
			}
		}
	}
	return out
}

// checkTopicFeeds reads topic feeds from a running daemon's web server as
// a feed reader would: with ann's key and nothing else, for a topic of
// the config and for a topic saved while it runs.
func checkTopicFeeds(t *testing.T, cfg, base string, unMatches int) {
	t.Helper()
	read := func(path string) (int, *gofeed.Feed) {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return resp.StatusCode, nil
		}
		f, err := gofeed.NewParser().Parse(resp.Body)
		if err != nil {
			t.Fatalf("GET %s: not a feed: %v", path, err)
		}
		return resp.StatusCode, f
	}
	if code, f := read("/topics/un/feed.atom?key=fk_ann"); f == nil || len(f.Items) != unMatches {
		t.Errorf("GET un's feed with ann's key = %d, %v; want %d entries", code, f, unMatches)
	}
	if code, _ := read("/topics/un/feed.atom?key=fk_bob"); code != http.StatusForbidden {
		t.Errorf("GET un's feed with an unknown key = %d, want 403", code)
	}
	query := `"forced labour" OR "lao động cưỡng bức"`
	if _, stderr, err := exec(t, "topics", "add", "labour", query, "--config", cfg); err != nil {
		t.Fatalf("topics add = %v\n%s", err, stderr)
	}
	if code, f := read("/topics/labour/feed.atom?key=fk_ann"); f == nil || f.Title != "newswatch: labour" || f.Description != query {
		t.Errorf("GET the saved topic's feed = %d, %+v; want its title and query", code, f)
	}
}
