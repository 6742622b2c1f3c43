// Command bigsite serves a generated benchmark news site on 127.0.0.1 and
// writes a newswatch config that polls all of it, so the real binary can
// be measured under /usr/bin/time -v:
//
//	go run ./internal/newstest/cmd/bigsite -feeds 1000 -items 20 -config /tmp/big.yaml &
//	/usr/bin/time -v newswatch poll --config /tmp/big.yaml
//
// It serves until interrupted.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/newswatch/newswatch/internal/newstest"
)

func main() {
	feeds := flag.Int("feeds", 1000, "number of feeds")
	items := flag.Int("items", 20, "items per feed")
	hosts := flag.Int("hosts", 1, "loopback hosts to spread the feeds over (127.0.0.1, 127.0.0.2, ...)")
	config := flag.String("config", "big.yaml", "config file to write")
	store := flag.String("store", "", "store path for the config (default: next to the config)")
	workers := flag.Int("workers", 16, "fetch.workers in the config")
	defaults := flag.Bool("defaults", false, "write only the keys a user must set, keeping newswatch's default workers and per-host limits")
	gzip := flag.Bool("gzip", true, "serve gzip to clients that accept it, as news sites do (pages are then kept compressed in memory)")
	flag.Parse()
	if err := serve(*feeds, *items, *hosts, *config, *store, *workers, *defaults, *gzip); err != nil {
		fmt.Fprintln(os.Stderr, "bigsite:", err)
		os.Exit(1)
	}
}

func serve(feeds, items, hosts int, config, store string, workers int, defaults, gzip bool) error {
	site := newstest.NewBigSite(feeds, items)
	site.Gzip = gzip
	var bases []string
	var servers []*http.Server
	for h := range max(hosts, 1) {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.%d:0", h+1))
		if err != nil {
			return err
		}
		srv := &http.Server{Handler: site, ReadHeaderTimeout: 10 * time.Second}
		servers = append(servers, srv)
		bases = append(bases, "http://"+l.Addr().String())
		go srv.Serve(l)
	}
	if store == "" {
		store = strings.TrimSuffix(config, ".yaml") + ".db"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "store: %s\nretention: 720h\nfetch:\n  allow_private_networks: true\n", store)
	if !defaults {
		fmt.Fprintf(&b, "  workers: %d\n  per_host_concurrency: 64\n  per_host_rate: -1\n  timeout: 30s\n", workers)
	}
	b.WriteString("log:\n  level: warn\nfeeds:\n")
	for n := range feeds {
		fmt.Fprintf(&b, "  - url: %s%s\n", bases[n%len(bases)], site.FeedPath(n))
	}
	if err := os.WriteFile(config, []byte(b.String()), 0o644); err != nil {
		return err
	}
	fmt.Printf("serving %d feeds x %d items on %d hosts; config %s\n", feeds, items, len(bases), config)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	for _, srv := range servers {
		srv.Close()
	}
	return nil
}
