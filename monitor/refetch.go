package monitor

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/newswatch/newswatch/fetcher"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/parser"
	"github.com/newswatch/newswatch/store"
)

// A matched article's page is fetched again after each delay of
// Options.Refetch (from when it was first fetched), to see whether it was
// edited or taken down. The queue lives in the store, so a restart
// resumes it. A refetch is conditional (the validators of the fetch
// before), goes through the same fetcher and its per-host limits, and is
// one request at a time: the pages of the archive never crowd out feeds.

// RefetchStore is the store's refetch queue and revision history.
type RefetchStore interface {
	DueRefetches(now time.Time, limit int) ([]store.Refetch, time.Time, error)
	RevisionBase(id string) (*news.Article, string, error)
	SaveRefetch(d store.RefetchDone) (int, error)
}

// RevisionPlanner is a Planner that also alerts subscribers to a revision
// of an article (see news.AlertRevision).
type RevisionPlanner interface {
	PlanRevision(a *news.Article, rev news.Revision, now time.Time) []news.Alert
}

// refetchBatch bounds the refetches read from the queue at once.
const refetchBatch = 64

// A refetch that fails for a passing cause (a timeout, a refused
// connection, a 5xx or 429, a host in back-off) is queued again after
// refetchRetryAfter, doubled at each retry, up to refetchRetries times;
// only then does it give way to the next step. Without the retries a
// minute's outage at +1h would leave an edit made in the first day
// unrecorded until +24h, and one at +7d would lose the last look.
const (
	refetchRetries    = 3
	refetchRetryAfter = time.Hour
)

// firstRefetch returns the refetch that a new article a, whose page
// answered page, queues: none when it did not match, its page was not
// scraped, or no refetch is configured.
func (o Options) firstRefetch(a *news.Article, page *fetcher.Response) []store.Refetch {
	if len(o.Refetch) == 0 || !a.Matched() || page == nil || a.Extractor == "feed" { // the page had no text: nothing to compare
		return nil
	}
	return []store.Refetch{{ArticleID: a.ID, URL: a.URL, Due: a.Fetched.Add(o.Refetch[0]),
		ETag: page.Validators.ETag, LastModified: page.Validators.LastModified}}
}

// RefetchDue fetches again every article page whose refetch is due at
// now, saves what changed, and returns how many it refetched and when the
// next refetch falls due (zero when none is queued). Only a store failure
// or cancellation is an error; a page that fails is recorded and moves on.
func (m *Monitor) RefetchDue(ctx context.Context, now time.Time) (int, time.Time, error) {
	rs, ok := m.store.(RefetchStore)
	if !ok {
		return 0, time.Time{}, nil
	}
	s := m.snapshot()
	n := 0
	for {
		due, next, err := rs.DueRefetches(now, refetchBatch)
		if err != nil || len(due) == 0 {
			return n, next, err
		}
		for _, r := range due {
			if err := ctx.Err(); err != nil {
				return n, next, err
			}
			if err := s.refetch(ctx, rs, r, now); err != nil {
				return n, next, err
			}
			n++
		}
	}
}

// refetch fetches the page of one queued refetch and saves its outcome.
func (m *snapshot) refetch(ctx context.Context, rs RefetchStore, r store.Refetch, now time.Time) error {
	log := m.log.With("item_url", r.URL)
	a, base, err := rs.RevisionBase(r.ArticleID)
	if errors.Is(err, store.ErrNotFound) { // pruned meanwhile
		_, err = rs.SaveRefetch(store.RefetchDone{Done: r})
		return err
	}
	if err != nil {
		return err
	}
	done := store.RefetchDone{Done: r}
	resp, err := m.fetch.FetchPage(ctx, r.URL, fetcher.Validators{ETag: r.ETag, LastModified: r.LastModified})
	rev, ex := m.compare(r, resp, err, base, time.Now().UTC())
	switch {
	case err != nil && ctx.Err() != nil:
		return ctx.Err()
	case err != nil && rev == nil && fetcher.Temporary(err) && r.Retry < refetchRetries:
		retry := r
		retry.Retry++
		retry.Due = now.Add(refetchRetryAfter << r.Retry)
		done.Next = &retry
		log.Warn("article refetch failed; trying again", "error", err, "retry", retry.Retry, "due", retry.Due)
		return m.saveRefetch(rs, done)
	case err != nil && rev == nil:
		log.Warn("article refetch failed; trying at the next step", "error", err)
	}
	if rev != nil {
		rev.Seq = len(a.Revisions) + 1
		done.Revision, done.Exchange = rev, ex
		if p, ok := m.planner.(RevisionPlanner); ok {
			done.Alerts = p.PlanRevision(a, rev.Revision, now)
		}
		log.Info("article changed since it was stored", "kind", rev.Kind, "status", rev.Status, "diff_size", rev.DiffSize)
	}
	if step := r.Step + 1; step < len(m.opts.Refetch) && (rev == nil || rev.Kind != news.RevisionRemoved) {
		next := store.Refetch{ArticleID: r.ArticleID, URL: r.URL, Step: step, Due: a.Fetched.Add(m.opts.Refetch[step]), ETag: r.ETag, LastModified: r.LastModified}
		if resp != nil {
			next.ETag, next.LastModified = resp.Validators.ETag, resp.Validators.LastModified
		}
		done.Next = &next
	}
	return m.saveRefetch(rs, done)
}

// saveRefetch saves a refetch's outcome and wakes the dispatcher for the
// alerts it queued.
func (m *snapshot) saveRefetch(rs RefetchStore, done store.RefetchDone) error {
	alerts, err := rs.SaveRefetch(done)
	if err != nil {
		return fmt.Errorf("save refetch of %s: %w", done.Done.URL, err)
	}
	if alerts > 0 && m.notify != nil {
		m.notify()
	}
	return nil
}

// compare turns a refetch's answer into the revision it shows, if any,
// with the capture to keep of it: a 404 or 410, or a redirect to a home
// or section page, is a removal; a text that differs from base an edit.
func (m *snapshot) compare(r store.Refetch, resp *fetcher.Response, err error, base string, now time.Time) (*store.RevisionRecord, *store.Exchange) {
	var se *fetcher.StatusError
	if errors.As(err, &se) && (se.Code == http.StatusNotFound || se.Code == http.StatusGone) {
		return &store.RevisionRecord{Revision: news.Revision{Time: now, Kind: news.RevisionRemoved, Status: se.Code}}, m.keep(r, se.Exchange)
	}
	if err != nil || resp.NotModified {
		return nil, nil
	}
	ex := m.keep(r, resp.Exchange)
	if parser.RedirectedAway(r.URL, resp.URL) {
		status := http.StatusFound
		if resp.Exchange != nil {
			status = resp.Exchange.Hops[0].Status
		}
		return &store.RevisionRecord{Revision: news.Revision{Time: now, Kind: news.RevisionRemoved, Status: status, URL: resp.URL}}, ex
	}
	page, err := m.extractor.Extract(resp.Body, resp.ContentType, resp.URL)
	if err != nil {
		return nil, nil
	}
	diff := parser.TextDiff(base, page.Text)
	if diff == "" {
		return nil, nil
	}
	return &store.RevisionRecord{Revision: news.Revision{Time: now, Kind: news.RevisionEdited, DiffSize: len(diff)}, Text: page.Text, Diff: diff}, ex
}

// keep returns the capture of a refetch's exchange to keep with its
// revision, sealed (compressed ahead of the save); nil when none was
// captured or none is kept.
func (m *snapshot) keep(r store.Refetch, e *fetcher.Exchange) *store.Exchange {
	if e == nil || m.opts.KeepRaw == news.KeepNone {
		return nil
	}
	ex := &store.Exchange{ArticleID: r.ArticleID, Hops: rawHops(e)}
	ex.Seal()
	return ex
}

// runRefetches refetches article pages as they fall due until ctx is
// done: it waits for the next due refetch, or for a poll that may have
// queued an earlier one (refetchWake).
func (m *Monitor) runRefetches(ctx context.Context) {
	for {
		_, next, err := m.RefetchDue(ctx, time.Now())
		if err != nil && ctx.Err() == nil {
			m.log.Warn("article refetches failed; trying again later", "error", err)
			next = time.Now().Add(time.Minute)
		}
		wait := maxHint
		if !next.IsZero() {
			wait = time.Until(next)
		}
		timer := time.NewTimer(wait)
		select {
		case <-timer.C:
		case <-m.refetchWake:
		case <-ctx.Done():
			timer.Stop()
			return
		}
		timer.Stop()
	}
}

// wakeRefetches tells runRefetches that a poll queued refetches.
func (m *Monitor) wakeRefetches() {
	select {
	case m.refetchWake <- struct{}{}:
	default:
	}
}
