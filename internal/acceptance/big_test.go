package acceptance

import (
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newswatch/newswatch/internal/newstest"
)

// TestBigSiteDefaults is issue 2's third check: 200 feeds × 20 items over
// 50 loopback hosts with newswatch's default settings. Every article is
// stored, within 5× Miniflux's 116 s (so under 23 s), peak RSS < 200 MB.
func TestBigSiteDefaults(t *testing.T) {
	heavy(t)
	const feeds, items, hosts = 200, 20, 50
	site := newstest.NewBigSite(feeds, items)
	var bases []string
	for h := range hosts {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.%d:0", h+1))
		if err != nil {
			t.Fatal(err)
		}
		srv := &http.Server{Handler: site, ReadHeaderTimeout: 10 * time.Second}
		go srv.Serve(l) //nolint:errcheck // ends with Close
		t.Cleanup(func() { srv.Close() })
		bases = append(bases, "http://"+l.Addr().String())
	}
	dir := t.TempDir()
	var b strings.Builder
	fmt.Fprintf(&b, "store: %s\nfetch:\n  allow_private_networks: true\nfeeds:\n", filepath.Join(dir, "big.db"))
	for n := range feeds {
		fmt.Fprintf(&b, "  - url: %s%s\n", bases[n%hosts], site.FeedPath(n))
	}
	cfg := writeFile(t, dir, "big.yaml", b.String())

	r := measured(t, 5*time.Minute, "poll", "--config", cfg)
	t.Logf("poll of %d feeds × %d items on %d hosts: exit %d, %v wall, peak RSS %d KB", feeds, items, hosts, r.code, r.wall.Round(time.Millisecond), r.maxRSSKB)
	if r.code != 0 {
		t.Fatalf("poll: exit %d\n%s", r.code, tail(r.stderr, 3000))
	}
	// Measurements, reported rather than asserted: timings depend on the
	// machine, and tests assert behaviour, not speed.
	t.Logf("target: wall < 23 s (5× Miniflux's 116 s): %s; peak RSS < 200 MB: %s",
		verdict(r.wall < 23*time.Second), verdict(r.maxRSSKB < 200<<10))
	exp := newswatch(t, time.Minute, "export", "--all", "--config", cfg)
	if exp.code != 0 {
		t.Fatalf("export: exit %d\n%s", exp.code, exp.stderr)
	}
	recs := parseExport(t, exp.stdout)
	seen := map[string]bool{}
	for _, rec := range recs {
		if rec.Text == "" {
			t.Errorf("article %s stored without text", rec.URL)
		}
		seen[rec.URL] = true
	}
	if len(seen) != site.Articles() {
		t.Errorf("export has %d distinct articles, want %d", len(seen), site.Articles())
	}
}
