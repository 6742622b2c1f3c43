package web

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

func TestHostRules(t *testing.T) {
	t.Parallel()
	hr, err := newHostRules([]string{"News.Example.org", "intranet:8443", "proxy.example.:443"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		host string
		want bool
	}{
		{"127.0.0.1:8080", true},
		{"127.0.0.1", true},
		{"[::1]:8080", true},
		{"192.0.2.7:9000", true}, // an address of the machine, or a port forwarded to it
		{"[fe80::1%25eth0]:8080", true},
		{"localhost:8080", true},
		{"LOCALHOST.:8080", true},
		{"", true}, // HTTP/1.0 without Host: no browser
		{"news.example.org", true},
		{"news.example.org:8080", true},
		{"intranet:8443", true},
		{"intranet:8080", false},
		{"intranet", false},
		{"proxy.example", true}, // no port: as https's 443
		{"proxy.example:443", true},
		{"proxy.example:80", false},
		{"evil.example", false},
		{"evil.example:8080", false},
		{"127.0.0.1.nip.io:8080", false},
		{"localhost.evil.example", false},
		{"news.example.org.evil.example", false},
	}
	for _, tc := range tests {
		if got := hr.allows(tc.host); got != tc.want {
			t.Errorf("allows(%q) = %v, want %v", tc.host, got, tc.want)
		}
	}
}

func TestCheckHost(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"news.example.org", "news.example.org:8443", "NEWS.example.org", "192.0.2.7", "[::1]:8080", "my_host"} {
		if err := CheckHost(ok); err != nil {
			t.Errorf("CheckHost(%q) = %v, want nil", ok, err)
		}
	}
	for _, bad := range []struct{ entry, want string }{
		{"", "empty"},
		{"*", "wildcards"},
		{"*.example.org", "wildcards"},
		{"https://news.example.org", "not a URL"},
		{"news.example.org/feeds", "not a URL"},
		{"news.example.org:http", "port"},
		{"news.example.org:0", "port"},
		{"news..example.org", "not a host name"},
		{"news example.org", "not a host name"},
	} {
		err := CheckHost(bad.entry)
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("CheckHost(%q) = %v, want an error about %q", bad.entry, err, bad.want)
		}
	}
	if _, err := newHostRules([]string{"ok.example", "*"}); err == nil {
		t.Error("newHostRules with \"*\" = nil error, want one")
	}
}

// rawGet sends a GET with the given Host header over a new connection to
// addr and returns the response.
func rawGet(t *testing.T, network, addr, path, host string) *http.Response {
	t.Helper()
	c, err := net.Dial(network, addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, host)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// TestServeRefusesForeignHost: a DNS-rebinding request (Host: a name the
// server was not told about) gets 421 and never reaches the handler;
// the listen address and the names of Hosts are served.
func TestServeRefusesForeignHost(t *testing.T) {
	t.Parallel()
	h, _, _ := fixtureHandler(t)
	base, _, _ := startServe(t, h, ServeOptions{Hosts: []string{"news.example.org"}})
	addr := strings.TrimPrefix(base, "http://")
	_, port, _ := net.SplitHostPort(addr)
	for _, tc := range []struct {
		host string
		want int
	}{
		{"evil.example:" + port, http.StatusMisdirectedRequest},
		{"evil.example", http.StatusMisdirectedRequest},
		{addr, http.StatusOK},
		{"localhost:" + port, http.StatusOK},
		{"news.example.org", http.StatusOK},
	} {
		resp := rawGet(t, "tcp", addr, "/export?all=1", tc.host)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != tc.want {
			t.Errorf("GET /export with Host %q = %d, want %d\n%s", tc.host, resp.StatusCode, tc.want, body)
		}
		if tc.want == http.StatusMisdirectedRequest && (!strings.Contains(string(body), "web.hosts") || strings.Contains(string(body), `"url"`)) {
			t.Errorf("GET /export with Host %q: body %q, want the refusal naming web.hosts and no article", tc.host, body)
		}
	}
}

// TestServeUnixSocketSkipsHostCheck: no browser reaches a unix socket, so
// the control socket serves whatever Host its client sends.
func TestServeUnixSocketSkipsHostCheck(t *testing.T) {
	t.Parallel()
	sock := filepath.Join(t.TempDir(), "s.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	h, _, _ := fixtureHandler(t)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln, h, ServeOptions{}) }()
	t.Cleanup(func() { cancel(); <-done }) // before the store closes
	if resp := rawGet(t, "unix", sock, "/healthz", "newswatch"); resp.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz over a unix socket with Host newswatch = %d, want 200", resp.StatusCode)
	}
}

func TestServeRejectsBadHosts(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	err = Serve(t.Context(), ln, http.NotFoundHandler(), ServeOptions{Hosts: []string{"*"}})
	if err == nil || !strings.Contains(err.Error(), "wildcards") {
		t.Errorf("Serve with Hosts [*] = %v, want an error about wildcards", err)
	}
}
