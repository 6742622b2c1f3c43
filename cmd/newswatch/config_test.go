package main

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/newswatch/newswatch/topic"
)

// problemsOf parses conf and returns its problems; none when it is valid.
func problemsOf(t *testing.T, conf string) []string {
	t.Helper()
	_, err := parseConfig([]byte(conf), "test.yaml")
	if err == nil {
		return nil
	}
	var ce *ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("parseConfig = %v, want a *ConfigError", err)
	}
	return ce.Problems
}

// TestConfigProblems: every validation rule, with the key's path and line
// in the message. Each want is a prefix of one reported problem (the rest
// of some messages comes from the topic and selector parsers).
func TestConfigProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		conf string
		want []string // nil: valid
	}{
		{"empty file", "", nil},
		{"sections of comments only", "fetch:\n  # workers: 8\nschedule:\n", nil},
		{"zero interval", "schedule:\n  interval: 0s\n", []string{"line 2: schedule.interval: 0s must be positive"}},
		{"interval under a second", "schedule:\n  interval: 500ms\n", []string{"line 2: schedule.interval: 500ms is shorter than 1s"}},
		{"negative retention", "retention: -1h\n", []string{"line 1: retention: -1h must be positive"}},
		{"zero retention", "retention: 0s\n", []string{"line 1: retention: 0s must be positive"}},
		{"zero max_backoff", "schedule: {max_backoff: 0s}\n", []string{"line 1: schedule.max_backoff: 0s must be positive"}},
		{"negative timeout", "fetch:\n  timeout: -5s\n", []string{"line 2: fetch.timeout: -5s must be positive"}},
		{"zero workers", "fetch:\n  workers: 0\n", []string{"line 2: fetch.workers: 0 must be positive"}},
		{"negative article_workers", "fetch:\n  article_workers: -1\n", []string{"line 2: fetch.article_workers: -1 must be positive"}},
		{"zero per_host_concurrency", "fetch:\n  per_host_concurrency: 0\n", []string{"line 2: fetch.per_host_concurrency: 0 must be positive"}},
		{"zero max_body_size", "fetch:\n  max_body_size: 0\n", []string{"line 2: fetch.max_body_size: 0 must be positive"}},
		{"zero per_host_rate", "fetch:\n  per_host_rate: 0\n", []string{"line 2: fetch.per_host_rate: 0 is not a rate"}},
		{"negative per_host_rate means no limit", "fetch:\n  per_host_rate: -1\n", nil},
		{"jitter zero means none", "schedule:\n  jitter: 0\n", nil},
		{"jitter too large", "schedule:\n  jitter: 0.9\n", []string{"line 2: schedule.jitter: 0.9 is outside 0..0.5"}},
		{"negative jitter", "schedule:\n  jitter: -0.1\n", []string{"line 2: schedule.jitter: -0.1 is outside 0..0.5"}},
		{"log level", "log:\n  level: loud\n", []string{`line 2: log.level: "loud" is not one of debug, info, warn, error`}},
		{"log format", "log: {format: xml}\n", []string{`line 1: log.format: "xml" is not one of auto, text, json`}},
		{"keep raw", "fetch:\n  keep_raw: some\n", []string{`line 2: fetch.keep_raw: "some" is not one of matched, all, none`}},
		{"refetch order", "fetch:\n  refetch: [24h, 1h]\n", []string{`line 2: fetch.refetch[1]: 1h0m0s: the delays must be positive and increasing`}},
		{"web listen", "web:\n  listen: \"8080\"\n", []string{`line 2: web.listen: "8080" is not host:port`}},

		{"duration in words", "retention: 30 days\n", []string{`line 1: retention: "30 days" is not a duration; use Go syntax such as 10m, 90s, 1h30m`}},
		{"duration without unit", "schedule:\n  interval: 600\n", []string{`line 2: schedule.interval: "600" is not a duration; use Go syntax`}},
		{"feed interval in words", "feeds:\n  - url: https://example.org/rss\n    interval: 10 minutes\n",
			[]string{`line 3: feeds[0].interval: "10 minutes" is not a duration; use Go syntax such as 10m, 90s, 1h30m, or adaptive`}},
		{"feed interval zero", "feeds:\n  - url: https://example.org/rss\n    interval: 0s\n", []string{"line 3: feeds[0].interval: 0s must be positive"}},
		{"feed interval adaptive", "feeds:\n  - url: https://example.org/rss\n    interval: adaptive\n", nil},
		{"retry delay list", "alerts: {retry_schedule: [0s, 1 hour]}\n", []string{`line 1: alerts.retry_schedule[1]: "1 hour" is not a duration`}},

		{"unknown key with suggestion", "fetch:\n  worker: 3\n", []string{"line 2: unknown key fetch.worker (did you mean workers?)"}},
		{"unknown top-level key with suggestion", "feed:\n  - url: https://example.org/rss\n", []string{"line 1: unknown key feed (did you mean feeds?)"}},
		{"unknown key in a list item", "feeds:\n  - url: https://example.org/rss\n    urll: x\n", []string{"line 3: unknown key feeds[0].urll (did you mean url?)"}},
		{"unknown key in a subscriber", "subscribers:\n  - name: a\n    topics: [un]\n    webhok: {url: x}\n", []string{"line 4: unknown key subscribers[0].webhok (did you mean webhook?)"}},
		{"key in the wrong case", "fetch:\n  Workers: 3\n", []string{"line 2: unknown key fetch.Workers (did you mean workers?)"}},
		{"unknown key, nothing close", "colour: blue\n", []string{"line 1: unknown key colour"}},
		{"anchors and merge keys", "subscribers:\n  - &desk {name: desk, topics: [un], webhook: {url: https://example.org/h, secret_env: X}}\n  - name: desk2\n    <<: *desk\n", nil},
		{"repeated key", "retention: 1h\nretention: 2h\n", []string{"line 2: retention: repeats the key of line 1"}},

		{"not a boolean", "fetch:\n  allow_private_networks: maybe\n", []string{`line 2: fetch.allow_private_networks: "maybe" is not a boolean (true or false)`}},
		{"not a whole number", "fetch:\n  workers: many\n", []string{`line 2: fetch.workers: "many" is not a whole number`}},
		{"not a number", "fetch:\n  per_host_rate: fast\n", []string{`line 2: fetch.per_host_rate: "fast" is not a number`}},
		{"list for a section", "fetch: [a, b]\n", []string{"line 1: fetch: want a mapping of keys, not a list"}},
		{"mapping for a list", "feeds:\n  url: https://example.org/rss\n", []string{"line 2: feeds: want a list, not a mapping"}},
		{"scalar for a list", "subscribers:\n  - name: a\n    topics: un\n    webhook: {url: https://example.org/h, secret_env: X}\n", []string{`line 3: subscribers[0].topics: want a list, not "un"`}},
		{"scalar for the file", "just words\n", []string{`line 1: the file: want a mapping of keys, not "just words"`}},
		{"YAML syntax", "fetch: [\n", []string{"line 1: did not find expected node content"}},

		{"feed without url", "feeds:\n  - name: no url\n", []string{"line 2: feeds[0]: url is missing"}},
		{"feed url scheme", "feeds:\n  - url: ftp://example.org/rss\n", []string{`line 2: feeds[0].url: "ftp://example.org/rss" is not an http(s) URL`}},
		{"feed url password hidden", "feeds:\n  - url: ftp://u:secret@example.org/rss\n", []string{`line 2: feeds[0].url: "ftp://u:xxxxx@example.org/rss" is not an http(s) URL`}},
		{"duplicate feed", "feeds:\n  - url: https://example.org/rss\n  - url: https://example.org/rss\n", []string{`line 3: feeds[1].url: "https://example.org/rss" repeats feeds[0] (line 2)`}},
		{"duplicate feed, scheme and host case", "feeds:\n  - url: https://example.org/rss\n  - url: HTTPS://Example.ORG/rss\n", []string{`line 3: feeds[1].url: "HTTPS://Example.ORG/rss" repeats feeds[0] (line 2)`}},
		{"duplicate feed, default port", "feeds:\n  - url: https://example.org/rss\n  - url: https://example.org:443/rss\n", []string{`line 3: feeds[1].url: "https://example.org:443/rss" repeats feeds[0]`}},
		{"duplicate feed, trailing slash", "feeds:\n  - url: https://example.org/feed/\n  - url: https://example.org/feed\n", []string{`line 3: feeds[1].url: "https://example.org/feed" repeats feeds[0]`}},
		{"duplicate feed, root path", "feeds:\n  - url: https://example.org\n  - url: https://example.org/\n", []string{`line 3: feeds[1].url: "https://example.org/" repeats feeds[0]`}},
		{"distinct feeds: path and query", "feeds:\n  - url: https://example.org/rss\n  - url: https://example.org/rss?cat=2\n  - url: https://example.org/atom\n  - url: http://example.org:8080/rss\n", nil},

		{"zero horizon", "schedule: {horizon: 0s}\n", []string{"line 1: schedule.horizon: 0s must be positive"}},
		{"source type", "feeds:\n  - url: https://example.org/sitemap.xml\n    type: sitemaps\n", []string{`line 3: feeds[0].type: "sitemaps" is not one of feed, sitemap, page`}},
		{"selectors of a feed", "feeds:\n  - url: https://example.org/rss\n    items: a.title\n", []string{"line 3: feeds[0].items: only a section page has selectors"}},
		{"selector broken", "feeds:\n  - url: https://example.org/xa-hoi/\n    type: page\n    items: 'a[href'\n", []string{`line 4: feeds[0].items: items selector "a[href"`}},
		{"title selector broken", "feeds:\n  - url: https://example.org/xa-hoi/\n    type: page\n    items: .story\n    title: 'h2 >'\n", []string{`line 5: feeds[0].title: title selector "h2 >"`}},
		{"date without items", "feeds:\n  - url: https://example.org/xa-hoi/\n    type: page\n    date: time\n", []string{"line 4: feeds[0].date: is looked up inside each item: give items too"}},
		{"sitemap without scrape", "feeds:\n  - url: https://example.org/sitemap.xml\n    type: sitemap\n    scrape: false\n", []string{"line 4: feeds[0].scrape: a sitemap gives no article text"}},
		{"hosts of a plain feed", "feeds:\n  - url: https://example.org/rss\n    hosts: [example.net]\n", []string{"line 3: feeds[0].hosts: only a sitemap or page source"}},
		{"host with a scheme", "feeds:\n  - url: https://example.org/xa-hoi/\n    type: page\n    hosts: ['https://example.net']\n", []string{`line 4: feeds[0].hosts[0]: "https://example.net" is not a host name`}},
		{"backfill nowhere", "feeds:\n  - url: https://example.org/rss\n    backfill: the sitemap\n", []string{`line 3: feeds[0].backfill: "the sitemap" is neither the name or URL of another feeds[] entry nor an http(s) URL`}},
		{"backfill itself", "feeds:\n  - url: https://example.org/rss\n    name: Example\n    backfill: Example\n", []string{`line 4: feeds[0].backfill: "Example" is this feed itself`}},
		{"backfill itself by URL", "feeds:\n  - url: https://example.org/rss\n    backfill: HTTPS://example.org/rss/\n", []string{`line 3: feeds[0].backfill: "HTTPS://example.org/rss/" is this feed itself`}},
		{"backfill ambiguous", "feeds:\n  - {url: https://example.org/rss, backfill: Maps}\n  - {url: https://example.org/a.xml, name: Maps, type: sitemap}\n  - {url: https://example.org/b.xml, name: Maps, type: sitemap}\n",
			[]string{`line 2: feeds[0].backfill: "Maps" names 2 feeds`}},
		{"sources and backfills", "feeds:\n  - {url: https://example.org/rss, backfill: https://example.org/news-sitemap.xml, hosts: [cdn.example.net]}\n" +
			"  - {url: https://example.org/en/rss, backfill: Section}\n  - {url: https://example.org/xa-hoi/, name: Section, type: page, items: '.story', title: 'h2 a', date: 'time[datetime]'}\n" +
			"  - {url: https://example.org/sitemap.xml, type: sitemap, scrape: true}\n", nil},

		{"topic query empty", "topics:\n  empty:\n    query: \"\"\n", []string{"line 2: topics.empty: query is empty"}},
		{"topic term without letters", "topics:\n  dots:\n    query: 'a OR \"...\"'\n", []string{`line 3: topics.dots.query: term "..." has no letters or digits`}},
		{"topic query broken", "topics:\n  broken:\n    query: '(\"human trafficking\" OR'\n", []string{"line 3: topics.broken.query: "}},
		{"built-in topic query broken", "topics:\n  un: {query: 'United AND'}\n", []string{"line 2: topics.un.query: "}},
		{"built-in query set empty", "topics:\n  un:\n    query: ''\n", []string{"line 2: topics.un: query is empty"}},
		{"topic name", "topics:\n  two words: {query: x}\n", []string{`line 2: topics."two words": a topic name is letters, digits, '-' and '_'`}},
		{"disabling a topic that is not built in", "topics:\n  trafficing: {disabled: true}\n",
			[]string{"line 2: topics.trafficing: there is no built-in topic trafficing to disable (did you mean trafficking?); the built-in topics are trafficking, un"}},
		{"disabling a built-in topic", "topics:\n  un: {disabled: true}\n", nil},

		{"site rule selector", "sites:\n  - hosts: [example.org]\n    body: 'div['\n", []string{"line 2: sites[0]: "}},
		{"subscriber query", "subscribers:\n  - name: desk\n    query: '(a OR'\n    webhook: {url: https://example.org/h, secret_env: X}\n", []string{`line 2: subscriber "desk": query: `}},
		{"subscriber unknown topic", "subscribers:\n  - name: desk\n    topics: [sports]\n    webhook: {url: https://example.org/h, secret_env: X}\n", []string{`line 2: subscriber "desk": unknown topic "sports"`}},
		{"subscriber of a disabled topic", "topics:\n  un: {disabled: true}\nsubscribers:\n  - name: desk\n    topics: [un]\n    webhook: {url: https://example.org/h, secret_env: X}\n",
			[]string{`line 5: subscribers[0].topics: topic "un" is disabled (topics.un.disabled)`}},
		{"subscriber names repeat", "subscribers:\n  - {name: desk, topics: [un], webhook: {url: https://example.org/h, secret_env: X}}\n  - {name: desk, topics: [un], webhook: {url: https://example.org/i, secret_env: X}}\n",
			[]string{`line 3: subscribers[1].name: "desk" is also the name of subscribers[0]`}},
		{"retry schedule empty", "alerts:\n  retry_schedule: []\n", []string{"line 2: alerts.retry_schedule: is empty"}},
		{"retry delay negative", "alerts:\n  retry_schedule: [0s, -5s]\n", []string{"line 2: alerts.retry_schedule[1]: negative delay -5s"}},
		{"story updates", "alerts:\n  story_updates: weekly\n", []string{`line 2: alerts.story_updates: "weekly" is not one of digest, immediate, none`}},
		{"story update interval", "alerts:\n  story_update_interval: 10s\n", []string{"line 2: alerts.story_update_interval: 10s is shorter than 1m"}},
		{"story updates immediate", "alerts:\n  story_updates: immediate\n", nil},
		{"stories window", "stories:\n  window: 30m\n", []string{"line 2: stories.window: 30m is shorter than 1h"}},
		{"smtp port zero", "smtp: {host: mail.example.org, port: 0, from: a@example.org}\nsubscribers:\n  - {name: m, topics: [un], email: {to: [b@example.org]}}\n",
			[]string{"line 1: smtp.port: 0 is not a port"}},
		{"smtp problems at their keys", "smtp:\n  host: mail.example.org\n  from: not an address\nsubscribers:\n  - {name: m, topics: [un], email: {to: [b@example.org]}}\n",
			[]string{`line 3: smtp.from "not an address": `}},
		{"redacted placeholders", "smtp: {host: mail.example.org, from: a@example.org, password: <redacted>}\nsubscribers:\n  - {name: m, topics: [un], email: {to: [b@example.org]}, webhook: {url: https://example.org/h, secret: <redacted>}}\n",
			[]string{`line 1: smtp.password: "<redacted>" is what config --effective prints`, `line 3: subscribers[0].webhook.secret: "<redacted>" is what config --effective prints`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := problemsOf(t, tt.conf)
			if tt.want == nil && got != nil {
				t.Fatalf("parseConfig(%q): problems %q, want none", tt.conf, got)
			}
			for _, w := range tt.want {
				found := false
				for _, g := range got {
					found = found || strings.HasPrefix(g, w)
				}
				if !found {
					t.Errorf("parseConfig(%q): problems\n  %s\nwant one starting %q", tt.conf, strings.Join(got, "\n  "), w)
				}
			}
		})
	}
}

// TestConfigProblemsAtOnce: every problem is reported, in line order,
// whatever kind it is.
func TestConfigProblemsAtOnce(t *testing.T) {
	t.Parallel()
	got := problemsOf(t, `colour: blue
fetch:
  workers: 0
  allow_private_networks: maybe
feeds:
  - url: ftp://example.org/rss
schedule: {interval: 10 minutes}
`)
	want := []string{
		"line 1: unknown key colour",
		"line 3: fetch.workers: 0 must be positive",
		`line 4: fetch.allow_private_networks: "maybe" is not a boolean (true or false)`,
		`line 6: feeds[0].url: "ftp://example.org/rss" is not an http(s) URL`,
		`line 7: schedule.interval: "10 minutes" is not a duration; use Go syntax such as 10m, 90s, 1h30m`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

// TestMergeKeys: a mapping's own keys override those of a merge key (<<),
// wherever the merge key stands.
func TestMergeKeys(t *testing.T) {
	t.Parallel()
	cfg, err := parseConfig([]byte(`subscribers:
  - &desk {name: desk, topics: [un], langs: [vi], webhook: {url: https://example.org/h, secret_env: X}}
  - name: desk2
    <<: *desk
    langs: [ar]
`), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := cfg.Subscribers[1]
	if s.Name != "desk2" || !slices.Equal(s.Langs, []string{"ar"}) || !slices.Equal(s.Topics, []string{"un"}) || s.Webhook == nil || s.Webhook.SecretEnv != "X" {
		t.Errorf("subscribers[1] = %+v, want desk's topics and webhook with its own name and langs", s)
	}
}

// TestTopicsMerge: a topics: block adds to the built-in topics and
// overrides them by name; only disabled: true removes one.
func TestTopicsMerge(t *testing.T) {
	t.Parallel()
	builtin := defaultConfig().Topics
	tests := []struct {
		name string
		conf string
		want map[string]string // enabled topic -> query
	}{
		{"no topics", "feeds: []\n", map[string]string{"trafficking": builtin["trafficking"].Query, "un": builtin["un"].Query}},
		{"a topic of its own", "topics:\n  fishing: {query: 'fishing NEAR/5 forced'}\n",
			map[string]string{"fishing": "fishing NEAR/5 forced", "trafficking": builtin["trafficking"].Query, "un": builtin["un"].Query}},
		{"override", "topics:\n  un: {query: '\"United Nations\"'}\n",
			map[string]string{"trafficking": builtin["trafficking"].Query, "un": `"United Nations"`}},
		{"disabled", "topics:\n  fishing: {query: fishing}\n  un: {disabled: true}\n",
			map[string]string{"fishing": "fishing", "trafficking": builtin["trafficking"].Query}},
		{"all built-in topics disabled", "topics:\n  fishing: {query: fishing}\n  un: {disabled: true}\n  trafficking: {disabled: true}\n",
			map[string]string{"fishing": "fishing"}},
		{"disabled: false keeps the built-in query", "topics:\n  un: {disabled: false}\n",
			map[string]string{"trafficking": builtin["trafficking"].Query, "un": builtin["un"].Query}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := parseConfig([]byte(tt.conf), "test.yaml")
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, tp := range cfg.TopicList() {
				got[tp.Name] = tp.Query
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("TopicList of %q (-want +got):\n%s", tt.conf, diff)
			}
		})
	}
}

// TestBuiltinTopicsCompile: validation skips compiling the built-in
// queries, so this test must compile them.
func TestBuiltinTopicsCompile(t *testing.T) {
	t.Parallel()
	topics := defaultConfig().TopicList()
	if len(topics) != 2 {
		t.Errorf("built-in topics: %d, want trafficking and un", len(topics))
	}
	if _, err := topic.Compile(topics); err != nil {
		t.Errorf("compile the built-in topics: %v", err)
	}
}

// TestDefaultsSameWhenOmitted: a user config that leaves every setting out
// gets exactly the settings of the embedded default, jitter included.
func TestDefaultsSameWhenOmitted(t *testing.T) {
	t.Parallel()
	minimal, err := parseConfig([]byte("feeds:\n  - url: https://example.org/rss\n"), "minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	embedded := defaultConfig()
	opts := cmp.Options{cmpopts.IgnoreFields(Config{}, "Feeds", "source", "lines"), cmp.AllowUnexported(Config{}, TopicConfig{})}
	if diff := cmp.Diff(embedded, minimal, opts); diff != "" {
		t.Errorf("minimal user config differs from the embedded default (-embedded +minimal):\n%s", diff)
	}
	if diff := cmp.Diff(embedded.monitorOptions(), minimal.monitorOptions()); diff != "" {
		t.Errorf("monitor options differ (-embedded +minimal):\n%s", diff)
	}
	if diff := cmp.Diff(embedded.fetcherOptions(), minimal.fetcherOptions()); diff != "" {
		t.Errorf("fetcher options differ (-embedded +minimal):\n%s", diff)
	}
	// The documented defaults (README's table).
	s := minimal.Schedule
	if s.Interval != 10*time.Minute || s.Jitter != 0.1 || s.MaxBackoff != 6*time.Hour || minimal.Retention != 720*time.Hour {
		t.Errorf("defaults: interval %v, jitter %v, max_backoff %v, retention %v; want 10m, 0.1, 6h, 720h", s.Interval, s.Jitter, s.MaxBackoff, minimal.Retention)
	}
	if got := minimal.monitorOptions().Jitter; got != 0.1 {
		t.Errorf("jitter left out: monitor jitter %v, want 0.1", got)
	}
	none, err := parseConfig([]byte("schedule:\n  jitter: 0\n"), "nojitter.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got := none.monitorOptions().Jitter; got >= 0 {
		t.Errorf("jitter: 0 gives monitor jitter %v, want negative (none)", got)
	}
}

// TestRuntimeProblems: what run refuses beyond the file: unset or invalid
// secret variables, and a store that cannot be created or written.
func TestRuntimeProblems(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	hook := "subscribers:\n  - name: desk\n    topics: [un]\n    webhook: {url: https://example.org/h, secret_env: DESK_SECRET}\n"
	mail := "smtp: {host: mail.example.org, from: a@example.org, password_env: SMTP_PASSWORD}\nsubscribers:\n  - {name: m, topics: [un], email: {to: [b@example.org]}}\n"
	tests := []struct {
		name  string
		store string
		conf  string
		env   map[string]string
		want  []string
	}{
		{"all set", filepath.Join(dir, "new", "deeper", "nw.db"), hook, map[string]string{"DESK_SECRET": secret}, nil},
		{"existing store file", file, "", nil, nil},
		{"secret unset", filepath.Join(dir, "nw.db"), hook, nil,
			[]string{`line 5: subscriber "desk": webhook secret_env: environment variable DESK_SECRET is not set`}},
		{"secret not a secret", filepath.Join(dir, "nw.db"), hook, map[string]string{"DESK_SECRET": "hunter2"},
			[]string{`line 5: subscriber "desk": webhook secret_env DESK_SECRET: secret: want whsec_ followed by base64`}},
		{"smtp password unset", filepath.Join(dir, "nw.db"), mail, nil,
			[]string{"line 2: smtp password_env: environment variable SMTP_PASSWORD is not set"}},
		{"smtp password unused without email", filepath.Join(dir, "nw.db"), "smtp: {host: mail.example.org, from: a@example.org, password_env: SMTP_PASSWORD}\n", nil, nil},
		{"store is a directory", dir, "", nil, []string{"line 1: store: " + dir + " is a directory; store names the database file, such as " + filepath.Join(dir, "newswatch.db")}},
		{"store under a file", filepath.Join(file, "sub", "nw.db"), "", nil,
			[]string{"line 1: store: directory " + filepath.Join(file, "sub") + " cannot be created: " + file + " is not a directory"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := parseConfig([]byte("store: "+tt.store+"\n"+tt.conf), "test.yaml")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range cfg.runtimeProblems(func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok }) {
				got = append(got, p.String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("runtimeProblems (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "new")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("checking the store created %s (%v); want nothing created", filepath.Join(dir, "new"), err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".newswatch-check-*")); len(left) > 0 {
		t.Errorf("checking the store left %v behind", left)
	}
}

// TestCheckCommandRuntime: check fails with exit 2 on what run would
// refuse, and names it.
func TestCheckCommandRuntime(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "nw.yaml")
	conf := "store: " + dir + "\nsubscribers:\n  - name: desk\n    topics: [un]\n    webhook: {url: https://example.org/h, secret_env: NEWSWATCH_TEST_UNSET_SECRET}\n"
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, err := exec(t, "check", "--config", cfg)
	if got := exitCode(err); got != exitUsage {
		t.Errorf("check: exit %d (%v), want %d", got, err, exitUsage)
	}
	for _, want := range []string{"line 1: store: " + dir + " is a directory", "line 5: subscriber \"desk\": webhook secret_env: environment variable NEWSWATCH_TEST_UNSET_SECRET is not set"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("check stderr lacks %q:\n%s", want, stderr)
		}
	}
}
