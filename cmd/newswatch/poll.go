package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/newswatch/newswatch/monitor"
)

func newPollCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "poll",
		Short: "Poll every feed once, wait until done, and exit",
		Long: `Poll makes one pass over every configured feed, whether due or not,
and exits when it is done. Feed errors are reported and recorded in the
store (see "newswatch feeds"), not fatal: only an unusable config or
store makes poll exit non-zero. On a terminal it shows progress.`,
		Example: "  newswatch poll --config newswatch.yaml",
		Args:    cobraArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.loadConfig()
			if err != nil {
				return err
			}
			p, err := a.newPipeline(cfg)
			if err != nil {
				return err
			}
			prog := newProgress(a.stderr, len(cfg.Feeds), isTerminal(a.stderr))
			pollErr := p.monitor.PollAll(cmd.Context(), prog.update)
			prog.done()
			closeErr := p.Close()
			return errors.Join(pollErr, closeErr)
		},
	}
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
