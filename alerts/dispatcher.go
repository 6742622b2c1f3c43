package alerts

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newswatch/newswatch/news"
)

// Outbox is the part of the store the Dispatcher reads and marks.
type Outbox interface {
	DueAlerts(now time.Time, limit int) ([]news.Alert, error)
	NextDue() (time.Time, bool, error)
	MarkDelivered(id string, at time.Time) error
	MarkRetry(id string, attemptAt, next time.Time, errMsg string) error
	PostponeAlert(id string, next time.Time, errMsg string) error
	MarkFailed(id string, attemptAt time.Time, errMsg string) error
	Article(id string) (*news.Article, error)
	Alert(id string) (news.Alert, error)
	Story(id string) (news.Story, error)
	StoryMembers(id string) ([]news.StoryMember, error)
}

// Options tunes a Dispatcher. The zero value is the production setting.
type Options struct {
	// AllowPrivateNetworks lets webhooks reach loopback and private
	// addresses (fetch.allow_private_networks).
	AllowPrivateNetworks bool
	// LookupEnv resolves secret_env and password_env (os.LookupEnv in cmd).
	LookupEnv func(string) (string, bool)
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Jitter returns a number in [0, 1) that spreads retries ±20%;
	// default math/rand/v2.Float64.
	Jitter func() float64
	// BatchSize is how many due alerts one pass reads; default 200.
	BatchSize int
	// Lanes is how many destinations (webhook hosts, the SMTP relay) are
	// served at once, one request at a time each; default 8.
	Lanes int
	// Idle is the longest Run sleeps without a due alert or Notify;
	// default 1 minute.
	Idle time.Duration
	// HTTPClient overrides the webhook client (default NewWebhookClient).
	HTTPClient *http.Client
	// Observer, if set, receives the latency of every delivered alert,
	// for metrics.
	Observer DeliveryObserver
}

// DeliveryObserver receives alert delivery latencies, for metrics. It must
// be safe for concurrent use: lanes deliver at once.
type DeliveryObserver interface {
	// ObserveDelivery is called once per delivered alert with its channel
	// (news.ChannelWebhook, news.ChannelEmail) and the time from its
	// enqueueing to its delivery, retries and digest waits included.
	ObserveDelivery(channel string, latency time.Duration)
}

func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Jitter == nil {
		o.Jitter = rand.Float64
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 200
	}
	if o.Lanes <= 0 {
		o.Lanes = 8
	}
	if o.Idle <= 0 {
		o.Idle = time.Minute
	}
	if o.HTTPClient == nil {
		o.HTTPClient = NewWebhookClient(o.AllowPrivateNetworks)
	}
	return o
}

// channelSender is a Sender with the lane (destination) it occupies.
type channelSender struct {
	Sender
	lane     string // one request at a time per lane
	endpoint string // safe to log
}

// Dispatcher delivers due alerts from the outbox and records each outcome.
type Dispatcher struct {
	out    Outbox
	routes atomic.Pointer[routing] // replaced whole by Reconfigure
	opts   Options
	log    *slog.Logger
	notify chan struct{}
	mu     sync.Mutex // one delivery pass at a time

	// unrecorded holds alerts that were sent but that the outbox could not
	// mark delivered (a full disk, a store that stopped writing), with the
	// time they were sent: later passes retry the mark and never the send,
	// so a receiver gets each alert once even while the store cannot
	// write. Kept in memory only: after a restart such an alert is sent
	// again, under the same id.
	unrecordedMu sync.Mutex
	unrecorded   map[string]time.Time
}

// NewDispatcher returns a dispatcher for subs that reads and marks alerts in
// out. Secrets named by secret_env and password_env are resolved through
// opts.LookupEnv.
func NewDispatcher(out Outbox, subs []Subscriber, smtp SMTPConfig, cfg Config, opts Options, log *slog.Logger) (*Dispatcher, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	d := &Dispatcher{out: out, opts: opts.withDefaults(), log: log, notify: make(chan struct{}, 1), unrecorded: map[string]time.Time{}}
	r, err := d.newRouting(subs, smtp, cfg)
	if err != nil {
		return nil, err
	}
	d.routes.Store(r)
	return d, nil
}

// newRouting builds the router, the senders and the retry schedule of
// subs, smtp and cfg, resolving their secrets. It reports every problem.
func (d *Dispatcher) newRouting(subs []Subscriber, smtp SMTPConfig, cfg Config) (*routing, error) {
	router, err := NewRouter(subs)
	if err != nil {
		return nil, err
	}
	router.updates = updatesOf(cfg)
	r := &routing{router: router, senders: map[string]map[string]channelSender{}, schedule: cfg.schedule()}
	var errs []error
	for _, s := range subs {
		m, err := d.newSenders(s, smtp)
		if err != nil {
			errs = append(errs, err)
		}
		r.senders[s.Name] = m
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return r, nil
}

// newSenders returns the senders of subscriber s by channel.
func (d *Dispatcher) newSenders(s Subscriber, smtp SMTPConfig) (map[string]channelSender, error) {
	s, err := s.Resolve(d.opts.LookupEnv)
	if err != nil {
		return nil, err
	}
	m := map[string]channelSender{}
	if s.Webhook != nil {
		w, err := NewWebhook(*s.Webhook, d.opts.HTTPClient)
		if err != nil {
			return nil, fmt.Errorf("subscriber %q: %w", s.Name, err)
		}
		w.now = d.opts.Now
		m[news.ChannelWebhook] = channelSender{Sender: w, lane: "http:" + w.Host(), endpoint: w.Endpoint()}
	}
	if s.Email != nil {
		c, err := smtp.Resolve(d.opts.LookupEnv)
		if err != nil {
			return nil, fmt.Errorf("subscriber %q: %w", s.Name, err)
		}
		e, err := NewEmail(c, s.Name, s.Email.To)
		if err != nil {
			return nil, fmt.Errorf("subscriber %q: %w", s.Name, err)
		}
		e.now = d.opts.Now
		m[news.ChannelEmail] = channelSender{Sender: e, lane: "smtp:" + e.Endpoint(), endpoint: e.Endpoint()}
	}
	return m, nil
}

// Router returns the router built from the dispatcher's subscribers, so
// the monitor plans alerts with exactly the same filters. After
// Reconfigure it returns the new router.
func (d *Dispatcher) Router() *Router { return d.routes.Load().router }

// Notify wakes Run: new alerts were stored. It never blocks.
func (d *Dispatcher) Notify() {
	select {
	case d.notify <- struct{}{}:
	default:
	}
}

// Run delivers due alerts until ctx is done, sleeping until the next alert
// falls due or Notify is called. Store errors are logged and retried; Run
// returns nil when ctx ends.
func (d *Dispatcher) Run(ctx context.Context) error {
	for ctx.Err() == nil {
		wait := d.opts.Idle
		if err := d.deliverDue(ctx); err != nil {
			d.log.Error("alert delivery pass failed", "error", err)
			wait = 5 * time.Second
		} else if next, ok, err := d.out.NextDue(); err != nil {
			d.log.Error("read next due alert", "error", err)
			wait = 5 * time.Second
		} else if ok {
			wait = min(max(next.Sub(d.opts.Now()), 0), d.opts.Idle)
		}
		if wait == 0 {
			continue
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-d.notify:
		case <-t.C:
		}
		t.Stop()
	}
	return nil
}

// Drain delivers every alert that is due now, and keeps delivering alerts
// (retries included) that fall due before ctx's deadline. It returns nil
// once nothing is due before the deadline, or ctx's error if the deadline
// passed with alerts still due. Without a deadline it delivers only what is
// due now.
func (d *Dispatcher) Drain(ctx context.Context) error {
	deadline, hasDeadline := ctx.Deadline()
	for {
		if err := d.deliverDue(ctx); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("drain outbox: %w", err)
		}
		next, ok, err := d.out.NextDue()
		if err != nil {
			return fmt.Errorf("drain outbox: %w", err)
		}
		wait := next.Sub(d.opts.Now())
		switch {
		case !ok:
			return nil
		case wait <= 0:
			continue
		case !hasDeadline || next.After(deadline):
			return nil
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("drain outbox: %w", ctx.Err())
		case <-t.C:
		}
	}
}

// deliverDue runs passes until a pass finds fewer due alerts than a batch.
func (d *Dispatcher) deliverDue(ctx context.Context) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	for ctx.Err() == nil {
		n, err := d.delivery().pass(ctx)
		if err != nil || n < d.opts.BatchSize {
			return err
		}
	}
	return nil
}
