package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/store"
	"github.com/newswatch/newswatch/web"
)

// webConfig is the demo site config with the web server on listen and
// Info logs (the listening address is logged at Info).
func webConfig(t *testing.T, listen string) string {
	t.Helper()
	cfg, _ := demoSiteConfig(t)
	data, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.Replace(data, []byte("level: warn"), []byte("level: info"), 1)
	data = append(data, "web:\n  listen: \""+listen+"\"\n"...)
	if err := os.WriteFile(cfg, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// addrLog is the daemon's stderr: it keeps the log and sends the address
// of the "web server listening" line, so the test needs no sleep.
type addrLog struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	addr chan string
}

func (l *addrLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for line := range strings.Lines(string(p)) {
		var rec struct{ Msg, Addr string }
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "web server listening" {
			l.addr <- rec.Addr
		}
	}
	return l.buf.Write(p)
}

func (l *addrLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// TestRunServesWeb runs the daemon with web.listen on a free loopback
// port, reads the endpoints while it runs and stops it.
func TestRunServesWeb(t *testing.T) {
	t.Parallel()
	cfg := webConfig(t, "127.0.0.1:0")
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	stderr := &addrLog{addr: make(chan string, 1)}
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"run", "--config", cfg}, strings.NewReader(""), io.Discard, stderr) }()

	var addr string
	select {
	case addr = <-stderr.addr:
	case err := <-done:
		t.Fatalf("run ended before the web server listened: %v\n%s", err, stderr)
	}
	base := "http://" + addr
	if got := httpGet(t, base+"/healthz", ""); got != "ok\n" {
		t.Errorf("GET /healthz = %q, want ok", got)
	}
	if resp, err := http.Get(base + "/metrics"); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET /metrics without a token = %v, %v; want 401", resp, err)
	} else {
		resp.Body.Close()
	}
	token, stderrTok, err := exec(t, "token", "create", "probe", "--role", "viewer", "--config", cfg) // through the daemon
	if err != nil {
		t.Fatalf("token create while the daemon runs = %v\n%s", err, stderrTok)
	}
	token = strings.TrimSpace(token)
	metrics := httpGet(t, base+"/metrics", token)
	for _, want := range []string{"newswatch_store_up 1", "newswatch_feeds 4", `newswatch_feed_consecutive_errors{feed="Demo VietnamPlus (ar)"`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("GET /metrics lacks %q", want)
		}
	}
	var feeds []web.FeedHealth
	if err := json.Unmarshal([]byte(httpGet(t, base+"/feeds", token)), &feeds); err != nil || len(feeds) != 4 {
		t.Errorf("GET /feeds = %d rows, %v; want the 4 configured feeds", len(feeds), err)
	}

	cancel()
	if err := <-done; err != nil {
		t.Errorf("run after cancel = %v, want nil\n%s", err, stderr)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("GET /healthz after run returned succeeded, want a closed port")
	}
	if out, _, err := exec(t, "feeds", "--config", cfg); err != nil || !strings.Contains(out, "Demo VietnamPlus (vi)") {
		t.Errorf("feeds after run = %v; the store was not closed cleanly?\n%s", err, out)
	}
	for _, want := range []string{`"msg":"API server stopped","server":"web server"`, `"msg":"newswatch stopped"`} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("run log lacks %s", want)
		}
	}
}

// TestRunWebPortTaken checks that a taken port is a startup error.
func TestRunWebPortTaken(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cfg := webConfig(t, ln.Addr().String())
	_, stderr, err := exec(t, "run", "--config", cfg)
	if err == nil || exitCode(err) != exitFailure || !strings.Contains(stderr, "web.listen") {
		t.Errorf("run on a taken port = %v (exit %d), want a web.listen failure; stderr:\n%s", err, exitCode(err), stderr)
	}
}

// TestWebMatchesCLI checks that /feeds and /export serve what
// `newswatch feeds --format json` and `newswatch export` print.
func TestWebMatchesCLI(t *testing.T) {
	t.Parallel()
	cfgPath, _ := demoSiteConfig(t)
	if _, stderr, err := exec(t, "poll", "--config", cfgPath); err != nil {
		t.Fatalf("poll = %v\n%s", err, stderr)
	}
	cliFeeds, _, err := exec(t, "feeds", "--config", cfgPath, "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	cliExport, _, err := exec(t, "export", "--config", cfgPath, "--all", "--since", "2000-01-01")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := loadConfigFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(cfg.Store, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctl, err := newControl(cfg, cfgPath, st, nil, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	h := web.New(web.Options{Store: st, Control: ctl, Auth: web.AuthLocal})
	for _, tt := range []struct{ target, want string }{
		{"/feeds", cliFeeds},
		{"/export?all=1&since=2000-01-01", cliExport},
	} {
		req := httptest.NewRequestWithContext(t.Context(), http.MethodGet, tt.target, nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if diff := cmp.Diff(tt.want, rec.Body.String()); diff != "" {
			t.Errorf("GET %s differs from the CLI (-cli +web):\n%s", tt.target, diff)
		}
	}
}

func TestWebListenValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		listen string
		ok     bool
	}{
		{"", true},
		{"127.0.0.1:8080", true},
		{"localhost:0", true},
		{"[::1]:8080", true},
		{":8080", true},
		{"8080", false},
		{"127.0.0.1:http", false},
		{"127.0.0.1:70000", false},
		{"http://127.0.0.1:8080", false},
		{"127.0.0.1", false},
	}
	for _, tt := range tests {
		_, err := parseConfig([]byte("web:\n  listen: \""+tt.listen+"\"\n"), "test")
		if (err == nil) != tt.ok || (err != nil && !strings.Contains(err.Error(), "web.listen")) {
			t.Errorf("parseConfig(web.listen %q) = %v, want ok %v", tt.listen, err, tt.ok)
		}
	}
}

// httpGet returns the body of a 200 answer.
func httpGet(t *testing.T, u, token string) string {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d %q, %v; want 200", u, resp.StatusCode, b, err)
	}
	return string(b)
}

func TestWebHostsAndExportsValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		yaml string
		want string // a word of the error; "" means valid
	}{
		{"web:\n  hosts: [news.example.org, \"intranet:8443\"]\n  max_exports: 8\n", ""},
		{"web:\n  hosts: [\"*\"]\n", "web.hosts[0]"},
		{"web:\n  hosts: [ok.example, \"https://news.example.org\"]\n", "web.hosts[1]"},
		{"web:\n  max_exports: -1\n", "web.max_exports"},
	}
	for _, tt := range tests {
		cfg, err := parseConfig([]byte(tt.yaml), "test")
		if (err == nil) != (tt.want == "") || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("parseConfig(%q) = %v, want an error naming %q", tt.yaml, err, tt.want)
		}
		if err == nil && cfg.Web.MaxExports != 8 {
			t.Errorf("parseConfig(%q): max_exports %d, want 8", tt.yaml, cfg.Web.MaxExports)
		}
	}
	if cfg := defaultConfig(); cfg.Web.MaxExports != web.DefaultMaxExports || len(cfg.Web.Hosts) != 0 {
		t.Errorf("default web config: max_exports %d, hosts %q; want %d and none", cfg.Web.MaxExports, cfg.Web.Hosts, web.DefaultMaxExports)
	}
}

func TestServedHosts(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		listen string
		want   []string
	}{
		{"127.0.0.1:8080", []string{"proxy.example"}},
		{"[::]:8080", []string{"proxy.example"}},
		{":8080", []string{"proxy.example"}},
		{"newswatch.lan:8080", []string{"proxy.example", "newswatch.lan"}},
	} {
		w := WebConfig{Listen: tt.listen, Hosts: []string{"proxy.example"}}
		if got := w.servedHosts(); !slices.Equal(got, tt.want) {
			t.Errorf("servedHosts(listen %q) = %q, want %q", tt.listen, got, tt.want)
		}
	}
}
