package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newswatch/newswatch/alerts"
	"github.com/newswatch/newswatch/lang"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
	"github.com/newswatch/newswatch/topic"
	"github.com/newswatch/newswatch/web"
)

// control implements web.Control for the daemon and for a command that
// works on the store because no daemon runs: one implementation, so that
// every command gives the same answer either way. In a daemon, d is set and
// changes reach the running components at once.
type control struct {
	store      *store.Store
	configPath string // "" for the embedded default
	log        *slog.Logger
	started    time.Time
	d          *pipeline // nil without a daemon

	mu    sync.Mutex               // serialises feed changes and reloads
	state atomic.Pointer[ctlState] // what is in force
}

// ctlState is the configuration in force with what is derived from it:
// the config file's feeds and topics, and those added or saved at run
// time, which live in the store.
type ctlState struct {
	cfg      *Config
	loaded   time.Time
	sources  []store.Source
	saved    []store.SavedTopic
	feeds    []news.Feed   // the config's, then the sources not repeating one
	topics   []topic.Topic // the config's, then the saved ones not named like one
	compiled func() (*topic.Matcher, error)
}

// matcher returns the topics in force compiled. They are compiled once,
// when first needed: at start in the daemon, when a topic is saved, and
// not at all by the one-shot commands that never match an article.
func (s *ctlState) matcher() (*topic.Matcher, error) { return s.compiled() }

// newControl returns the control of cfg over st; d is the daemon, or nil.
func newControl(cfg *Config, configPath string, st *store.Store, d *pipeline, log *slog.Logger) (*control, error) {
	c := &control{store: st, configPath: configPath, log: log, started: time.Now(), d: d}
	s, err := c.derive(cfg, time.Now())
	if err != nil {
		return nil, err
	}
	c.state.Store(s)
	return c, nil
}

// derive reads the run-time feeds and topics from the store and builds the
// state in force with cfg.
func (c *control) derive(cfg *Config, loaded time.Time) (*ctlState, error) {
	sources, err := c.store.Sources()
	if err != nil {
		return nil, err
	}
	saved, err := c.store.SavedTopics()
	if err != nil {
		return nil, err
	}
	s := &ctlState{cfg: cfg, loaded: loaded, sources: sources, saved: saved}
	s.feeds = cfg.newsFeeds()
	keys := configFeedKeys(cfg)
	for _, src := range sources {
		if _, dup := keys[src.Key]; !dup {
			s.feeds = append(s.feeds, src.Feed)
		}
	}
	s.topics = cfg.TopicList()
	for _, t := range saved {
		if _, dup := cfg.Topics[t.Name]; !dup {
			s.topics = append(s.topics, topic.Topic{Name: t.Name, Query: t.Query})
		}
	}
	s.compiled = sync.OnceValues(func() (*topic.Matcher, error) {
		m, err := topic.Compile(s.topics)
		if err != nil {
			return nil, usageError{fmt.Errorf("topics: %w", err)}
		}
		return m, nil
	})
	return s, nil
}

// configFeedKeys maps the canonical URL of each config feed to its index.
func configFeedKeys(cfg *Config) map[string]int {
	keys := make(map[string]int, len(cfg.Feeds))
	for i, f := range cfg.Feeds {
		if k, err := feedKey(f.URL); err == nil {
			keys[k] = i
		}
	}
	return keys
}

var _ web.Control = (*control)(nil)

// Feeds returns the feeds in force.
func (c *control) Feeds() []news.Feed { return c.state.Load().feeds }

// Topics returns the names of the topics in force.
func (c *control) Topics() []string { return topicNames(c.state.Load().topics) }

// topicNames returns the names of topics, in order.
func topicNames(topics []topic.Topic) []string {
	out := make([]string, len(topics))
	for i, t := range topics {
		out[i] = t.Name
	}
	return out
}

// TopicList returns the topics in force with their queries and origin.
func (c *control) TopicList() []web.TopicInfo {
	s := c.state.Load()
	out := make([]web.TopicInfo, 0, len(s.topics))
	for _, t := range s.topics {
		info := web.TopicInfo{Name: t.Name, Query: t.Query, Origin: web.TopicFromConfig}
		if _, inConfig := s.cfg.Topics[t.Name]; inConfig {
			out = append(out, info)
			continue
		}
		if i := slices.IndexFunc(s.saved, func(st store.SavedTopic) bool { return st.Name == t.Name }); i >= 0 {
			info.Origin, info.Created, info.By = web.TopicSaved, &s.saved[i].Created, s.saved[i].By
		}
		out = append(out, info)
	}
	return out
}

// SaveTopic checks the query and saves the topic in the store; a daemon
// matches new articles against it at once.
func (c *control) SaveTopic(_ context.Context, name, query, by string) (web.TopicInfo, error) {
	if !news.ValidTopicName(name) {
		return web.TopicInfo{}, fmt.Errorf("topic name %q: use 1 to 64 letters, digits, '-' and '_': %w", name, web.ErrInvalid)
	}
	if strings.TrimSpace(query) == "" {
		return web.TopicInfo{}, fmt.Errorf("topic %s: the query is empty: %w", name, web.ErrInvalid)
	}
	if _, err := topic.Parse(query); err != nil {
		return web.TopicInfo{}, fmt.Errorf("topic %s: %w: %w", name, err, web.ErrInvalid)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.state.Load()
	if _, ok := s.cfg.Topics[name]; ok {
		return web.TopicInfo{}, fmt.Errorf("topic %s is declared in %s: edit it there: %w", name, s.cfg.source, web.ErrConflict)
	}
	t := store.SavedTopic{Name: name, Query: query, Created: time.Now().UTC(), By: by}
	if err := c.store.SaveTopic(t); err != nil {
		if errors.Is(err, store.ErrExists) {
			err = fmt.Errorf("a topic named %s is saved already: %w", name, web.ErrConflict)
		}
		return web.TopicInfo{}, err
	}
	c.log.Info("topic saved", "topic", name, "by", by)
	return web.TopicInfo{Name: name, Query: query, Origin: web.TopicSaved, Created: &t.Created, By: by}, c.changed(s)
}

// DeleteTopic removes a topic saved at run time.
func (c *control) DeleteTopic(_ context.Context, name string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.state.Load()
	if _, ok := s.cfg.Topics[name]; ok {
		return fmt.Errorf("topic %s is declared in %s: remove or disable it there and run \"newswatch reload\": %w", name, s.cfg.source, web.ErrConflict)
	}
	if err := c.store.DeleteTopic(name); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			err = fmt.Errorf("no topic %s is saved: %w", name, store.ErrNotFound)
		}
		return err
	}
	c.log.Info("topic deleted", "topic", name)
	return c.changed(s)
}

// config returns the configuration in force.
func (c *control) config() *Config { return c.state.Load().cfg }

// Status describes this process.
func (c *control) Status() web.Status {
	s := c.state.Load()
	return web.Status{
		Daemon: c.d != nil, Version: version, PID: os.Getpid(), Started: c.started,
		Config: s.cfg.source, Loaded: s.loaded, Store: c.store.Path(),
	}
}

// AddFeeds validates specs as feeds[] entries of the config file would be
// and adds the new ones to the store; a daemon polls them at once.
func (c *control) AddFeeds(_ context.Context, specs []web.FeedSpec, via string) (web.AddFeedsResult, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.state.Load()
	res := web.AddFeedsResult{Added: []web.FeedHealth{}, Skipped: []web.SkippedFeed{}}
	known := configFeedKeys(s.cfg)
	now := time.Now().UTC()
	var srcs []store.Source
	for _, spec := range specs {
		f, key, err := feedFromSpec(spec, s.cfg.Schedule.Interval, s.backfillTargets())
		if err != nil {
			res.Skipped = append(res.Skipped, web.SkippedFeed{URL: news.RedactURL(spec.URL), Reason: err.Error()})
			continue
		}
		if i, dup := known[key]; dup {
			reason := fmt.Sprintf("%s (feeds[%d] of the config file)", web.AlreadyWatched, i)
			if i < 0 {
				reason = web.AlreadyWatched + " (earlier in this request)"
			}
			res.Skipped = append(res.Skipped, web.SkippedFeed{URL: news.RedactURL(spec.URL), Reason: reason})
			continue
		}
		known[key] = -1
		f.Origin, f.Added, f.Via = news.OriginAdded, now, via
		srcs = append(srcs, store.Source{Key: key, Feed: f})
	}
	added, dups, err := c.store.AddSources(srcs)
	if err != nil {
		return web.AddFeedsResult{}, err
	}
	for _, key := range dups {
		i := slices.IndexFunc(s.sources, func(src store.Source) bool { return src.Key == key })
		reason := web.AlreadyWatched + " (added at run time)"
		if i >= 0 {
			reason = fmt.Sprintf("%s (added %s via %s)", web.AlreadyWatched, s.sources[i].Feed.Added.Format(time.DateOnly), s.sources[i].Feed.Via)
		}
		u := srcs[slices.IndexFunc(srcs, func(src store.Source) bool { return src.Key == key })].Feed.URL
		res.Skipped = append(res.Skipped, web.SkippedFeed{URL: news.RedactURL(u), Reason: reason})
	}
	for _, src := range added {
		res.Added = append(res.Added, web.FeedHealthRows([]news.Feed{src.Feed}, nil)...)
	}
	if len(added) > 0 {
		if err := c.changed(s); err != nil {
			return res, err
		}
		c.log.Info("feeds added", "count", len(added), "via", via)
	}
	return res, nil
}

// feedFromSpec checks a spec as a feeds[] entry of the config file and
// returns its feed and key; its backfill may name any of targets. Its
// errors name the problem for a person.
func feedFromSpec(spec web.FeedSpec, defInterval time.Duration, targets []backfillTarget) (news.Feed, string, error) {
	fc := FeedConfig{URL: strings.TrimSpace(spec.URL), Name: strings.TrimSpace(spec.Name), Interval: spec.Interval, Scrape: spec.Scrape, Lang: spec.Lang,
		Type: strings.TrimSpace(spec.Type), Items: spec.Items, Title: spec.Title, Date: spec.Date, Backfill: strings.TrimSpace(spec.Backfill), Hosts: spec.Hosts}
	if fc.URL == "" {
		return news.Feed{}, "", errors.New("url is missing")
	}
	if _, err := fc.interval(defInterval); err != nil {
		return news.Feed{}, "", err
	}
	if fc.Lang != "" && lang.Normalize(fc.Lang) == "" {
		return news.Feed{}, "", fmt.Errorf("lang %q is not a language code such as vi, en or ar", fc.Lang)
	}
	key, err := feedKey(fc.URL)
	if err != nil {
		return news.Feed{}, "", fmt.Errorf("url %q is not an http(s) URL", redactURL(fc.URL))
	}
	if probs := fc.sourceProblems(); len(probs) > 0 {
		return news.Feed{}, "", fmt.Errorf("%s: %s", probs[0][0], probs[0][1])
	}
	backfill, err := "", error(nil)
	if fc.Backfill != "" {
		if backfill, err = backfillURL(fc.Backfill, fc.URL, targets); err != nil {
			return news.Feed{}, "", fmt.Errorf("backfill: %w", err)
		}
	}
	fc.Backfill = ""
	probe := &Config{Feeds: []FeedConfig{fc}, Schedule: ScheduleConfig{Interval: defInterval}}
	f := probe.newsFeeds()[0]
	f.Backfill = backfill
	return f, key, nil
}

// backfillTargets are the sources in force a run-time feed's backfill
// may name.
func (s *ctlState) backfillTargets() []backfillTarget {
	out := make([]backfillTarget, 0, len(s.feeds))
	for _, f := range s.feeds {
		out = append(out, backfillTarget{f.Name, f.URL})
	}
	return out
}

// RemoveFeed removes a feed added at run time. Its state and articles stay.
func (c *control) RemoveFeed(_ context.Context, u string) (news.Feed, error) {
	key, err := feedKey(u)
	if err != nil {
		return news.Feed{}, fmt.Errorf("url %q is not an http(s) URL: %w", news.RedactURL(u), web.ErrInvalid)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.state.Load()
	if i, ok := configFeedKeys(s.cfg)[key]; ok {
		return news.Feed{}, fmt.Errorf("feed %s is declared in %s (feeds[%d]): remove it there and run \"newswatch reload\": %w", news.RedactURL(u), s.cfg.source, i, web.ErrConflict)
	}
	src, err := c.store.RemoveSource(key)
	if errors.Is(err, store.ErrNotFound) {
		return news.Feed{}, fmt.Errorf("no feed %s is watched: %w", news.RedactURL(u), store.ErrNotFound)
	}
	if err != nil {
		return news.Feed{}, err
	}
	c.log.Info("feed removed", "feed_url", news.RedactURL(src.Feed.URL))
	return src.Feed, c.changed(s)
}

// changed derives the state again from the store, after a feed or topic
// was added or removed, and puts it in force, in the daemon too. c.mu is
// held.
func (c *control) changed(s *ctlState) error {
	next, err := c.derive(s.cfg, s.loaded)
	if err != nil {
		return err
	}
	m, err := next.matcher() // a saved topic must compile before it is in force
	if err != nil {
		return err
	}
	c.state.Store(next)
	if c.d != nil {
		c.d.monitor.SetFeeds(next.feeds)
		c.d.monitor.SetMatcher(m)
	}
	return nil
}

// Rematch runs the topics in force over the archive.
func (c *control) Rematch(ctx context.Context, req web.RematchRequest) (*store.RematchReport, error) {
	s := c.state.Load()
	o := store.RematchOptions{DryRun: req.DryRun, AllowRemovals: req.AllowRemovals}
	if req.Alert && !req.DryRun {
		plan, err := c.planner(s.cfg)
		if err != nil {
			return nil, err
		}
		o.Plan = plan
	}
	m, err := s.matcher()
	if err != nil {
		return nil, err
	}
	return c.store.Rematch(ctx, m, o)
}

// planner returns how alerts are planned: the daemon's router, or one
// built from cfg.
func (c *control) planner(cfg *Config) (func(*news.Article, time.Time) []news.Alert, error) {
	if c.d != nil {
		return c.d.alerts.Router().Plan, nil
	}
	disp, err := cfg.newDispatcher(c.store, c.log, nil)
	if err != nil {
		return nil, fmt.Errorf("%v: %w", err, web.ErrInvalid)
	}
	return disp.Router().Plan, nil
}

// AlertsChanged wakes the daemon's deliverer.
func (c *control) AlertsChanged() {
	if c.d != nil {
		c.d.alerts.Notify()
	}
}

// Subscribers returns the names of the subscribers in force.
func (c *control) Subscribers() []string {
	subs := c.config().Subscribers
	out := make([]string, len(subs))
	for i, s := range subs {
		out[i] = s.Name
	}
	return out
}

// SendTestAlert sends a sample alert to a subscriber, as "alerts test"
// does: through the daemon's dispatcher, or one built from the config in
// force when no daemon runs.
func (c *control) SendTestAlert(ctx context.Context, subscriber string) error {
	var d *alerts.Dispatcher
	if c.d != nil {
		d = c.d.alerts
	} else {
		var err error
		if d, err = c.config().newDispatcher(nil, c.log, nil); err != nil {
			return fmt.Errorf("%v: %w", err, web.ErrInvalid)
		}
	}
	err := d.SendTest(ctx, subscriber)
	if errors.Is(err, alerts.ErrUnknownSubscriber) {
		return fmt.Errorf("%w: %w", err, web.ErrInvalid)
	}
	return err
}

// Reload reads the config file again and applies it to the daemon.
func (c *control) Reload(ctx context.Context) (web.ReloadResult, error) {
	if c.d == nil {
		return web.ReloadResult{}, web.ErrNoDaemon
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.d.reload(ctx, c)
}
