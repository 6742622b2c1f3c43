package monitor_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/fetcher"
	"github.com/newswatch/newswatch/internal/newstest"
	"github.com/newswatch/newswatch/monitor"
	"github.com/newswatch/newswatch/news"
)

// observed records what a monitor.Observer receives.
type observed struct {
	mu          sync.Mutex
	polls       map[string]int
	extractions int
}

func (o *observed) ObservePoll(outcome string, d time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if d > 0 {
		o.polls[outcome]++
	}
}

func (o *observed) ObserveExtraction(d time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if d > 0 {
		o.extractions++
	}
}

// TestObserver polls a feed, polls it again (a 304) and polls a feed that
// answers 503: each poll is observed once with its outcome and a
// duration, each article page's extraction once.
func TestObserver(t *testing.T) {
	t.Parallel()
	site := startE2ESite(t)
	layout := newstest.E2ELayout()[:1]
	feeds := append(feedsOf(site.URL(), layout), news.Feed{URL: site.URL() + "/down.rss", Interval: 10 * time.Minute})
	site.Handle("/down.rss", newstest.Status(http.StatusServiceUnavailable))
	obs := &observed{polls: map[string]int{}}
	m := monitor.New(feeds, monitor.Deps{Fetcher: fetcher.New(testFetchOptions()), Store: openStore(t), Extractor: extractor(t),
		Matcher: builtinTopics(t), Observer: obs}, monitor.Options{Jitter: -1})
	for range 2 {
		for _, f := range feeds {
			if _, err := m.PollFeed(t.Context(), f); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := map[string]int{monitor.OutcomeOK: 1, monitor.OutcomeNotModified: 1, monitor.OutcomeError: 2}
	if diff := cmp.Diff(want, obs.polls); diff != "" {
		t.Errorf("polls observed by outcome (-want +got):\n%s", diff)
	}
	if pages := len(newstest.PagesOf(layout)); obs.extractions != pages {
		t.Errorf("extractions observed = %d, want %d (one per article page)", obs.extractions, pages)
	}
}
