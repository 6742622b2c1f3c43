package main

import (
	"cmp"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/agnivade/levenshtein"
	"go.yaml.in/yaml/v3"
)

// durationHint ends every message about a value that is not a duration.
const durationHint = "use Go syntax such as 10m, 90s, 1h30m"

// problem is one thing wrong in a configuration, at a line of its file
// (0 when there is none: a configuration built in code, or the environment).
type problem struct {
	line int
	msg  string
}

func (p problem) String() string {
	if p.line > 0 {
		return fmt.Sprintf("line %d: %s", p.line, p.msg)
	}
	return p.msg
}

// yamlDecoder decodes a YAML node tree into Go values by their yaml tags.
// Unlike yaml.Node.Decode it goes on after a problem, so every problem is
// reported at once, each with its key's path and line, and it records
// the line of every key it decodes.
//
// Decoding is over the value already there: a key the file leaves out,
// or sets to null, keeps it. A list replaces the list; a mapping decoded
// into a map merges with the entries there, each entry decoded over the
// existing one (so topics add to and override the built-in ones).
type yamlDecoder struct {
	lines    map[string]int
	problems []problem
}

// decodeYAML decodes data over *v and returns the line of each key by
// path (such as "feeds[0].url") and the problems found.
func decodeYAML(data []byte, v any) (map[string]int, []problem) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, []problem{{msg: strings.TrimPrefix(err.Error(), "yaml: ")}}
	}
	d := &yamlDecoder{lines: map[string]int{}}
	if len(doc.Content) > 0 { // an empty file sets nothing
		d.value(doc.Content[0], reflect.ValueOf(v).Elem(), "")
	}
	return d.lines, d.problems
}

func (d *yamlDecoder) add(line int, format string, args ...any) {
	d.problems = append(d.problems, problem{line, fmt.Sprintf(format, args...)})
}

var durationType = reflect.TypeFor[time.Duration]()

// value decodes n over v, the value at path.
func (d *yamlDecoder) value(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.ShortTag() == "!!null" {
		return // as if the key were left out
	}
	switch {
	case v.Type() == durationType:
		d.duration(n, v, path)
	case v.Kind() == reflect.Pointer:
		e := reflect.New(v.Type().Elem())
		if !v.IsNil() {
			e.Elem().Set(v.Elem())
		}
		d.value(n, e.Elem(), path)
		v.Set(e)
	case v.Kind() == reflect.Struct:
		d.structure(n, v, path)
	case v.Kind() == reflect.Map:
		d.mapping(n, v, path)
	case v.Kind() == reflect.Slice:
		d.list(n, v, path)
	default:
		d.scalar(n, v, path)
	}
}

// structure decodes a mapping over the fields of struct v.
func (d *yamlDecoder) structure(n *yaml.Node, v reflect.Value, path string) {
	if !d.want(n, yaml.MappingNode, path, "a mapping of keys") {
		return
	}
	fields := yamlFields(v.Type())
	d.pairs(n, path, func(k, val *yaml.Node, p string) {
		i, ok := fields[k.Value]
		if !ok {
			d.add(k.Line, "unknown key %s%s", p, suggestion(k.Value, slices.Collect(maps.Keys(fields))))
			return
		}
		d.value(val, v.Field(i), p)
	}, func(merged *yaml.Node) { d.structure(merged, v, path) })
}

// mapping decodes a mapping into map v, over the entries already there.
func (d *yamlDecoder) mapping(n *yaml.Node, v reflect.Value, path string) {
	if !d.want(n, yaml.MappingNode, path, "a mapping of names") {
		return
	}
	if v.IsNil() {
		v.Set(reflect.MakeMap(v.Type()))
	}
	d.pairs(n, path, func(k, val *yaml.Node, p string) {
		key := reflect.ValueOf(k.Value).Convert(v.Type().Key())
		e := reflect.New(v.Type().Elem()).Elem()
		if old := v.MapIndex(key); old.IsValid() {
			e.Set(old)
		}
		d.value(val, e, p)
		v.SetMapIndex(key, e)
	}, func(merged *yaml.Node) { d.mapping(merged, v, path) })
}

// pairs calls each for every key of mapping n that is not a repeat, after
// recording its line. The mappings of merge keys (<<) go first, to merge,
// so the mapping's own keys override them wherever they stand.
func (d *yamlDecoder) pairs(n *yaml.Node, path string, each func(k, v *yaml.Node, p string), merge func(*yaml.Node)) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].ShortTag() == "!!merge" {
			d.merge(n.Content[i+1], merge)
		}
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.ShortTag() == "!!merge" {
			continue
		}
		p := joinPath(path, k.Value)
		if k.Kind != yaml.ScalarNode {
			d.add(k.Line, "%s: a key must be a plain name", orTop(path))
			continue
		}
		if line, dup := seen[k.Value]; dup {
			d.add(k.Line, "%s: repeats the key of line %d", p, line)
			continue
		}
		seen[k.Value] = k.Line
		d.lines[p] = k.Line
		each(k, val, p)
	}
}

// merge applies a merge key's value: one mapping or a list of them.
func (d *yamlDecoder) merge(n *yaml.Node, apply func(*yaml.Node)) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind == yaml.SequenceNode {
		for _, m := range n.Content {
			d.merge(m, apply)
		}
		return
	}
	apply(n)
}

// list decodes a sequence into slice v, replacing it.
func (d *yamlDecoder) list(n *yaml.Node, v reflect.Value, path string) {
	if !d.want(n, yaml.SequenceNode, path, "a list") {
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		p := fmt.Sprintf("%s[%d]", path, i)
		d.lines[p] = item.Line
		d.value(item, s.Index(i), p)
	}
	v.Set(s)
}

// duration decodes a Go duration such as 90s or 1h30m.
func (d *yamlDecoder) duration(n *yaml.Node, v reflect.Value, path string) {
	if !d.want(n, yaml.ScalarNode, path, "a duration") {
		return
	}
	dur, err := time.ParseDuration(strings.TrimSpace(n.Value))
	if err != nil {
		d.add(n.Line, "%s: %q is not a duration; %s", path, n.Value, durationHint)
		return
	}
	v.SetInt(int64(dur))
}

// scalar decodes a string, boolean or number.
func (d *yamlDecoder) scalar(n *yaml.Node, v reflect.Value, path string) {
	what := scalarKind(v.Kind())
	if !d.want(n, yaml.ScalarNode, path, what) {
		return
	}
	p := reflect.New(v.Type())
	if err := n.Decode(p.Interface()); err != nil {
		d.add(n.Line, "%s: %q is not %s", path, n.Value, what)
		return
	}
	v.Set(p.Elem())
}

// want reports whether n is of kind; if not, it adds the problem.
func (d *yamlDecoder) want(n *yaml.Node, kind yaml.Kind, path, what string) bool {
	if n.Kind == kind {
		return true
	}
	got := map[yaml.Kind]string{yaml.MappingNode: "a mapping", yaml.SequenceNode: "a list"}[n.Kind]
	if got == "" {
		got = fmt.Sprintf("%q", n.Value)
	}
	d.add(n.Line, "%s: want %s, not %s", orTop(path), what, got)
	return false
}

// scalarKind names what a value of kind k is written as.
func scalarKind(k reflect.Kind) string {
	switch k {
	case reflect.Bool:
		return "a boolean (true or false)"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	default:
		return "a string"
	}
}

// yamlFields maps the yaml key of each exported field of struct type t to
// the field's index.
func yamlFields(t reflect.Type) map[string]int {
	fields := map[string]int{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		fields[name] = i
	}
	return fields
}

// suggestion returns " (did you mean X?)" with the name among known
// closest to name, or "" when none is close enough to be a likely typo.
func suggestion(name string, known []string) string {
	best, bestDist := "", 0
	for _, k := range slices.Sorted(slices.Values(known)) {
		dist := levenshtein.ComputeDistance(strings.ToLower(name), k)
		if best == "" || dist < bestDist {
			best, bestDist = k, dist
		}
	}
	if best == "" || bestDist > max(2, len(name)/3) {
		return ""
	}
	return fmt.Sprintf(" (did you mean %s?)", best)
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// orTop names the top level of the file in messages.
func orTop(path string) string { return cmp.Or(path, "the file") }
