package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"

	"github.com/spf13/cobra"

	"github.com/newswatch/newswatch/web"
)

func newRunCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "run",
		Short: "Run the daemon: poll feeds on schedule until SIGINT or SIGTERM",
		Long: `Run polls every feed that is due at start, then each feed on its own
schedule, until it receives SIGINT or SIGTERM. On shutdown in-flight work
is cancelled and the store is closed cleanly; the schedule is kept in the
store, so a restart resumes instead of refetching everything.

With web.listen set, run also serves /healthz, /metrics, /feeds, /export
and /alerts on that address (see the README); the server has no
authentication, so keep it on loopback or behind a proxy.`,
		Example: "  newswatch run\n  newswatch run --config /etc/newswatch.yaml",
		Args:    cobraArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.loadConfig()
			if err != nil {
				return err
			}
			p, err := a.newPipeline(cfg)
			if err != nil {
				return err
			}
			ln, err := p.listenWeb()
			if err != nil {
				return errors.Join(err, p.Close())
			}
			p.log.Info("newswatch started", "feeds", len(cfg.Feeds), "topics", len(cfg.Topics), "store", p.store.Path(), "config", cfg.source)
			return p.run(cmd.Context(), ln)
		},
	}
}

// run runs the daemon until ctx is done: the monitor, alert delivery and,
// when ln is not nil, the web server. It closes the store only after all
// three have returned. Under systemd it reports readiness and shutdown and
// feeds the watchdog (see notifier).
func (p *pipeline) run(ctx context.Context, ln net.Listener) error {
	// A monitor that stops on its own (a store failure) stops the others too.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sd := notifier{log: p.log}
	var wg sync.WaitGroup
	var deliverErr error
	wg.Go(func() { deliverErr = p.alerts.Run(ctx) })
	if ln != nil {
		wg.Go(func() { p.serveWeb(ctx, ln) })
	}
	wg.Go(func() { sd.watchdog(ctx, p.storeAnswers) })
	sd.Ready()
	runErr := p.monitor.Run(ctx)
	sd.Stopping()
	cancel()
	wg.Wait()
	closeErr := p.Close()
	p.log.Info("newswatch stopped")
	return errors.Join(runErr, deliverErr, closeErr)
}

// listenWeb opens the web server's address, or returns nil when web.listen
// is empty. Listening here, before the daemon starts, makes a taken port
// a startup error.
func (p *pipeline) listenWeb() (net.Listener, error) {
	addr := p.cfg.Web.Listen
	if addr == "" {
		return nil, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("web.listen: %w", err)
	}
	log := p.log.With("addr", ln.Addr().String())
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && !tcp.IP.IsLoopback() {
		log.Warn("web server listens beyond loopback and has no authentication; put it behind a proxy that authenticates")
	}
	log.Info("web server listening")
	return ln, nil
}

// serveWeb serves the web endpoints on ln until ctx is done. A server that
// fails is logged, not fatal: polling and alerts matter more.
func (p *pipeline) serveWeb(ctx context.Context, ln net.Listener) {
	topics := make([]string, 0, len(p.cfg.Topics))
	for _, t := range p.cfg.TopicList() {
		topics = append(topics, t.Name)
	}
	h := web.New(web.Options{Store: p.store, Feeds: p.cfg.newsFeeds(), Topics: topics, Logger: p.log})
	if err := web.Serve(ctx, ln, h, web.ServeOptions{Logger: p.log}); err != nil {
		p.log.Error("web server stopped; the daemon goes on without it", "error", err)
		return
	}
	p.log.Info("web server stopped")
}
