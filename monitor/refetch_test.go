package monitor_test

import (
	"bytes"
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/newswatch/newswatch/fetcher"
	"github.com/newswatch/newswatch/internal/newstest"
	"github.com/newswatch/newswatch/monitor"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// TestRefetchSchedule drives the refetch queue with an injected clock
// (RefetchDue's now) over a real site and store: nothing before +1h; at
// +1h every matched page is asked again, conditionally, and nothing
// changed; at +24h an edited page is kept as a revision with its capture;
// at +7d a page that answers 410 is recorded removed; then the queue is
// empty.
func TestRefetchSchedule(t *testing.T) {
	t.Parallel()
	site, st, matched, refetch := polledForRefetch(t, time.Hour, 24*time.Hour, 168*time.Hour)
	if n := refetch(30 * time.Minute); n != 0 {
		t.Errorf("RefetchDue(+30m) refetched %d, want 0", n)
	}
	if n := refetch(time.Hour + time.Minute); n != len(matched) {
		t.Errorf("RefetchDue(+1h) refetched %d, want %d", n, len(matched))
	}
	edited, removed := matched[0], matched[1]
	if c := site.Counts(pathOf(t, edited.URL)); c.Conditional == 0 {
		t.Errorf("refetch of %s: %+v, want a conditional request", edited.URL, c)
	}
	for _, a := range matched {
		if got := revisionsOf(t, st, a.ID); len(got) != 0 {
			t.Errorf("after +1h %s has revisions %+v, want none", a.URL, got)
		}
	}

	editPath, removePath := pathOf(t, edited.URL), pathOf(t, removed.URL)
	r, _ := site.Route(editPath)
	first := bytes.Index(r.Body, []byte("<p"))
	site.SetBody(editPath, append(append(bytes.Clone(r.Body[:first]), "<p>Cập nhật: con số nạn nhân được điều chỉnh lên 42 người.</p>"...), r.Body[first:]...))
	if n := refetch(24*time.Hour + time.Minute); n != len(matched) {
		t.Errorf("RefetchDue(+24h) refetched %d, want %d", n, len(matched))
	}
	got := revisionsOf(t, st, edited.ID)
	if len(got) != 1 || got[0].Kind != news.RevisionEdited || got[0].DiffSize == 0 {
		t.Fatalf("revisions of the edited page = %+v, want one edit", got)
	}
	if cs, err := st.Captures(edited.ID); err != nil || len(cs) != 2 || cs[1].Revision != 1 {
		t.Errorf("captures of the edited page = %+v, %v; want the first and the edit's", cs, err)
	}

	site.Update(removePath, func(r *newstest.Route) { r.Status = 410 })
	refetch(168*time.Hour + time.Minute)
	got = revisionsOf(t, st, removed.ID)
	if len(got) != 1 || got[0].Kind != news.RevisionRemoved || got[0].Status != 410 {
		t.Errorf("revisions of the removed page = %+v, want one removal with status 410", got)
	}
	if cs, err := st.Captures(removed.ID); err != nil || len(cs) != 2 || cs[1].Revision != 1 || cs[1].Status != 410 {
		t.Errorf("captures of the removed page = %+v, %v; want the first and the 410 answer's", cs, err)
	}
	if n := refetch(1000 * time.Hour); n != 0 {
		t.Errorf("RefetchDue after the last step refetched %d, want 0: the queue should be empty", n)
	}
}

// polledForRefetch polls the end-to-end site once into a new store, with
// raw exchanges captured and refetches after steps, and returns the
// articles stored and a function that runs the refetches due at a delay
// after the earliest fetch, returning how many ran.
func polledForRefetch(t *testing.T, steps ...time.Duration) (*newstest.Site, *store.Store, []*news.Article, func(time.Duration) int) {
	t.Helper()
	site := startE2ESite(t)
	st := openStore(t)
	fo := testFetchOptions()
	fo.CaptureExchange = true
	opts := monitor.Options{Workers: 4, Jitter: -1, Refetch: steps}
	m := monitor.New(feedsOf(site.URL(), newstest.E2ELayout()), monitor.Deps{Fetcher: fetcher.New(fo), Store: st, Extractor: extractor(t), Matcher: builtinTopics(t)}, opts)
	pollAll(t, t.Context(), m)

	var matched []*news.Article
	err := st.ForEachArticle(t.Context(), store.Query{}, func(a *news.Article) error { matched = append(matched, a); return nil })
	if err != nil || len(matched) < 2 {
		t.Fatalf("matched articles: %d, %v; want at least 2", len(matched), err)
	}
	fetched := matched[0].Fetched
	for _, a := range matched {
		fetched = minTime(fetched, a.Fetched)
	}
	refetch := func(at time.Duration) int {
		t.Helper()
		n, _, err := m.RefetchDue(context.Background(), fetched.Add(at))
		if err != nil {
			t.Fatalf("RefetchDue(+%v) = %v", at, err)
		}
		return n
	}
	return site, st, matched, refetch
}

func revisionsOf(t *testing.T, st *store.Store, id string) []news.Revision {
	t.Helper()
	a, err := st.Article(id)
	if err != nil {
		t.Fatal(err)
	}
	return a.Revisions
}

func pathOf(t *testing.T, u string) string {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	return p.Path
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// TestRefetchRetriesPassingFailure: a page that answers 503 at its +1h
// refetch is asked again an hour later, not only at +24h, and the edit it
// shows then is recorded at that step; the other pages are not retried.
func TestRefetchRetriesPassingFailure(t *testing.T) {
	t.Parallel()
	site, st, matched, refetch := polledForRefetch(t, time.Hour, 24*time.Hour)

	flaky := matched[0]
	path := pathOf(t, flaky.URL)
	site.Update(path, func(r *newstest.Route) { r.Status = 503 })
	if n := refetch(time.Hour + time.Minute); n != len(matched) {
		t.Fatalf("RefetchDue(+1h) refetched %d, want %d", n, len(matched))
	}
	if got := revisionsOf(t, st, flaky.ID); len(got) != 0 {
		t.Fatalf("a 503 was recorded as revisions %+v, want none", got)
	}
	if n := refetch(time.Hour + 30*time.Minute); n != 0 {
		t.Errorf("RefetchDue(+1h30m) refetched %d, want 0: the retry is due an hour after the failure", n)
	}

	site.Update(path, func(r *newstest.Route) {
		r.Status = 0
		first := bytes.Index(r.Body, []byte("<p"))
		r.Body = append(append(bytes.Clone(r.Body[:first]), "<p>Cập nhật: con số nạn nhân được điều chỉnh lên 42 người.</p>"...), r.Body[first:]...)
	})
	if n := refetch(2*time.Hour + 2*time.Minute); n != 1 {
		t.Errorf("RefetchDue(+2h) refetched %d, want 1: only the page that failed", n)
	}
	if got := revisionsOf(t, st, flaky.ID); len(got) != 1 || got[0].Kind != news.RevisionEdited {
		t.Errorf("revisions after the retry = %+v, want one edit", got)
	}
	if n := refetch(24*time.Hour + time.Minute); n != len(matched) {
		t.Errorf("RefetchDue(+24h) refetched %d, want %d: the retried page keeps its next step", n, len(matched))
	}
	if n := refetch(1000 * time.Hour); n != 0 {
		t.Errorf("RefetchDue after the last step refetched %d, want 0", n)
	}
}
