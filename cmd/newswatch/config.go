package main

import (
	"cmp"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/newswatch/newswatch/alerts"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/parser"
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
	Topics    map[string]TopicConfig `yaml:"topics"` // built-in topics merged with the file's: see config_topics.go
	Sites     []parser.Rule          `yaml:"sites"`
	Log       LogConfig              `yaml:"log"`
	Web       WebConfig              `yaml:"web"`
	Stories   StoriesConfig          `yaml:"stories"`

	SMTP        alerts.SMTPConfig   `yaml:"smtp"`
	Alerts      alerts.Config       `yaml:"alerts"`
	Subscribers []alerts.Subscriber `yaml:"subscribers"`

	source string         // file name, or "embedded default", for messages
	lines  map[string]int // line of each key the file sets, by path ("feeds[0].url"); nil when built in code
}

// StoriesConfig tunes how articles are grouped into stories.
type StoriesConfig struct {
	// Window is how long a story stays open after its last article; zero
	// means story.DefaultWindow.
	Window time.Duration `yaml:"window"`
	// Disabled turns story grouping off: every article is its own alert,
	// as before stories, and nothing is kept in memory for them.
	Disabled bool `yaml:"disabled"`
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
	RespectRobots        bool          `yaml:"respect_robots"` // default true (the embedded default)
	Contact              string        `yaml:"contact"`        // URL or mailto: in the User-Agent
	// KeepRaw says which article pages are kept as evidence: matched
	// (the default), all or none.
	KeepRaw news.KeepRaw `yaml:"keep_raw"`
	// Refetch are the delays after which matched articles are fetched
	// again, to see edits and takedowns; [] for none.
	Refetch []time.Duration `yaml:"refetch"`
}

// ScheduleConfig sets the defaults of the feed scheduler.
type ScheduleConfig struct {
	Interval   time.Duration `yaml:"interval"`
	Jitter     float64       `yaml:"jitter"`
	MaxBackoff time.Duration `yaml:"max_backoff"`
	// Horizon is how far back sitemaps, section pages and backfills read.
	Horizon time.Duration `yaml:"horizon"`
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
	// Type is what URL serves: feed (the default), sitemap or page.
	Type string `yaml:"type"`
	// Items, Title and Date are the CSS selectors of a page source.
	Items string `yaml:"items"`
	Title string `yaml:"title"`
	Date  string `yaml:"date"`
	// Backfill is the source read at once after a gap or downtime: the
	// name or URL of another feeds[] entry, or the URL of a sitemap.
	Backfill string `yaml:"backfill"`
	// Hosts are other hosts whose links a sitemap or page source (or a
	// backfill sitemap) takes.
	Hosts []string `yaml:"hosts"`
}

// LogConfig selects the log level and format.
type LogConfig struct {
	Level  string `yaml:"level"`  // debug | info | warn | error
	Format string `yaml:"format"` // auto | text | json
}

// WebConfig sets up the optional HTTP server of the daemon.
type WebConfig struct {
	// Listen is the host:port to serve the API on, e.g. 127.0.0.1:8080.
	// Empty means no server. Every request but /login, /healthz and
	// /static/ needs a login session (newswatch user add) or an API token
	// (newswatch token create).
	Listen string `yaml:"listen"`
	// Hosts are the names the server answers for besides IP addresses
	// and localhost, with an optional port: a request whose Host header
	// is any other name is refused (DNS rebinding). List the public name
	// that a reverse proxy passes on. "*" is not allowed.
	Hosts []string `yaml:"hosts"`
	// MaxExports is how many /export downloads run at once; more get 503
	// with Retry-After. Positive; the default is 4.
	MaxExports int `yaml:"max_exports"`
	// RequireTokens is accepted and ignored. Deprecated: every request
	// but /login, /healthz and /static/ needs a session or a token now,
	// on loopback too, which is what true asked for.
	RequireTokens bool `yaml:"require_tokens"`
}

// defaultConfig returns the embedded default configuration, validated.
func defaultConfig() *Config {
	cfg, err := parseConfig(defaultYAML, "embedded default")
	if err != nil {
		panic(fmt.Sprintf("embedded default config: %v", err)) // a build defect, caught by tests
	}
	return cfg
}

// newConfig returns the defaults every configuration starts from: the
// settings and the built-in topics of the embedded default, without its
// feeds. A key a file leaves out keeps this value, so omitting a key and
// copying it from the embedded default give the same configuration.
func newConfig() *Config {
	var c Config
	if _, probs := decodeYAML(defaultYAML, &c); len(probs) > 0 {
		panic(fmt.Sprintf("embedded default config: %v", probs[0])) // a build defect, caught by tests
	}
	c.Feeds = nil
	for name, t := range c.Topics {
		t.builtinQuery = t.Query
		c.Topics[name] = t
	}
	return &c
}

// loadConfigFile reads the configuration at path (empty: the embedded
// default) and checks everything run and poll would refuse: the file, the
// secrets its *_env keys name, and the store. It returns the configuration
// or a *ConfigError listing every problem. check, run, poll and reload use it.
func loadConfigFile(path string) (*Config, error) {
	cfg, probs, err := decodeConfigFile(path)
	if err != nil {
		return nil, err
	}
	if cfg.lines != nil { // the file is YAML: its settings are worth checking
		probs = append(probs, cfg.runtimeProblems(os.LookupEnv)...)
	}
	if len(probs) > 0 {
		return nil, newConfigError(cfg.source, probs)
	}
	return cfg, nil
}

// readConfigFile reads and validates the configuration at path (empty:
// the embedded default) without looking at the environment or the store:
// for commands that neither send alerts nor write the store themselves.
func readConfigFile(path string) (*Config, error) {
	cfg, probs, err := decodeConfigFile(path)
	if err != nil {
		return nil, err
	}
	if len(probs) > 0 {
		return nil, newConfigError(cfg.source, probs)
	}
	return cfg, nil
}

// decodeConfigFile reads path, or the embedded default when path is
// empty, and returns the configuration with the problems of its file.
func decodeConfigFile(path string) (*Config, []problem, error) {
	data, source := defaultYAML, "embedded default"
	if path != "" {
		var err error
		if data, err = os.ReadFile(path); err != nil {
			return nil, nil, usageError{fmt.Errorf("read config: %w", err)}
		}
		source = path
	}
	cfg, probs := decodeConfig(data, source)
	return cfg, probs, nil
}

// parseConfig decodes and validates a configuration file's contents.
func parseConfig(data []byte, source string) (*Config, error) {
	cfg, probs := decodeConfig(data, source)
	if len(probs) > 0 {
		return nil, newConfigError(source, probs)
	}
	return cfg, nil
}

// decodeConfig decodes YAML over the defaults (newConfig), so what the
// file leaves out keeps its default, fills what depends on other keys,
// and returns the configuration with every problem found: unknown keys,
// wrong types and invalid values.
func decodeConfig(data []byte, source string) (*Config, []problem) {
	cfg := newConfig()
	lines, probs := decodeYAML(data, cfg)
	cfg.source, cfg.lines = source, lines
	cfg.applyDefaults()
	return cfg, append(probs, cfg.problems()...)
}

// applyDefaults fills the defaults that are not plain settings of the
// embedded default: those of each feed and the alert retry schedule.
func (c *Config) applyDefaults() {
	for i := range c.Feeds {
		if c.Feeds[i].Scrape == nil {
			t := true
			c.Feeds[i].Scrape = &t
		}
	}
	if len(c.Alerts.RetrySchedule) == 0 && !c.isSet("alerts.retry_schedule") {
		c.Alerts.RetrySchedule = alerts.DefaultConfig().RetrySchedule
	}
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

// ConfigError lists every problem found in a configuration, each
// prefixed with its line in the file when known.
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

// newConfigError returns the problems, in the order of their lines, as a
// *ConfigError.
func newConfigError(source string, probs []problem) *ConfigError {
	probs = slices.Clone(probs)
	slices.SortStableFunc(probs, func(a, b problem) int {
		if (a.line == 0) != (b.line == 0) { // problems without a line go last
			return cmp.Compare(b.line, a.line)
		}
		return cmp.Compare(a.line, b.line)
	})
	e := &ConfigError{Source: source, Problems: make([]string, len(probs))}
	for i, p := range probs {
		e.Problems[i] = p.String()
	}
	return e
}
