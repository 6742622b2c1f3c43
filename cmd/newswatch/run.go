package main

import (
	"errors"
	"sync"

	"github.com/spf13/cobra"
)

func newRunCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "run",
		Short: "Run the daemon: poll feeds on schedule until SIGINT or SIGTERM",
		Long: `Run polls every feed that is due at start, then each feed on its own
schedule, until it receives SIGINT or SIGTERM. On shutdown in-flight work
is cancelled and the store is closed cleanly; the schedule is kept in the
store, so a restart resumes instead of refetching everything.`,
		Example: "  newswatch run\n  newswatch run --config /etc/newswatch.yaml",
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
			p.log.Info("newswatch started", "feeds", len(cfg.Feeds), "topics", len(cfg.Topics), "store", p.store.Path(), "config", cfg.source)
			var wg sync.WaitGroup
			var deliverErr error
			wg.Go(func() { deliverErr = p.alerts.Run(cmd.Context()) })
			runErr := p.monitor.Run(cmd.Context())
			wg.Wait()
			closeErr := p.Close()
			p.log.Info("newswatch stopped")
			return errors.Join(runErr, deliverErr, closeErr)
		},
	}
}
