package alerts

import (
	"bytes"
	"encoding/json"
	"errors"
	"time"

	"github.com/newswatch/newswatch/news"
)

// EventType is the type of the Standard Webhooks event for an alert.
const EventType = "article.matched"

// StoryUpdateType is the type of the event for later articles of a story
// that alerted the subscriber already (see StoryEvent).
const StoryUpdateType = "story.updated"

// Event is the JSON body of a standard webhook.
type Event struct {
	Type      string    `json:"type"`
	Timestamp time.Time `json:"timestamp"`
	Data      EventData `json:"data"`
}

// EventData is the data of an Event.
type EventData struct {
	Subscriber string       `json:"subscriber"`
	Article    EventArticle `json:"article"`
	Story      *EventStory  `json:"story,omitempty"` // the article's story, if it is in one
	Test       bool         `json:"test,omitempty"`
	// Revision is the edit or takedown of an "article.edited" or
	// "article.removed" event.
	Revision *news.Revision `json:"revision,omitempty"`
}

// EventStory describes the story of an alert: its coverage as it stands
// when the alert is sent.
type EventStory struct {
	ID           string            `json:"id"`
	Title        string            `json:"title"`  // in the article's language, else English, else the first
	Titles       map[string]string `json:"titles"` // by language
	Languages    []string          `json:"languages"`
	Sources      []string          `json:"sources"`
	ArticleCount int               `json:"article_count"`
	FirstSeen    time.Time         `json:"first_seen"`
	LastSeen     time.Time         `json:"last_seen"`
}

// StoryEvent is the body of a story.updated webhook: the story and its
// articles since the subscriber's last alert of it.
type StoryEvent struct {
	Type      string         `json:"type"`
	Timestamp time.Time      `json:"timestamp"`
	Data      StoryEventData `json:"data"`
}

// StoryEventData is the data of a StoryEvent.
type StoryEventData struct {
	Subscriber string         `json:"subscriber"`
	Story      EventStory     `json:"story"`
	Articles   []EventArticle `json:"articles"`
}

// newEventStory describes s for article language l.
func newEventStory(s *news.Story, l string) *EventStory {
	if s == nil {
		return nil
	}
	return &EventStory{
		ID: s.ID, Title: s.Title(l), Titles: s.Titles, Languages: nonNil(s.Langs), Sources: nonNil(s.Sources),
		ArticleCount: s.Articles, FirstSeen: s.First.UTC(), LastSeen: s.Last.UTC(),
	}
}

// EventArticle describes the matched article in an Event.
type EventArticle struct {
	ID        string     `json:"id"`
	URL       string     `json:"url"`
	Title     string     `json:"title"`
	Source    string     `json:"source"`
	Lang      string     `json:"lang"`
	Published *time.Time `json:"published"` // null when the feed gives no date
	Topics    []string   `json:"topics"`
	Snippet   string     `json:"snippet"`
	Matches   []news.Hit `json:"matches"`
}

// errNotSingle means a webhook was asked to carry a digest.
var errNotSingle = errors.New("webhook messages carry exactly one article")

// NewEvent returns the Standard Webhooks event of a single-article message.
func NewEvent(m Message) (Event, error) {
	if len(m.Entries) != 1 {
		return Event{}, errNotSingle
	}
	e := m.Entries[0]
	ev := Event{
		Type:      EventType,
		Timestamp: m.Time.UTC().Truncate(time.Second),
		Data: EventData{
			Subscriber: m.Subscriber,
			Test:       m.Test,
			Article:    eventArticle(e),
			Story:      newEventStory(e.Story, e.Article.Lang),
		},
	}
	if e.Revision != nil {
		ev.Type, ev.Data.Revision = "article."+string(e.Revision.Kind), e.Revision
	}
	return ev, nil
}

// eventArticle describes the article of an entry.
func eventArticle(e Entry) EventArticle {
	a := e.Article
	ea := EventArticle{
		ID: a.ID, URL: a.URL, Title: a.Title, Source: a.Source, Lang: a.Lang,
		Topics:  nonNil(e.Topics),
		Snippet: e.Snippet(),
		Matches: nonNil(e.Hits),
	}
	if !a.Published.IsZero() {
		p := a.Published.UTC()
		ea.Published = &p
	}
	return ea
}

// NewStoryEvent returns the story.updated event of a story update.
func NewStoryEvent(m Message) (StoryEvent, error) {
	if !m.Update() || m.Entries[0].Story == nil {
		return StoryEvent{}, errors.New("not a story update")
	}
	first := m.Entries[0]
	ev := StoryEvent{
		Type:      StoryUpdateType,
		Timestamp: m.Time.UTC().Truncate(time.Second),
		Data:      StoryEventData{Subscriber: m.Subscriber, Story: *newEventStory(first.Story, first.Article.Lang)},
	}
	for _, e := range m.Entries {
		ev.Data.Articles = append(ev.Data.Articles, eventArticle(e))
	}
	return ev, nil
}

// EncodeEvent returns the exact bytes sent and signed for m: an Event, or
// a HealthEvent for a health message.
func EncodeEvent(m Message) ([]byte, error) {
	if m.Health != nil {
		return marshal(newHealthEvent(m))
	}
	if m.Update() && m.Entries[0].Story != nil {
		ev, err := NewStoryEvent(m)
		if err != nil {
			return nil, err
		}
		return marshal(ev)
	}
	ev, err := NewEvent(m)
	if err != nil {
		return nil, err
	}
	return marshal(ev)
}

// marshal encodes v as compact JSON without HTML escaping (so "<" in a
// title stays readable) and without a trailing newline.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
