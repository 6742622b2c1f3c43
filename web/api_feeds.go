package web

import (
	"cmp"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/newswatch/newswatch/export"
	"github.com/newswatch/newswatch/parser"
)

// control returns the Control, or answers 503 and returns nil.
func (a *api) control(w http.ResponseWriter) Control {
	if a.o.Control == nil {
		writeError(w, ErrNoDaemon)
	}
	return a.o.Control
}

// addFeed serves POST /api/feeds: one FeedSpec. A feed that is invalid or
// already watched is refused (400, 409) and nothing is stored.
func (a *api) addFeed(w http.ResponseWriter, r *http.Request) {
	var spec FeedSpec
	if !checkParams(w, r.URL.Query(), "via") || !readJSON(w, r, &spec) {
		return
	}
	ctl := a.control(w)
	if ctl == nil {
		return
	}
	res, err := ctl.AddFeeds(r.Context(), []FeedSpec{spec}, cmp.Or(r.URL.Query().Get("via"), "api"))
	if err != nil {
		writeError(w, err)
		return
	}
	if len(res.Skipped) > 0 {
		sk := res.Skipped[0]
		status := http.StatusBadRequest
		if strings.HasPrefix(sk.Reason, AlreadyWatched) {
			status = http.StatusConflict
		}
		writeErrorStatus(w, status, fmt.Sprintf("feed %s: %s", sk.URL, sk.Reason))
		return
	}
	writeJSON(w, http.StatusCreated, res)
}

// AlreadyWatched starts the skip reason of a feed that is watched already.
const AlreadyWatched = "already watched"

// removeFeed serves DELETE /api/feeds?url=URL.
func (a *api) removeFeed(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if !checkParams(w, q, "url") {
		return
	}
	if q.Get("url") == "" {
		badRequest(w, "parameter url is missing")
		return
	}
	ctl := a.control(w)
	if ctl == nil {
		return
	}
	f, err := ctl.RemoveFeed(r.Context(), q.Get("url"))
	if err != nil {
		writeError(w, err)
		return
	}
	row := FeedHealth{Name: f.Name, URL: f.URL, Origin: f.Origin, Added: timePtr(f.Added), Via: f.Via}
	writeJSON(w, http.StatusOK, map[string]any{"removed": []FeedHealth{row}})
}

// importFeeds serves POST /api/feeds/import: the body is an OPML file;
// ?via= names it for the feeds' origin. Feeds already watched or invalid
// are skipped and reported; the valid new ones are added together.
func (a *api) importFeeds(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if !checkParams(w, q, "via") {
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBody))
	if err != nil {
		badRequest(w, "request body: %v", err)
		return
	}
	feeds, err := parser.ParseOPML(body)
	if err != nil {
		badRequest(w, "%v", err)
		return
	}
	ctl := a.control(w)
	if ctl == nil {
		return
	}
	specs := make([]FeedSpec, len(feeds))
	for i, f := range feeds {
		specs[i] = FeedSpec{URL: f.URL, Name: f.Name, Lang: f.Lang}
	}
	res, err := ctl.AddFeeds(r.Context(), specs, "feeds import "+cmp.Or(q.Get("via"), "OPML"))
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// exportFeeds serves GET /api/feeds/export: the feeds in force as OPML.
func (a *api) exportFeeds(w http.ResponseWriter, r *http.Request) {
	if !checkParams(w, r.URL.Query()) {
		return
	}
	w.Header().Set("Content-Type", "text/x-opml; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="newswatch-feeds.opml"`)
	w.Header().Set("Cache-Control", "no-store")
	if err := export.WriteOPML(w, a.o.feeds()); err != nil {
		a.o.Logger.Info("feeds export not sent", "error", err)
	}
}
