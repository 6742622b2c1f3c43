package monitor

import (
	"context"
	"slices"
	"time"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/parser"
	"github.com/newswatch/newswatch/store"
	"github.com/newswatch/newswatch/topic"
)

// settings are the parts of a Monitor that a reload may replace. A value
// is never changed once stored: each setter stores a changed copy.
type settings struct {
	feeds     []news.Feed
	byURL     map[string]int // each feed's index in feeds, by URL (see setFeeds)
	fetch     Fetcher
	extractor *parser.Extractor
	matcher   *topic.Matcher
	planner   Planner
	opts      Options
}

// snapshot is the Monitor as configured when one poll began: every step of
// the poll sees the same feeds, fetcher, extractor, matcher, planner and
// options, whatever the setters change meanwhile.
type snapshot struct {
	*Monitor
	*settings
}

// current returns the settings in force.
func (m *Monitor) current() *settings { return m.live.Load() }

// snapshot returns the Monitor with the settings in force.
func (m *Monitor) snapshot() *snapshot { return &snapshot{m, m.current()} }

// SetFeeds replaces the monitored feeds. It is safe to call at any time,
// also while Run or PollAll runs, and Run follows at once:
//   - a feed it did not poll before is due at its stored next poll, so a
//     feed never polled is polled at once;
//   - a removed feed is not polled again; a poll of it in flight finishes
//     and is saved;
//   - a changed feed (name, language, scrape, interval) is polled with its
//     new settings from its next poll on, and a shorter interval brings
//     that poll forward to its last poll plus the new interval.
//
// PollAll, already running, polls the feeds it started with.
func (m *Monitor) SetFeeds(feeds []news.Feed) {
	feeds = slices.Clone(feeds)
	m.update(func(s *settings) { s.setFeeds(feeds) })
}

// SetFetcher replaces the fetcher of the polls that start from now on.
// Polls in flight finish with the old one.
//
// A new fetcher.Client starts with fresh per-host state: full rate
// limiters, and no host holds (a 429 or 503 holds its host at most 10 s).
// A feed's own Retry-After is kept in its stored state and still honoured.
// Until the polls begun before the swap finish, a host may get requests
// from both clients, up to twice its concurrency limit, so swap only when
// the fetch options changed.
func (m *Monitor) SetFetcher(f Fetcher) { m.update(func(s *settings) { s.fetch = f }) }

// SetExtractor replaces the article extractor (the site rules) of the
// polls that start from now on.
func (m *Monitor) SetExtractor(e *parser.Extractor) { m.update(func(s *settings) { s.extractor = e }) }

// SetMatcher replaces the topics of the polls that start from now on. A
// poll in flight matches all its articles with the matcher it started with.
func (m *Monitor) SetMatcher(t *topic.Matcher) { m.update(func(s *settings) { s.matcher = t }) }

// SetPlanner replaces the alert planner (nil: no alerts) of the polls that
// start from now on.
func (m *Monitor) SetPlanner(p Planner) { m.update(func(s *settings) { s.planner = p }) }

// SetOptions replaces the options; zero fields mean the defaults, as in
// New. Polls in flight keep the options they started with. Run follows at
// once:
//   - Workers: Run starts more workers, or lets polls in flight finish
//     until fewer than the new Workers are left;
//   - Interval, MaxBackoff: a feed they make due sooner is rescheduled
//     from its last poll; later ones apply from the next poll;
//   - Retention applies from the next hourly prune; Jitter and
//     ArticleWorkers from the next poll.
func (m *Monitor) SetOptions(o Options) {
	o = o.withDefaults()
	m.update(func(s *settings) { s.opts = o })
}

// Settings are everything a reload may replace, as New set them.
type Settings struct {
	Feeds     []news.Feed
	Fetcher   Fetcher
	Extractor *parser.Extractor
	Matcher   *topic.Matcher
	Planner   Planner // nil: no alerts
	Options   Options // zero fields mean the defaults
}

// Apply replaces all the settings in one step, as a reload does: a poll
// that starts afterwards sees only the new ones, a poll in flight only the
// old ones, never a mix (the new topics with the old subscribers). Run
// follows as after each setter.
func (m *Monitor) Apply(n Settings) {
	feeds, opts := slices.Clone(n.Feeds), n.Options.withDefaults()
	m.update(func(s *settings) {
		*s = settings{fetch: n.Fetcher, extractor: n.Extractor, matcher: n.Matcher, planner: n.Planner, opts: opts}
		s.setFeeds(feeds)
	})
}

// update stores a copy of the settings changed by change, and wakes Run.
func (m *Monitor) update(change func(*settings)) {
	m.setMu.Lock()
	s := *m.current()
	change(&s)
	m.live.Store(&s)
	m.setMu.Unlock()
	select {
	case m.changed <- struct{}{}:
	default: // Run has a wake-up pending already
	}
}

// setFeeds sets the feeds and indexes them by URL: every poll looks its
// feed up, and a scan of the list made each cycle of 50,000 feeds cost
// over a billion comparisons.
func (s *settings) setFeeds(feeds []news.Feed) {
	s.feeds = feeds
	s.byURL = make(map[string]int, len(feeds))
	for i, f := range feeds {
		if _, ok := s.byURL[f.URL]; !ok { // the first of a URL listed twice, as a scan finds it
			s.byURL[f.URL] = i
		}
	}
}

// feed returns the feed with url, and whether there is one.
func (s *settings) feed(url string) (news.Feed, bool) {
	i, ok := s.byURL[url]
	if !ok {
		return news.Feed{}, false
	}
	return s.feeds[i], true
}

// pollScheduled polls a feed Run handed out, with its current settings, or
// skips it when SetFeeds removed it since. When the settings change during
// the poll, its next poll is brought forward if they make it due sooner.
func (m *Monitor) pollScheduled(ctx context.Context, f news.Feed) (Result, error) {
	snap := m.snapshot()
	cur, ok := snap.feed(f.URL)
	if !ok {
		return Result{Feed: f, Skipped: true}, nil
	}
	res, err := snap.pollFeed(ctx, cur)
	if after := m.current(); after != snap.settings && err == nil && !res.NextPoll.IsZero() {
		if nf, ok := after.feed(cur.URL); ok {
			res.NextPoll = m.sooner(res.NextPoll, cur, nf, snap.settings, after)
		}
	}
	return res, err
}

// reschedule brings Run's schedule due in step with the settings s, which
// replaced prev (nil when Run starts). A feed new to Run is due at its
// stored next poll (the zero time, at once, when it has none); a feed whose
// settings changed is brought forward when they make it due sooner; a
// removed feed is forgotten.
func (m *Monitor) reschedule(due map[string]time.Time, prev, s *settings) {
	old := make(map[string]news.Feed)
	if prev != nil {
		for _, f := range prev.feeds {
			old[f.URL] = f
		}
	}
	kept := make(map[string]bool, len(s.feeds))
	for _, f := range s.feeds {
		kept[f.URL] = true
		o, ok := old[f.URL]
		switch {
		case !ok:
			due[f.URL] = m.storedNextPoll(f.URL)
		case !o.Equal(f) || !prev.opts.equal(s.opts):
			due[f.URL] = m.sooner(due[f.URL], o, f, prev, s)
		}
	}
	for url := range due {
		if !kept[url] {
			delete(due, url)
		}
	}
}

// storedNextPoll returns when the stored schedule says the feed with url
// is due, or the zero time when the store has no state for it.
func (m *Monitor) storedNextPoll(url string) time.Time {
	st, err := m.store.Feed(url)
	if err != nil {
		return time.Time{} // none yet; on a store failure the poll reports it
	}
	return st.NextPoll
}

// sooner returns when feed f, due at t under the settings prev as feed o,
// is due under s: t, unless s makes it due sooner after its last poll (a
// shorter interval, a lower backoff cap). The Retry-After of the feed's
// server still holds.
func (m *Monitor) sooner(t time.Time, o, f news.Feed, prev, s *settings) time.Time {
	st, err := m.store.Feed(f.URL)
	if err != nil {
		return t
	}
	next := s.nominalNext(f, st)
	if !next.Before(prev.nominalNext(o, st)) {
		return t // not sooner: the new settings apply from the next poll
	}
	if next.Before(st.NotBefore) {
		next = st.NotBefore
	}
	return minTime(t, next)
}

// nominalNext returns when feed f with state st falls due under s after
// its last poll, without jitter or the feed's caching hints.
func (s *settings) nominalNext(f news.Feed, st store.FeedState) time.Time {
	o := s.opts
	o.Jitter = -1
	iv := s.intervalOf(f, st)
	if st.Errors > 0 {
		return o.backoff(iv, st.Errors, 0, st.LastPoll)
	}
	return st.LastPoll.Add(iv)
}
