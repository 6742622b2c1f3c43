package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/newswatch/newswatch/store"
	"github.com/newswatch/newswatch/web"
)

func newRematchCmd(a *app) *cobra.Command {
	var req web.RematchRequest
	var yes bool
	cmd := &cobra.Command{
		Use:   "rematch",
		Short: "Run the current topics again over every stored article",
		Long: `Rematch matches every stored article (matched or not) against the
topics in force and updates the article's topics and the topic index
where they changed: after you add or refine a topic, the archive follows.
It prints how many articles gained or lost each topic; --dry-run changes
nothing and lists each article that would gain or lose a topic.

Taking topics away from archived articles needs a confirmation: on a
terminal rematch shows what would be removed and asks; otherwise it
changes nothing and needs --yes. An article that loses its last topic is
kept for the retention period from that moment, never deleted at once.

By default no alerts are sent for articles that now match: they may be
old news. With --alert, subscribers get alerts for articles that gained a
topic, through the outbox as usual.

While a daemon runs, rematch goes through it and uses the topics it has
in force: run "newswatch reload" first after editing them.`,
		Example: "  newswatch rematch --config newswatch.yaml --dry-run\n  newswatch rematch --config newswatch.yaml --yes",
		Args:    cobraArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			cfg, err := a.loadConfig()
			if err != nil {
				return err
			}
			access := readWrite
			if req.DryRun {
				access = readOnly
			}
			s, err := a.connect(cmd.Context(), cfg, access)
			if err != nil {
				return err
			}
			defer func() { err = errors.Join(err, s.Close()) }()
			if s.daemon {
				a.warnStaleDaemonConfig(cmd.Context(), s)
			}
			req.AllowRemovals = yes
			rep, err := s.Rematch(cmd.Context(), req)
			if errors.Is(err, store.ErrWouldRemove) {
				if rep, err = a.confirmRemovals(cmd.Context(), s, req, rep); err != nil {
					return err
				}
			}
			if err != nil {
				return apiError(err)
			}
			printRematch(a.stdout, rep, req.DryRun)
			return nil
		},
	}
	f := cmd.Flags()
	f.BoolVar(&req.DryRun, "dry-run", false, "report what would change, article by article, without writing")
	f.BoolVar(&req.Alert, "alert", false, "enqueue alerts for articles that gained a topic")
	f.BoolVarP(&yes, "yes", "y", false, "apply without asking even if topics are removed from archived articles")
	return cmd
}

// confirmRemovals shows what a rematch would take away and, on a terminal,
// asks whether to go on; elsewhere it refuses, pointing at --yes.
func (a *app) confirmRemovals(ctx context.Context, s *session, req web.RematchRequest, dry *store.RematchReport) (*store.RematchReport, error) {
	fmt.Fprintln(a.stderr, "rematch would take topics away from archived articles:")
	printRemovals(a.stderr, dry)
	n := dry.Removals()
	if !isTerminal(a.stdin) {
		return nil, usageError{fmt.Errorf("rematch would remove %d topic assignment(s) (listed above); nothing changed: run it again with --yes to apply", n)}
	}
	fmt.Fprintf(a.stderr, "Remove %d topic assignment(s)? [y/N] ", n)
	answer, _ := bufio.NewReader(a.stdin).ReadString('\n')
	if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
		return nil, errors.New("rematch cancelled; nothing changed")
	}
	req.AllowRemovals = true
	return s.Rematch(ctx, req)
}

// warnStaleDaemonConfig warns when the config file changed after the
// daemon read it: the rematch would use the old topics.
func (a *app) warnStaleDaemonConfig(ctx context.Context, s *session) {
	st, err := s.Status(ctx)
	if err != nil || a.configPath == "" {
		return
	}
	if fi, err := os.Stat(a.configPath); err == nil && fi.ModTime().After(st.Loaded) {
		fmt.Fprintf(a.stderr, "newswatch: %s changed after the daemon read its config (%s); the rematch uses the topics in force: run \"newswatch reload\" first to use the new ones\n",
			a.configPath, fmtTime(&st.Loaded))
	}
}

// printRematch writes the summary of a rematch and, for a dry run, every
// article that would gain or lose a topic.
func printRematch(w io.Writer, rep *store.RematchReport, dryRun bool) {
	verb := "changed"
	if dryRun {
		verb = "would change"
	}
	fmt.Fprintf(w, "%d articles matched again; %d %s\n", rep.Articles, rep.Changed, verb)
	for _, tc := range rep.Topics {
		fmt.Fprintf(w, "  %s: +%d -%d\n", tc.Topic, len(tc.Gained), len(tc.Lost))
		if !dryRun {
			continue
		}
		for _, r := range tc.Gained {
			fmt.Fprintf(w, "    + %s  %s  %s\n", r.ID, oneLine(r.Title), r.URL)
		}
		for _, r := range tc.Lost {
			fmt.Fprintf(w, "    - %s  %s  %s\n", r.ID, oneLine(r.Title), r.URL)
		}
	}
	if rep.Alerts > 0 {
		fmt.Fprintf(w, "%d alert(s) enqueued\n", rep.Alerts)
	}
}

// printRemovals lists the articles that would lose each topic.
func printRemovals(w io.Writer, rep *store.RematchReport) {
	for _, tc := range rep.Topics {
		if len(tc.Lost) == 0 {
			continue
		}
		fmt.Fprintf(w, "  %s: -%d\n", tc.Topic, len(tc.Lost))
		for _, r := range tc.Lost {
			fmt.Fprintf(w, "    - %s  %s  %s\n", r.ID, oneLine(r.Title), r.URL)
		}
	}
}
