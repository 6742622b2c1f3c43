package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/web"
)

// storyFormats are the output formats of the stories commands.
var storyFormats = []string{"text", "json", "jsonl"}

func checkStoryFormat(format string) error {
	if slices.Contains(storyFormats, format) {
		return nil
	}
	return usageError{fmt.Errorf("--format %q: want %s", format, strings.Join(storyFormats, ", "))}
}

func newStoriesCmd(a *app) *cobra.Command {
	var since, topic, format string
	var limit int
	cmd := &cobra.Command{
		Use:   "stories",
		Short: "List stories with their coverage: languages, sources, articles",
		Long: `A story is the articles about one event, across sources and languages,
within stories.window. The most recently updated story comes first; each
shows its languages, sources and how many articles (and copies) it has.
"stories show ID" lists a story's articles and the evidence for each.`,
		Example: `  newswatch stories --topic trafficking --since 2026-11-20
  newswatch stories show sty_3f2a9c0d1e --format json`,
		Args: cobraArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkStoryFormat(format); err != nil {
				return err
			}
			q := url.Values{}
			for k, v := range map[string]string{"since": since, "topic": topic} {
				if v != "" {
					q.Set(k, v)
				}
			}
			if limit != 0 {
				q.Set("limit", strconv.Itoa(limit))
			}
			if _, err := web.ParseStoryQuery(q); err != nil {
				return usageError{fmt.Errorf("--%v", err)}
			}
			return a.withAPI(cmd, readOnly, func(s *session) error {
				list, err := s.Stories(cmd.Context(), q)
				if err != nil {
					return err
				}
				switch format {
				case "text":
					return writeStoriesText(a.stdout, list)
				case "jsonl":
					return writeLines(a.stdout, list)
				}
				return writeIndented(a.stdout, list)
			})
		},
	}
	cmd.Flags().StringVar(&since, "since", "", "only stories updated at or after TIME (RFC 3339 or YYYY-MM-DD)")
	cmd.Flags().StringVar(&topic, "topic", "", "only stories with an article that matched this topic")
	cmd.Flags().IntVar(&limit, "limit", 0, "at most N stories (0: all)")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, json or jsonl")
	cmd.AddCommand(newStoryShowCmd(a))
	return cmd
}

func newStoryShowCmd(a *app) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "List a story's articles and the evidence that put each in it",
		Args:  cobraArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkStoryFormat(format); err != nil {
				return err
			}
			return a.withAPI(cmd, readOnly, func(s *session) error {
				d, err := s.Story(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				switch format {
				case "text":
					return writeStoryText(a.stdout, d)
				case "jsonl":
					return writeLines(a.stdout, d.Articles)
				}
				return writeIndented(a.stdout, d)
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, json, or jsonl (one line per article)")
	return cmd
}

// writeLines writes each value of list as one line of JSON.
func writeLines[T any](w io.Writer, list []T) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, v := range list {
		if err := enc.Encode(v); err != nil {
			return err
		}
	}
	return nil
}

func writeStoriesText(w io.Writer, list []news.Story) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUPDATED\tARTICLES\tCOPIES\tLANGUAGES\tSOURCES\tTITLE")
	for _, s := range list {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\t%s\n", s.ID, s.Updated.UTC().Format(time.RFC3339), s.Articles, s.Copies,
			strings.Join(s.Langs, ","), clip(strings.Join(s.Sources, ", "), 60), clip(oneLine(s.Title("en")), 80))
	}
	return tw.Flush()
}

func writeStoryText(w io.Writer, d web.StoryDetail) error {
	s := d.Story
	fmt.Fprintf(w, "%s  %s\n", s.ID, oneLine(s.Title("en")))
	fmt.Fprintf(w, "first seen %s, last seen %s, updated %s\n", s.First.UTC().Format(time.RFC3339),
		s.Last.UTC().Format(time.RFC3339), s.Updated.UTC().Format(time.RFC3339))
	fmt.Fprintf(w, "%d articles (%d copies) in %s from %s\n", s.Articles, s.Copies, strings.Join(s.Langs, ", "), strings.Join(s.Sources, ", "))
	if len(s.Topics) > 0 {
		fmt.Fprintf(w, "topics: %s\n", strings.Join(s.Topics, ", "))
	}
	for _, m := range d.Articles {
		fmt.Fprintf(w, "\n%s  [%s] %s\n  %s\n  %s · fetched %s\n", m.ArticleID, m.Lang, oneLine(m.Title), m.URL, oneLine(m.Source),
			m.Fetched.UTC().Format(time.RFC3339))
		switch {
		case m.DuplicateOf != "":
			fmt.Fprintf(w, "  copy of %s\n", m.DuplicateOf)
		case m.With == "":
			fmt.Fprintln(w, "  opened the story")
		default:
			fmt.Fprintf(w, "  joined through %s (score %.3f)\n", m.With, m.Score)
		}
		if len(m.Evidence) > 0 {
			fmt.Fprintf(w, "  evidence: %s\n", evidenceText(m.Evidence))
		}
	}
	return nil
}

// evidenceText writes evidence as "kind value, kind value".
func evidenceText(ev []news.Evidence) string {
	parts := make([]string, len(ev))
	for i, e := range ev {
		parts[i] = e.Kind + " " + oneLine(e.Value)
	}
	return strings.Join(parts, ", ")
}

// clip shortens s to n runes with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
