package web

import (
	"cmp"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/newswatch/newswatch/export"
	"github.com/newswatch/newswatch/news"
)

// exportParams are the query parameters /export accepts: the flags of
// `newswatch export`, except the output file.
var exportParams = map[string]bool{"topic": true, "since": true, "until": true, "all": true, "format": true, "bom": true}

// ExportOptions reads export options from /export's query parameters:
// topic, since and until (RFC 3339 or YYYY-MM-DD, as in the CLI), all
// and bom (1, true, or present without a value) and format (jsonl, csv,
// atom or parquet). Unknown parameters are errors, so a typo does not silently
// export everything.
func ExportOptions(q url.Values) (export.Options, error) {
	var o export.Options
	var problems []string
	for k := range q {
		if !exportParams[k] {
			problems = append(problems, fmt.Sprintf("unknown parameter %q (want topic, since, until, all, format, bom)", k))
		}
	}
	o.Format = cmp.Or(q.Get("format"), export.FormatJSONL)
	o.Topic = q.Get("topic")
	if o.Topic != "" && !news.ValidTopicName(o.Topic) {
		problems = append(problems, fmt.Sprintf("topic %q: a topic name is letters, digits, '-' and '_'", o.Topic))
	}
	problems = append(problems, timeRange(q, &o)...)
	for name, dst := range map[string]*bool{"all": &o.All, "bom": &o.BOM} {
		if v, ok := q[name]; ok {
			var err error
			if *dst, err = parseFlag(v[0]); err != nil {
				problems = append(problems, fmt.Sprintf("%s %q: want 1, true, 0 or false", name, v[0]))
			}
		}
	}
	if err := o.Check(); err != nil {
		problems = append(problems, err.Error())
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return export.Options{}, errors.New(strings.Join(problems, "; "))
	}
	return o, nil
}

// timeRange reads the since and until parameters into o and returns
// their problems.
func timeRange(q url.Values, o *export.Options) []string {
	var problems []string
	var err error
	if o.Since, err = export.ParseTime("since", q.Get("since")); err != nil {
		problems = append(problems, err.Error())
	}
	if o.Until, err = export.ParseTime("until", q.Get("until")); err != nil {
		problems = append(problems, err.Error())
	}
	if !o.Since.IsZero() && !o.Until.IsZero() && !o.Since.Before(o.Until) {
		problems = append(problems, fmt.Sprintf("since %s is not before until %s", o.Since.Format(time.RFC3339), o.Until.Format(time.RFC3339)))
	}
	return problems
}

// parseFlag reads a boolean parameter; present without a value means true.
func parseFlag(v string) (bool, error) {
	if v == "" {
		return true, nil
	}
	return strconv.ParseBool(v)
}

// exportHandler streams export.Write in the format asked.
func exportHandler(o Options) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		opts, err := ExportOptions(r.URL.Query())
		if err == nil && opts.Topic != "" {
			err = o.knownTopic(opts.Topic)
		}
		if err != nil {
			badRequest(w, "export: %v", err)
			return
		}
		if opts.Format == export.FormatAtom {
			opts.Feed = archiveFeed(o, r, opts)
		}
		serveExport(w, r, o, opts, "newswatch-export")
	}
}

// serveExport streams export.Write with opts as a download named
// filename (and the format's extension), the article count in the
// CountTrailer.
func serveExport(w http.ResponseWriter, r *http.Request, o Options, opts export.Options, filename string) {
	start := time.Now()
	format := cmp.Or(opts.Format, export.FormatJSONL)
	w.Header().Set("Content-Type", export.MediaType(format))
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filename + "." + format}))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Trailer", CountTrailer)
	cw := &countingWriter{w: w}
	n, err := export.Write(r.Context(), cw, o.Store, opts)
	if err == nil {
		w.Header().Set(CountTrailer, strconv.Itoa(n))
		o.Logger.Info("export served", "articles", n, "topic", opts.Topic, "format", format, "duration", time.Since(start))
		return
	}
	gone := r.Context().Err() != nil // the client left, or the server is stopping
	if cw.n == 0 {
		w.Header().Del("Content-Disposition")
		code := http.StatusInternalServerError
		if gone {
			code = http.StatusServiceUnavailable
		}
		http.Error(w, err.Error(), code)
		return
	}
	// The status is sent: only a broken stream tells the client that the
	// archive is incomplete, so abort it rather than end it cleanly.
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		o.Logger.Info("export cut off: the client stopped reading", "articles", n, "topic", opts.Topic, "remote", r.RemoteAddr)
	case gone:
		o.Logger.Info("export cancelled", "articles", n, "topic", opts.Topic, "error", err)
	default:
		o.Logger.Error("export failed half-way; response aborted", "articles", n, "topic", opts.Topic, "error", err)
	}
	panic(http.ErrAbortHandler)
}

// countingWriter counts the bytes written to the response, to know whether
// an error can still change its status.
type countingWriter struct {
	w http.ResponseWriter
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// knownTopic checks that topic is in force or has articles in the
// archive (a topic since removed from the config still has them), so a
// typo is an error rather than an empty export.
func (o Options) knownTopic(topic string) error {
	known := o.topics()
	if slices.Contains(known, topic) {
		return nil
	}
	stats, err := o.Store.Stats()
	if err != nil {
		return nil // let the export itself report the store
	}
	if stats.Topics[topic] > 0 {
		return nil
	}
	for t := range stats.Topics {
		if !slices.Contains(known, t) {
			known = append(known, t)
		}
	}
	slices.Sort(known)
	return fmt.Errorf("unknown topic %q: the topics are %s", topic, strings.Join(known, ", "))
}
