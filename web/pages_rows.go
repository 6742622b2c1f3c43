package web

import (
	"net/http"
	"time"

	"github.com/newswatch/newswatch/news"
)

// articleRow is an article in a listing: the overview's latest matches,
// a topic's matches, search results.
type articleRow struct {
	ID, URL, Lang, Source string
	Title                 []textPart // with the evidence in it marked
	At                    time.Time
	Topics                []string
	Evidence              [][]textPart // excerpts of the text around the evidence
	Elsewhere             []string     // evidence found in the URL or the source name
	Feedback              *feedbackForm
}

// feedbackForm is the relevance form of one article and topic.
type feedbackForm struct {
	ArticleID, Topic string
	Current          string // the user's label: relevant, not_relevant, or ""
	Return           string // the page to go back to
	CSRF             string
}

// Labels offered by the feedback form, and the one that clears.
const labelClear = "clear"

// excerptsPerRow bounds the text excerpts a row shows.
const excerptsPerRow = 2

// rows builds the rows of arts. evidence returns the hits to show of an
// article (nil: none). With a topic and a signed-in user, each row gets
// the feedback form of that topic, showing the user's label.
func (a *api) rows(r *http.Request, arts []*news.Article, evidence func(*news.Article) []news.Hit, topic string) []articleRow {
	c := callerOf(r)
	var labels map[string]map[string]string
	if topic != "" && c.name != "" {
		ids := make([]string, len(arts))
		for i, art := range arts {
			ids[i] = art.ID
		}
		var err error
		if labels, err = a.pageStore().UserLabels(c.name, ids); err != nil {
			a.o.Logger.Warn("labels not shown", "error", err) // the page is still worth showing
		}
	}
	out := make([]articleRow, len(arts))
	for i, art := range arts {
		row := articleRow{ID: art.ID, URL: art.URL, Lang: art.Lang, Source: art.Source, At: indexTime(art), Topics: art.Topics}
		hits := evidence(art)
		row.Title = parts(art.Title, 0, len(art.Title), hitSpans(art.Title, hits, news.FieldTitle))
		row.Evidence = excerpts(art.Text, hitSpans(art.Text, hits, news.FieldText), excerptsPerRow)
		for _, h := range hits {
			if h.Field != news.FieldTitle && h.Field != news.FieldText {
				row.Elsewhere = append(row.Elsewhere, h.Field+": "+h.Term)
			}
		}
		if topic != "" && c.name != "" {
			row.Feedback = &feedbackForm{ArticleID: art.ID, Topic: topic, Current: labels[art.ID][topic], Return: r.URL.RequestURI() + "#a-" + art.ID, CSRF: c.csrf}
		}
		out[i] = row
	}
	return out
}

// decisive returns the hits of topic that made it match: not the context
// words of a NEAR clause. Hits stored before the topic engine marked
// context words are all shown.
func decisive(art *news.Article, topic string) []news.Hit {
	var out []news.Hit
	for _, h := range art.Hits {
		if h.Topic == topic && !h.Context {
			out = append(out, h)
		}
	}
	return out
}
