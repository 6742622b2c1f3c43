package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/newswatch/newswatch/topic"
	"github.com/newswatch/newswatch/web"
)

func newTopicsCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "topics",
		Short: "List the topics in force; save and delete topics at run time",
		Long: `Topics lists every topic in force with its query and origin: "config"
for the config file's (the built-in trafficking and un included) and
"saved" for topics saved at run time (topics add, or a search saved in the
dashboard), which live in the store. A running daemon matches new
articles against a saved topic at once; run "newswatch rematch" to apply
it to the archive.`,
		Example: "  newswatch topics\n  newswatch topics add fishing '\"forced labour\" NEAR/10 (fishing OR boat)'\n  newswatch topics remove fishing",
		Args:    cobraArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			if format != "text" && format != "json" {
				return usageError{fmt.Errorf("--format %q: want text or json", format)}
			}
			cfg, err := a.loadConfig()
			if err != nil {
				return err
			}
			rows, err := a.topicRows(cmd, cfg)
			if err != nil {
				return err
			}
			if format == "json" {
				enc := json.NewEncoder(a.stdout)
				enc.SetEscapeHTML(false)
				enc.SetIndent("", "  ")
				return enc.Encode(rows)
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tORIGIN\tQUERY")
			for _, r := range rows {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Name, r.Origin, strings.Join(strings.Fields(topic.StripComments(r.Query)), " "))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.AddCommand(newTopicsAddCmd(a), newTopicsRemoveCmd(a))
	return cmd
}

// topicRows lists the topics in force through the API; before the store
// exists, the config's.
func (a *app) topicRows(cmd *cobra.Command, cfg *Config) (rows []web.TopicInfo, err error) {
	s, err := a.connect(cmd.Context(), cfg, readOnly)
	if errors.Is(err, errNoStore) {
		for _, t := range cfg.TopicList() {
			rows = append(rows, web.TopicInfo{Name: t.Name, Query: t.Query, Origin: web.TopicFromConfig})
		}
		return rows, nil
	}
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, s.Close()) }()
	rows, err = s.Topics(cmd.Context())
	return rows, apiError(err)
}

func newTopicsAddCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "add NAME QUERY",
		Short: "Save a topic at run time (kept in the store)",
		Long: `Add saves a topic written in the query language (see the README). The
query is checked first: an error says where it is wrong. A running
daemon matches new articles against it at once; "newswatch rematch"
applies it to the archive.`,
		Example: "  newswatch topics add fishing '\"forced labour\" NEAR/10 (fishing OR boat)'",
		Args:    cobraArgs(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			s, err := a.connectConfig(cmd, readWrite)
			if err != nil {
				return err
			}
			defer func() { err = errors.Join(err, s.Close()) }()
			info, err := s.SaveTopic(cmd.Context(), web.TopicRequest{Name: args[0], Query: args[1]}, "topics add")
			if err != nil {
				return apiError(err)
			}
			fmt.Fprintf(a.stdout, "saved topic %s\n", info.Name)
			a.noDaemonNote(s, "new articles are matched against it when \"newswatch run\" or \"newswatch poll\" next runs")
			return nil
		},
	}
}

func newTopicsRemoveCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "remove NAME",
		Short: "Delete a topic saved at run time",
		Long: `Remove deletes a topic saved at run time: new articles are no longer
matched against it. Archived articles keep it until "newswatch rematch".
Topics of the config file are removed (or disabled) by editing the file.`,
		Args: cobraArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			s, err := a.connectConfig(cmd, readWrite)
			if err != nil {
				return err
			}
			defer func() { err = errors.Join(err, s.Close()) }()
			if err := s.DeleteTopic(cmd.Context(), args[0]); err != nil {
				return apiError(err)
			}
			fmt.Fprintf(a.stdout, "deleted topic %s; archived articles keep it until \"newswatch rematch\"\n", args[0])
			return nil
		},
	}
}
