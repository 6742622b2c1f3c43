package web

import (
	"context"
	"errors"
	"time"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// Control is what the API asks of newswatch beyond the store: the feeds
// and topics in force and the operations that need the configuration. cmd
// implements it twice over the same code: for the running daemon (changes
// take effect at once) and for a command that opened the store itself
// because no daemon runs.
type Control interface {
	// Feeds returns the feeds in force: the config file's, then those
	// added at run time.
	Feeds() []news.Feed
	// Topics returns the names of the topics in force, sorted.
	Topics() []string
	// TopicList returns the topics in force with their queries: the
	// config file's, then those saved at run time.
	TopicList() []TopicInfo
	// SaveTopic checks query and saves it as a topic at run time (by
	// names who: a user, "topics add"); a daemon matches new articles
	// against it at once. A bad query or a name in use is ErrInvalid or
	// ErrConflict.
	SaveTopic(ctx context.Context, name, query, by string) (TopicInfo, error)
	// DeleteTopic removes a topic saved at run time; a topic of the config
	// file cannot be removed so (ErrConflict).
	DeleteTopic(ctx context.Context, name string) error
	// AddFeeds validates specs and adds the valid, new ones as run-time
	// feeds; via says how ("feeds add", "feeds import subs.opml"). A
	// spec that is invalid or already watched is skipped with its reason.
	// It fails (adding nothing) only when the store does.
	AddFeeds(ctx context.Context, specs []FeedSpec, via string) (AddFeedsResult, error)
	// RemoveFeed removes a run-time feed given by its URL and returns it.
	// A feed of the config file cannot be removed (ErrConflict).
	RemoveFeed(ctx context.Context, url string) (news.Feed, error)
	// Rematch runs the topics in force over the archive.
	Rematch(ctx context.Context, o RematchRequest) (*store.RematchReport, error)
	// AlertsChanged tells the deliverer that alerts were enqueued or
	// retried.
	AlertsChanged()
	// Subscribers returns the names of the subscribers in force.
	Subscribers() []string
	// SendTestAlert sends a sample alert to a subscriber's webhook and
	// email at once, through the same senders as real deliveries, without
	// touching the outbox. An unknown subscriber is ErrInvalid.
	SendTestAlert(ctx context.Context, subscriber string) error
	// Reload reads the config file again and applies it; an invalid file
	// changes nothing (ErrInvalid, listing every problem).
	Reload(ctx context.Context) (ReloadResult, error)
	// Status describes the process serving the API.
	Status() Status
}

// Status describes the process serving the API: a daemon, or a command
// working on the store because none runs.
type Status struct {
	Daemon  bool      `json:"daemon"`
	Version string    `json:"version"`
	PID     int       `json:"pid"`
	Started time.Time `json:"started"`
	Config  string    `json:"config"` // the config file, or "embedded default"
	Loaded  time.Time `json:"loaded"` // when the config in force was read
	Store   string    `json:"store"`
}

// Errors a Control returns so that the API reports them with the right
// status (and the CLI with the right exit code). Wrap them with details.
var (
	// ErrInvalid means the request's input is wrong: 400, exit status 2.
	ErrInvalid = errors.New("invalid request")
	// ErrConflict means the request cannot apply to the current state: 409.
	ErrConflict = errors.New("conflict")
	// ErrNoDaemon means the request needs a running daemon: 503.
	ErrNoDaemon = errors.New("no newswatch daemon is running")
)

// Origins of a topic.
const (
	TopicFromConfig = "config" // the config file (or the built-in default)
	TopicSaved      = "saved"  // saved at run time, kept in the store
)

// TopicInfo is a topic in force, as listed.
type TopicInfo struct {
	Name    string     `json:"name"`
	Query   string     `json:"query"`
	Origin  string     `json:"origin"`
	Created *time.Time `json:"created,omitempty"` // when saved at run time
	By      string     `json:"by,omitempty"`      // who saved it
}

// FeedSpec is a feed to add, as given by a user: the keys of a feeds[]
// entry of the config file.
type FeedSpec struct {
	URL      string `json:"url"`
	Name     string `json:"name,omitempty"`
	Lang     string `json:"lang,omitempty"`
	Interval string `json:"interval,omitempty"` // a duration such as 30m, or "adaptive"
	Scrape   *bool  `json:"scrape,omitempty"`   // default true
	Type     string `json:"type,omitempty"`     // feed (default), sitemap or page
	// Items, Title and Date are the CSS selectors of a page source.
	Items string `json:"items,omitempty"`
	Title string `json:"title,omitempty"`
	Date  string `json:"date,omitempty"`
	// Backfill is read at once after a gap or downtime: the name or URL
	// of another source in force, or the URL of a sitemap.
	Backfill string `json:"backfill,omitempty"`
	// Hosts are other hosts whose links a sitemap or page source takes.
	Hosts []string `json:"hosts,omitempty"`
}

// AddFeedsResult reports what AddFeeds did with each spec.
type AddFeedsResult struct {
	Added   []FeedHealth  `json:"added"`
	Skipped []SkippedFeed `json:"skipped"`
}

// SkippedFeed is a spec AddFeeds did not add, and why.
type SkippedFeed struct {
	URL    string `json:"url"`
	Reason string `json:"reason"`
}

// RematchRequest are the options of a rematch.
type RematchRequest struct {
	DryRun bool `json:"dry_run"`
	// Alert enqueues alerts for articles that gained a topic.
	Alert bool `json:"alert"`
	// AllowRemovals lets the rematch take topics away from archived
	// articles; without it such a rematch changes nothing (409).
	AllowRemovals bool `json:"allow_removals"`
}

// ReloadResult describes the configuration a reload applied.
type ReloadResult struct {
	Config      string    `json:"config"` // the file read
	Loaded      time.Time `json:"loaded"`
	Feeds       int       `json:"feeds"`
	Topics      int       `json:"topics"`
	Subscribers int       `json:"subscribers"`
	// Restart lists changed settings that take effect only after a restart.
	Restart []string `json:"restart,omitempty"`
}
