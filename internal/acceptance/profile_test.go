package acceptance

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestProfiles: poll --cpuprofile/--memprofile write pprof profiles, and
// a path that cannot be written is a usage error before the store is
// touched; a running daemon serves /debug/pprof/ on its control socket
// and never on web.listen.
func TestProfiles(t *testing.T) {
	t.Parallel()
	site, feeds := newsSite(t, unseenStories[:4])
	dir := t.TempDir()
	cfg := stableConfig(t, dir, true, []string{site.URL() + feeds[0].path}, []string{feeds[0].name})

	bad := newswatch(t, time.Minute, "poll", "--config", cfg, "--cpuprofile", filepath.Join(dir, "missing", "cpu.pprof"))
	if bad.code != 2 || !strings.Contains(bad.stderr, "--cpuprofile") {
		t.Errorf("poll --cpuprofile into a missing directory: exit %d, %q; want exit 2 naming the flag", bad.code, bad.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "news.db")); err == nil {
		t.Errorf("poll with an unwritable --cpuprofile created the store")
	}

	cpu, mem := filepath.Join(dir, "cpu.pprof"), filepath.Join(dir, "mem.pprof")
	if r := newswatch(t, 2*time.Minute, "poll", "--config", cfg, "--cpuprofile", cpu, "--memprofile", mem); r.code != 0 {
		t.Fatalf("poll with profiles: exit %d\n%s", r.code, tail(r.stderr, 3000))
	}
	// A profile is a gzipped protocol buffer whose string table names its
	// sample types.
	for path, want := range map[string]string{cpu: "nanoseconds", mem: "inuse_space"} {
		if got := gunzipFile(t, path); !strings.Contains(got, want) {
			t.Errorf("%s: no %q in the profile", filepath.Base(path), want)
		}
	}

	appendFile(t, cfg, "web:\n  listen: \"127.0.0.1:0\"\n")
	d := startWebDaemon(t, cfg)
	sock := filepath.Join(dir, "news.sock")
	code, body := socketGet(t, sock, "/debug/pprof/heap?debug=1")
	if code != http.StatusOK || !strings.HasPrefix(body, "heap profile:") {
		t.Errorf("GET /debug/pprof/heap on the control socket = %d %.80q, want 200 and a heap profile", code, body)
	}
	if code, body := socketGet(t, sock, "/debug/pprof/cmdline"); code != http.StatusOK || !strings.Contains(body, "run") {
		t.Errorf("GET /debug/pprof/cmdline on the control socket = %d %q, want the daemon's command line", code, body)
	}
	resp, err := http.Get("http://" + d.addr + "/debug/pprof/heap?debug=1")
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if strings.Contains(string(data), "heap profile") {
		t.Errorf("GET /debug/pprof/heap on web.listen = %d with a heap profile, want none", resp.StatusCode)
	}
	d.stop(t)
}

// gunzipFile returns the decompressed content of a gzip file.
func gunzipFile(t *testing.T, path string) string {
	t.Helper()
	data := readFile(t, path)
	zr, err := gzip.NewReader(strings.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var b bytes.Buffer
	if _, err := io.Copy(&b, zr); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return b.String()
}

// socketGet sends GET path to the daemon's control socket.
func socketGet(t *testing.T, sock, path string) (int, string) {
	t.Helper()
	c := &http.Client{Timeout: time.Minute, Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", sock)
		},
	}}
	resp, err := c.Get("http://newswatch" + path)
	if err != nil {
		t.Fatalf("GET %s on the control socket: %v", path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(data)
}
