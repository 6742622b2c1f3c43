package main

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/newswatch/newswatch/alerts"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/parser"
	"github.com/newswatch/newswatch/topic"
)

//go:embed default.yaml
var defaultYAML []byte

// Config is the whole configuration file.
type Config struct {
	Store     string                 `yaml:"store"`
	Retention time.Duration          `yaml:"retention"`
	Fetch     FetchConfig            `yaml:"fetch"`
	Schedule  ScheduleConfig         `yaml:"schedule"`
	Feeds     []FeedConfig           `yaml:"feeds"`
	Topics    map[string]topic.Topic `yaml:"topics"`
	Sites     []parser.Rule          `yaml:"sites"`
	Log       LogConfig              `yaml:"log"`
	Web       WebConfig              `yaml:"web"`

	SMTP        alerts.SMTPConfig   `yaml:"smtp"`
	Alerts      alerts.Config       `yaml:"alerts"`
	Subscribers []alerts.Subscriber `yaml:"subscribers"`

	source string // file name, or "embedded default", for messages
}

// FetchConfig tunes the HTTP client and the worker pool.
type FetchConfig struct {
	AllowPrivateNetworks bool          `yaml:"allow_private_networks"`
	UserAgent            string        `yaml:"user_agent"`
	Workers              int           `yaml:"workers"`
	ArticleWorkers       int           `yaml:"article_workers"`
	PerHostConcurrency   int           `yaml:"per_host_concurrency"`
	PerHostRate          float64       `yaml:"per_host_rate"`
	Timeout              time.Duration `yaml:"timeout"`
	MaxBodySize          int64         `yaml:"max_body_size"`
}

// ScheduleConfig sets the defaults of the feed scheduler.
type ScheduleConfig struct {
	Interval   time.Duration `yaml:"interval"`
	Jitter     float64       `yaml:"jitter"`
	MaxBackoff time.Duration `yaml:"max_backoff"`
}

// FeedConfig is one entry of feeds.
type FeedConfig struct {
	URL  string `yaml:"url"`
	Name string `yaml:"name"`
	// Interval is a duration such as 10m, or "adaptive" to follow the
	// feed's publishing rate. Empty means schedule.interval.
	Interval string `yaml:"interval"`
	Scrape   *bool  `yaml:"scrape"` // default true
	Lang     string `yaml:"lang"`
}

// LogConfig selects the log level and format.
type LogConfig struct {
	Level  string `yaml:"level"`  // debug | info | warn | error
	Format string `yaml:"format"` // auto | text | json
}

// WebConfig sets up the optional HTTP server of the daemon.
type WebConfig struct {
	// Listen is the host:port to serve on, e.g. 127.0.0.1:8080. Empty
	// means no server. It has no authentication: keep it on loopback or
	// behind a proxy that authenticates.
	Listen string `yaml:"listen"`
}

// defaultConfig returns the embedded default configuration.
func defaultConfig() *Config {
	cfg, err := parseConfig(defaultYAML, "embedded default")
	if err != nil {
		panic(fmt.Sprintf("embedded default config: %v", err)) // a build defect, caught by tests
	}
	return cfg
}

// loadConfigFile reads and validates the configuration at path; an empty
// path means the embedded default.
func loadConfigFile(path string) (*Config, error) {
	if path == "" {
		return defaultConfig(), nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, usageError{fmt.Errorf("read config: %w", err)}
	}
	return parseConfig(data, path)
}

// parseConfig decodes YAML strictly (unknown keys are errors), fills
// defaults and validates.
func parseConfig(data []byte, source string) (*Config, error) {
	var cfg Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var typeErrs []string // wrong types and unknown keys: the rest still decodes
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, errEOF(err)) {
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			return nil, &ConfigError{Source: source, Problems: []string{yamlProblem(err)}}
		}
		for _, e := range te.Errors {
			typeErrs = append(typeErrs, unknownKeyRE.ReplaceAllString(e, "unknown key $1"))
		}
	}
	cfg.source = source
	cfg.applyDefaults()
	err := cfg.Validate()
	if len(typeErrs) == 0 {
		if err != nil {
			return nil, err
		}
		return &cfg, nil
	}
	// Report the type errors and every other problem at once.
	ce := &ConfigError{Source: source, Problems: typeErrs}
	var ve *ConfigError
	if errors.As(err, &ve) {
		ce.Problems = append(ce.Problems, ve.Problems...)
	}
	return nil, ce
}

// errEOF returns err when it is the decoder's end of input (an empty file).
func errEOF(err error) error {
	if err != nil && err.Error() == "EOF" {
		return err
	}
	return nil
}

// unknownKeyRE matches the YAML library's report of an unknown key, which
// names a Go type the user never sees.
var unknownKeyRE = regexp.MustCompile(`field (\S+) not found in type \S+`)

// yamlProblem strips the library prefix from a YAML error.
func yamlProblem(err error) string {
	return strings.TrimPrefix(err.Error(), "yaml: ")
}

// applyDefaults fills what the file leaves out.
func (c *Config) applyDefaults() {
	if c.Topics == nil {
		c.Topics = builtinTopics()
	}
	if c.Retention == 0 {
		c.Retention = 30 * 24 * time.Hour
	}
	if c.Schedule.Interval == 0 {
		c.Schedule.Interval = 10 * time.Minute
	}
	if c.Schedule.MaxBackoff == 0 {
		c.Schedule.MaxBackoff = 6 * time.Hour
	}
	for i := range c.Feeds {
		if c.Feeds[i].Scrape == nil {
			t := true
			c.Feeds[i].Scrape = &t
		}
	}
}

// builtinTopics returns the topics of the embedded default config.
func builtinTopics() map[string]topic.Topic {
	var d struct {
		Topics map[string]topic.Topic `yaml:"topics"`
	}
	if err := yaml.Unmarshal(defaultYAML, &d); err != nil {
		panic(fmt.Sprintf("embedded default topics: %v", err))
	}
	return d.Topics
}

// TopicList returns the topics sorted by name, with their names set.
func (c *Config) TopicList() []topic.Topic {
	names := make([]string, 0, len(c.Topics))
	for n := range c.Topics {
		names = append(names, n)
	}
	slices.Sort(names)
	out := make([]topic.Topic, 0, len(names))
	for _, n := range names {
		t := c.Topics[n]
		t.Name = n
		out = append(out, t)
	}
	return out
}

// StorePath returns the store path, defaulting to the user's data directory.
func (c *Config) StorePath() (string, error) {
	if c.Store != "" {
		return c.Store, nil
	}
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("no store path in config and no home directory: %w", err)
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "newswatch", "newswatch.db"), nil
}

// ConfigError lists every problem found in a configuration.
type ConfigError struct {
	Source   string
	Problems []string
}

func (e *ConfigError) Error() string {
	if len(e.Problems) == 1 {
		return fmt.Sprintf("config %s: %s", e.Source, e.Problems[0])
	}
	return fmt.Sprintf("config %s: %d problems:\n  - %s", e.Source, len(e.Problems), strings.Join(e.Problems, "\n  - "))
}

// Validate reports every problem at once as a *ConfigError.
func (c *Config) Validate() error {
	var p []string
	add := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	seen := map[string]int{}
	for i, f := range c.Feeds {
		where := fmt.Sprintf("feeds[%d]", i)
		if f.Name != "" {
			where += fmt.Sprintf(" (%s)", f.Name)
		}
		if err := checkFeedURL(f.URL); err != nil {
			add("%s: %v", where, err)
		}
		if j, dup := seen[f.URL]; dup && f.URL != "" {
			add("%s: url %q repeats feeds[%d]", where, f.URL, j)
		}
		seen[f.URL] = i
		if _, err := f.interval(c.Schedule.Interval); err != nil {
			add("%s: %v", where, err)
		}
	}
	for _, t := range c.TopicList() {
		if !news.ValidTopicName(t.Name) {
			add("topics.%q: a topic name is letters, digits, '-' and '_'", t.Name)
		}
		if strings.TrimSpace(t.Query) == "" {
			add("topics.%s: query is empty", t.Name)
			continue
		}
		if _, err := topic.Parse(t.Query); err != nil {
			add("topics.%s: %v", t.Name, err)
		}
	}
	if _, err := parser.NewExtractor(c.Sites); err != nil {
		add("sites: %v", err)
	}
	if c.Fetch.Workers < 0 || c.Fetch.ArticleWorkers < 0 || c.Fetch.PerHostConcurrency < 0 || c.Fetch.MaxBodySize < 0 || c.Fetch.Timeout < 0 {
		add("fetch: workers, article_workers, per_host_concurrency, max_body_size and timeout must not be negative")
	}
	if c.Schedule.Jitter < 0 || c.Schedule.Jitter > 0.5 {
		add("schedule.jitter: %v is outside 0..0.5", c.Schedule.Jitter)
	}
	switch c.Log.Level {
	case "", "debug", "info", "warn", "error":
	default:
		add("log.level: %q is not one of debug, info, warn, error", c.Log.Level)
	}
	switch c.Log.Format {
	case "", "auto", "text", "json":
	default:
		add("log.format: %q is not one of auto, text, json", c.Log.Format)
	}
	if err := validateListen(c.Web.Listen); err != nil {
		add("web.listen: %v", err)
	}
	p = append(p, c.validateAlerts()...)
	if len(p) > 0 {
		return &ConfigError{Source: c.source, Problems: p}
	}
	return nil
}

// validateAlerts checks the alert settings (see alertProblems in alerts.go).
func (c *Config) validateAlerts() []string { return c.alertProblems() }

// checkFeedURL checks the url of a feeds[] entry.
func checkFeedURL(raw string) error {
	u, err := url.Parse(raw)
	switch {
	case raw == "":
		return errors.New("url is missing")
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return fmt.Errorf("url %q is not an http(s) URL", raw)
	}
	return nil
}

// validateListen checks a web.listen address: empty, or host:port with a
// numeric port. The host may be empty (every interface), a name or an IP.
func validateListen(addr string) error {
	if addr == "" {
		return nil
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%q is not host:port, e.g. 127.0.0.1:8080", addr)
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return fmt.Errorf("%q: port %q is not a number from 0 to 65535", addr, port)
	}
	if strings.ContainsAny(host, " /?#@") {
		return fmt.Errorf("%q: host %q is not a host name or IP address", addr, host)
	}
	return nil
}

// interval parses the feed's interval: 0 means adaptive.
func (f FeedConfig) interval(def time.Duration) (time.Duration, error) {
	switch f.Interval {
	case "":
		return def, nil
	case "adaptive":
		return 0, nil
	}
	d, err := time.ParseDuration(f.Interval)
	if err != nil {
		return 0, fmt.Errorf("interval %q is neither a duration like 10m nor \"adaptive\"", f.Interval)
	}
	if d < time.Second {
		return 0, fmt.Errorf("interval %s is shorter than 1s", d)
	}
	return d, nil
}
