package main

import (
	"errors"
	"fmt"
	"io"
	"net/url"

	"github.com/spf13/cobra"
)

func newLabelsCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "labels",
		Short: "Relevance labels that users gave articles in the dashboard",
		Args:  cobra.ArbitraryArgs,
		RunE:  unknownCommand,
	}
	cmd.AddCommand(newLabelsExportCmd(a))
	return cmd
}

func newLabelsExportCmd(a *app) *cobra.Command {
	var out, topic string
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write the judged articles with their labels as JSON Lines",
		Long: `Export writes one JSON object per judged article, the format a topic
evaluation reads:

  {"id", "lang", "url", "title", "text", "labels", "judged", "disputed"}

Users judge an article "relevant" or "not relevant" per topic in the
dashboard; each user's latest judgement counts once. A topic is in
"labels" when more of the users who judged it said relevant than not
relevant, and in "judged" when they reached a verdict either way: a topic
in "judged" but not in "labels" was judged not relevant, a topic in
neither was not judged. A tie gives no verdict: the topic is listed in
"disputed" only. With --topic, only articles judged for that topic, and
only its verdict. It says on standard error how many articles it wrote.
While a daemon runs, the export goes through it.`,
		Example: `  newswatch labels export -o labels.jsonl
  newswatch labels export --topic trafficking`,
		Args: cobraArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			s, err := a.connectConfig(cmd, readOnly)
			if err != nil {
				return err
			}
			defer func() { err = errors.Join(err, s.Close()) }()
			q := url.Values{}
			if topic != "" {
				q.Set("topic", topic)
			}
			var n, missing int
			err = a.writeOutput(out, 0o644, func(w io.Writer) (err error) {
				n, missing, err = s.ExportLabels(cmd.Context(), w, q)
				return apiError(err)
			})
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "exported %d judged articles%s\n", n, outputName(out))
			if missing > 0 {
				fmt.Fprintf(a.stderr, "skipped %d judged articles that are no longer in the store\n", missing)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&out, "output", "o", "", "write to FILE instead of standard output")
	f.StringVar(&topic, "topic", "", "only articles judged for this topic, with its verdict only")
	return cmd
}
