package main

import (
	"context"
	"errors"
	"time"

	"github.com/spf13/cobra"

	"github.com/newswatch/newswatch/monitor"
	"github.com/newswatch/newswatch/store"
)

func newPollCmd(a *app) *cobra.Command {
	var drainTimeout time.Duration
	var prof profiles
	cmd := &cobra.Command{
		Use:   "poll",
		Short: "Poll every feed once, wait until done, and exit",
		Long: `Poll makes one pass over every configured feed, whether due or not,
and exits when it is done. Feed errors are reported and recorded in the
store (see "newswatch feeds"), not fatal while at least one feed could
be polled: poll exits 1 when every feed failed (the network is down?),
or the config or store is unusable. On a terminal it shows a progress
bar, with the log lines printed above it.

Before it exits, poll delivers the alerts it enqueued (and any others
due), waiting at most --drain-timeout; what is still undelivered stays in
the outbox for the next poll or the daemon.

--cpuprofile and --memprofile write pprof profiles of the poll, for
"go tool pprof" (a running daemon is profiled through its control
socket: see the README).`,
		Example: "  newswatch poll --config newswatch.yaml\n  newswatch poll --config newswatch.yaml --cpuprofile cpu.pprof --memprofile mem.pprof",
		Args:    cobraArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			cfg, err := a.loadRunConfig()
			if err != nil {
				return err
			}
			if err := prof.start(); err != nil {
				return err
			}
			defer func() { err = errors.Join(err, prof.stop()) }()
			// On a terminal a bar shows the progress and the log lines
			// print above it; elsewhere a summary line ends the poll.
			var bar *progressBar
			if isTerminal(a.stderr) {
				bar = newProgressBar(a.stderr)
				a.logs.set(bar)
				defer a.logs.set(a.stderr)
			}
			p, err := a.newPipeline(cmd.Context(), cfg)
			if errors.Is(err, store.ErrLocked) {
				err = a.alreadyRunning(cmd.Context(), cfg, err, "it polls every feed on schedule (see \"newswatch feeds\"); stop it to poll by hand")
			}
			if err != nil {
				if bar != nil {
					bar.stop()
				}
				return err
			}
			var tally pollTally
			progress := tally.add
			if bar != nil {
				bar.start(len(p.monitor.Feeds()), &tally)
				progress = func(r monitor.Result) { tally.add(r); bar.increment() }
			}
			started := time.Now()
			pollErr := p.monitor.PollAll(cmd.Context(), progress)
			if bar != nil {
				bar.stop()
				a.logs.set(a.stderr)
			}
			// Then the refetches (edits and takedowns) due when the poll
			// started: not those of the articles it just stored.
			refetched, _, refetchErr := p.monitor.RefetchDue(cmd.Context(), started)
			pollErr = errors.Join(pollErr, refetchErr)
			p.log.Info("poll finished", "feeds", tally.finished.Load(), "new", tally.stored.Load(),
				"matched", tally.matched.Load(), "failed", tally.failed.Load(), "refetched", refetched)
			dctx, cancel := context.WithTimeout(cmd.Context(), drainTimeout)
			drainErr := p.alerts.Drain(dctx)
			cancel()
			if drainErr != nil {
				p.log.Warn("alerts not all delivered before the drain timeout; they stay in the outbox", "error", drainErr)
			}
			closeErr := p.Close()
			return errors.Join(pollErr, tally.err(), closeErr)
		},
	}
	cmd.Flags().DurationVar(&drainTimeout, "drain-timeout", 60*time.Second, "how long to wait for alert delivery before exiting")
	prof.flags(cmd)
	return cmd
}
