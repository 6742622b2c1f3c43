// Command bigsite serves a generated benchmark news site on 127.0.0.1 and
// writes a newswatch config that polls all of it, so the real binary can
// be measured under /usr/bin/time -v:
//
//	go run ./internal/newstest/cmd/bigsite -feeds 1000 -items 20 -config /tmp/big.yaml &
//	/usr/bin/time -v newswatch poll --config /tmp/big.yaml
//
// With -change, feeds start empty, gain an item every -change and answer
// conditional requests with 304 until they do; GET /stats on any host then
// reports the poll lag past each -interval (see newstest.ChangingSite),
// and the config turns jitter off so that lag is the time past due:
//
//	go run ./internal/newstest/cmd/bigsite -feeds 50000 -items 20 -change 2h -config /tmp/ceiling.yaml &
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
	change := flag.Duration("change", 0, "serve changing feeds: each gains an item every change, 304 until then (0: fixed feeds)")
	interval := flag.Duration("interval", 10*time.Minute, "with -change: the poll interval written in the config and lag is measured against")
	flag.Parse()
	site := newstest.NewBigSite(*feeds, *items)
	site.Gzip = *gzip
	var handler http.Handler = site
	var extra string
	if *change > 0 {
		handler = newstest.NewChangingSite(*feeds, *items, *change, *interval)
		extra = fmt.Sprintf("schedule:\n  interval: %v\n  jitter: 0\n", *interval)
	}
	if err := serve(site, handler, *hosts, *config, *store, *workers, *defaults, extra); err != nil {
		fmt.Fprintln(os.Stderr, "bigsite:", err)
		os.Exit(1)
	}
}

func serve(site *newstest.BigSite, handler http.Handler, hosts int, config, store string, workers int, defaults bool, extra string) error {
	var bases []string
	var servers []*http.Server
	for h := range max(hosts, 1) {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.%d:0", h+1))
		if err != nil {
			return err
		}
		srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
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
	b.WriteString(extra)
	b.WriteString("log:\n  level: warn\nfeeds:\n")
	for n := range site.Feeds {
		fmt.Fprintf(&b, "  - url: %s%s\n", bases[n%len(bases)], site.FeedPath(n))
	}
	if err := os.WriteFile(config, []byte(b.String()), 0o644); err != nil {
		return err
	}
	fmt.Printf("serving %d feeds x %d items on %d hosts; config %s\n", site.Feeds, site.Items, len(bases), config)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	for _, srv := range servers {
		srv.Close()
	}
	return nil
}
