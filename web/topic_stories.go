package web

import (
	"cmp"
	"errors"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// A topic's matches, on its page and in GET /api/topics/{name}/matches,
// are grouped by story: the matches of one story on the page follow its
// newest one, under the story. Grouping is within the page; the page is
// still the keyset page of store.Browse.

// maxCoverageSources bounds the sources a story's coverage shows on a
// topic page, which holds up to topicPageSize of them; its own page
// shows them all.
const maxCoverageSources = 8

// storyGroup is a story among a topic page's matches, or a match
// without a story (Head nil).
type storyGroup struct {
	Head *storyHead
	Rows []articleRow
}

// storyHead is a story as a topic page heads its group: its title in a
// language, its article count and its coverage.
type storyHead struct {
	ID, Lang, Title string
	Articles        int
	Sources         int
	Coverage        coverage
	MoreSources     int // sources beyond Coverage's rows
}

// StorySummary is a story of a page of matches in the API.
type StorySummary struct {
	ID string `json:"id"`
	// Title is the story's title in Lang: that of the filter, else of
	// the story's newest match on the page, else English.
	Title   string   `json:"title"`
	Lang    string   `json:"lang"`
	Langs   []string `json:"languages"`
	Sources []string `json:"sources"`
	Count   int      `json:"count"` // articles, copies included
}

// pageStory is a story of a page with the language its title is shown in.
type pageStory struct {
	S    news.Story
	Lang string
}

// pageStories returns the stories of arts by ID, and their IDs in the
// order of their newest article; prefer is the language to title them
// in ("" for that of their newest match). An article whose story is no
// longer stored counts as one without.
func pageStories(src StorySource, arts []*news.Article, prefer string) (map[string]*pageStory, []string, error) {
	byID := map[string]*pageStory{}
	var order []string
	for _, art := range arts {
		if art.Story == "" {
			continue
		}
		if _, seen := byID[art.Story]; seen {
			continue
		}
		s, err := src.Story(art.Story)
		if errors.Is(err, store.ErrNotFound) {
			byID[art.Story] = nil
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		l, _ := s.TitleLang(cmp.Or(prefer, art.Lang))
		byID[art.Story] = &pageStory{S: s, Lang: l}
		order = append(order, art.Story)
	}
	return byID, order, nil
}

// storyGroups groups the rows of arts (rows[i] is that of arts[i]) by
// story, each story at the place of its newest match, with its coverage.
func (a *api) storyGroups(arts []*news.Article, rows []articleRow, prefer string) ([]storyGroup, error) {
	stories, _, err := pageStories(a.o.Store, arts, prefer)
	if err != nil {
		return nil, err
	}
	var out []storyGroup
	at := map[string]int{} // story ID -> its group in out
	for i, art := range arts {
		ps := stories[art.Story]
		if ps == nil {
			out = append(out, storyGroup{Rows: rows[i : i+1]})
			continue
		}
		if g, ok := at[art.Story]; ok {
			out[g].Rows = append(out[g].Rows, rows[i])
			continue
		}
		head, err := a.storyHead(ps)
		if err != nil {
			return nil, err
		}
		at[art.Story] = len(out)
		out = append(out, storyGroup{Head: head, Rows: []articleRow{rows[i]}})
	}
	return out, nil
}

// storyHead builds the head of a story's group: its coverage by all its
// articles, not only those on the page, at most maxCoverageSources
// sources of it.
func (a *api) storyHead(ps *pageStory) (*storyHead, error) {
	members, err := a.o.Store.StoryMembers(ps.S.ID)
	if err != nil {
		return nil, err
	}
	h := &storyHead{ID: ps.S.ID, Lang: ps.Lang, Title: ps.S.Titles[ps.Lang], Articles: ps.S.Articles, Sources: len(ps.S.Sources), Coverage: newCoverage(ps.S, members)}
	if n := len(h.Coverage.Rows); n > maxCoverageSources {
		h.Coverage.Rows, h.MoreSources = h.Coverage.Rows[:maxCoverageSources], n-maxCoverageSources
	}
	return h, nil
}

// storySummaries returns the API's summary of the stories of arts, in
// the order of their newest match.
func storySummaries(src StorySource, arts []*news.Article, prefer string) ([]StorySummary, error) {
	stories, order, err := pageStories(src, arts, prefer)
	if err != nil {
		return nil, err
	}
	out := []StorySummary{}
	for _, id := range order {
		ps := stories[id]
		out = append(out, StorySummary{ID: id, Title: ps.S.Titles[ps.Lang], Lang: ps.Lang,
			Langs: nonNil(ps.S.Langs), Sources: nonNil(ps.S.Sources), Count: ps.S.Articles})
	}
	return out, nil
}

// nonNil returns list, or an empty list for nil, so JSON shows [].
func nonNil(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}
