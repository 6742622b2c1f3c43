package alerts

import (
	"cmp"
	"fmt"
	"net/url"
	"time"
	"unicode/utf8"

	"github.com/newswatch/newswatch/news"
)

// HealthEventType is the type of the Standard Webhooks event for a change
// of a feed's health.
const HealthEventType = "source.health_changed"

// healthReasonRunes bounds the reason in chat messages, which have room
// for a few lines only.
const healthReasonRunes = 1000

// PlanHealth returns the alerts for a change of a feed's health: one per
// channel of every subscriber with source_health whose sources admit the
// feed. They are never held for a digest: a feed that broke is news now.
func (r *Router) PlanHealth(c news.HealthChange, now time.Time) []news.Alert {
	var out []news.Alert
	for _, rt := range r.routes {
		if !rt.sub.SourceHealth || !rt.admitsSource(c.FeedName, c.FeedURL) {
			continue
		}
		for _, ch := range rt.sub.channels() {
			change := c
			out = append(out, news.Alert{
				ID: news.AlertID(rt.sub.Name, ch, c.Key()), Subscriber: rt.sub.Name, Channel: ch,
				Kind: news.AlertSourceHealth, Health: &change, State: news.AlertPending, NextAt: now, Created: now,
			})
		}
	}
	return out
}

// channels lists the channels the subscriber has a target for.
func (s Subscriber) channels() []string {
	var out []string
	if s.Webhook != nil {
		out = append(out, news.ChannelWebhook)
	}
	if s.Email != nil {
		out = append(out, news.ChannelEmail)
	}
	return out
}

// HealthEvent is the JSON body of a standard webhook for a health change.
type HealthEvent struct {
	Type      string          `json:"type"`
	Timestamp time.Time       `json:"timestamp"`
	Data      HealthEventData `json:"data"`
}

// HealthEventData is the data of a HealthEvent.
type HealthEventData struct {
	Subscriber string      `json:"subscriber"`
	Source     EventSource `json:"source"`
	Test       bool        `json:"test,omitempty"`
}

// EventSource describes the feed whose health changed.
type EventSource struct {
	Name     string    `json:"name"`
	URL      string    `json:"url"`      // without user and password
	State    string    `json:"state"`    // ok, failing, quiet or rule_broken
	Previous string    `json:"previous"` // the state before
	Reason   string    `json:"reason"`   // why, for people
	Since    time.Time `json:"since"`    // when the poll that saw the change ran
}

// newHealthEvent returns the Standard Webhooks event of a health message.
func newHealthEvent(m Message) HealthEvent {
	c := m.Health
	return HealthEvent{
		Type:      HealthEventType,
		Timestamp: m.Time.UTC().Truncate(time.Second),
		Data: HealthEventData{
			Subscriber: m.Subscriber,
			Test:       m.Test,
			Source: EventSource{
				Name: c.FeedName, URL: shownURL(c.FeedURL), State: string(c.To), Previous: string(c.From),
				Reason: c.Reason, Since: c.At.UTC(),
			},
		},
	}
}

// shownURL is a feed URL as alerts show it: without any user and
// password, so that the link still works for a reader and leaks nothing.
func shownURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable feed URL)" // it may hold a secret; the config check refuses such URLs
	}
	u.User = nil
	return u.String()
}

// healthHeadline says in a few words what happened to the feed.
func healthHeadline(c *news.HealthChange) string {
	return fmt.Sprintf("%s is %s (was %s)", cmp.Or(c.FeedName, shownURL(c.FeedURL)), c.To, c.From)
}

// healthSubject is the mail subject of a health message.
func healthSubject(m Message) string {
	s := "[newswatch] source health: "
	if m.Test {
		s = "[newswatch test] source health: "
	}
	return truncate(oneLine(s+healthHeadline(m.Health)), subjectRunes)
}

// healthRequest formats a health message for a chat service.
func healthRequest(format string, u *url.URL, m Message) (request, error) {
	c := m.Health
	headline, link, reason := healthHeadline(c), shownURL(c.FeedURL), truncate(c.Reason, healthReasonRunes)
	test := ""
	if m.Test {
		test = "[test] "
	}
	switch format {
	case FormatSlack:
		text := fmt.Sprintf("%s*Source health:* %s\n<%s>\n%s", test, slackEscaper.Replace(headline), link, slackEscaper.Replace(reason))
		return jsonRequest(u.String(), map[string]any{"text": truncate(text, slackTextLimit)})
	case FormatDiscord:
		text := fmt.Sprintf("%s**Source health:** %s\n<%s>\n%s", test, discordEscaper.Replace(headline), link, discordEscaper.Replace(reason))
		return jsonRequest(u.String(), map[string]any{
			"content":          truncate(text, discordLimit),
			"allowed_mentions": map[string]any{"parse": []string{}},
		})
	case FormatTelegram:
		text := fmt.Sprintf("%s<b>Source health:</b> %s\n%s\n%s", test, htmlEscaper.Replace(headline), htmlEscaper.Replace(link), htmlEscaper.Replace(reason))
		body := map[string]any{"chat_id": u.Query().Get("chat_id"), "parse_mode": "HTML", "text": text}
		if utf8.RuneCountInString(text) > telegramLimit {
			delete(body, "parse_mode")
			body["text"] = truncate(fmt.Sprintf("%sSource health: %s\n%s\n%s", test, headline, link, reason), telegramLimit)
		}
		return jsonRequest(u.String(), body)
	case FormatNtfy:
		root, topic := ntfyTopic(u)
		return jsonRequest(root, map[string]any{
			"topic":   topic,
			"title":   truncateBytes(test+"Source health: "+headline, ntfyTitleBytes),
			"message": truncateBytes(reason+"\n"+link, ntfyMessageBytes),
			"click":   link,
			"tags":    []string{string(c.To)},
		})
	}
	body, err := EncodeEvent(m)
	return request{url: u.String(), body: body, contentType: "application/json"}, err
}

// healthView is the template data of a health mail.
type healthView struct {
	Feed, URL, From, To, Reason, At string
}

func newHealthView(c *news.HealthChange) *healthView {
	return &healthView{
		Feed: oneLine(cmp.Or(c.FeedName, shownURL(c.FeedURL))), URL: shownURL(c.FeedURL),
		From: string(c.From), To: string(c.To), Reason: c.Reason, At: c.At.UTC().Format(time.DateTime + " UTC"),
	}
}
