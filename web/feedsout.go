package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/newswatch/newswatch/export"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// Feeds out: what leaves newswatch for other programs. A topic's matches
// as an Atom feed for feed readers, and as CSV for spreadsheets.
//
// Feed readers cannot log in, so the feed's URL carries the user's
// personal feed key (store.User.FeedKey): /topics/NAME/feed.atom?key=KEY.
// That route is the only one that bypasses sessions and API tokens, and
// only with a valid key: public routes it before the authentication
// middleware, and its handler checks the key itself. Every other route,
// the CSV download included, goes through authentication as before.

// FeedKeyStore finds the user a feed key belongs to (store.Store).
type FeedKeyStore interface {
	UserByFeedKey(key string) (store.User, error)
}

// feedEntries is how many entries a topic's feed lists: the newest.
const feedEntries = 50

// feedMaxAge is how long a feed reader may keep a feed before asking
// again; it asks with If-None-Match and gets 304 when nothing changed.
const feedMaxAge = 5 * time.Minute

// public serves the routes that carry their own credential, and passes
// every other request to authed (the authenticated routes).
func (a *api) public(authed http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /topics/{name}/feed.atom", secureHeaders(http.HandlerFunc(a.topicFeed)))
	mux.Handle("/", authed)
	return mux
}

// topicFeed serves GET /topics/{name}/feed.atom?key=KEY: the newest
// matches of a topic (or saved search) as Atom. A missing, wrong or
// revoked key is 404, the same answer for every key, so the URL tells
// nothing about which users or keys exist.
func (a *api) topicFeed(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if !checkParams(w, q, "key") {
		return
	}
	if _, err := a.o.Store.UserByFeedKey(q.Get("key")); err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			writeError(w, err)
			return
		}
		writeErrorStatus(w, http.StatusNotFound, "no such feed: its key is wrong or was revoked; copy the feed's address again from the dashboard")
		return
	}
	name := r.PathValue("name")
	if err := a.o.knownTopic(name); err != nil {
		writeErrorStatus(w, http.StatusNotFound, err.Error())
		return
	}
	articles, err := latestArticles(r.Context(), a.o.Store, name, feedEntries, a.now())
	if err != nil {
		writeError(w, err)
		return
	}
	base := dashboardBase(a.o, r)
	feed := export.AtomFeed{
		ID:        export.TagPrefix + "topic/" + name, // the same whatever address the reader uses
		Title:     "newswatch: " + name,
		Subtitle:  a.topicQuery(name),
		Self:      base + r.URL.RequestURI(),
		Dashboard: base,
	}
	if base != "" {
		feed.Page = base + "/topics/" + url.PathEscape(name)
	}
	var b bytes.Buffer
	if err := export.WriteAtom(&b, feed, name, articles); err != nil {
		writeError(w, err)
		return
	}
	sum := sha256.Sum256(b.Bytes())
	h := w.Header()
	h.Set("Content-Type", export.MediaType(export.FormatAtom))
	h.Set("Cache-Control", fmt.Sprintf("private, max-age=%d", int(feedMaxAge/time.Second)))
	h.Set("ETag", `"`+hex.EncodeToString(sum[:12])+`"`)
	// No Last-Modified: an article fetched late but published early
	// changes the feed without making it newer, which only the ETag sees.
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(b.Bytes()))
}

// topicQuery returns the query of the topic in force called name, or "".
func (a *api) topicQuery(name string) string {
	if a.o.Control == nil {
		return ""
	}
	for _, t := range a.o.Control.TopicList() {
		if t.Name == name {
			return strings.Join(strings.Fields(t.Query), " ")
		}
	}
	return ""
}

// topicCSV serves GET /topics/{name}/matches.csv?bom=1&since=&until=: the
// topic's matches as a CSV export.
func topicCSV(o Options) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if !checkParams(w, q, "bom", "since", "until") {
			return
		}
		name := r.PathValue("name")
		if !news.ValidTopicName(name) {
			badRequest(w, "topic %q: a topic name is letters, digits, '-' and '_'", name)
			return
		}
		if err := o.knownTopic(name); err != nil {
			writeErrorStatus(w, http.StatusNotFound, err.Error())
			return
		}
		q.Set("format", export.FormatCSV)
		q.Set("topic", name)
		opts, err := ExportOptions(q)
		if err != nil {
			badRequest(w, "%v", err)
			return
		}
		serveExport(w, r, o, opts, "newswatch-"+name)
	}
}

// exportRoutes serves /export and /topics/{name}/matches.csv, so that
// one limit counts the downloads of both.
func exportRoutes(o Options) http.Handler {
	archive, topic := exportHandler(o), topicCSV(o)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("name") != "" {
			topic(w, r)
			return
		}
		archive(w, r)
	})
}

// archiveFeed describes the Atom document of /export?format=atom.
func archiveFeed(o Options, r *http.Request, opts export.Options) export.AtomFeed {
	f := export.AtomFeed{Title: "newswatch export", Dashboard: dashboardBase(o, r)}
	if opts.Topic != "" {
		f.Title += ": " + opts.Topic
	}
	return f
}

// dashboardBase is the scheme and host the request reached the dashboard
// at, for absolute links in feeds: the Host header, which serve checked
// against web.hosts. "" on the control socket and in a command's own
// server, which no browser reaches.
func dashboardBase(o Options, r *http.Request) string {
	if o.Auth == AuthLocal || r.Host == "" {
		return ""
	}
	scheme := "http"
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// feedWindows are the spans latestArticles looks back over, one after the
// other, until one holds enough articles; 0 is the whole archive.
var feedWindows = []time.Duration{7 * 24 * time.Hour, 30 * 24 * time.Hour, 365 * 24 * time.Hour, 0}

// latestArticles returns the n newest articles of topic, newest first. The
// store reads oldest first, so it reads the last week, then wider spans
// until one holds n articles, keeping only the last n read: a busy topic
// costs a week's reading, a quiet one what it has.
func latestArticles(ctx context.Context, src export.Source, topic string, n int, now time.Time) ([]*news.Article, error) {
	var ring []*news.Article
	for _, span := range feedWindows {
		var since time.Time
		if span > 0 {
			since = now.Add(-span)
		}
		ring = ring[:0]
		next := 0 // where the next article goes once ring is full
		err := src.ForEachArticle(ctx, store.Query{Topic: topic, Since: since}, func(a *news.Article) error {
			if len(ring) < n {
				ring = append(ring, a)
			} else {
				ring[next] = a
				next = (next + 1) % n
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(ring) == n || span == 0 {
			out := slices.Concat(ring[next:], ring[:next]) // oldest first
			slices.Reverse(out)
			return out, nil
		}
	}
	return nil, nil // not reached: the last span is the whole archive
}
