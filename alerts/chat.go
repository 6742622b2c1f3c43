package alerts

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Length limits of the chat services, in characters (runes) unless noted.
const (
	slackTextLimit     = 3900 // Slack truncates text past 40,000; keep messages readable
	discordLimit       = 2000
	telegramLimit      = 4096
	ntfyMessageBytes   = 4096 // ntfy turns longer messages into attachments
	ntfyTitleBytes     = 250
	chatSnippetRunes   = 280
	chatMinimumSnippet = 0
)

// request is one HTTP request a webhook sends.
type request struct {
	url         string
	body        []byte
	contentType string
}

// buildRequest formats m for the target's service.
func buildRequest(format string, u *url.URL, m Message) (request, error) {
	if m.Health != nil {
		return healthRequest(format, u, m)
	}
	if len(m.Entries) == 0 {
		return request{}, errNotSingle
	}
	switch format {
	case FormatSlack:
		return jsonRequest(u.String(), map[string]any{"text": fitText(m, slackTextLimit, slackEntry)})
	case FormatDiscord:
		return jsonRequest(u.String(), map[string]any{
			"content":          fitText(m, discordLimit, discordEntry),
			"allowed_mentions": map[string]any{"parse": []string{}},
		})
	case FormatTelegram:
		return telegramRequest(u, m)
	case FormatNtfy:
		return ntfyRequest(u, m)
	default:
		body, err := EncodeEvent(m)
		return request{url: u.String(), body: body, contentType: "application/json"}, err
	}
}

func jsonRequest(u string, v any) (request, error) {
	body, err := marshal(v)
	return request{url: u, body: body, contentType: "application/json"}, err
}

// entryFormatter renders one entry with its snippet cut to n runes.
type entryFormatter func(e Entry, n int) string

// fitText renders the entries with the longest snippets that keep the text
// within limit runes, then cuts the text itself as a last resort.
func fitText(m Message, limit int, f entryFormatter) string {
	var s string
	for _, n := range []int{chatSnippetRunes, 120, chatMinimumSnippet} {
		parts := make([]string, 0, len(m.Entries)+1)
		if m.Test {
			parts = append(parts, "[test] newswatch sample alert")
		}
		if m.Update() {
			parts = append(parts, "Story update: "+storyTitle(m.Entries[0]))
		}
		for _, e := range m.Entries {
			p := f(e, n)
			if line := storyLine(e); line != "" && n > chatMinimumSnippet {
				p += "\n" + line
			}
			parts = append(parts, p)
		}
		s = strings.Join(parts, "\n\n")
		if utf8.RuneCountInString(s) <= limit {
			return s
		}
	}
	return truncate(s, limit)
}

func entrySnippet(e Entry, n int) string {
	if n == 0 {
		return ""
	}
	return truncate(e.Snippet(), n)
}

var slackEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "|", "¦")

func slackEntry(e Entry, n int) string {
	a := e.Article
	s := fmt.Sprintf("*<%s|%s>*\n_%s · %s · %s_",
		a.URL, slackEscaper.Replace(truncate(a.Title, 300)), slackEscaper.Replace(a.Source),
		a.Lang, slackEscaper.Replace(strings.Join(e.Topics, ", ")))
	if sn := entrySnippet(e, n); sn != "" {
		s += "\n" + slackEscaper.Replace(sn)
	}
	return s
}

var discordEscaper = strings.NewReplacer("\\", "\\\\", "*", "\\*", "_", "\\_", "~", "\\~", "`", "\\`", "|", "\\|", ">", "\\>", "@", "@\u200b")

func discordEntry(e Entry, n int) string {
	a := e.Article
	s := fmt.Sprintf("**%s**\n<%s>\n%s · %s · %s",
		discordEscaper.Replace(truncate(a.Title, 250)), a.URL, discordEscaper.Replace(a.Source),
		a.Lang, discordEscaper.Replace(strings.Join(e.Topics, ", ")))
	if sn := entrySnippet(e, n); sn != "" {
		s += "\n" + discordEscaper.Replace(sn)
	}
	return s
}

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

func telegramEntry(e Entry, n int) string {
	a := e.Article
	s := fmt.Sprintf(`<b><a href="%s">%s</a></b>`+"\n<i>%s · %s · %s</i>",
		htmlEscaper.Replace(a.URL), htmlEscaper.Replace(truncate(a.Title, 300)),
		htmlEscaper.Replace(a.Source), htmlEscaper.Replace(a.Lang), htmlEscaper.Replace(strings.Join(e.Topics, ", ")))
	if sn := entrySnippet(e, n); sn != "" {
		s += "\n" + htmlEscaper.Replace(sn)
	}
	return s
}

// telegramRequest posts to the bot API URL given in the config
// (https://api.telegram.org/bot<token>/sendMessage?chat_id=<id>).
func telegramRequest(u *url.URL, m Message) (request, error) {
	body := map[string]any{"chat_id": u.Query().Get("chat_id"), "parse_mode": "HTML"}
	text := fitText(m, telegramLimit, telegramEntry)
	if utf8.RuneCountInString(text) >= telegramLimit {
		// Cutting HTML may break a tag, which Telegram rejects: send plain.
		delete(body, "parse_mode")
		text = fitText(m, telegramLimit, plainEntry)
	}
	body["text"] = text
	return jsonRequest(u.String(), body)
}

func plainEntry(e Entry, n int) string {
	a := e.Article
	s := fmt.Sprintf("%s\n%s\n%s · %s · %s", truncate(a.Title, 300), a.URL, a.Source, a.Lang, strings.Join(e.Topics, ", "))
	if sn := entrySnippet(e, n); sn != "" {
		s += "\n" + sn
	}
	return s
}

// ntfyRequest publishes JSON to the server root; the configured URL is the
// topic URL (https://ntfy.sh/<topic>).
func ntfyRequest(u *url.URL, m Message) (request, error) {
	root, topic := ntfyTopic(u)
	a := m.Entries[0].Article
	title := a.Title
	if len(m.Entries) > 1 {
		title = fmt.Sprintf("%d articles: %s", len(m.Entries), strings.Join(m.Topics(), ", "))
	}
	msg := fitText(m, ntfyMessageBytes, plainEntry)
	return jsonRequest(root, map[string]any{
		"topic":   topic,
		"title":   truncateBytes(title, ntfyTitleBytes),
		"message": truncateBytes(msg, ntfyMessageBytes),
		"click":   a.URL,
		"tags":    nonNil(m.Topics()),
	})
}

// ntfyTopic splits a topic URL (https://ntfy.sh/<topic>) into the server
// root that JSON is published to and the topic.
func ntfyTopic(u *url.URL) (root, topic string) {
	r := *u
	path := strings.TrimSuffix(r.Path, "/")
	i := strings.LastIndex(path, "/")
	topic = path[i+1:]
	r.Path = path[:i+1]
	if r.Path == "" {
		r.Path = "/"
	}
	return r.String(), topic
}
