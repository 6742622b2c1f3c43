package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/newswatch/newswatch/monitor"
	"github.com/newswatch/newswatch/store"
)

func newPollCmd(a *app) *cobra.Command {
	var drainTimeout time.Duration
	cmd := &cobra.Command{
		Use:   "poll",
		Short: "Poll every feed once, wait until done, and exit",
		Long: `Poll makes one pass over every configured feed, whether due or not,
and exits when it is done. Feed errors are reported and recorded in the
store (see "newswatch feeds"), not fatal: only an unusable config or
store makes poll exit non-zero. On a terminal it shows progress.

Before it exits, poll delivers the alerts it enqueued (and any others
due), waiting at most --drain-timeout; what is still undelivered stays in
the outbox for the next poll or the daemon.`,
		Example: "  newswatch poll --config newswatch.yaml",
		Args:    cobraArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.loadConfig()
			if err != nil {
				return err
			}
			p, err := a.newPipeline(cfg)
			if errors.Is(err, store.ErrLocked) {
				return a.alreadyRunning(cmd.Context(), cfg, err, "it polls every feed on schedule (see \"newswatch feeds\"); stop it to poll by hand")
			}
			if err != nil {
				return err
			}
			prog := newProgress(a.stderr, len(p.ctl.Feeds()), isTerminal(a.stderr))
			pollErr := p.monitor.PollAll(cmd.Context(), prog.update)
			prog.done()
			dctx, cancel := context.WithTimeout(cmd.Context(), drainTimeout)
			drainErr := p.alerts.Drain(dctx)
			cancel()
			if drainErr != nil {
				p.log.Warn("alerts not all delivered before the drain timeout; they stay in the outbox", "error", drainErr)
			}
			closeErr := p.Close()
			return errors.Join(pollErr, closeErr)
		},
	}
	cmd.Flags().DurationVar(&drainTimeout, "drain-timeout", 60*time.Second, "how long to wait for alert delivery before exiting")
	return cmd
}

// progress prints a one-line status on a terminal: feeds done of total,
// new articles, matches, failed feeds.
type progress struct {
	w                                interface{ Write([]byte) (int, error) }
	total, finished, stored, matched int
	failed                           int
	tty                              bool
}

func newProgress(w interface{ Write([]byte) (int, error) }, total int, tty bool) *progress {
	return &progress{w: w, total: total, tty: tty}
}

func (p *progress) update(r monitor.Result) {
	p.finished++
	p.stored += r.Stored
	p.matched += r.Matched
	if r.Err != nil {
		p.failed++
	}
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[Kfeeds %d/%d  new articles %d  matched %d  failed feeds %d", p.finished, p.total, p.stored, p.matched, p.failed)
	}
}

func (p *progress) done() {
	if p.tty {
		fmt.Fprintln(p.w)
	}
}
