package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/newswatch/newswatch/store"
)

func newStoreCompactCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "compact",
		Short: "Rewrite the store file without its free space (the daemon stopped)",
		Long: `Compact rewrites the configured store file into a new one with bbolt's
compaction: a bbolt file never shrinks by itself, so the space of pruned
articles and rewritten records stays in it as free pages. The copy is
checked (as "store check" does) and must hold the same articles, feeds
and seen keys before it is renamed over the old file; otherwise the old
file is left as it was. It prints the sizes before and after. The daemon
must be stopped: it owns the store. Needs free disk space for the copy.`,
		Example: "  sudo systemctl stop newswatch\n  sudo -u newswatch newswatch store compact\n  sudo systemctl start newswatch",
		Args:    cobraArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			path, err := a.stoppedStore(cmd, "compaction replaces the file it holds")
			if err != nil {
				return err
			}
			rep, err := store.Compact(cmd.Context(), path)
			if errors.Is(err, store.ErrLocked) {
				return fmt.Errorf("%w: stop the daemon first", err)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "compacted %s: %.1f MB -> %.1f MB (%d articles)\n", rep.Path, float64(rep.Before)/1e6, float64(rep.After)/1e6, rep.Articles)
			return nil
		},
	}
}

// stoppedStore returns the configured store's path for a command that
// replaces the file, or an error naming the daemon that holds it; why
// says what the command does to it.
func (a *app) stoppedStore(cmd *cobra.Command, why string) (string, error) {
	cfg, err := a.loadConfig()
	if err != nil {
		return "", err
	}
	path, err := cfg.StorePath()
	if err != nil {
		return "", usageError{err}
	}
	if ok, _ := daemonAnswers(socketPath(path)); ok {
		return "", a.alreadyRunning(cmd.Context(), cfg, store.ErrLocked, "stop it first (systemctl stop newswatch): "+why)
	}
	return path, nil
}
