package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// EvidenceStore is the view of the archive's captured exchanges.
type EvidenceStore interface {
	Captures(id string) ([]news.Capture, error)
	CaptureData(c news.Capture) ([]news.RawHop, error)
	Revisions(id string) ([]store.RevisionRecord, error)
}

// Evidence is the answer of GET /api/articles/{id}/captures: the manifest
// of an article's kept exchanges.
type Evidence struct {
	ArticleID string         `json:"article_id"`
	URL       string         `json:"url"`
	Title     string         `json:"title"`
	Captures  []news.Capture `json:"captures"`
	// Revisions are the edits and takedowns refetches found.
	Revisions []news.Revision `json:"revisions,omitempty"`
}

// evidence serves GET /api/articles/{id}/captures.
func (a *api) evidence(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	art, err := a.o.Store.Article(id)
	if err != nil {
		writeError(w, err)
		return
	}
	cs, err := a.o.Store.Captures(id)
	if err != nil {
		writeError(w, err)
		return
	}
	if cs == nil {
		cs = []news.Capture{}
	}
	writeJSON(w, http.StatusOK, Evidence{ArticleID: id, URL: art.URL, Title: art.Title, Captures: cs, Revisions: art.Revisions})
}

// Evidence returns the manifest of the captures of the article id.
func (c *Client) Evidence(ctx context.Context, id string) (Evidence, error) {
	var res Evidence
	return res, c.call(ctx, http.MethodGet, fmt.Sprintf("/api/articles/%s/captures", url.PathEscape(id)), nil, nil, &res)
}
