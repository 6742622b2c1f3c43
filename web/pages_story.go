package web

import (
	"errors"
	"net/http"
	"slices"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// storyData is the page of a story: its articles with their evidence,
// and its coverage, which sources carried it in which languages.
type storyData struct {
	S        news.Story
	Title    string
	Articles []news.StoryMember
	Coverage coverage
}

// coverage counts a story's articles by source (rows) and language
// (columns); a copy counts in its own source.
type coverage struct {
	Langs []string
	Rows  []coverageRow
}

type coverageRow struct {
	Source string
	Counts []int // by Langs
}

func newCoverage(s news.Story, members []news.StoryMember) coverage {
	c := coverage{Langs: s.Langs}
	if len(c.Langs) == 0 {
		c.Langs = []string{""}
	}
	rows := map[string]*coverageRow{}
	for _, m := range members {
		r := rows[m.Source]
		if r == nil {
			r = &coverageRow{Source: m.Source, Counts: make([]int, len(c.Langs))}
			rows[m.Source] = r
		}
		if i := slices.Index(c.Langs, m.Lang); i >= 0 {
			r.Counts[i]++
		}
	}
	for _, src := range s.Sources {
		if r := rows[src]; r != nil {
			c.Rows = append(c.Rows, *r)
		}
	}
	return c
}

// storyPage serves GET /stories/{id}.
func (a *api) storyPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	d, err := storyDetail(a.o.Store, id)
	if errors.Is(err, store.ErrNotFound) {
		http.Error(w, "no story "+id+" is stored", http.StatusNotFound)
		return
	}
	if err != nil {
		a.storeFailed(w, r, err)
		return
	}
	a.render(w, r, http.StatusOK, "story", "", storyData{
		S: d.Story, Title: d.Story.Title("en"), Articles: d.Articles, Coverage: newCoverage(d.Story, d.Articles),
	})
}
