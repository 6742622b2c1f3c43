package main

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/newswatch/newswatch/store"
	"github.com/newswatch/newswatch/web"
)

func newStoreCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "store",
		Short: "Check or compact the store file, or build its search index again",
	}
	cmd.AddCommand(newStoreCheckCmd(a), newStoreCompactCmd(a), newStoreReindexCmd(a))
	return cmd
}

func newStoreCheckCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "check [FILE]",
		Short: "Verify a store file: every page, and newswatch's indexes",
		Long: `Check verifies the configured store file, or FILE (a backup, say): it
walks every page of the file and checks the store's invariants (every
article indexed, every index entry backed by an article, every pending
alert due), in one read transaction, and prints the counts of what it
holds. The configured store may be checked while the daemon runs: the
check goes through it. Exit status 1 when problems are found.`,
		Example: "  newswatch store check -c /etc/newswatch/newswatch.yaml\n  newswatch store check /var/backups/newswatch/newswatch-2026-12-01.db",
		Args:    cobraArgs(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			var res web.CheckResult
			if len(args) == 1 {
				rep, err := store.CheckFile(cmd.Context(), args[0])
				if err != nil && !errors.Is(err, store.ErrCorrupt) {
					return err
				}
				res = web.NewCheckResult(rep)
				if err != nil && len(res.Problems) == 0 {
					res.Problems, res.OK = []string{err.Error()}, false
				}
			} else {
				s, err := a.connectConfig(cmd, readOnly)
				if err != nil {
					return err
				}
				defer func() { err = errors.Join(err, s.Close()) }()
				if res, err = s.CheckStore(cmd.Context()); err != nil {
					return apiError(err)
				}
			}
			printCheck(a.stdout, res)
			if !res.OK {
				return fmt.Errorf("store %s has problems: restore a backup (see the README, Backup and restore)", res.Path)
			}
			return nil
		},
	}
}

// printCheck writes what a store check found.
func printCheck(w io.Writer, res web.CheckResult) {
	fmt.Fprintf(w, "store %s: %.1f MB, schema %d\n", res.Path, float64(res.Size)/1e6, res.Schema)
	fmt.Fprintf(w, "feeds %d, articles %d (%d matched), seen %d\n", res.Feeds, res.Articles, res.Matched, res.Seen)
	var alerts []string
	for _, st := range slices.Sorted(maps.Keys(res.Alerts)) {
		alerts = append(alerts, fmt.Sprintf("%d %s", res.Alerts[st], st))
	}
	if len(alerts) > 0 {
		fmt.Fprintf(w, "alerts: %s\n", strings.Join(alerts, ", "))
	}
	if res.OK {
		fmt.Fprintln(w, "no problems found")
		return
	}
	for _, p := range res.Problems {
		fmt.Fprintf(w, "  problem: %s\n", p)
	}
}

func newBackupCmd(a *app) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "backup -o FILE",
		Short: "Write a consistent copy of the store, also while the daemon runs",
		Long: `Backup writes a consistent copy of the store file to FILE from one read
transaction (bbolt's transactional copy): while a daemon runs it goes
through the daemon, which keeps polling meanwhile. The copy is written
beside FILE, synced to disk and checked (as "store check" does) before it
takes FILE's name, so FILE is never half a backup nor a damaged one. The
file is readable by its owner only: it holds the whole archive.`,
		Example: "  newswatch backup -o /var/backups/newswatch-$(date +%F).db",
		Args:    cobraArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			if out == "" || out == "-" {
				return usageError{errors.New("--output FILE is required (a database file is not for a terminal)")}
			}
			s, err := a.connectConfig(cmd, readOnly)
			if err != nil {
				return err
			}
			defer func() { err = errors.Join(err, s.Close()) }()
			body, err := s.Backup(cmd.Context())
			if err != nil {
				return apiError(err)
			}
			defer body.Close()
			rep, err := store.SaveBackup(cmd.Context(), out, body)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "backup %s: %.1f MB, %d articles, %d feeds, checked\n", out, float64(rep.Size)/1e6, rep.Articles, rep.Feeds)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "the backup file to write")
	return cmd
}

func newRestoreCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "restore FILE",
		Short: "Replace the store with a backup (the daemon stopped)",
		Long: `Restore replaces the configured store file with the backup FILE. It
checks FILE first (as "store check" does) and refuses a damaged or
foreign file, or one of a newer newswatch; then it writes the copy beside
the store, syncs it and renames it into place, so the store is always the
old file or the whole backup. The replaced file is kept beside it with
the suffix .before-restore (a restore refuses to overwrite an earlier
one: move it away first). The daemon must be stopped: it owns the store.`,
		Example: "  sudo systemctl stop newswatch\n  sudo -u newswatch newswatch restore /var/backups/newswatch/newswatch-2026-12-01.db\n  sudo systemctl start newswatch",
		Args:    cobraArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			path, err := a.stoppedStore(cmd, "a restore replaces the file it holds")
			if err != nil {
				return err
			}
			_, statErr := os.Stat(path)
			rep, err := store.Restore(cmd.Context(), args[0], path)
			if errors.Is(err, store.ErrLocked) {
				return fmt.Errorf("%w: stop the daemon first", err)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "restored %s from %s: %d articles, %d feeds\n", path, args[0], rep.Articles, rep.Feeds)
			if statErr == nil {
				fmt.Fprintf(a.stdout, "the replaced store is kept as %s%s\n", path, store.BeforeRestoreSuffix)
			}
			return nil
		},
	}
}
