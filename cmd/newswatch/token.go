package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/newswatch/newswatch/web"
)

func newTokenCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Create, list and revoke API tokens for the HTTP API",
		Long: `API tokens let scripts and monitoring use the HTTP API at web.listen:
send "Authorization: Bearer TOKEN". Every endpoint but /login, /healthz
and /static/ needs a token or a login session (newswatch user). An admin
token may change things (add feeds, retry alerts, back up); a viewer
token only reads. Only a hash of each token is stored: the token itself
is shown once, when it is created.`,
	}
	cmd.AddCommand(newTokenCreateCmd(a), newTokenListCmd(a), newTokenRevokeCmd(a))
	return cmd
}

func newTokenCreateCmd(a *app) *cobra.Command {
	var role string
	cmd := &cobra.Command{
		Use:     "create NAME",
		Short:   "Create a token and print it (once)",
		Example: "  newswatch token create grafana --role viewer\n  curl -H \"Authorization: Bearer $TOKEN\" http://127.0.0.1:8080/api/feeds",
		Args:    cobraArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := web.ParseRole(role)
			if err != nil {
				return usageError{fmt.Errorf("--%v", err)}
			}
			return a.withAPI(cmd, readWrite, func(s *session) error {
				row, err := s.CreateToken(cmd.Context(), web.TokenRequest{Name: args[0], Role: r})
				if err == nil {
					fmt.Fprintln(a.stdout, row.Secret)
					fmt.Fprintf(a.stderr, "newswatch: %s token %q created; it is shown only now: keep it in a secret store\n", row.Role, row.Name)
				}
				return err
			})
		},
	}
	cmd.Flags().StringVar(&role, "role", "admin", "admin (reads and changes) or viewer (reads)")
	return cmd
}

func newTokenListCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List tokens: name, role, created, last used (never the secret)",
		Args:  cobraArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			return a.withAPI(cmd, readOnly, func(s *session) error {
				rows, err := s.Tokens(cmd.Context())
				if err != nil {
					return err
				}
				if format == "json" {
					return writeIndented(a.stdout, rows)
				}
				tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "NAME\tROLE\tCREATED\tLAST USED")
				for _, r := range rows {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Name, r.Role, fmtTime(&r.Created), fmtTime(r.LastUsed))
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func newTokenRevokeCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "revoke NAME",
		Short: "Revoke a token: requests with it are refused at once",
		Args:  cobraArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withAPI(cmd, readWrite, func(s *session) error {
				err := s.RevokeToken(cmd.Context(), args[0])
				if err == nil {
					fmt.Fprintf(a.stdout, "revoked token %s\n", args[0])
				}
				return err
			})
		},
	}
}
