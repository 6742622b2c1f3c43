package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"github.com/newswatch/newswatch/alerts"
	"github.com/newswatch/newswatch/fetcher"
	"github.com/newswatch/newswatch/monitor"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/parser"
	"github.com/newswatch/newswatch/store"
	"github.com/newswatch/newswatch/topic"
)

// pipeline is the wired daemon: config, logger, store and monitor.
type pipeline struct {
	cfg     *Config
	log     *slog.Logger
	store   *store.Store
	monitor *monitor.Monitor
	alerts  *alerts.Dispatcher
}

// Close closes the store.
func (p *pipeline) Close() error { return p.store.Close() }

// newPipeline wires the components from cfg. Topics and site rules are
// compiled before the store is opened, so a bad config fails fast.
func (a *app) newPipeline(cfg *Config) (*pipeline, error) {
	log := a.logger(cfg)
	matcher, err := topic.Compile(cfg.TopicList())
	if err != nil {
		return nil, usageError{fmt.Errorf("topics: %w", err)}
	}
	extractor, err := parser.NewExtractor(cfg.Sites)
	if err != nil {
		return nil, usageError{fmt.Errorf("sites: %w", err)}
	}
	st, err := a.openStore(cfg)
	if err != nil {
		return nil, err
	}
	disp, err := cfg.newDispatcher(st, log)
	if err != nil {
		return nil, errors.Join(err, st.Close())
	}
	mon := monitor.New(cfg.newsFeeds(), monitor.Deps{
		Fetcher:   fetcher.New(cfg.fetcherOptions()),
		Store:     st,
		Extractor: extractor,
		Matcher:   matcher,
		Planner:   disp.Router(),
		Notify:    disp.Notify,
		Logger:    log,
	}, cfg.monitorOptions())
	return &pipeline{cfg: cfg, log: log, store: st, monitor: mon, alerts: disp}, nil
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
		IgnoreRobots:         c.Fetch.RespectRobots != nil && !*c.Fetch.RespectRobots,
		Version:              version,
		Contact:              c.Fetch.Contact,
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
	}
}

// newsFeeds converts the configured feeds. Validate has checked them.
func (c *Config) newsFeeds() []news.Feed {
	out := make([]news.Feed, 0, len(c.Feeds))
	for _, f := range c.Feeds {
		iv, _ := f.interval(c.Schedule.Interval)
		name := f.Name
		if name == "" {
			if u, err := url.Parse(f.URL); err == nil {
				name = strings.TrimPrefix(u.Hostname(), "www.")
			}
		}
		out = append(out, news.Feed{URL: f.URL, Name: name, Interval: iv, Scrape: f.Scrape == nil || *f.Scrape, Lang: f.Lang})
	}
	return out
}
