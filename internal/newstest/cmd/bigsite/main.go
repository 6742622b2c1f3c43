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
	"time"

	"github.com/newswatch/newswatch/internal/newstest"
)

func main() {
	feeds := flag.Int("feeds", 1000, "number of feeds")
	items := flag.Int("items", 20, "items per feed")
	config := flag.String("config", "big.yaml", "config file to write")
	store := flag.String("store", "", "store path for the config (default: next to the config)")
	workers := flag.Int("workers", 16, "fetch.workers in the config")
	flag.Parse()
	if err := serve(*feeds, *items, *config, *store, *workers); err != nil {
		fmt.Fprintln(os.Stderr, "bigsite:", err)
		os.Exit(1)
	}
}

func serve(feeds, items int, config, store string, workers int) error {
	site := newstest.NewBigSite(feeds, items)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	base := "http://" + l.Addr().String()
	if store == "" {
		store = strings.TrimSuffix(config, ".yaml") + ".db"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "store: %s\nretention: 720h\nfetch:\n  allow_private_networks: true\n  workers: %d\n  per_host_concurrency: 64\n  per_host_rate: -1\n  timeout: 30s\nlog:\n  level: warn\nfeeds:\n", store, workers)
	for n := range feeds {
		fmt.Fprintf(&b, "  - url: %s%s\n", base, site.FeedPath(n))
	}
	if err := os.WriteFile(config, []byte(b.String()), 0o644); err != nil {
		return err
	}
	fmt.Printf("serving %d feeds x %d items at %s; config %s\n", feeds, items, base, config)
	srv := &http.Server{Handler: site, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() { <-ctx.Done(); srv.Close() }()
	if err := srv.Serve(l); err != http.ErrServerClosed {
		return err
	}
	return nil
}
