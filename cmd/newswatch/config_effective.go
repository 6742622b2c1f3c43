package main

import (
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/newswatch/newswatch/news"
)

// writeEffective writes the configuration in force as YAML that check
// accepts: every setting after defaults, the merged topics, the store
// path, and secrets replaced by "<redacted>". A key is left out only when
// its value is empty and that is also its default.
func writeEffective(w io.Writer, c *Config) error {
	r := c.redacted()
	if path, err := c.StorePath(); err == nil {
		r.Store = path
	}
	root := encodeValue(reflect.ValueOf(r).Elem(), reflect.ValueOf(newConfig()).Elem())
	doc := &yaml.Node{
		Kind: yaml.DocumentNode,
		HeadComment: fmt.Sprintf("The configuration in force for %s: defaults filled in, built-in topics\n"+
			"merged, secrets shown as %s. \"newswatch check\" accepts it.", c.source, redactedValue),
		Content: []*yaml.Node{root},
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return err
	}
	return enc.Close()
}

// redacted returns a copy of c whose secrets read "<redacted>" and whose
// URLs hide the password of their user information.
func (c *Config) redacted() *Config {
	r := *c
	r.Feeds = slices.Clone(c.Feeds)
	for i := range r.Feeds {
		r.Feeds[i].URL = redactURL(r.Feeds[i].URL)
		r.Feeds[i].Backfill = news.RedactText(r.Feeds[i].Backfill) // a URL, or a feed's name
	}
	r.SMTP.Password = redact(r.SMTP.Password)
	r.Subscribers = slices.Clone(c.Subscribers)
	for i, s := range r.Subscribers {
		if s.Webhook != nil {
			w := *s.Webhook
			w.URL, w.Secret = redactURL(w.URL), redact(w.Secret)
			r.Subscribers[i].Webhook = &w
		}
	}
	return &r
}

func redact(secret string) string {
	if secret == "" {
		return ""
	}
	return redactedValue
}

// encodeValue returns the YAML node of v. def is v's default (invalid
// when there is none): a struct field is left out when it is empty and
// so is its default.
func encodeValue(v, def reflect.Value) *yaml.Node {
	switch {
	case v.Type() == durationType:
		return scalarNode(formatDuration(time.Duration(v.Int())))
	case v.Kind() == reflect.Pointer:
		if v.IsNil() {
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
		}
		if def.IsValid() && !def.IsNil() {
			def = def.Elem()
		} else {
			def = reflect.Value{}
		}
		return encodeValue(v.Elem(), def)
	case v.Kind() == reflect.Struct:
		return encodeStruct(v, def)
	case v.Kind() == reflect.Map:
		return encodeMap(v, def)
	case v.Kind() == reflect.Slice:
		n := &yaml.Node{Kind: yaml.SequenceNode}
		flow := true
		for i := range v.Len() {
			item := encodeValue(v.Index(i), reflect.Value{})
			flow = flow && item.Kind == yaml.ScalarNode && !strings.Contains(item.Value, "\n")
			n.Content = append(n.Content, item)
		}
		if flow {
			n.Style = yaml.FlowStyle
		}
		return n
	}
	n := &yaml.Node{}
	if err := n.Encode(v.Interface()); err != nil {
		panic(fmt.Sprintf("encode %v: %v", v.Type(), err)) // only strings, booleans and numbers get here
	}
	if strings.Contains(n.Value, "\n") {
		n.Style = yaml.LiteralStyle
	}
	return n
}

// encodeStruct returns the mapping of the exported fields of struct v.
func encodeStruct(v, def reflect.Value) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode}
	fields := yamlFields(v.Type())
	for _, name := range slices.SortedFunc(maps.Keys(fields), func(a, b string) int { return fields[a] - fields[b] }) {
		f := v.Field(fields[name])
		var fdef reflect.Value
		if def.IsValid() {
			fdef = def.Field(fields[name])
		}
		if f.IsZero() && (!fdef.IsValid() || fdef.IsZero()) {
			continue
		}
		n.Content = append(n.Content, scalarNode(name), encodeValue(f, fdef))
	}
	return n
}

// encodeMap returns the mapping of map v, sorted by key; each entry's
// default is def's entry of the same key.
func encodeMap(v, def reflect.Value) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode}
	keys := v.MapKeys()
	slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
	for _, k := range keys {
		var edef reflect.Value
		if def.IsValid() {
			if e := def.MapIndex(k); e.IsValid() {
				edef = e
			}
		}
		n.Content = append(n.Content, scalarNode(k.String()), encodeValue(v.MapIndex(k), edef))
	}
	return n
}

func scalarNode(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}
