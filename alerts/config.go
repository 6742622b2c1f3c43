package alerts

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/newswatch/newswatch/news"
)

// Webhook payload formats.
const (
	FormatStandard = "standard" // Standard Webhooks JSON, signed
	FormatSlack    = "slack"
	FormatDiscord  = "discord"
	FormatTelegram = "telegram"
	FormatNtfy     = "ntfy"
)

// Digest periods of an email target.
const (
	DigestNone   = "none"
	DigestHourly = "hourly"
	DigestDaily  = "daily"
	DigestWeekly = "weekly"
)

// SMTP TLS modes.
const (
	TLSStartTLS = "starttls"
	TLSImplicit = "tls"
	TLSNone     = "none"
)

// AnyTopic in a subscriber's topics matches every configured topic.
const AnyTopic = "*"

// Subscriber is one recipient of alerts, as configured under subscribers:.
// An article reaches a subscriber when it matched one of Topics or Query
// matches it, and its language and source pass Langs and Sources. With
// SourceHealth, every change of a feed's health that passes Sources
// reaches it too.
type Subscriber struct {
	Name    string         `yaml:"name"`
	Topics  []string       `yaml:"topics"`  // configured topic names, or "*" for all
	Query   string         `yaml:"query"`   // optional, query language; OR'ed with Topics
	Langs   []string       `yaml:"langs"`   // BCP 47 primary tags; empty means all
	Sources []string       `yaml:"sources"` // feed names or feed URLs; empty means all
	Webhook *WebhookTarget `yaml:"webhook"`
	Email   *EmailTarget   `yaml:"email"`
	// SourceHealth asks for an alert whenever a feed becomes failing,
	// quiet or rule_broken, or ok again.
	SourceHealth bool `yaml:"source_health"`
	// Revisions opts in to alerts when an article the subscriber's topics
	// matched is later edited ("changed") or taken down ("removed").
	Revisions []string `yaml:"revisions"`
}

// Revision alert opt-ins of Subscriber.Revisions.
const (
	RevisionsChanged = "changed"
	RevisionsRemoved = "removed"
)

// wantsRevision reports whether s opted in to alerts of kind.
func (s Subscriber) wantsRevision(kind news.RevisionKind) bool {
	want := map[news.RevisionKind]string{news.RevisionEdited: RevisionsChanged, news.RevisionRemoved: RevisionsRemoved}[kind]
	return want != "" && slices.Contains(s.Revisions, want)
}

// WebhookTarget is an HTTP endpoint that receives one POST per alert.
type WebhookTarget struct {
	URL       string `yaml:"url"`
	Secret    string `yaml:"secret"`     // whsec_<base64>; signs standard payloads
	SecretEnv string `yaml:"secret_env"` // environment variable holding the secret
	Format    string `yaml:"format"`     // standard (default) | slack | discord | telegram | ntfy
}

// EmailTarget is a list of addresses that receive alerts by mail, one mail
// per alert or one digest per period.
type EmailTarget struct {
	To     []string `yaml:"to"`
	Digest string   `yaml:"digest"` // none (default) | hourly | daily | weekly
	At     string   `yaml:"at"`     // "HH:MM" send time (hourly uses the minutes); default 08:00
	TZ     string   `yaml:"tz"`     // IANA zone of At; default UTC
}

// SMTPConfig is the mail relay alerts are sent through.
type SMTPConfig struct {
	Host        string `yaml:"host"`
	Port        int    `yaml:"port"` // default 587 (25 with tls: none, 465 with tls: tls)
	From        string `yaml:"from"` // "Name <addr@example.org>"
	Username    string `yaml:"username"`
	Password    string `yaml:"password"`
	PasswordEnv string `yaml:"password_env"`
	TLS         string `yaml:"tls"` // starttls (default) | tls | none
	// UnsubscribeURL, when set, is an https URL for RFC 8058 one-click
	// unsubscribe; the subscriber name is appended as ?subscriber=NAME.
	UnsubscribeURL string `yaml:"unsubscribe_url"`
}

// Config holds the delivery settings under alerts:.
type Config struct {
	// RetrySchedule is the delay before each attempt: the first entry
	// applies to the first attempt, and an alert fails for good after
	// len(RetrySchedule) attempts. Each delay gets ±20% jitter.
	RetrySchedule []time.Duration `yaml:"retry_schedule"`
	// StoryUpdates says what later articles of a story that already
	// alerted a subscriber give: StoryUpdatesDigest (the default), an
	// entry of the next digest or, without digests, one update alert per
	// StoryUpdateInterval; StoryUpdatesImmediate, an update alert each;
	// StoryUpdatesNone, nothing.
	StoryUpdates string `yaml:"story_updates"`
	// StoryUpdateInterval is how often at most a subscriber without
	// digests gets a story's update alert; default 3 hours.
	StoryUpdateInterval time.Duration `yaml:"story_update_interval"`
}

// Values of Config.StoryUpdates.
const (
	StoryUpdatesDigest    = "digest"
	StoryUpdatesImmediate = "immediate"
	StoryUpdatesNone      = "none"
)

// DefaultStoryUpdateInterval is the default Config.StoryUpdateInterval.
const DefaultStoryUpdateInterval = 3 * time.Hour

// DefaultRetrySchedule is the Standard Webhooks schedule: about 75 hours
// over 10 attempts.
var DefaultRetrySchedule = []time.Duration{
	0, 5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour,
	5 * time.Hour, 10 * time.Hour, 14 * time.Hour, 20 * time.Hour, 24 * time.Hour,
}

// DefaultConfig returns the delivery defaults.
func DefaultConfig() Config {
	return Config{RetrySchedule: append([]time.Duration(nil), DefaultRetrySchedule...)}
}

// Validate reports every problem of the delivery settings.
func (c Config) Validate() []error {
	var errs []error
	for i, d := range c.RetrySchedule {
		if d < 0 {
			errs = append(errs, fmt.Errorf("alerts.retry_schedule[%d]: negative delay %v", i, d))
		}
	}
	switch c.StoryUpdates {
	case "", StoryUpdatesDigest, StoryUpdatesImmediate, StoryUpdatesNone:
	default:
		errs = append(errs, fmt.Errorf("alerts.story_updates: %q is not one of digest, immediate, none", c.StoryUpdates))
	}
	if c.StoryUpdateInterval < 0 || c.StoryUpdateInterval > 0 && c.StoryUpdateInterval < time.Minute {
		errs = append(errs, fmt.Errorf("alerts.story_update_interval: %v is shorter than 1m", c.StoryUpdateInterval))
	}
	return errs
}

// schedule returns the retry schedule, or the default when none is set.
func (c Config) schedule() []time.Duration {
	if len(c.RetrySchedule) == 0 {
		return DefaultRetrySchedule
	}
	return c.RetrySchedule
}

// Validate reports every problem of the SMTP settings. It is only needed
// when a subscriber has an email target.
func (c SMTPConfig) Validate() []error {
	var errs []error
	if c.Host == "" {
		errs = append(errs, errors.New("smtp.host: required by email subscribers"))
	}
	if c.Port < 0 || c.Port > 65535 {
		errs = append(errs, fmt.Errorf("smtp.port: %d out of range", c.Port))
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		errs = append(errs, fmt.Errorf("smtp.from %q: %v", c.From, err))
	}
	switch c.TLS {
	case "", TLSStartTLS, TLSImplicit, TLSNone:
	default:
		errs = append(errs, fmt.Errorf("smtp.tls %q: want starttls, tls or none", c.TLS))
	}
	if c.Password != "" && c.PasswordEnv != "" {
		errs = append(errs, errors.New("smtp: set password or password_env, not both"))
	}
	if c.UnsubscribeURL != "" {
		if u, err := url.Parse(c.UnsubscribeURL); err != nil || u.Scheme != "https" || u.Host == "" {
			errs = append(errs, fmt.Errorf("smtp.unsubscribe_url %q: want an https URL", c.UnsubscribeURL))
		}
	}
	return errs
}

// Validate reports every problem of the subscriber. Topic names are not
// checked against the configured topics here: see ValidateTopics.
func (s Subscriber) Validate() []error {
	p := "subscriber " + strconvQuote(s.Name)
	var errs []error
	if strings.TrimSpace(s.Name) == "" {
		errs = append(errs, errors.New("subscriber: name required"))
	}
	if len(s.Topics) == 0 && strings.TrimSpace(s.Query) == "" && !s.SourceHealth {
		errs = append(errs, fmt.Errorf("%s: set topics, query or source_health", p))
	}
	if s.Webhook == nil && s.Email == nil {
		errs = append(errs, fmt.Errorf("%s: set webhook or email", p))
	}
	for _, r := range s.Revisions {
		if r != RevisionsChanged && r != RevisionsRemoved {
			errs = append(errs, fmt.Errorf("%s: revisions: %q is not one of %s, %s", p, r, RevisionsChanged, RevisionsRemoved))
		}
	}
	if s.Webhook != nil {
		errs = append(errs, s.Webhook.validate(p+" webhook")...)
	}
	if s.Email != nil {
		errs = append(errs, s.Email.validate(p+" email")...)
	}
	return errs
}

// ValidateTopics reports the subscriber's topics that are not among known.
func (s Subscriber) ValidateTopics(known []string) []error {
	var errs []error
	for _, t := range s.Topics {
		if t != AnyTopic && !containsFold(known, t) {
			errs = append(errs, fmt.Errorf("subscriber %q: unknown topic %q", s.Name, t))
		}
	}
	return errs
}

func (w WebhookTarget) validate(p string) []error {
	var errs []error
	u, err := url.Parse(w.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		shown := fmt.Sprintf("%q", w.URL) // no host: nothing secret to hide
		if err == nil && u.Host != "" {
			shown = endpoint(u) // keep tokens in the path or query out of messages
		}
		errs = append(errs, fmt.Errorf("%s: url %s: want an absolute http(s) URL", p, shown))
	}
	switch w.Format {
	case "", FormatStandard, FormatSlack, FormatDiscord, FormatTelegram, FormatNtfy:
	default:
		errs = append(errs, fmt.Errorf("%s: format %q: want standard, slack, discord, telegram or ntfy", p, w.Format))
	}
	if w.Secret != "" && w.SecretEnv != "" {
		errs = append(errs, fmt.Errorf("%s: set secret or secret_env, not both", p))
	}
	if w.Secret != "" {
		if _, err := DecodeSecret(w.Secret); err != nil {
			errs = append(errs, fmt.Errorf("%s: %v", p, err))
		}
	}
	if (w.Format == "" || w.Format == FormatStandard) && w.Secret == "" && w.SecretEnv == "" {
		errs = append(errs, fmt.Errorf("%s: standard webhooks need secret or secret_env", p))
	}
	if w.Format == FormatTelegram && u != nil && u.Query().Get("chat_id") == "" {
		errs = append(errs, fmt.Errorf("%s: telegram url needs ?chat_id=", p))
	}
	return errs
}

func (e EmailTarget) validate(p string) []error {
	var errs []error
	if len(e.To) == 0 {
		errs = append(errs, fmt.Errorf("%s: to: at least one address", p))
	}
	for _, a := range e.To {
		if _, err := mail.ParseAddress(a); err != nil {
			errs = append(errs, fmt.Errorf("%s: to %q: %v", p, a, err))
		}
	}
	switch e.Digest {
	case "", DigestNone, DigestHourly, DigestDaily, DigestWeekly:
	default:
		errs = append(errs, fmt.Errorf("%s: digest %q: want none, hourly, daily or weekly", p, e.Digest))
	}
	if _, err := e.schedule(); err != nil {
		for _, err := range unjoin(err) {
			errs = append(errs, fmt.Errorf("%s: %v", p, err))
		}
	}
	return errs
}

// DecodeSecret returns the HMAC key of a Standard Webhooks secret: the
// base64 part after the optional "whsec_" prefix.
func DecodeSecret(secret string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil || len(key) == 0 {
		return nil, errors.New("secret: want whsec_ followed by base64")
	}
	return key, nil
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

func strconvQuote(s string) string { return fmt.Sprintf("%q", s) }

// unjoin splits an errors.Join result into its errors.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
