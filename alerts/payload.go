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
	Test       bool         `json:"test,omitempty"`
	// Revision is the edit or takedown of an "article.edited" or
	// "article.removed" event.
	Revision *news.Revision `json:"revision,omitempty"`
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
	a := e.Article
	ev := Event{
		Type:      EventType,
		Timestamp: m.Time.UTC().Truncate(time.Second),
		Data: EventData{
			Subscriber: m.Subscriber,
			Test:       m.Test,
			Article: EventArticle{
				ID: a.ID, URL: a.URL, Title: a.Title, Source: a.Source, Lang: a.Lang,
				Topics:  nonNil(e.Topics),
				Snippet: e.Snippet(),
				Matches: nonNil(e.Hits),
			},
		},
	}
	if !a.Published.IsZero() {
		p := a.Published.UTC()
		ev.Data.Article.Published = &p
	}
	if e.Revision != nil {
		ev.Type, ev.Data.Revision = "article."+string(e.Revision.Kind), e.Revision
	}
	return ev, nil
}

// EncodeEvent returns the exact bytes sent and signed for m: an Event, or
// a HealthEvent for a health message.
func EncodeEvent(m Message) ([]byte, error) {
	if m.Health != nil {
		return marshal(newHealthEvent(m))
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
