// Package topic decides which topics a news article is about.
package topic

import (
	"strings"

	"github.com/newswatch/newswatch/news"
	"golang.org/x/text/unicode/norm"
)

// Topic is a named query, as configured under topics.<name>.query.
type Topic struct {
	Name  string `yaml:"-"`
	Query string `yaml:"query"`
}

// Query is a parsed topic query.
type Query struct{ src string }

// Parse parses a query.
func Parse(query string) (*Query, error) { return &Query{src: query}, nil }

// Matcher matches articles against compiled topics.
type Matcher struct {
	names   []string
	phrases [][]string
}

// Compile compiles topics into one Matcher.
func Compile(topics []Topic) (*Matcher, error) {
	m := &Matcher{}
	for _, t := range topics {
		m.names = append(m.names, t.Name)
		var ps []string
		for _, p := range strings.Split(t.Query, " OR ") {
			ps = append(ps, Normalize(strings.Trim(p, `"() `)))
		}
		m.phrases = append(m.phrases, ps)
	}
	return m, nil
}

// Topics returns the topic names in configuration order.
func (m *Matcher) Topics() []string { return m.names }

// Match returns the hits of every topic the article matches.
func (m *Matcher) Match(a *news.Article) []news.Hit {
	var hits []news.Hit
	text := Normalize(a.Title + " " + a.Text)
	for i, ps := range m.phrases {
		for _, p := range ps {
			if p != "" && strings.Contains(text, p) {
				hits = append(hits, news.Hit{Topic: m.names[i], Term: p, Field: news.FieldText})
				break
			}
		}
	}
	return hits
}

// Normalize returns s in the form the matcher compares.
func Normalize(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(norm.NFKC.String(s))), " ")
}
