package monitor_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/newswatch/newswatch/fetcher"
	"github.com/newswatch/newswatch/internal/newstest"
	"github.com/newswatch/newswatch/monitor"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/parser"
	"github.com/newswatch/newswatch/store"
	"github.com/newswatch/newswatch/topic"
)

// builtinTopics compiles the topics of the embedded default config, the
// ones every user gets.
func builtinTopics(t testing.TB) *topic.Matcher {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "cmd", "newswatch", "default.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Topics map[string]topic.Topic `yaml:"topics"`
	}
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		t.Fatalf("default.yaml: %v", err)
	}
	var list []topic.Topic
	for name, tp := range cfg.Topics {
		tp.Name = name
		list = append(list, tp)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	m, err := topic.Compile(list)
	if err != nil {
		t.Fatalf("compile built-in topics: %v", err)
	}
	return m
}

// openStore opens a fresh store in a temporary directory.
func openStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "newswatch.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	return st
}

// testFetchOptions are the fetcher options of the tests: loopback allowed,
// host limits raised (every feed is on 127.0.0.1), short timeouts.
func testFetchOptions() fetcher.Options {
	return fetcher.Options{
		AllowPrivateNetworks: true,
		PerHostConcurrency:   8,
		PerHostRate:          -1,
		Timeout:              2 * time.Second,
		MaxBodySize:          2 << 20,
	}
}

// extractor returns the article extractor with the built-in site rules.
func extractor(t testing.TB) *parser.Extractor {
	t.Helper()
	// The test site stands in for VietnamPlus: its built-in rule applies.
	ex, err := parser.NewExtractor([]parser.Rule{{Name: "vietnamplus", Hosts: []string{"127.0.0.1"}}})
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

// newMonitor wires a monitor of real components.
func newMonitor(t testing.TB, feeds []news.Feed, f monitor.Fetcher, st monitor.Store) *monitor.Monitor {
	t.Helper()
	return monitor.New(feeds, monitor.Deps{Fetcher: f, Store: st, Extractor: extractor(t), Matcher: builtinTopics(t)},
		monitor.Options{Workers: 4, Interval: 10 * time.Minute, Jitter: -1, MaxBackoff: 6 * time.Hour})
}

// pollAll polls every feed once and returns the results by feed URL.
func pollAll(t testing.TB, ctx context.Context, m *monitor.Monitor) map[string]monitor.Result {
	t.Helper()
	out := map[string]monitor.Result{}
	if err := m.PollAll(ctx, func(r monitor.Result) { out[r.Feed.URL] = r }); err != nil {
		t.Fatalf("PollAll: %v", err)
	}
	return out
}

// storedTopics returns every stored article's topics by URL (an empty,
// non-nil slice for unmatched articles).
func storedTopics(t testing.TB, st *store.Store) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	err := st.ForEachArticle(t.Context(), store.Query{All: true}, func(a *news.Article) error {
		out[a.URL] = append([]string{}, a.Topics...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// wantTopics returns the hand-labelled topics of the pages by URL.
func wantTopics(base string, pages []newstest.CorpusPage) map[string][]string {
	out := map[string][]string{}
	for _, p := range pages {
		ts := append([]string{}, p.Topics...)
		slices.Sort(ts)
		out[newstest.PageURL(base, p.Page)] = ts
	}
	return out
}

// feedsOf returns the news feeds of a layout at base.
func feedsOf(base string, layout []newstest.SiteFeed) []news.Feed {
	var out []news.Feed
	for _, f := range layout {
		out = append(out, news.Feed{URL: base + f.Path, Name: f.Channel.Title, Interval: 10 * time.Minute, Scrape: true, Lang: f.Channel.Lang})
	}
	return out
}

// logRecorder is a slog.Handler that keeps every record, so tests can
// check what was logged, how often and at which level.
type logRecorder struct {
	mu   sync.Mutex
	recs []slog.Record
}

func (h *logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (h *logRecorder) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *logRecorder) WithGroup(string) slog.Handler            { return h }

func (h *logRecorder) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.recs = append(h.recs, r.Clone())
	return nil
}

// records returns the records with message msg.
func (h *logRecorder) records(msg string) []slog.Record {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []slog.Record
	for _, r := range h.recs {
		if r.Message == msg {
			out = append(out, r)
		}
	}
	return out
}

// count returns how many records at level were logged.
func (h *logRecorder) count(level slog.Level) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, r := range h.recs {
		if r.Level == level {
			n++
		}
	}
	return n
}

// attr returns the value of the attribute key of r.
func attr(r slog.Record, key string) slog.Value {
	var v slog.Value
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == key {
			v = a.Value
			return false
		}
		return true
	})
	return v
}
