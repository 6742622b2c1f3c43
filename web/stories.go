package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/newswatch/newswatch/export"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// StorySource is the view of the store that story listings read.
type StorySource interface {
	Stories(ctx context.Context, q store.StoryQuery) ([]news.Story, error)
	Story(id string) (news.Story, error)
	StoryMembers(id string) ([]news.StoryMember, error)
}

// StoryDetail is one story with its articles and the evidence that put
// each in it: GET /api/stories/{id} and `newswatch stories show ID`.
type StoryDetail struct {
	Story    news.Story         `json:"story"`
	Articles []news.StoryMember `json:"articles"`
}

// ParseStoryQuery reads the parameters of GET /api/stories: since (RFC
// 3339 or a date), topic and limit. The error names an unknown
// parameter or a bad value.
func ParseStoryQuery(q url.Values) (store.StoryQuery, error) {
	var sq store.StoryQuery
	for k := range q {
		switch k {
		case "since", "topic", "limit":
		default:
			return sq, fmt.Errorf("unknown parameter %q: want since, topic or limit", k)
		}
	}
	var err error
	if sq.Since, err = export.ParseTime("since", q.Get("since")); err != nil {
		return sq, err
	}
	sq.Topic = q.Get("topic")
	if l := q.Get("limit"); l != "" {
		if sq.Limit, err = strconv.Atoi(l); err != nil || sq.Limit < 0 {
			return sq, fmt.Errorf("limit %q: want a number, 0 or more", l)
		}
	}
	return sq, nil
}

// listStories serves GET /api/stories: the stories updated since, the
// most recent first.
func (a *api) listStories(w http.ResponseWriter, r *http.Request) {
	q, err := ParseStoryQuery(r.URL.Query())
	if err != nil {
		badRequest(w, "%v", err)
		return
	}
	list, err := a.o.Store.Stories(r.Context(), q)
	if err != nil {
		writeError(w, err)
		return
	}
	if list == nil {
		list = []news.Story{}
	}
	writeJSON(w, http.StatusOK, list)
}

// showStory serves GET /api/stories/{id}.
func (a *api) showStory(w http.ResponseWriter, r *http.Request) {
	d, err := storyDetail(a.o.Store, r.PathValue("id"))
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// storyDetail loads a story and its members; store.ErrNotFound when there
// is no such story.
func storyDetail(src StorySource, id string) (StoryDetail, error) {
	st, err := src.Story(id)
	if err != nil {
		return StoryDetail{}, err
	}
	members, err := src.StoryMembers(id)
	if err != nil {
		return StoryDetail{}, err
	}
	if members == nil {
		members = []news.StoryMember{}
	}
	return StoryDetail{Story: st, Articles: members}, nil
}

// Stories lists the stories the query selects (see ParseStoryQuery).
func (c *Client) Stories(ctx context.Context, q url.Values) ([]news.Story, error) {
	var list []news.Story
	return list, c.call(ctx, http.MethodGet, "/api/stories", q, nil, &list)
}

// Story returns a story with its articles.
func (c *Client) Story(ctx context.Context, id string) (StoryDetail, error) {
	var d StoryDetail
	return d, c.call(ctx, http.MethodGet, "/api/stories/"+url.PathEscape(id), nil, nil, &d)
}
