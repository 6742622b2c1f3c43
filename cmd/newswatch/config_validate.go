package main

import (
	"fmt"
	"maps"
	"math"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/newswatch/newswatch/alerts"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/parser"
	"github.com/newswatch/newswatch/web"
)

// redactedValue stands for a secret in the output of config --effective.
const redactedValue = "<redacted>"

// Validate reports every problem of the configuration's values at once,
// as a *ConfigError.
func (c *Config) Validate() error {
	if p := c.problems(); len(p) > 0 {
		return newConfigError(c.source, p)
	}
	return nil
}

// problems returns every problem of the configuration's values. No value
// is replaced silently: a key left out has its default already, so a
// zero or negative value here was written so, and is refused unless zero
// has a documented meaning (schedule.jitter: none, per_host_rate < 0: no limit).
func (c *Config) problems() []problem {
	v := &validator{c: c}
	v.settings()
	for _, msg := range c.Fetch.identityProblems() {
		v.keyed(msg)
	}
	v.feeds()
	v.feedSources()
	v.topics()
	v.sites()
	v.alerts()
	return v.p
}

// validator collects problems, each at the line of the key it concerns.
type validator struct {
	c *Config
	p []problem
}

// at adds "path: message" at the line of the key at path.
func (v *validator) at(path, format string, args ...any) {
	v.p = append(v.p, problem{v.c.line(path), path + ": " + fmt.Sprintf(format, args...)})
}

// under adds msg, which names its subject itself, at the line of path.
func (v *validator) under(path, msg string) {
	v.p = append(v.p, problem{v.c.line(path), msg})
}

// keyed adds msg, which starts with the path of its key ("smtp.from ..."),
// at that key's line.
func (v *validator) keyed(msg string) {
	path := msg
	if i := strings.IndexAny(msg, " :"); i >= 0 {
		path = msg[:i]
	}
	v.under(path, msg)
}

// line returns the line of the key at path, or else of the nearest key
// above it that the file sets; 0 when there is none.
func (c *Config) line(path string) int {
	for path != "" {
		if l, ok := c.lines[path]; ok {
			return l
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return 0
}

// isSet reports whether the file sets the key at path.
func (c *Config) isSet(path string) bool {
	_, ok := c.lines[path]
	return ok
}

// settings checks the scalar settings.
func (v *validator) settings() {
	c := v.c
	for _, k := range []struct {
		path  string
		value any
	}{
		{"retention", c.Retention},
		{"schedule.max_backoff", c.Schedule.MaxBackoff},
		{"schedule.horizon", c.Schedule.Horizon},
		{"fetch.timeout", c.Fetch.Timeout},
		{"fetch.workers", c.Fetch.Workers},
		{"fetch.article_workers", c.Fetch.ArticleWorkers},
		{"fetch.per_host_concurrency", c.Fetch.PerHostConcurrency},
		{"fetch.max_body_size", c.Fetch.MaxBodySize},
		{"web.max_exports", c.Web.MaxExports},
	} {
		if !positive(k.value) {
			v.at(k.path, "%s must be positive", show(k.value))
		}
	}
	if w := c.Stories.Window; w != 0 && w < time.Hour {
		v.at("stories.window", "%s is shorter than 1h", show(w))
	}
	if msg := intervalProblem(c.Schedule.Interval); msg != "" {
		v.at("schedule.interval", "%s", msg)
	}
	if r := c.Fetch.PerHostRate; r == 0 || math.IsNaN(r) {
		v.at("fetch.per_host_rate", "%v is not a rate: write requests per second, or a negative number for no limit", r)
	}
	if j := c.Schedule.Jitter; !(j >= 0 && j <= 0.5) {
		v.at("schedule.jitter", "%v is outside 0..0.5 (0 means no jitter)", j)
	}
	for i, d := range c.Fetch.Refetch {
		if d <= 0 || i > 0 && d <= c.Fetch.Refetch[i-1] {
			v.at(fmt.Sprintf("fetch.refetch[%d]", i), "%s: the delays must be positive and increasing (e.g. [1h, 24h, 168h])", d)
		}
	}
	switch c.Fetch.KeepRaw {
	case news.KeepMatched, news.KeepAll, news.KeepNone:
	default:
		v.at("fetch.keep_raw", "%q is not one of matched, all, none", c.Fetch.KeepRaw)
	}
	switch c.Log.Level {
	case "", "debug", "info", "warn", "error":
	default:
		v.at("log.level", "%q is not one of debug, info, warn, error", c.Log.Level)
	}
	switch c.Log.Format {
	case "", "auto", "text", "json":
	default:
		v.at("log.format", "%q is not one of auto, text, json", c.Log.Format)
	}
	if err := validateListen(c.Web.Listen); err != nil {
		v.at("web.listen", "%v", err)
	}
	for i, h := range c.Web.Hosts {
		if err := web.CheckHost(h); err != nil {
			v.at(fmt.Sprintf("web.hosts[%d]", i), "%v", err)
		}
	}
}

// positive reports whether a number or duration is greater than zero.
func positive(value any) bool {
	switch x := value.(type) {
	case time.Duration:
		return x > 0
	case int:
		return x > 0
	case int64:
		return x > 0
	case float64:
		return x > 0
	}
	panic(fmt.Sprintf("positive: unexpected %T", value))
}

// show writes a value as the file would: durations like 10m.
func show(value any) string {
	if d, ok := value.(time.Duration); ok {
		return formatDuration(d)
	}
	return fmt.Sprint(value)
}

// formatDuration writes d in Go syntax without zero units: 10m, 720h, 1h30m.
func formatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// intervalProblem says what is wrong with a polling interval, or "".
func intervalProblem(d time.Duration) string {
	switch {
	case d <= 0:
		return formatDuration(d) + " must be positive"
	case d < time.Second:
		return formatDuration(d) + " is shorter than 1s"
	}
	return ""
}

// feeds checks each feed's URL and interval, and finds feeds listed twice.
func (v *validator) feeds() {
	seen := map[string]int{}
	for i, f := range v.c.Feeds {
		p := fmt.Sprintf("feeds[%d]", i)
		if f.URL == "" {
			v.at(p, "url is missing")
		} else if key, err := feedKey(f.URL); err != nil {
			v.at(p+".url", "%q is not an http(s) URL", redactURL(f.URL))
		} else if j, dup := seen[key]; dup {
			first := fmt.Sprintf("feeds[%d]", j)
			v.at(p+".url", "%q repeats %s%s", redactURL(f.URL), first, v.c.onLine(first))
		} else {
			seen[key] = i
		}
		if _, err := f.interval(v.c.Schedule.Interval); err != nil {
			v.at(p+".interval", "%v", err)
		}
	}
}

// onLine returns " (line N)" for the key at path, or "".
func (c *Config) onLine(path string) string {
	if l := c.line(path); l > 0 {
		return fmt.Sprintf(" (line %d)", l)
	}
	return ""
}

// feedKey is the identity of a feed URL when looking for duplicates: its
// canonical form (parser.CanonicalURL: scheme and host case, default
// port, tracking parameters) without a trailing slash.
func feedKey(raw string) (string, error) {
	c, err := parser.CanonicalURL(raw, "")
	if err != nil {
		return "", err
	}
	u, err := url.Parse(c)
	if err != nil {
		return "", err
	}
	u.Path, u.RawPath = strings.TrimSuffix(u.Path, "/"), strings.TrimSuffix(u.RawPath, "/")
	return u.String(), nil
}

// redactURL hides the credentials of a URL (password, secret-looking query
// parameters) in messages and printed configurations.
func redactURL(raw string) string { return news.RedactURL(raw) }

// interval parses the feed's interval: 0 means adaptive.
func (f FeedConfig) interval(def time.Duration) (time.Duration, error) {
	switch f.Interval {
	case "":
		return def, nil
	case "adaptive":
		return 0, nil
	}
	d, err := time.ParseDuration(strings.TrimSpace(f.Interval))
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration; %s, or adaptive", f.Interval, durationHint)
	}
	if msg := intervalProblem(d); msg != "" {
		return 0, fmt.Errorf("%s", msg)
	}
	return d, nil
}

// sites checks each extraction rule.
func (v *validator) sites() {
	for i, r := range v.c.Sites {
		if _, err := parser.NewExtractor([]parser.Rule{r}); err != nil {
			v.at(fmt.Sprintf("sites[%d]", i), "%s", strings.TrimPrefix(err.Error(), "site rule 1: "))
		}
	}
}

// alerts checks subscribers, the retry schedule and, when a subscriber
// has email, the SMTP relay.
func (v *validator) alerts() {
	c := v.c
	names := slices.Sorted(maps.Keys(c.Topics))
	seen := map[string]int{}
	for i, s := range c.Subscribers {
		p := fmt.Sprintf("subscribers[%d]", i)
		for _, err := range alerts.ValidateSubscribers([]alerts.Subscriber{s}, names) {
			v.under(p, err.Error())
		}
		if j, dup := seen[s.Name]; dup && s.Name != "" {
			v.at(p+".name", "%q is also the name of subscribers[%d]", s.Name, j)
		}
		seen[s.Name] = i
		for _, t := range s.Topics {
			if c.Topics[t].Disabled {
				v.at(p+".topics", "topic %q is disabled (topics.%s.disabled)", t, t)
			}
		}
		if s.Webhook != nil && s.Webhook.Secret == redactedValue {
			v.at(p+".webhook.secret", "%s", placeholderProblem("secret_env"))
		}
	}
	for _, err := range c.Alerts.Validate() {
		v.keyed(err.Error())
	}
	if len(c.Alerts.RetrySchedule) == 0 && c.isSet("alerts.retry_schedule") {
		v.at("alerts.retry_schedule", "is empty: list at least one delay, or leave the key out for the default")
	}
	if !slices.ContainsFunc(c.Subscribers, func(s alerts.Subscriber) bool { return s.Email != nil }) {
		return
	}
	for _, err := range c.SMTP.Validate() {
		v.keyed(err.Error())
	}
	if c.SMTP.Port == 0 && c.isSet("smtp.port") {
		v.at("smtp.port", "0 is not a port; leave the key out for the default (587; 465 with tls: tls; 25 with tls: none)")
	}
	if c.SMTP.Password == redactedValue {
		v.at("smtp.password", "%s", placeholderProblem("password_env"))
	}
}

// placeholderProblem explains a secret copied from config --effective.
func placeholderProblem(envKey string) string {
	return fmt.Sprintf("%q is what config --effective prints for a secret: write the secret, or better name an environment variable with %s", redactedValue, envKey)
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
