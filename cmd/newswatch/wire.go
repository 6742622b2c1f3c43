package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/KimMachineGun/automemlimit/memlimit"
	"github.com/newswatch/newswatch/alerts"
	"github.com/newswatch/newswatch/fetcher"
	"github.com/newswatch/newswatch/monitor"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/parser"
	"github.com/newswatch/newswatch/store"
	"github.com/newswatch/newswatch/story"
	"github.com/newswatch/newswatch/web"
)

// pipeline is the wired daemon: config, logger, store, monitor, alert
// delivery and the control that the API reaches them through.
type pipeline struct {
	cfg     *Config // as started; the one in force is ctl.config()
	log     *slog.Logger
	store   *store.Store
	monitor *monitor.Monitor
	alerts  *alerts.Dispatcher
	fetcher *fetcher.Client
	ctl     *control
	events  *web.Events // the event metrics that /metrics serves
	// setLevel sets the log level from a reloaded config (--log-level
	// still wins).
	setLevel func(*Config)
	sd       notifier // systemd, when it runs the daemon
}

// Close closes the store.
func (p *pipeline) Close() error { return p.store.Close() }

// newPipeline wires the components from cfg (which Validate has checked,
// topics and site rules included). The monitor polls the config's feeds
// and those added at run time.
func (a *app) newPipeline(ctx context.Context, cfg *Config) (*pipeline, error) {
	log := a.logger(cfg)
	setMemoryLimit(ctx, log, memlimit.FromCgroup)
	extractor, err := parser.NewExtractor(cfg.Sites)
	if err != nil {
		return nil, usageError{fmt.Errorf("sites: %w", err)}
	}
	st, err := a.openStore(cfg)
	if err != nil {
		return nil, err
	}
	p := &pipeline{cfg: cfg, log: log, store: st, events: newEvents(), setLevel: a.setLevel, sd: notifier{log: log}}
	p.fetcher = fetcher.New(p.fetcherOptions(cfg))
	if p.alerts, err = cfg.newDispatcher(st, log, p.events); err != nil {
		return nil, errors.Join(err, st.Close())
	}
	if p.ctl, err = newControl(cfg, a.configPath, st, p, log); err != nil {
		return nil, errors.Join(err, st.Close())
	}
	matcher, err := p.ctl.state.Load().matcher()
	if err != nil {
		return nil, errors.Join(err, st.Close())
	}
	var stories monitor.Stories // nil when disabled: a nil *story.Tracker would not be
	if !cfg.Stories.Disabled {
		t, err := openStories(ctx, st, cfg.Stories)
		if err != nil {
			return nil, errors.Join(err, st.Close())
		}
		stories = t
	}
	p.monitor = monitor.New(p.ctl.Feeds(), monitor.Deps{
		Fetcher:   p.fetcher,
		Store:     st,
		Extractor: extractor,
		Matcher:   matcher,
		Planner:   p.alerts.Router(),
		Stories:   stories,
		Notify:    p.alerts.Notify,
		Logger:    log,
		Observer:  p.events,
	}, cfg.monitorOptions())
	return p, nil
}

// openStories returns the story tracker with the open window the store
// kept, so a restart puts new articles in the stories of the old ones.
func openStories(ctx context.Context, st *store.Store, c StoriesConfig) (*story.Tracker, error) {
	t := story.New(story.Options{Window: c.Window})
	now := time.Now()
	members, err := st.StoryWindow(ctx, now.Add(-t.Window()))
	if err == nil {
		err = t.Load(members, now)
	}
	if err != nil {
		return nil, fmt.Errorf("open stories: %w", err)
	}
	return t, nil
}

// newEvents returns the event metrics with the series of every poll
// outcome, alert channel and fetch error kind.
func newEvents() *web.Events {
	return web.NewEvents(web.EventLabels{
		PollOutcomes:    monitor.Outcomes,
		Channels:        []string{news.ChannelWebhook, news.ChannelEmail},
		FetchErrorKinds: fetcher.ErrorKinds,
	})
}

// fetcherOptions are cfg's fetcher options counting errors into the
// pipeline's event metrics.
func (p *pipeline) fetcherOptions(cfg *Config) fetcher.Options {
	o := cfg.fetcherOptions()
	o.ErrorCounter = p.events
	return o
}

// fetcherOptions maps the fetch section to fetcher options.
func (c *Config) fetcherOptions() fetcher.Options {
	return fetcher.Options{
		UserAgent:            c.Fetch.UserAgent,
		Timeout:              c.Fetch.Timeout,
		MaxBodySize:          c.Fetch.MaxBodySize,
		AllowPrivateNetworks: c.Fetch.AllowPrivateNetworks,
		PerHostConcurrency:   c.Fetch.PerHostConcurrency,
		PerHostRate:          c.Fetch.PerHostRate,
		IgnoreRobots:         !c.Fetch.RespectRobots,
		Version:              version,
		Contact:              c.Fetch.Contact,
		CaptureExchange:      c.Fetch.KeepRaw != news.KeepNone,
	}
}

// monitorOptions maps the schedule section to monitor options.
func (c *Config) monitorOptions() monitor.Options {
	jitter := c.Schedule.Jitter
	if jitter == 0 {
		jitter = -1 // explicitly none; the monitor's zero means its default
	}
	return monitor.Options{
		Workers:        c.Fetch.Workers,
		ArticleWorkers: c.Fetch.ArticleWorkers,
		Interval:       c.Schedule.Interval,
		Jitter:         jitter,
		MaxBackoff:     c.Schedule.MaxBackoff,
		Retention:      c.Retention,
		Horizon:        c.Schedule.Horizon,
		KeepRaw:        c.Fetch.KeepRaw,
		Refetch:        c.Fetch.Refetch,
	}
}

// newsFeeds converts the configured feeds. Validate has checked them.
func (c *Config) newsFeeds() []news.Feed {
	out := make([]news.Feed, 0, len(c.Feeds))
	targets := c.backfillTargets()
	for _, f := range c.Feeds {
		iv, _ := f.interval(c.Schedule.Interval)
		name := f.Name
		if name == "" {
			if u, err := url.Parse(f.URL); err == nil {
				name = strings.TrimPrefix(u.Hostname(), "www.")
			}
		}
		n := news.Feed{URL: f.URL, Name: name, Interval: iv, Scrape: f.Scrape == nil || *f.Scrape, Lang: f.Lang, Origin: news.OriginConfig}
		f.newsSource(&n, targets)
		out = append(out, n)
	}
	return out
}
