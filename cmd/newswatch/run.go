package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"slices"
	"sync"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/newswatch/newswatch/store"
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

While it runs, the daemon owns the store and serves its API on a control
socket beside it (mode 0600): the other commands (feeds, alerts, export,
rematch, backup, ...) find the socket and go through the daemon. SIGHUP,
or "newswatch reload", re-reads the config file and applies it without a
restart; an invalid file is refused and the running configuration stays.

With web.listen set, run also serves the API over HTTP on that address
(see the README): reads without a token on loopback only, changes always
with an API token (newswatch token create).`,
		Example: "  newswatch run\n  newswatch run --config /etc/newswatch.yaml",
		Args:    cobraArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.loadRunConfig()
			if err != nil {
				return err
			}
			p, err := a.newPipeline(cmd.Context(), cfg)
			if errors.Is(err, store.ErrLocked) {
				return a.alreadyRunning(cmd.Context(), cfg, err, "stop it first, or use \"newswatch reload\" to apply a changed config")
			}
			if err != nil {
				return err
			}
			lns, err := p.listen()
			if err != nil {
				return errors.Join(err, p.Close())
			}
			p.log.Info("newswatch started", "feeds", len(p.ctl.Feeds()), "topics", len(p.ctl.Topics()),
				"store", p.store.Path(), "config", cfg.source, "socket", lns.socket.Addr().String())
			return p.run(cmd.Context(), lns)
		},
	}
}

// alreadyRunning explains a store held by another process to a command
// that needs the file to itself: usually a daemon, whose pid the control
// socket tells. todo says what the user can do.
func (a *app) alreadyRunning(ctx context.Context, cfg *Config, err error, todo string) error {
	path, _ := cfg.StorePath()
	sock := socketPath(path)
	if ok, _ := daemonAnswers(sock); ok {
		if st, serr := web.NewSocketClient(sock).Status(ctx); serr == nil {
			return fmt.Errorf("a newswatch daemon (pid %d, config %s) runs on store %s: %s", st.PID, st.Config, path, todo)
		}
	}
	return err
}

// listeners are the daemon's API listeners: the control socket, and the
// web.listen address when one is set.
type listeners struct {
	socket net.Listener
	web    net.Listener // nil without web.listen
}

// listen opens the control socket and web.listen. Listening before the
// daemon starts makes a taken port a startup error.
func (p *pipeline) listen() (*listeners, error) {
	sock, err := listenSocket(socketPath(p.store.Path()))
	if err != nil {
		return nil, err
	}
	ln, err := p.listenWeb()
	if err != nil {
		return nil, errors.Join(err, sock.Close())
	}
	return &listeners{socket: sock, web: ln}, nil
}

// maxSocketPath is the longest path a unix socket address holds on Linux.
const maxSocketPath = 107

// listenSocket opens the control socket at path, readable and writable by
// the daemon's user only. A file left there by a daemon that was killed
// is removed first: holding the store's lock, this process is the only
// daemon of the store.
func listenSocket(path string) (net.Listener, error) {
	if len(path) > maxSocketPath {
		return nil, fmt.Errorf("control socket %s: the path is %d bytes, more than a unix socket allows (%d): move the store to a shorter path", path, len(path), maxSocketPath)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("control socket: %w", err)
	}
	old := syscall.Umask(0o177) // the socket is created 0600, with no window for others
	ln, err := net.Listen("unix", path)
	syscall.Umask(old)
	if err != nil {
		return nil, fmt.Errorf("control socket: %w", err)
	}
	return ln, nil
}

// run runs the daemon until ctx is done: the monitor, alert delivery, the
// API on its listeners and the reloads asked by SIGHUP. It closes the
// store only after all of them have returned. Under systemd it reports
// readiness, reloads and shutdown and feeds the watchdog (see notifier).
func (p *pipeline) run(ctx context.Context, lns *listeners) error {
	// A monitor that stops on its own (a store failure) stops the others too.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sd := p.sd
	var wg sync.WaitGroup
	var deliverErr error
	wg.Go(func() { deliverErr = p.alerts.Run(ctx) })
	wg.Go(func() { p.serve(ctx, "control socket", lns.socket, web.AuthLocal) })
	if lns.web != nil {
		wg.Go(func() { p.serve(ctx, "web server", lns.web, web.AuthNetwork) })
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP) // before READY=1: systemctl reload may follow at once
	defer signal.Stop(hup)
	wg.Go(func() { p.reloadOnHangup(ctx, hup) })
	wg.Go(func() { sd.watchdog(ctx, p.storeAnswers) })
	wg.Go(func() { buildIndex(ctx, p.store, p.log) })
	sd.Ready()
	runErr := p.monitor.Run(ctx)
	sd.Stopping()
	cancel()
	wg.Wait()
	closeErr := p.Close()
	p.log.Info("newswatch stopped")
	return errors.Join(runErr, deliverErr, closeErr)
}

// reloadOnHangup reloads the config file on every SIGHUP (what systemctl
// reload and logrotate send) until ctx is done. SIGPIPE is ignored, so a
// log reader that goes away does not stop the daemon: only SIGINT and
// SIGTERM do.
func (p *pipeline) reloadOnHangup(ctx context.Context, hup <-chan os.Signal) {
	signal.Ignore(syscall.SIGPIPE)
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			p.log.Info("SIGHUP: reloading the configuration")
			_, _ = p.ctl.Reload(ctx) // logged, and told systemd, by reload
		}
	}
}

// listenWeb opens the web server's address, or returns nil when web.listen
// is empty.
func (p *pipeline) listenWeb() (net.Listener, error) {
	addr := p.cfg.Web.Listen
	if addr == "" {
		return nil, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("web.listen: %w", err)
	}
	if _, set := p.cfg.lines["web.require_tokens"]; set {
		p.log.Warn("web.require_tokens is deprecated and has no effect: every request but /login, /healthz and /static/ needs a login session or an API token; remove the key")
	}
	p.log.Info("web server listening", "addr", ln.Addr().String())
	return ln, nil
}

// serve serves the API on ln until ctx is done. A server that fails is
// logged, not fatal: polling and alerts matter more.
func (p *pipeline) serve(ctx context.Context, name string, ln net.Listener, auth web.Auth) {
	var h http.Handler = web.New(web.Options{Store: p.store, Control: p.ctl, Auth: auth, Logger: p.log, MaxExports: p.cfg.Web.MaxExports, Events: p.events})
	if auth == web.AuthLocal {
		h = withProfiling(h)
	}
	if err := web.Serve(ctx, ln, h, web.ServeOptions{Logger: p.log, Hosts: p.cfg.Web.servedHosts()}); err != nil {
		p.log.Error("API server stopped; the daemon goes on without it", "server", name, "error", err)
		return
	}
	p.log.Info("API server stopped", "server", name)
}

// servedHosts are the names the web server answers for besides IP
// addresses and localhost: web.hosts, and the host of web.listen when it
// is a name.
func (w WebConfig) servedHosts() []string {
	host, _, err := net.SplitHostPort(w.Listen)
	if _, ipErr := netip.ParseAddr(host); err != nil || host == "" || ipErr == nil {
		return w.Hosts
	}
	return append(slices.Clip(w.Hosts), host)
}
