package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

func newStoreCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "store",
		Short: "Check the store file",
	}
	cmd.AddCommand(newStoreCheckCmd(a))
	return cmd
}

func newStoreCheckCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "check",
		Short: "Verify the store file: bbolt's consistency check and newswatch's indexes",
		Long: `Check verifies every page of the store file (bbolt's own check) and the
store's invariants (every article indexed, every index entry backed by an
article, every pending alert due), in one read transaction. It works
while the daemon runs, through it. Exit status 1 when problems are found.`,
		Example: "  newswatch store check -c /etc/newswatch/newswatch.yaml",
		Args:    cobraArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			s, err := a.connectConfig(cmd, readOnly)
			if err != nil {
				return err
			}
			defer func() { err = errors.Join(err, s.Close()) }()
			res, err := s.CheckStore(cmd.Context())
			if err != nil {
				return apiError(err)
			}
			if !res.OK {
				for _, p := range res.Problems {
					fmt.Fprintln(a.stdout, p)
				}
				return fmt.Errorf("store %s has problems: restore a backup (see the README, Backup and restore)", res.Path)
			}
			fmt.Fprintf(a.stdout, "store %s: ok\n", res.Path)
			return nil
		},
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
beside FILE and renamed when complete, so FILE is never half a backup.
Check it with "newswatch store check -c" on a config whose store is the
copy, and restore it as the README's Backup and restore section says.`,
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
			var n int64
			err = a.writeOutput(out, 0o600, func(w io.Writer) (err error) {
				n, err = s.Backup(cmd.Context(), w)
				return apiError(err)
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "backed up %d bytes to %s\n", n, out)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "the backup file to write")
	return cmd
}
