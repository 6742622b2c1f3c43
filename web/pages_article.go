package web

import (
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// articleData is the page of an article.
type articleData struct {
	A          *news.Article
	FeedURL    string // redacted
	Title      []textPart
	Paragraphs [][]textPart
	Cut        int // bytes of text not shown
	Topics     []articleTopic
	Alerts     []AlertRow
	Story      *news.Story            // nil outside stories
	History    []store.RevisionRecord // edits and takedowns, oldest first
	Captures   []news.Capture         // the kept exchanges (evidence)
}

// articleTopic is a topic an article matched (or was judged for): the
// terms that made it match, the context words, what users judged, and
// the caller's feedback form.
type articleTopic struct {
	Name                  string
	Decisive, Context     []string // terms, each once, with the field when not the text
	Relevant, NotRelevant int      // users' labels
	Feedback              *feedbackForm
}

// articlePage serves GET /articles/{id}.
func (a *api) articlePage(w http.ResponseWriter, r *http.Request) {
	art, ok := a.article(w, r)
	if !ok {
		return
	}
	id := art.ID
	d := articleData{A: art, FeedURL: news.RedactURL(art.FeedURL)}
	d.Title = parts(art.Title, 0, len(art.Title), hitSpans(art.Title, art.Hits, news.FieldTitle))
	d.Paragraphs, d.Cut = paragraphs(art.Text, hitSpans(art.Text, art.Hits, news.FieldText))
	labels, err := a.pageStore().ArticleLabels(id)
	if err != nil {
		a.storeFailed(w, r, err)
		return
	}
	d.Topics = articleTopics(art, labels, callerOf(r), r.URL.Path)
	if d.Alerts, err = a.articleAlerts(id); err != nil {
		a.storeFailed(w, r, err)
		return
	}
	if art.Story != "" {
		s, err := a.o.Store.Story(art.Story)
		switch {
		case err == nil:
			d.Story = &s
		case !errors.Is(err, store.ErrNotFound):
			a.storeFailed(w, r, err)
			return
		}
	}
	if d.History, err = a.o.Store.Revisions(id); err != nil {
		a.storeFailed(w, r, err)
		return
	}
	if d.Captures, err = a.o.Store.Captures(id); err != nil {
		a.storeFailed(w, r, err)
		return
	}
	a.render(w, r, http.StatusOK, "article", "", d)
}

// article returns the article of the request's path, or answers 404 (or
// 503) and returns false.
func (a *api) article(w http.ResponseWriter, r *http.Request) (*news.Article, bool) {
	id := r.PathValue("id")
	art, err := a.o.Store.Article(id)
	if errors.Is(err, store.ErrNotFound) {
		http.Error(w, "no article "+id+" is stored", http.StatusNotFound)
		return nil, false
	}
	if err != nil {
		a.storeFailed(w, r, err)
		return nil, false
	}
	return art, true
}

// articleTopics lists the topics of art, and those users judged it for,
// with their evidence and labels.
func articleTopics(art *news.Article, labels []store.Label, c caller, path string) []articleTopic {
	names := slices.Clone(art.Topics)
	for _, l := range labels {
		if !slices.Contains(names, l.Topic) {
			names = append(names, l.Topic)
		}
	}
	out := make([]articleTopic, len(names))
	for i, name := range names {
		t := articleTopic{Name: name}
		for _, h := range art.Hits {
			if h.Topic != name {
				continue
			}
			term := h.Term
			if h.Field != news.FieldText {
				term += " (" + h.Field + ")"
			}
			if h.Context {
				t.Context = appendNew(t.Context, term)
			} else {
				t.Decisive = appendNew(t.Decisive, term)
			}
		}
		current := ""
		for _, l := range labels {
			if l.Topic != name {
				continue
			}
			if l.Label == store.LabelRelevant {
				t.Relevant++
			} else {
				t.NotRelevant++
			}
			if l.User == c.name {
				current = l.Label
			}
		}
		if c.name != "" {
			t.Feedback = &feedbackForm{ArticleID: art.ID, Topic: name, Current: current, Return: path, CSRF: c.csrf}
		}
		out[i] = t
	}
	return out
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// articleAlerts returns the alerts of an article for the subscribers in
// force: their IDs derive from subscriber, channel and article
// (news.AlertID), so a few lookups find them without reading the outbox.
func (a *api) articleAlerts(id string) ([]AlertRow, error) {
	var out []AlertRow
	for _, sub := range a.subscribers() {
		for _, ch := range []string{news.ChannelWebhook, news.ChannelEmail} {
			al, err := a.pageStore().Alert(news.AlertID(sub, ch, id))
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return nil, err
			}
			out = append(out, newAlertRow(al))
		}
	}
	return out, nil
}

// subscribers returns the names of the subscribers in force.
func (a *api) subscribers() []string {
	if a.o.Control == nil {
		return nil
	}
	return a.o.Control.Subscribers()
}

// feedback serves POST /articles/{id}/feedback: the caller's judgement of
// the article for a topic (relevant, not_relevant, or clear to withdraw
// it), kept per user, then 303 to the form's return path. Setting the same
// label twice is setting it once; a new label replaces the old.
func (a *api) feedback(w http.ResponseWriter, r *http.Request) {
	if !parseForm(w, r) {
		return
	}
	c := callerOf(r)
	if c.name == "" {
		http.Error(w, "feedback is kept per user: sign in as a user, or use a named API token", http.StatusForbidden)
		return
	}
	art, ok := a.article(w, r)
	if !ok {
		return
	}
	id := art.ID
	topic, label := r.PostForm.Get("topic"), r.PostForm.Get("label")
	if !slices.Contains(art.Topics, topic) && !slices.Contains(a.o.topics(), topic) {
		http.Error(w, "topic "+topic+": not a topic of this article nor one in force", http.StatusBadRequest)
		return
	}
	switch label {
	case store.LabelRelevant, store.LabelNotRelevant:
	case labelClear:
		label = ""
	default:
		http.Error(w, "label "+label+": want relevant, not_relevant or clear", http.StatusBadRequest)
		return
	}
	l := store.Label{ArticleID: id, Topic: topic, User: c.name, Label: label, Lang: art.Lang, At: a.now().UTC().Truncate(time.Second)}
	if err := a.pageStore().SetLabel(l); err != nil {
		a.storeFailed(w, r, err)
		return
	}
	http.Redirect(w, r, localPath(r.PostForm.Get("return"), "/articles/"+id), http.StatusSeeOther)
}
