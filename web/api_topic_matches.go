package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// TopicMatches is the answer of GET /api/topics/{name}/matches: the page
// of the topic's matches its dashboard page shows, newest first, with
// the stories among them.
type TopicMatches struct {
	Matches []TopicMatch   `json:"matches"`
	Stories []StorySummary `json:"stories"` // the stories of Matches, in the order of their newest match
	// Next is the after parameter of the next page; empty at the end.
	Next string `json:"next,omitempty"`
}

// TopicMatch is one match: the fields of a search result, its first
// decisive hit of the topic, and its story.
type TopicMatch struct {
	SearchResult
	Story       string `json:"story,omitempty"`        // "" for an article stored before stories
	DuplicateOf string `json:"duplicate_of,omitempty"` // the article it copies
}

// topicMatches serves GET /api/topics/{name}/matches?lang=&source=&since=&until=&after=,
// the parameters of the topic's page.
func (a *api) topicMatches(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if !checkParams(w, q, "lang", "source", "since", "until", "after") {
		return
	}
	name := r.PathValue("name")
	if err := a.o.knownTopic(name); err != nil || !news.ValidTopicName(name) {
		writeErrorStatus(w, http.StatusNotFound, "no topic "+name+" is in force or has matches")
		return
	}
	f, problems := readFilter(q)
	if len(problems) > 0 {
		badRequest(w, "%s", strings.Join(problems, "; "))
		return
	}
	page, err := a.browseTopic(r.Context(), name, f, q.Get("after"))
	if errors.Is(err, store.ErrBadCursor) {
		badRequest(w, "after: %v", err)
		return
	}
	if err != nil {
		writeError(w, err)
		return
	}
	out := TopicMatches{Matches: []TopicMatch{}, Next: page.Next}
	for _, art := range page.Articles {
		res := newSearchResult(store.SearchResult{Article: art, Hits: decisive(art, name)})
		out.Matches = append(out.Matches, TopicMatch{SearchResult: res, Story: art.Story, DuplicateOf: art.DuplicateOf})
	}
	if out.Stories, err = storySummaries(a.o.Store, page.Articles, f.Lang); err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// browseTopic reads a page of topic's matches through the filter f, from
// the cursor after: the page of /topics/{name} and its API.
func (a *api) browseTopic(ctx context.Context, topic string, f filter, after string) (store.BrowsePage, error) {
	b := f.browse(after)
	b.Topic, b.Limit, b.Budget = topic, topicPageSize, topicBudget
	return a.pageStore().Browse(ctx, b)
}

// TopicMatches returns a page of a topic's matches (see topicMatches for
// the parameters q).
func (c *Client) TopicMatches(ctx context.Context, topic string, q url.Values) (TopicMatches, error) {
	var out TopicMatches
	return out, c.call(ctx, http.MethodGet, "/api/topics/"+url.PathEscape(topic)+"/matches", q, nil, &out)
}
