package main

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
	"github.com/newswatch/newswatch/topic"
)

func newRematchCmd(a *app) *cobra.Command {
	var dryRun, alert bool
	cmd := &cobra.Command{
		Use:   "rematch",
		Short: "Run the current topics again over every stored article",
		Long: `Rematch matches every stored article (matched or not) against the
topics of the current configuration and updates the article's topics and
the topic index where they changed: after you add or refine a topic, the
archive follows. It prints how many articles gained or lost each topic.

By default no alerts are sent for articles that now match: they may be
old news. With --alert, subscribers get alerts for articles that gained a
topic, through the outbox as usual (delivered by the next run or poll).
The store must not be held by a running daemon.`,
		Example: "  newswatch rematch --config newswatch.yaml --dry-run\n  newswatch rematch --config newswatch.yaml",
		Args:    cobraArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			cfg, err := a.loadConfig()
			if err != nil {
				return err
			}
			matcher, err := topic.Compile(cfg.TopicList())
			if err != nil {
				return usageError{fmt.Errorf("topics: %w", err)}
			}
			st, err := a.openStoreMode(cfg, dryRun)
			if err != nil {
				return err
			}
			defer func() { err = errors.Join(err, st.Close()) }()
			var planner interface {
				Plan(*news.Article, time.Time) []news.Alert
			}
			if alert {
				disp, err := cfg.newDispatcher(st, a.logger(cfg))
				if err != nil {
					return err
				}
				planner = disp.Router()
			}
			sum := rematchSummary{gained: map[string]int{}, lost: map[string]int{}}
			err = st.ForEachArticle(cmd.Context(), store.Query{All: true}, func(art *news.Article) error {
				before := slices.Clone(art.Topics)
				art.SetHits(matcher.Match(art))
				gained := sum.count(before, art.Topics)
				if dryRun || slices.Equal(before, art.Topics) {
					return nil
				}
				if err := st.UpdateArticleTopics(art.ID, art.Hits); err != nil {
					return err
				}
				if planner != nil && gained {
					_, err := st.EnqueueAlerts(planner.Plan(art, time.Now()))
					return err
				}
				return nil
			})
			if err != nil {
				return err
			}
			sum.print(a, dryRun)
			return nil
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "report what would change without writing")
	cmd.Flags().BoolVar(&alert, "alert", false, "enqueue alerts for articles that gained a topic")
	return cmd
}

// rematchSummary counts what a rematch changed.
type rematchSummary struct {
	articles, changed int
	gained, lost      map[string]int
}

// count records one article's topics before and after, and reports
// whether it gained a topic.
func (s *rematchSummary) count(before, after []string) (gained bool) {
	s.articles++
	if !slices.Equal(before, after) {
		s.changed++
	}
	for _, t := range after {
		if !slices.Contains(before, t) {
			s.gained[t]++
			gained = true
		}
	}
	for _, t := range before {
		if !slices.Contains(after, t) {
			s.lost[t]++
		}
	}
	return gained
}

func (s *rematchSummary) print(a *app, dryRun bool) {
	verb := "changed"
	if dryRun {
		verb = "would change"
	}
	fmt.Fprintf(a.stdout, "%d articles matched again; %d %s\n", s.articles, s.changed, verb)
	names := slices.Sorted(func(yield func(string) bool) {
		seen := map[string]bool{}
		for _, m := range []map[string]int{s.gained, s.lost} {
			for t := range m {
				if !seen[t] {
					seen[t] = true
					if !yield(t) {
						return
					}
				}
			}
		}
	})
	for _, t := range names {
		fmt.Fprintf(a.stdout, "  %s: +%d -%d\n", t, s.gained[t], s.lost[t])
	}
}
