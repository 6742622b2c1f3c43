package web

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// LabelStore reads relevance labels and the articles they judge
// (store.Store).
type LabelStore interface {
	ForEachLabel(ctx context.Context, fn func(store.Label) error) error
	Article(id string) (*news.Article, error)
}

// LabelRecord is one judged article of a labels export: the format a
// topic evaluation reads. Field names are stable.
type LabelRecord struct {
	ID    string `json:"id"`
	Lang  string `json:"lang"`
	URL   string `json:"url"`
	Title string `json:"title"`
	Text  string `json:"text"`
	// Labels are the topics the article was judged relevant to, Judged
	// every topic with a verdict: a topic in Judged but not in Labels was
	// judged not relevant; a topic in neither was not judged.
	Labels []string `json:"labels"`
	Judged []string `json:"judged"`
	// Disputed are the topics whose judges are split evenly: no verdict.
	Disputed []string `json:"disputed,omitempty"`
}

// verdicts applies the majority rule to the labels of one article: each
// user's latest judgement counts once (the store keeps only that one), and
// a topic is relevant when more of its judges say relevant than not,
// judged not relevant when fewer, and disputed on a tie. With topic set,
// only that topic's labels count.
func verdicts(labels []store.Label, topic string) (relevant, judged, disputed []string) {
	votes := map[string]int{} // relevant minus not relevant, per topic
	for _, l := range labels {
		if topic != "" && l.Topic != topic {
			continue
		}
		switch l.Label {
		case store.LabelRelevant:
			votes[l.Topic]++
		case store.LabelNotRelevant:
			votes[l.Topic]--
		}
	}
	relevant, judged, disputed = []string{}, []string{}, nil
	for t, v := range votes {
		switch {
		case v > 0:
			relevant = append(relevant, t)
			judged = append(judged, t)
		case v < 0:
			judged = append(judged, t)
		default:
			disputed = append(disputed, t)
		}
	}
	slices.Sort(relevant)
	slices.Sort(judged)
	slices.Sort(disputed)
	return relevant, judged, disputed
}

// MissingTrailer is the HTTP trailer in which /api/labels/export sends how
// many judged articles it skipped because the store no longer has them.
const MissingTrailer = "Newswatch-Missing"

// exportLabels serves GET /api/labels/export[?topic=T]: every judged
// article as a LabelRecord per line, in article id order. With a topic,
// only articles judged for it, and only its verdict.
func (a *api) exportLabels(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if !checkParams(w, q, "topic") {
		return
	}
	topic := q.Get("topic")
	if topic != "" {
		if err := a.o.knownTopic(topic); err != nil {
			badRequest(w, "labels export: %v", err)
			return
		}
	}
	start := time.Now()
	h := w.Header()
	h.Set("Content-Type", "application/x-ndjson")
	h.Set("Content-Disposition", `attachment; filename="newswatch-labels.jsonl"`)
	h.Set("Cache-Control", "no-store")
	h.Set("Trailer", CountTrailer+", "+MissingTrailer)
	cw := &countingWriter{w: w}
	n, missing, err := writeLabels(r.Context(), cw, a.o.Store, topic)
	if err == nil {
		h.Set(CountTrailer, strconv.Itoa(n))
		h.Set(MissingTrailer, strconv.Itoa(missing))
		a.o.Logger.Info("labels export served", "articles", n, "missing", missing, "topic", topic, "duration", time.Since(start))
		return
	}
	if cw.n == 0 {
		writeError(w, err)
		return
	}
	a.o.Logger.Warn("labels export failed half-way; response aborted", "articles", n, "topic", topic, "error", err)
	panic(http.ErrAbortHandler) // only a broken stream says it is incomplete
}

// writeLabels writes the LabelRecord of each judged article to w and
// returns how many it wrote and how many judged articles the store no
// longer has. The store gives labels grouped by article; one article's
// labels are held at a time.
func writeLabels(ctx context.Context, w io.Writer, st LabelStore, topic string) (n, missing int, err error) {
	bw := bufio.NewWriterSize(w, 16<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	var group []store.Label
	flush := func() error {
		if len(group) == 0 {
			return nil
		}
		defer func() { group = group[:0] }()
		rec, err := labelRecord(st, group, topic)
		switch {
		case errors.Is(err, store.ErrNotFound):
			missing++
			return nil
		case err != nil || rec == nil:
			return err
		}
		n++
		return enc.Encode(rec)
	}
	err = st.ForEachLabel(ctx, func(l store.Label) error {
		if len(group) > 0 && group[0].ArticleID != l.ArticleID {
			if err := flush(); err != nil {
				return err
			}
		}
		group = append(group, l)
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return n, missing, fmt.Errorf("labels export: %w", err)
	}
	return n, missing, nil
}

// labelRecord makes the record of one article from its labels; nil when
// none of them gives a verdict or a dispute about topic.
func labelRecord(st LabelStore, labels []store.Label, topic string) (*LabelRecord, error) {
	relevant, judged, disputed := verdicts(labels, topic)
	if len(judged) == 0 && len(disputed) == 0 {
		return nil, nil
	}
	art, err := st.Article(labels[0].ArticleID)
	if err != nil {
		return nil, err
	}
	return &LabelRecord{
		ID: art.ID, Lang: art.Lang, URL: art.URL, Title: art.Title, Text: art.Text,
		Labels: relevant, Judged: judged, Disputed: disputed,
	}, nil
}

// ExportLabels writes the labels export (the parameters of
// /api/labels/export in q) to w and returns how many articles the server
// wrote and how many judged ones it no longer has.
func (c *Client) ExportLabels(ctx context.Context, w io.Writer, q url.Values) (n, missing int, err error) {
	_, tr, err := c.download(ctx, "/api/labels/export", q, w)
	if err != nil {
		return 0, 0, err
	}
	n, err1 := strconv.Atoi(tr.Get(CountTrailer))
	missing, err2 := strconv.Atoi(tr.Get(MissingTrailer))
	if err1 != nil || err2 != nil {
		return 0, 0, errors.New("labels export: the server sent no article count")
	}
	return n, missing, nil
}
