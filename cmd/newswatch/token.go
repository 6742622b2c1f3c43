package main

import (
	"encoding/json"
	"errors"
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
send "Authorization: Bearer TOKEN". On a loopback address, reads need no
token and changes do; on any other address every endpoint but /healthz
needs one. An admin token may change things (add feeds, retry alerts,
back up); a viewer token only reads. Only a hash of each token is
stored: the token itself is shown once, when it is created.`,
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
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			r, err := web.ParseRole(role)
			if err != nil {
				return usageError{fmt.Errorf("--%v", err)}
			}
			s, err := a.connectConfig(cmd, readWrite)
			if err != nil {
				return err
			}
			defer func() { err = errors.Join(err, s.Close()) }()
			row, err := s.CreateToken(cmd.Context(), web.TokenRequest{Name: args[0], Role: r})
			if err != nil {
				return apiError(err)
			}
			fmt.Fprintln(a.stdout, row.Secret)
			fmt.Fprintf(a.stderr, "newswatch: %s token %q created; it is shown only now: keep it in a secret store\n", row.Role, row.Name)
			return nil
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
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			if format != "text" && format != "json" {
				return usageError{fmt.Errorf("--format %q: want text or json", format)}
			}
			s, err := a.connectConfig(cmd, readOnly)
			if err != nil {
				return err
			}
			defer func() { err = errors.Join(err, s.Close()) }()
			rows, err := s.Tokens(cmd.Context())
			if err != nil {
				return apiError(err)
			}
			if format == "json" {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(rows)
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tROLE\tCREATED\tLAST USED")
			for _, r := range rows {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Name, r.Role, fmtTime(&r.Created), fmtTime(r.LastUsed))
			}
			return tw.Flush()
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
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			s, err := a.connectConfig(cmd, readWrite)
			if err != nil {
				return err
			}
			defer func() { err = errors.Join(err, s.Close()) }()
			if err := s.RevokeToken(cmd.Context(), args[0]); err != nil {
				return apiError(err)
			}
			fmt.Fprintf(a.stdout, "revoked token %s\n", args[0])
			return nil
		},
	}
}
