package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/newswatch/newswatch/alerts"
	"github.com/newswatch/newswatch/web"
)

// newDispatcher builds the alert dispatcher of the config on outbox out
// (nil is fine for SendTest only), reporting delivery latencies to obs
// (may be nil). Secrets come from the environment.
func (c *Config) newDispatcher(out alerts.Outbox, log *slog.Logger, obs alerts.DeliveryObserver) (*alerts.Dispatcher, error) {
	d, err := alerts.NewDispatcher(out, c.Subscribers, c.SMTP, c.Alerts, alerts.Options{
		AllowPrivateNetworks: c.Fetch.AllowPrivateNetworks,
		LookupEnv:            os.LookupEnv,
		Observer:             obs,
	}, log)
	if err != nil {
		return nil, usageError{fmt.Errorf("alerts: %w", err)}
	}
	return d, nil
}

func newAlertsCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "alerts",
		Short: "Inspect, retry and test alert delivery",
		Long: `Alerts wait in the outbox until they are delivered. Failed alerts (a
permanent error, or every retry used up) stay in the dead-letter list
until "alerts retry" sends them again.`,
	}
	cmd.AddCommand(newAlertsListCmd(a), newAlertsRetryCmd(a), newAlertsTestCmd(a))
	return cmd
}

func newAlertsListCmd(a *app) *cobra.Command {
	var state, format string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List alerts in the outbox",
		Args:  cobraArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			st8, err := web.ParseAlertState(state)
			if err != nil {
				return usageError{fmt.Errorf("--%v", err)}
			}
			if format != "text" && format != "json" {
				return usageError{fmt.Errorf("--format %q: want text or json", format)}
			}
			s, err := a.connectConfig(cmd, readOnly)
			if err != nil {
				return err
			}
			defer func() { err = errors.Join(err, s.Close()) }()
			rows, err := s.Alerts(cmd.Context(), string(st8))
			if err != nil {
				return apiError(err)
			}
			if format == "json" {
				return writeAlertsJSON(a.stdout, rows)
			}
			return writeAlertsText(a.stdout, rows)
		},
	}
	cmd.Flags().StringVar(&state, "state", "", "only alerts in this state: pending, failed or delivered")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func writeAlertsJSON(w io.Writer, rows []web.AlertRow) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(rows)
}

func writeAlertsText(w io.Writer, rows []web.AlertRow) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATE\tATTEMPTS\tSUBSCRIBER\tCHANNEL\tWHEN\tARTICLE\tLAST ERROR")
	for _, r := range rows {
		when := r.Created
		switch {
		case r.Delivered != nil:
			when = *r.Delivered
		case r.NextAt != nil:
			when = *r.NextAt
		case r.LastAttempt != nil:
			when = *r.LastAttempt
		}
		article := cmp.Or(r.ArticleURL, r.ArticleID, r.Title) // a source-health alert has a title only
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.State, r.Attempts, r.Subscriber, r.Channel,
			fmtTime(&when), article, oneLineError(r.LastError))
	}
	return tw.Flush()
}

func oneLineError(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}

func newAlertsRetryCmd(a *app) *cobra.Command {
	var allFailed bool
	cmd := &cobra.Command{
		Use:   "retry ID | --all-failed",
		Short: "Send failed alerts again with a fresh retry schedule",
		Args:  cobraArgs(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			if allFailed == (len(args) == 1) {
				return usageError{errors.New("give one alert ID or --all-failed")}
			}
			s, err := a.connectConfig(cmd, readWrite)
			if err != nil {
				return err
			}
			defer func() { err = errors.Join(err, s.Close()) }()
			req := web.RetryRequest{AllFailed: allFailed}
			if len(args) == 1 {
				req.ID = args[0]
			}
			res, err := s.RetryAlerts(cmd.Context(), req)
			if err != nil {
				return apiError(err)
			}
			fmt.Fprintf(a.stdout, "%d alert(s) queued for delivery; the running daemon sends them (or run \"newswatch poll\")\n", res.Retried)
			return nil
		},
	}
	cmd.Flags().BoolVar(&allFailed, "all-failed", false, "retry every failed alert")
	return cmd
}

func newAlertsTestCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "test SUBSCRIBER",
		Short: "Send a sample alert to a subscriber's webhook and email",
		Long: `Sends a sample alert through the same senders as real deliveries (the
same payload format, signature, SSRF guard and SMTP relay). It does not
touch the store, so it works while the daemon runs.`,
		Args: cobraArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := a.loadConfig()
			if err != nil {
				return err
			}
			d, err := cfg.newDispatcher(nil, a.logger(cfg), nil)
			if err != nil {
				return err
			}
			if err := d.SendTest(cmd.Context(), args[0]); err != nil {
				if errors.Is(err, alerts.ErrUnknownSubscriber) {
					return usageError{err}
				}
				return err
			}
			fmt.Fprintf(a.stdout, "sample alert sent to %s\n", args[0])
			return nil
		},
	}
}
