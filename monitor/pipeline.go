package monitor

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/newswatch/newswatch/fetcher"
	"github.com/newswatch/newswatch/lang"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/parser"
	"github.com/newswatch/newswatch/store"
	"github.com/newswatch/newswatch/topic"
)

// Fetcher is what the monitor needs of the HTTP client: Fetch for feeds,
// FetchPage, which obeys robots.txt, for article pages.
type Fetcher interface {
	Fetch(ctx context.Context, url string, v fetcher.Validators) (*fetcher.Response, error)
	FetchPage(ctx context.Context, url string, v fetcher.Validators) (*fetcher.Response, error)
}

// ExtractorRobots is the Extractor of an article stored with the feed's
// text because robots.txt disallows its page.
const ExtractorRobots = "feed:robots"

// Store is the monitor's view of the archive.
type Store interface {
	Feed(url string) (store.FeedState, error)
	Unseen(keys []string) ([]string, error)
	SavePoll(p store.Poll) (store.PollResult, error)
	Prune(ctx context.Context, unmatchedBefore time.Time) (int, error)
}

// Planner turns a matched article, or a change of a feed's health, into
// the alerts it owes subscribers.
type Planner interface {
	Plan(a *news.Article, now time.Time) []news.Alert
	PlanHealth(c news.HealthChange, now time.Time) []news.Alert
}

// Stories puts articles into stories (see package story): Assign sets
// the article's Story and DuplicateOf and returns the membership the
// store keeps; Window is how long a story stays open.
type Stories interface {
	Assign(a *news.Article, now time.Time) news.StoryMember
	Window() time.Duration
}

// Monitor polls feeds through the pipeline. Create it with New. Its
// feeds, fetcher, extractor, matcher, planner and options can be replaced
// while it runs (see live.go).
type Monitor struct {
	store    Store
	stories  Stories // may be nil: no stories
	notify   func()
	log      *slog.Logger
	observer Observer // may be nil

	live    atomic.Pointer[settings] // replaced whole by the setters
	setMu   sync.Mutex               // serialises the setters
	changed chan struct{}            // wakes Run after a setter; never blocks them
	// refetchWake wakes runRefetches after a poll queued refetches.
	refetchWake chan struct{}

	mu       sync.Mutex
	claimed  map[string]bool // item keys being processed by some worker
	forgiven map[string]int  // feed URL -> its errors that were a network outage's

	polling map[string]chan struct{} // under mu: source URL -> closed when its poll ends (claimSource)

	rs      runState    // Run's view of outages and its summary
	offline atomic.Bool // a network outage is going on: its failures do not count
}

// Deps are the collaborators of a Monitor. Planner, Stories and Notify
// may be nil.
type Deps struct {
	Fetcher   Fetcher
	Store     Store
	Extractor *parser.Extractor
	Matcher   *topic.Matcher
	Planner   Planner
	Stories   Stories // may be nil: articles get no story
	Notify    func()  // called after a poll stored new alerts
	Logger    *slog.Logger
	Observer  Observer // may be nil: durations of polls and extractions, for metrics
}

// New returns a Monitor for feeds.
func New(feeds []news.Feed, d Deps, opts Options) *Monitor {
	log := d.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m := &Monitor{
		store: d.Store, stories: d.Stories, notify: d.Notify, log: log, observer: d.Observer,
		changed: make(chan struct{}, 1), refetchWake: make(chan struct{}, 1), claimed: make(map[string]bool), forgiven: make(map[string]int),
	}
	s := &settings{fetch: d.Fetcher, extractor: d.Extractor, matcher: d.Matcher, planner: d.Planner, opts: opts.withDefaults()}
	s.setFeeds(slices.Clone(feeds))
	m.live.Store(s)
	return m
}

// Feeds returns the monitored feeds: those given to New or to the latest
// SetFeeds.
func (m *Monitor) Feeds() []news.Feed { return slices.Clone(m.current().feeds) }

// Result is the outcome of one feed poll.
type Result struct {
	Feed        news.Feed
	Status      int  // HTTP status of the feed request; 0 on a network error
	NotModified bool // the feed answered 304
	Items       int  // items in the feed
	New         int  // items not seen before
	Stored      int  // articles stored, with those its backfill stored
	Matched     int  // stored articles that matched a topic, backfill's included
	Alerts      int  // alerts enqueued, backfill's included
	Disallowed  int  // stored articles whose page robots.txt disallows (feed text kept)
	Skipped     bool // not requested: the server's Retry-After is still in force
	Err         error
	Duration    time.Duration
	NextPoll    time.Time

	Gap      bool    // the poll shared no item with the previous one: items may have been missed
	CatchUp  bool    // the poll came after downtime (see catchingUp)
	Backfill *Result // the poll of the feed's backfill source after a gap or on catch-up; nil if none
}

// PollFeed polls one feed: the whole data path, one step after another.
// A feed error is recorded in the feed's state and returned in Result.Err;
// only a store failure is returned as an error.
//
// The poll uses the fetcher, extractor, matcher, planner and options in
// force when it starts, whatever the setters change meanwhile.
func (m *Monitor) PollFeed(ctx context.Context, f news.Feed) (Result, error) {
	return m.snapshot().pollFeed(ctx, f)
}

// pollFeed is PollFeed with the settings of one snapshot: one poll of the
// source, then, when it found a gap or caught up after downtime, one of
// its backfill source.
func (m *snapshot) pollFeed(ctx context.Context, f news.Feed) (Result, error) {
	release, err := m.claimSource(ctx, f.URL)
	if err != nil {
		return Result{Feed: f}, err
	}
	res, err := m.pollOnce(ctx, f)
	release()
	if err == nil && f.Backfill != "" && (res.Gap || res.CatchUp) {
		err = m.backfill(ctx, f, &res)
	}
	return res, err
}

// pollOnce polls the source f once: the whole data path.
func (m *snapshot) pollOnce(ctx context.Context, f news.Feed) (res Result, err error) {
	start := time.Now()
	defer func() { m.observePoll(ctx, res, err, time.Since(start)) }()
	res = Result{Feed: f}
	log := m.log.With("feed_url", news.RedactURL(f.URL))
	st, err := m.feedState(f)
	if err != nil {
		return res, err
	}
	if start.Before(st.NotBefore) {
		res.Skipped = true
		res.NextPoll = st.NextPoll
		log.Debug("feed skipped: the server asked to wait", "until", st.NotBefore.Format(time.RFC3339))
		return res, nil
	}
	res.CatchUp = m.catchingUp(f, st, start)
	st.LastPoll = start

	resp, err := m.fetch.Fetch(ctx, f.URL, fetcher.Validators{ETag: st.ETag, LastModified: st.LastModified})
	if err != nil {
		return m.failed(ctx, log, st, res, err) // the error names the URL
	}
	res.Status = resp.StatusCode
	feed, err := m.parse(ctx, f, resp, &st) // by the source's type; nil when not modified
	if err != nil {
		return m.failed(ctx, log, st, res, err)
	}
	res.Gap = m.observeWindow(log, f, &st, feed, res.CatchUp, start)
	if feed == nil {
		res.NotModified = true
		return m.finish(log, res, store.Poll{Feed: m.succeeded(st, resp, nil)}, start)
	}
	res.Items = len(feed.Items)
	items, fresh, err := m.unseen(f, feed.Items)
	if err != nil {
		return res, err
	}
	defer m.release(f, items)
	res.New = fresh

	poll := store.Poll{}
	// retry counts the items to fetch again on the next poll.
	retry := 0
	for i, r := range m.articles(ctx, f, feed, items) {
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		it := items[i]
		if r.err != nil {
			if m.retryLater(&st, itemKey(f.URL, it)) {
				log.Warn("article not fetched; will retry on the next poll", "item_url", it.URL, "error", r.err)
				retry++
				continue
			}
			log.Warn("article page failed on several polls; storing the feed's text", "item_url", it.URL, "error", r.err)
			r.article = m.feedArticle(f, feed, it)
			m.match(r.article)
		}
		delete(st.ArticleRetries, itemKey(f.URL, it))
		a := r.article
		now := time.Now()
		poll.Articles = append(poll.Articles, a)
		if r.capture != nil {
			poll.Exchanges = append(poll.Exchanges, *r.capture)
		}
		poll.Refetches = append(poll.Refetches, m.opts.firstRefetch(a, r.page)...)
		poll.Seen = append(poll.Seen, itemKey(f.URL, it))
		if m.stories != nil {
			poll.Stories = append(poll.Stories, m.stories.Assign(a, now))
			poll.StoryWindowStart = now.Add(-m.stories.Window())
		}
		if m.planner != nil {
			poll.Alerts = append(poll.Alerts, m.planner.Plan(a, now)...)
		}
		if a.Extractor == ExtractorRobots {
			res.Disallowed++
		}
		if a.Rule != "" {
			st.RuleFallbacks = append(st.RuleFallbacks, a.RuleFellBack)
			if a.RuleFellBack {
				st.ExtractFallbacks++
				log.Warn("site rule found no article body; used the generic extractor", "item_url", a.URL, "extractor", a.Extractor)
			}
		}
	}
	st.ArticleRetries = retriesOf(st.ArticleRetries, f.URL, feed.Items)
	poll.Feed = m.succeeded(st, resp, feed)
	if retry > 0 { // keep the old validators, so the next poll gets the items again
		poll.Feed.ETag, poll.Feed.LastModified = st.ETag, st.LastModified
	}
	poll.Feed.ItemsSeen += fresh - retry
	return m.finish(log, res, poll, start)
}

// feedState loads the stored state of f, or a fresh one.
func (m *Monitor) feedState(f news.Feed) (store.FeedState, error) {
	st, err := m.store.Feed(f.URL)
	if errors.Is(err, store.ErrNotFound) {
		return store.FeedState{URL: f.URL, Name: f.Name}, nil
	}
	if err != nil {
		return st, fmt.Errorf("load feed state %s: %w", news.RedactURL(f.URL), err)
	}
	st.Name = f.Name
	m.unforgive(&st)
	return st, nil
}

// itemKey identifies an item in the seen-set and derives its article id:
// its canonical URL, else its GUID, else (an item with only a title) the
// feed URL and the title.
func itemKey(feedURL string, it news.Item) string {
	if k := it.Key(); k != "" {
		return k
	}
	return "title:" + feedURL + "\n" + it.Title
}

// unseen keeps the items whose key the store has not seen and no other
// worker is processing, in feed order, and claims them until release.
//
// fresh counts the items new to the store, including those another worker
// claimed (the same article reached through two feeds at once).
func (m *Monitor) unseen(f news.Feed, items []news.Item) ([]news.Item, int, error) {
	keys := make([]string, 0, len(items))
	for _, it := range items {
		keys = append(keys, itemKey(f.URL, it))
	}
	fresh, err := m.store.Unseen(keys)
	if err != nil {
		return nil, 0, fmt.Errorf("check seen items: %w", err)
	}
	want := make(map[string]bool, len(fresh))
	m.mu.Lock()
	for _, k := range fresh {
		if !m.claimed[k] { // another worker is processing it (the same article in two feeds)
			m.claimed[k] = true
			want[k] = true
		}
	}
	m.mu.Unlock()
	out := make([]news.Item, 0, len(fresh))
	for _, it := range items {
		if k := itemKey(f.URL, it); want[k] {
			delete(want, k) // the same item twice in one feed counts once
			out = append(out, it)
		}
	}
	return out, len(fresh), nil
}

// release ends the claim unseen took on items, once their poll is saved
// (or abandoned: then the next poll sees them again).
func (m *Monitor) release(f news.Feed, items []news.Item) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, it := range items {
		delete(m.claimed, itemKey(f.URL, it))
	}
}

// built is the article of one item, matched, or why it could not be built.
type built struct {
	article *news.Article
	page    *fetcher.Response // the article page's answer without its body, when it was scraped
	capture *store.Exchange   // the page's exchange, sealed, when the article keeps it as evidence
	err     error
}

// build matches a scraped article and keeps of its page what the poll
// needs: the answer's validators, and the exchange, compressed, when the
// article keeps its page as evidence. The page's body itself is let go,
// so that a feed's pages are not all held, whole, while its other
// articles are scraped and until the poll is saved.
func (m *snapshot) build(a *news.Article, page *fetcher.Response, err error) built {
	if err != nil {
		return built{err: err}
	}
	m.match(a)
	b := built{article: a}
	if page != nil {
		if page.Exchange != nil && m.opts.KeepRaw.Keeps(a.Matched()) {
			ex := store.Exchange{ArticleID: a.ID, Hops: rawHops(page.Exchange)}
			ex.Seal()
			b.capture = &ex
		}
		answer := *page
		answer.Body, answer.Exchange = nil, nil
		b.page = &answer
	}
	return b
}

// articles builds and matches the article of every item, at most
// ArticleWorkers at a time, and returns them in item order. The workers
// take the items in turn: a goroutine per item would grow a fresh stack
// for each article (extraction and matching need a deep one).
func (m *snapshot) articles(ctx context.Context, f news.Feed, feed *parser.Feed, items []news.Item) []built {
	out := make([]built, len(items))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(m.opts.ArticleWorkers, len(items)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(items); i = int(next.Add(1) - 1) {
				if err := ctx.Err(); err != nil {
					out[i].err = err
					continue
				}
				out[i] = m.build(m.article(ctx, f, feed, items[i]))
			}
		})
	}
	wg.Wait()
	return out
}

// maxArticleAttempts is how many polls in a row may fail to fetch an
// article page for a transient reason before the item is stored with the
// feed's own text: a page that times out forever must not keep its story
// out of the archive.
const maxArticleAttempts = 3

// retryLater counts a transient failure of the item with key and reports
// whether it should be retried on the next poll.
func (m *Monitor) retryLater(st *store.FeedState, key string) bool {
	if st.ArticleRetries == nil {
		st.ArticleRetries = make(map[string]int)
	}
	st.ArticleRetries[key]++
	if st.ArticleRetries[key] < maxArticleAttempts {
		return true
	}
	delete(st.ArticleRetries, key)
	return false
}

// retriesOf keeps the retry counts of items still in the feed.
func retriesOf(retries map[string]int, feedURL string, items []news.Item) map[string]int {
	if len(retries) == 0 {
		return nil
	}
	keep := make(map[string]int, len(retries))
	for _, it := range items {
		if n, ok := retries[itemKey(feedURL, it)]; ok {
			keep[itemKey(feedURL, it)] = n
		}
	}
	return keep
}

// feedArticle builds the article of an item from the feed's text alone.
func (m *snapshot) feedArticle(f news.Feed, feed *parser.Feed, it news.Item) *news.Article {
	f.Scrape = false
	a, _, _ := m.article(context.Background(), f, feed, it) // without scraping it cannot fail
	return a
}

// article builds the article of a feed item, scraping its page when the
// feed asks for it. A page that is gone (4xx) or unparsable falls back to the
// feed's own text; a transient failure is returned so the item is retried.
// The page's answer is returned when it was scraped.
func (m *snapshot) article(ctx context.Context, f news.Feed, feed *parser.Feed, it news.Item) (*news.Article, *fetcher.Response, error) {
	a, fallback := &news.Article{}, "feed"
	var resp *fetcher.Response
	if f.Scrape && it.URL != "" {
		page, presp, transient, err := m.scrape(ctx, it.URL)
		switch {
		case err == nil:
			a, resp = page, presp
		case transient:
			return nil, nil, err
		case errors.Is(err, fetcher.ErrDisallowed):
			fallback = ExtractorRobots
			m.log.Debug("article page disallowed by robots.txt; using the feed text", "feed_url", f.URL, "item_url", it.URL, "error", err)
		default:
			m.log.Debug("article page unusable; using the feed text", "feed_url", news.RedactURL(f.URL), "item_url", it.URL, "error", err)
		}
	}
	if a.Text == "" {
		a.Text = cmp.Or(it.Content, it.Summary)
		a.Extractor = fallback
	}
	a.URL = it.URL
	a.ID = news.ArticleID(itemKey(f.URL, it))
	a.FeedURL = f.URL
	a.Source = cmp.Or(f.Name, feed.Title, hostOf(f.URL))
	a.Title = cmp.Or(a.Title, it.Title)
	if it.Title != "" {
		a.Title = it.Title // the feed's headline is cleaner than a page <title>
	}
	a.Summary = it.Summary
	a.Image = cmp.Or(it.Image, a.Image)
	a.Published = firstTime(it.Published, a.Published, it.Updated)
	a.Fetched = time.Now().UTC()
	a.Lang = cmp.Or(lang.Normalize(it.Lang), lang.Normalize(a.Lang), lang.Normalize(f.Lang), lang.Normalize(feed.Lang))
	if a.Lang == "" {
		a.Lang = lang.Detect(a.Title + "\n" + a.Text)
	}
	if a.Dir == "" {
		a.Dir = lang.Dir(a.Lang)
	}
	return a, resp, nil
}

// scrape fetches an article page and extracts it, and returns the page's
// answer too (its validators, its raw exchange). transient reports
// whether a failure is worth retrying on the next poll rather than
// falling back to the feed's text.
func (m *snapshot) scrape(ctx context.Context, u string) (a *news.Article, resp *fetcher.Response, transient bool, err error) {
	resp, err = m.fetch.FetchPage(ctx, u, fetcher.Validators{})
	if err != nil {
		return nil, nil, isTransient(err), fmt.Errorf("fetch article: %w", err)
	}
	start := time.Now()
	a, err = m.extractor.Extract(resp.Body, resp.ContentType, resp.URL)
	m.observeExtraction(start)
	if err != nil {
		return nil, nil, false, fmt.Errorf("extract article: %w", err)
	}
	return a, resp, false, nil
}

// rawHops converts the fetcher's exchange to what the store keeps.
func rawHops(ex *fetcher.Exchange) []news.RawHop {
	out := make([]news.RawHop, len(ex.Hops))
	for i, h := range ex.Hops {
		out[i] = news.RawHop{URL: h.URL, Time: h.Time, Status: h.Status, Request: h.Request, Response: h.Response, Body: h.Body}
	}
	return out
}

// match runs the topics over the article, and keeps the text they
// normalised for the search index and the story tracker.
func (m *snapshot) match(a *news.Article) {
	hits, norm := m.matcher.MatchNormalized(a)
	a.SetHits(hits)
	a.Norm = norm
}

// failed records a feed error, schedules a backoff, classifies the feed's
// health and saves the state with any health alerts. During a network
// outage a network error is recorded but not counted against the feed.
func (m *snapshot) failed(ctx context.Context, log *slog.Logger, st store.FeedState, res Result, err error) (Result, error) {
	if ctx.Err() != nil {
		return res, ctx.Err() // shutting down: not the feed's fault
	}
	now, ra := time.Now(), fetcher.RetryAfter(err)
	res.Err = err
	outage := m.offline.Load() && networkFailure(err)
	if !outage {
		countError(&st, now)
	}
	// The error names the feed URL, maybe with its token.
	st.LastError = news.RedactText(err.Error())
	st.Status = res.Status // 0 for a network error; the 200 of a feed that did not parse
	var se *fetcher.StatusError
	if errors.As(err, &se) {
		st.Status = se.Code
		res.Status = se.Code
	}
	if ra > 0 {
		st.NotBefore = now.Add(min(ra, maxHint))
	}
	st.Interval = m.intervalOf(res.Feed, st)
	st.NextPoll = m.opts.backoff(st.Interval, st.Errors, ra, now)
	res.NextPoll = st.NextPoll
	res.Duration = time.Since(st.LastPoll)
	var change *news.HealthChange
	var alerts []news.Alert
	if !outage {
		change, alerts = m.observeHealth(&st, now)
	}
	out, serr := m.store.SavePoll(store.Poll{Feed: st, Alerts: alerts})
	if serr != nil {
		return res, fmt.Errorf("save feed state %s: %w", news.RedactURL(st.URL), serr)
	}
	m.alerted(&res, out)
	if outage {
		log.Debug("feed poll failed during a network outage", "error", st.LastError)
	} else {
		log.Warn("feed poll failed", "status", res.Status, "errors", st.Errors, "next_poll", st.NextPoll.Format(time.RFC3339), "error", st.LastError)
	}
	logHealth(log, change)
	return res, nil
}

// countError counts a failed poll in st; the first of a run starts its
// clock. A state saved before ErrorsSince existed counts from its last
// success.
func countError(st *store.FeedState, now time.Time) {
	if st.Errors == 0 || st.ErrorsSince.IsZero() {
		st.ErrorsSince = now
		if st.Errors > 0 && !st.LastSuccess.IsZero() {
			st.ErrorsSince = st.LastSuccess
		}
	}
	st.Errors++
}

// alerted counts the alerts a save enqueued and wakes their delivery.
func (m *Monitor) alerted(res *Result, out store.PollResult) {
	res.Alerts += out.NewAlerts
	if out.NewAlerts > 0 && m.notify != nil {
		m.notify()
	}
}

// succeeded updates the feed state after a successful fetch.
func (m *snapshot) succeeded(st store.FeedState, resp *fetcher.Response, feed *parser.Feed) store.FeedState {
	now := time.Now()
	st.Status = resp.StatusCode
	if resp.NotModified {
		st.Status = 304
	}
	st.Errors, st.ErrorsSince = 0, time.Time{}
	st.LastError = ""
	st.NotBefore = time.Time{}
	st.LastSuccess = now
	st.ETag, st.LastModified = resp.Validators.ETag, resp.Validators.LastModified
	var ttl time.Duration
	if feed != nil {
		ttl = feed.TTL
		st.RecentItems = recentTimes(st.RecentItems, feed.Items)
	}
	st.Interval = m.intervalOf(m.feedByURL(st.URL), st)
	st.NextPoll = m.opts.next(st.Interval, ttl, resp.MaxAge, now)
	return st
}

// finish classifies the feed's health, saves the poll with its health
// alerts in one transaction and logs its summary: at info level only when
// it stored new articles, the polls an operator may want to trace; the
// many that find nothing new (304s above all) are debug, and Run's hourly
// summary counts them.
func (m *snapshot) finish(log *slog.Logger, res Result, p store.Poll, start time.Time) (Result, error) {
	change, alerts := m.observeHealth(&p.Feed, start)
	p.Alerts = append(p.Alerts, alerts...)
	st := p.Feed
	out, err := m.store.SavePoll(p)
	if err != nil {
		return res, fmt.Errorf("save poll of %s: %w", news.RedactURL(st.URL), err)
	}
	res.Stored = out.NewArticles
	if len(p.Refetches) > 0 {
		m.wakeRefetches()
	}
	for _, a := range p.Articles {
		if a.Matched() {
			res.Matched++
			log.Info("article matched", "title", a.Title, "item_url", a.URL, "topics", a.Topics)
		}
	}
	m.alerted(&res, out)
	res.NextPoll = st.NextPoll
	res.Duration = time.Since(start)
	level := slog.LevelDebug
	if res.Stored > 0 {
		level = slog.LevelInfo
	}
	log.Log(context.Background(), level, "feed polled", "status", st.Status, "items", res.Items, "new", res.New, "stored", res.Stored,
		"matched", res.Matched, "disallowed", res.Disallowed, "duration", res.Duration.Round(time.Millisecond), "next_poll", st.NextPoll.Format(time.RFC3339))
	logHealth(log, change)
	return res, nil
}

// feedByURL finds the configured feed with url.
func (s *settings) feedByURL(url string) news.Feed {
	if f, ok := s.feed(url); ok {
		return f
	}
	return news.Feed{URL: url}
}

// isTransient reports whether an article fetch error may go away by
// itself (a network failure, a timeout, 408, 429, a 5xx status), so the
// item is retried on the next poll instead of falling back to the feed text.
func isTransient(err error) bool { return fetcher.Temporary(err) }
