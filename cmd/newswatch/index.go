package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/spf13/cobra"

	"github.com/newswatch/newswatch/store"
)

// indexLogEvery is how often building the search index logs its progress.
const indexLogEvery = 10 * time.Second

// buildIndex adds the articles the search index lacks (an archive stored
// before the index, or after its terms changed), logging its progress,
// while the daemon runs; searches scan meanwhile. It returns when done
// or when ctx ends (the next start goes on from there).
func buildIndex(ctx context.Context, st *store.Store, log *slog.Logger) {
	status, err := st.IndexStatus()
	if err != nil || status.Ready {
		if err != nil {
			log.Warn("search index unreadable; searches scan the archive", "error", err)
		}
		return
	}
	start, last := time.Now(), time.Now()
	log.Info("search index: indexing the stored articles; searches scan the archive until it is done")
	err = st.BuildIndex(ctx, func(p store.IndexProgress) {
		if time.Since(last) >= indexLogEvery {
			last = time.Now()
			log.Info("search index: indexing", "done", p.Done, "articles", p.Total, "duration", time.Since(start).Round(time.Second))
		}
	})
	switch {
	case errors.Is(err, context.Canceled):
		log.Info("search index: stopped; it goes on at the next start")
	case err != nil:
		log.Error("search index: indexing failed; searches scan the archive", "error", err)
	default:
		log.Info("search index: ready", "duration", time.Since(start).Round(time.Millisecond))
	}
}

func newStoreReindexCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "reindex",
		Short: "Build the search index again, with the daemon stopped",
		Long: `Reindex empties the archive's search index and indexes every stored
article again, printing its progress. The daemon does this by itself when
it finds articles the index lacks (an archive from before the index, or
a newer newswatch whose text folding changed); reindex is for doing it at
a time of your choosing, or to compact the index. It needs the daemon
stopped: the daemon holds the store.`,
		Example: "  newswatch store reindex -c /etc/newswatch/newswatch.yaml",
		Args:    cobraArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			cfg, err := a.loadConfig()
			if err != nil {
				return err
			}
			st, err := a.openStore(cfg)
			if err != nil {
				return err
			}
			defer func() { err = errors.Join(err, st.Close()) }()
			start, last := time.Now(), time.Time{}
			err = st.Reindex(cmd.Context(), func(p store.IndexProgress) {
				if time.Since(last) >= time.Second || p.Done == p.Total {
					last = time.Now()
					fmt.Fprintf(a.stderr, "\rindexed %d of %d articles", p.Done, p.Total)
				}
			})
			fmt.Fprintln(a.stderr)
			if err != nil {
				return err
			}
			status, err := st.IndexStatus()
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "search index ready: %d articles in %v\n", status.Articles, time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
}
