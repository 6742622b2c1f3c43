package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/newswatch/newswatch/lang"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/topic"
)

// maxMatchLine is the longest input line match accepts.
const maxMatchLine = 64 << 20

// errBadLines reports that some input lines could not be matched.
var errBadLines = errors.New("some input lines were invalid")

func newMatchCmd(a *app) *cobra.Command {
	var explain bool
	cmd := &cobra.Command{
		Use:   "match",
		Short: "Match JSON lines from stdin against the configured topics",
		Long: `Match reads one JSON object per line on stdin,
  {"id": ..., "title": "...", "text": "...", "lang": "vi", "url": "...", "source": "..."}
(lang, url and source are optional; without lang the language is detected),
and writes one line per input line, in the same order:
  {"id": ..., "topics": ["trafficking"]}
topics is [] when nothing matched. With --explain each line also has "hits":
the matched terms with their field, byte offsets and a snippet, the terms
that decided the match first ("context": true marks words that only
qualified it, such as the far side of a NEAR), and "salience": for each
topic the article touches, matched or not, how each SCORE(...) and
MIN/k(...) of its query came out (points, threshold, and the operands
that scored).

A line that is not valid JSON (or longer than 64 MiB) produces
  {"id": null, "line": N, "error": "..."}
on stdout and a message on stderr; the other lines are still matched and
the command exits with status 1 at the end. Blank lines are skipped.
Memory stays constant whatever the input length. The store is not opened.`,
		Example: `  echo '{"id":1,"title":"UN warns on human trafficking","text":""}' | newswatch match
  newswatch match --config newswatch.yaml --explain < samples.jsonl`,
		Args: cobraArgs(cobra.NoArgs),
		RunE: func(*cobra.Command, []string) error {
			cfg, err := a.loadConfig()
			if err != nil {
				return err
			}
			m, err := topic.Compile(cfg.TopicList())
			if err != nil {
				return usageError{err}
			}
			return matchLines(a.stdin, a.stdout, a.stderr, m, explain)
		},
	}
	cmd.Flags().BoolVar(&explain, "explain", false, "also print the hits: terms, fields, offsets and snippets")
	return cmd
}

// matchInput is one input line.
type matchInput struct {
	ID     json.RawMessage `json:"id"`
	Title  string          `json:"title"`
	Text   string          `json:"text"`
	Lang   string          `json:"lang"`
	URL    string          `json:"url"`
	Source string          `json:"source"`
}

// matchOutput is one output line.
type matchOutput struct {
	ID       json.RawMessage `json:"id"`
	Topics   []string        `json:"topics"`
	Lang     string          `json:"lang,omitempty"`
	Hits     []news.Hit      `json:"hits,omitempty"`
	Salience []matchSalience `json:"salience,omitempty"`
}

// matchSalience is one SCORE or MIN of a topic as --explain shows it.
type matchSalience struct {
	Topic   string `json:"topic"`
	Matched bool   `json:"matched"` // whether the topic matched as a whole
	topic.Salience
}

// matchError is the output line for an input line that could not be read.
type matchError struct {
	ID    json.RawMessage `json:"id"`
	Line  int             `json:"line"`
	Error string          `json:"error"`
}

// matchLines streams JSON lines from r to w, one output line per input line.
func matchLines(r io.Reader, w, stderr io.Writer, m *topic.Matcher, explain bool) error {
	br := bufio.NewReaderSize(r, 1<<16)
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	var line []byte
	bad := 0
	for n := 1; ; n++ {
		var tooLong bool
		var err error
		line, tooLong, err = readLine(br, line[:0], maxMatchLine)
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read stdin: %w", err)
		}
		if len(trimSpace(line)) > 0 || tooLong {
			out, lerr := matchLine(line, tooLong, m, explain)
			if lerr != nil {
				bad++
				fmt.Fprintf(stderr, "newswatch match: line %d: %v\n", n, lerr)
				out = matchError{ID: json.RawMessage("null"), Line: n, Error: lerr.Error()}
			}
			if werr := enc.Encode(out); werr != nil {
				return fmt.Errorf("write stdout: %w", werr)
			}
			if br.Buffered() == 0 { // the writer may be waiting for this answer
				if werr := bw.Flush(); werr != nil {
					return fmt.Errorf("write stdout: %w", werr)
				}
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write stdout: %w", err)
	}
	if bad > 0 {
		return fmt.Errorf("match: %d invalid input lines: %w", bad, errBadLines)
	}
	return nil
}

func matchLine(line []byte, tooLong bool, m *topic.Matcher, explain bool) (any, error) {
	if tooLong {
		return nil, fmt.Errorf("line longer than %d bytes", maxMatchLine)
	}
	var in matchInput
	if err := json.Unmarshal(line, &in); err != nil {
		return nil, fmt.Errorf("invalid JSON: %v", err)
	}
	if len(in.ID) == 0 {
		in.ID = json.RawMessage("null")
	}
	a := &news.Article{Title: in.Title, Text: in.Text, URL: in.URL, Source: in.Source, Lang: lang.Normalize(in.Lang)}
	if a.Lang == "" {
		a.Lang = lang.Detect(a.Title + "\n" + a.Text)
	}
	if !explain {
		a.SetHits(m.Match(a))
		return matchOutput{ID: in.ID, Topics: nonNil(a.Topics)}, nil
	}
	var hits []news.Hit
	var sal []matchSalience
	for _, e := range m.Explain(a) {
		hits = append(hits, e.Hits...)
		for _, s := range e.Salience {
			sal = append(sal, matchSalience{Topic: e.Topic, Matched: e.Matched, Salience: s})
		}
	}
	a.SetHits(hits)
	return matchOutput{ID: in.ID, Topics: nonNil(a.Topics), Lang: a.Lang, Hits: hits, Salience: sal}, nil
}

// nonNil returns topics, or [] for none, so the JSON says "topics":[].
func nonNil(topics []string) []string {
	if topics == nil {
		return []string{}
	}
	return topics
}

// readLine reads one line (without its newline) into buf. A line longer
// than max is consumed and reported as tooLong, so memory stays bounded.
func readLine(br *bufio.Reader, buf []byte, max int) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(chunk) > max+1 {
				tooLong, buf = true, buf[:0]
			} else {
				buf = append(buf, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if n := len(buf); n > 0 && buf[n-1] == '\n' {
			buf = buf[:n-1]
		}
		return buf, tooLong, err
	}
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\r') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}
