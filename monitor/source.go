package monitor

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/newswatch/newswatch/fetcher"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/parser"
	"github.com/newswatch/newswatch/store"
)

// Bounds of what one poll of a sitemap or section page reads.
const (
	// maxChildSitemaps is how many child sitemaps of a sitemap index one
	// poll fetches: the newest by <lastmod>, those without one after them
	// in the index's order. A news site's index lists a sitemap per month
	// or day; the newest few hold every recent article.
	maxChildSitemaps = 3
	// manyChildSitemaps is how many children make an index worth a note.
	manyChildSitemaps = 1000
	// maxSourceItems is how many items of a sitemap or page one poll
	// takes: the newest, when more are listed within the horizon.
	maxSourceItems = 1000
)

// parse turns the fetched body of source f into its items, by the
// source's type: a feed with parser.ParseFeed, a sitemap with
// parser.ParseSitemap (the children of an index fetched here), a section
// page with parser.ParsePage. It returns nil when nothing changed (304s
// only). Items of sitemaps and pages older than the horizon are dropped
// and at most maxSourceItems kept; st keeps what the parser left out
// (Notes) and the children's validators.
func (m *snapshot) parse(ctx context.Context, f news.Feed, resp *fetcher.Response, st *store.FeedState) (*parser.Feed, error) {
	var feed *parser.Feed
	var err error
	switch kind := f.Kind(); {
	case kind == news.SourceSitemap && (!resp.NotModified || len(st.Sitemaps) > 0):
		feed, err = m.readSitemap(ctx, f, resp, st)
	case resp.NotModified:
		return nil, nil
	case kind == news.SourcePage:
		feed, err = parser.ParsePage(resp.Body, resp.ContentType, resp.URL, m.sourceOptions(f))
	default:
		st.Notes = nil
		return parser.ParseFeed(resp.Body, resp.ContentType, resp.URL)
	}
	if err != nil || feed == nil {
		return nil, err
	}
	notes := m.recent(feed, time.Now())
	if len(notes) > 0 && !slices.Equal(notes, st.Notes) {
		m.log.Warn("source read in part", "feed_url", news.RedactURL(f.URL), "notes", notes)
	}
	st.Notes = notes
	return feed, nil
}

// sourceOptions are the parser options of a sitemap or page source: its
// selectors and hosts, and the zone of its site rule.
func (m *snapshot) sourceOptions(f news.Feed) parser.SourceOptions {
	return parser.SourceOptions{Items: f.Select.Items, Title: f.Select.Title, Date: f.Select.Date, Hosts: f.Hosts, Zone: m.extractor.Zone(f.URL)}
}

// recent drops the items of feed published before the horizon and keeps
// at most maxSourceItems, the newest; undated items count as new. It
// returns the feed's notes with one for the items left out.
func (m *snapshot) recent(feed *parser.Feed, now time.Time) []string {
	since := now.Add(-m.opts.horizon())
	feed.Items = slices.DeleteFunc(feed.Items, func(it news.Item) bool {
		t := firstTime(it.Published, it.Updated)
		return !t.IsZero() && t.Before(since)
	})
	if n := len(feed.Items); n > maxSourceItems {
		slices.SortStableFunc(feed.Items, func(a, b news.Item) int {
			ta, tb := firstTime(a.Published, a.Updated), firstTime(b.Published, b.Updated)
			if ta.IsZero() != tb.IsZero() {
				return cmp.Compare(btoi(ta.IsZero()), btoi(tb.IsZero())) // undated last
			}
			return tb.Compare(ta)
		})
		feed.Items = feed.Items[:maxSourceItems]
		feed.Notes = append(feed.Notes, fmt.Sprintf("%d items within the horizon; took the newest %d", n, maxSourceItems))
	}
	return feed.Notes
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// readSitemap parses a fetched sitemap. An index has its children read
// too (readChildren); an index that answered 304 has the children of its
// last poll read again, conditionally, since a static index may list a
// monthly sitemap that grows.
func (m *snapshot) readSitemap(ctx context.Context, f news.Feed, resp *fetcher.Response, st *store.FeedState) (*parser.Feed, error) {
	var index *parser.Feed
	if resp.NotModified {
		index = &parser.Feed{Link: f.URL}
		for _, c := range st.Sitemaps {
			index.Sitemaps = append(index.Sitemaps, parser.SitemapRef{URL: c.URL, Modified: c.Modified})
		}
	} else {
		var err error
		if index, err = parser.ParseSitemap(resp.Body, resp.ContentType, resp.URL, m.sourceOptions(f)); err != nil {
			return nil, err
		}
		if len(index.Sitemaps) == 0 {
			st.Sitemaps = nil
			return index, nil // a urlset
		}
	}
	return m.readChildren(ctx, f, index, st)
}

// readChildren fetches the newest children of a sitemap index, at most
// maxChildSitemaps and none older than the horizon, each conditionally
// with the validators of its last fetch, and returns their items with the
// index's children in Sitemaps. A child that fails is noted; when every
// child fails the poll fails. It returns nil when every child answered
// 304.
func (m *snapshot) readChildren(ctx context.Context, f news.Feed, index *parser.Feed, st *store.FeedState) (*parser.Feed, error) {
	out := &parser.Feed{Title: index.Title, Link: index.Link, Sitemaps: index.Sitemaps, Notes: index.Notes}
	children, notes := m.pickChildren(f, index.Sitemaps, time.Now())
	out.Notes = append(out.Notes, notes...)
	known := make(map[string]store.ChildSitemap, len(st.Sitemaps))
	for _, c := range st.Sitemaps {
		known[c.URL] = c
	}
	var kept []store.ChildSitemap
	var errs []error
	changed := false
	for _, ref := range children {
		c := known[ref.URL]
		c.URL, c.Modified = ref.URL, ref.Modified
		feed, v, err := m.readChild(ctx, f, c)
		switch {
		case err != nil:
			errs = append(errs, err)
			out.Notes = append(out.Notes, news.RedactText(err.Error()))
		case feed != nil:
			changed = true
			out.Items = append(out.Items, feed.Items...)
			for _, n := range feed.Notes {
				out.Notes = append(out.Notes, fmt.Sprintf("%s: %s", news.RedactURL(ref.URL), n))
			}
		}
		c.ETag, c.LastModified = v.ETag, v.LastModified
		kept = append(kept, c)
	}
	st.Sitemaps = kept
	if len(errs) > 0 && len(errs) == len(children) {
		return nil, fmt.Errorf("sitemap index %s: every child sitemap failed: %w", news.RedactURL(f.URL), errors.Join(errs...))
	}
	if len(children) > 0 && !changed && len(errs) == 0 {
		return nil, nil // every child answered 304
	}
	return out, nil
}

// pickChildren returns the children of an index to read: the newest
// first, those modified before the horizon left out, the index itself
// never, at most maxChildSitemaps; and notes on what was left out that
// matters.
func (m *snapshot) pickChildren(f news.Feed, refs []parser.SitemapRef, now time.Time) ([]parser.SitemapRef, []string) {
	var notes []string
	if len(refs) > manyChildSitemaps {
		notes = append(notes, fmt.Sprintf("the index lists %d child sitemaps; each poll reads the newest %d", len(refs), maxChildSitemaps))
	}
	since := now.Add(-m.opts.horizon())
	var out []parser.SitemapRef
	for _, r := range refs {
		switch {
		case r.URL == f.URL:
			notes = append(notes, "the index lists itself: not followed")
		case !r.Modified.IsZero() && r.Modified.Before(since):
		default:
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b parser.SitemapRef) int {
		if a.Modified.IsZero() != b.Modified.IsZero() {
			return cmp.Compare(btoi(a.Modified.IsZero()), btoi(b.Modified.IsZero()))
		}
		return b.Modified.Compare(a.Modified)
	})
	return out[:min(len(out), maxChildSitemaps)], notes
}

// readChild fetches and parses one child sitemap conditionally. It
// returns nil when the child answered 304, and the validators to keep.
// A child that is itself an index is not followed: the protocol forbids
// it, and following it could loop.
func (m *snapshot) readChild(ctx context.Context, f news.Feed, c store.ChildSitemap) (*parser.Feed, fetcher.Validators, error) {
	v := fetcher.Validators{ETag: c.ETag, LastModified: c.LastModified}
	resp, err := m.fetch.Fetch(ctx, c.URL, v)
	if err != nil {
		return nil, v, err // the error names the URL
	}
	if resp.NotModified {
		return nil, resp.Validators, nil
	}
	feed, err := parser.ParseSitemap(resp.Body, resp.ContentType, resp.URL, m.sourceOptions(f))
	if err != nil {
		return nil, fetcher.Validators{}, err
	}
	if len(feed.Sitemaps) > 0 {
		return nil, fetcher.Validators{}, fmt.Errorf("child sitemap %s is itself an index: not followed", news.RedactURL(c.URL))
	}
	return feed, resp.Validators, nil
}
