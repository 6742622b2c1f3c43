package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/newswatch/newswatch/fetcher"
	"github.com/newswatch/newswatch/monitor"
	"github.com/newswatch/newswatch/parser"
	"github.com/newswatch/newswatch/web"
)

func newReloadCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "reload",
		Short: "Make the running daemon re-read its config file",
		Long: `Reload asks the running daemon to re-read the config file it was
started with and apply feeds, topics, subscribers, site rules, schedule,
fetch settings and log level, without dropping work in flight. The same
happens on SIGHUP (systemctl reload). An invalid file is refused: the
problems are printed (and logged by the daemon) and the running
configuration stays. The store path and web.listen take effect only
after a restart; reload says so when they changed.`,
		Example: "  newswatch reload -c /etc/newswatch/newswatch.yaml",
		Args:    cobraArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.loadConfig()
			if err != nil {
				return err
			}
			path, err := cfg.StorePath()
			if err != nil {
				return usageError{err}
			}
			sock := socketPath(path)
			switch ok, err := daemonAnswers(sock); {
			case err != nil:
				return err
			case !ok:
				return fmt.Errorf("no newswatch daemon runs on store %s (no control socket at %s): nothing to reload; \"newswatch run\" reads the config when it starts", path, sock)
			}
			res, err := web.NewSocketClient(sock).Reload(cmd.Context())
			if err != nil {
				return apiError(err)
			}
			fmt.Fprintf(a.stdout, "reloaded %s: %d feeds, %d topics, %d subscribers\n", res.Config, res.Feeds, res.Topics, res.Subscribers)
			for _, r := range res.Restart {
				fmt.Fprintf(a.stderr, "newswatch: %s changed: restart the daemon for it to take effect\n", r)
			}
			return nil
		},
	}
}

// reload reads the config file again and applies it, on SIGHUP and on
// "newswatch reload" alike, and tells systemd. Every part is built
// and checked before anything changes, so an invalid file changes
// nothing; then the parts are swapped in, each atomically, between polls
// and deliveries. c.mu is held.
func (p *pipeline) reload(_ context.Context, c *control) (web.ReloadResult, error) {
	p.sd.Reloading() // systemd shows "reloading" until Ready, whatever the outcome
	defer p.sd.Ready()
	cfg, err := loadConfigFile(c.configPath)
	if err == nil {
		err = p.apply(c, cfg)
	}
	if err != nil {
		p.log.Error("config reload refused; the running configuration stays", "config", c.configPath, "error", err)
		p.sd.Status("config reload refused; the running configuration stays (see the log)")
		return web.ReloadResult{}, fmt.Errorf("%w: %w", err, web.ErrInvalid)
	}
	p.sd.Status("")
	s := c.state.Load()
	res := web.ReloadResult{
		Config: cfg.source, Loaded: s.loaded, Feeds: len(s.feeds), Topics: len(s.topics),
		Subscribers: len(cfg.Subscribers), Restart: restartNeeded(p.cfg, cfg),
	}
	p.log.Info("configuration reloaded", "config", cfg.source, "feeds", res.Feeds, "topics", res.Topics, "subscribers", res.Subscribers)
	for _, r := range res.Restart {
		p.log.Warn("setting changed; it takes effect after a restart", "setting", r)
	}
	return res, nil
}

// apply builds what cfg needs and swaps it into the running daemon: the
// deliverer first (the one step that can still refuse), then the monitor
// in one step, so that no poll sees new topics with old subscribers.
func (p *pipeline) apply(c *control, cfg *Config) error {
	next, err := c.derive(cfg, time.Now())
	if err != nil {
		return err
	}
	m, err := next.matcher()
	if err != nil {
		return err
	}
	x, err := parser.NewExtractor(cfg.Sites)
	if err != nil {
		return fmt.Errorf("sites: %w", err)
	}
	if err := p.alerts.Reconfigure(cfg.Subscribers, cfg.SMTP, cfg.Alerts); err != nil {
		return fmt.Errorf("alerts: %w", err)
	}
	if cfg.fetcherOptions() != c.config().fetcherOptions() {
		// A new client starts without the old one's per-host state
		// (rate limits, host holds): only when its settings changed.
		p.fetcher = fetcher.New(p.fetcherOptions(cfg))
	}
	p.monitor.Apply(monitor.Settings{
		Feeds: next.feeds, Fetcher: p.fetcher, Extractor: x, Matcher: m,
		Planner: p.alerts.Router(), Options: cfg.monitorOptions(),
	})
	c.state.Store(next)
	p.setLevel(cfg)
	return nil
}

// restartNeeded names the settings that changed from started to cfg and
// apply only at start.
func restartNeeded(started, cfg *Config) []string {
	var out []string
	was, _ := started.StorePath()
	if now, _ := cfg.StorePath(); was != now {
		out = append(out, "store")
	}
	if started.Web.Listen != cfg.Web.Listen {
		out = append(out, "web.listen")
	}
	return out
}
