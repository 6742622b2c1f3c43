package alerts

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newswatch/newswatch/lang"
	"github.com/newswatch/newswatch/news"
)

// Message is what a Sender delivers: one alert, or one digest of several
// alerts of one subscriber. A message about a feed's health carries Health
// and no entries.
type Message struct {
	ID         string    // stable across attempts: the alert ID, or the digest's id
	Subscriber string    // subscriber name
	Time       time.Time // when the event happened; identical on every attempt
	Digest     string    // digest key such as "daily/2026-11-27"; "" for a single alert
	Entries    []Entry   // one per article, in delivery order
	Test       bool      // a sample sent by `alerts test`
	// Health is the change of a source-health alert; nil for articles.
	Health *news.HealthChange
}

// Entry is one article inside a Message.
type Entry struct {
	Article *news.Article
	Topics  []string   // the subscriber's topics this article matched
	Hits    []news.Hit // the hits of those topics
	// Story is the article's story as it stands when the message is
	// built; nil outside stories. Update marks a later article of a
	// story that alerted the subscriber already.
	Story  *news.Story
	Update bool
	// Revision is the edit or takedown the alert reports; nil for a match.
	Revision *news.Revision
}

// Update reports whether m is an update of a story: later articles of a
// story whose first alert went out.
func (m Message) Update() bool {
	return len(m.Entries) > 0 && m.Digest == "" && m.Entries[0].Update
}

// Topics returns the sorted union of the entries' topics.
func (m Message) Topics() []string {
	var out []string
	for _, e := range m.Entries {
		for _, t := range e.Topics {
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	slices.Sort(out)
	return out
}

// Snippet returns a short plain-text excerpt of the entry: the first hit's
// context, else the summary, else the start of the text.
func (e Entry) Snippet() string {
	for _, h := range e.Hits {
		if s := strings.TrimSpace(h.Snippet); s != "" {
			return truncate(s, snippetRunes)
		}
	}
	if s := strings.TrimSpace(e.Article.Summary); s != "" {
		return truncate(s, snippetRunes)
	}
	return truncate(strings.TrimSpace(e.Article.Text), snippetRunes)
}

const snippetRunes = 300

// dir returns the article's text direction, "ltr" or "rtl".
func dir(a *news.Article) string {
	if a.Dir == "rtl" || a.Dir == "ltr" {
		return a.Dir
	}
	return lang.Dir(a.Lang)
}

// truncate shortens s to at most n runes, ending with "…" when cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	if n <= 1 {
		return "…"
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// truncateBytes shortens s to at most n bytes of valid UTF-8, ending with
// "…" when cut.
func truncateBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const ell = "…"
	cut := n - len(ell)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if cut < 0 {
		cut = 0
	}
	return s[:cut] + ell
}
