package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/topic"
)

// TopicConfig is one entry of topics:. The built-in topics (trafficking
// and un, from the embedded default) are always there: an entry of the
// same name overrides the built-in one, other names add topics, and only
// disabled: true takes a topic out. So a topics: block never drops a
// built-in topic by leaving it out, which rematch would then strip from
// the archive.
type TopicConfig struct {
	Query    string `yaml:"query"`
	Disabled bool   `yaml:"disabled"`

	builtinQuery string // the query of the embedded default; "" for a topic that is not built in
}

// TopicList returns the enabled topics sorted by name, with their names set.
func (c *Config) TopicList() []topic.Topic {
	var out []topic.Topic
	for _, name := range slices.Sorted(maps.Keys(c.Topics)) {
		if t := c.Topics[name]; !t.Disabled {
			out = append(out, topic.Topic{Name: name, Query: t.Query})
		}
	}
	return out
}

// topics checks each topic's name and query; a disabled topic needs no
// query, but must be a built-in one when it has none.
func (v *validator) topics() {
	var builtins []string
	for _, name := range slices.Sorted(maps.Keys(v.c.Topics)) {
		if v.c.Topics[name].builtinQuery != "" {
			builtins = append(builtins, name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(v.c.Topics)) {
		t, p := v.c.Topics[name], "topics."+name
		if !news.ValidTopicName(name) {
			v.under(p, fmt.Sprintf("topics.%q: a topic name is letters, digits, '-' and '_'", name))
		}
		switch {
		case t.builtinQuery != "" && t.Query == t.builtinQuery:
			// The embedded default's own queries compile (a test makes sure):
			// skip compiling them at every start.
		case strings.TrimSpace(t.Query) != "":
			if _, err := topic.Compile([]topic.Topic{{Name: name, Query: t.Query}}); err != nil {
				v.at(p+".query", "%s", strings.TrimPrefix(err.Error(), fmt.Sprintf("topic %q: ", name)))
			}
		case t.Disabled && t.builtinQuery == "":
			v.at(p, "there is no built-in topic %s to disable%s; the built-in topics are %s",
				name, suggestion(name, builtins), strings.Join(builtins, ", "))
		case !t.Disabled:
			v.at(p, "query is empty")
		}
	}
}
