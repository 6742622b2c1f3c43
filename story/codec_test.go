package story

import (
	"encoding/binary"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/newswatch/newswatch/news"
)

// TestLoad: a window rebuilt from the members the store keeps assigns
// the next articles as the window that made them.
func TestLoad(t *testing.T) {
	set := readLabelled(t, "testdata/dev.jsonl")
	slices.SortStableFunc(set, func(x, y labelled) int { return x.Published.Compare(y.Published) })
	live := New(Options{})
	var members []news.StoryMember
	half := len(set) / 2
	for _, l := range set[:half] {
		a := l.article()
		members = append(members, live.Assign(a, a.Fetched))
	}
	loaded := New(Options{})
	if err := loaded.Load(slices.Clone(members), set[half].Published); err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got, want := loaded.Len(), live.Len(); got != want {
		t.Fatalf("Load: window of %d articles, want %d", got, want)
	}
	for _, l := range set[half:] {
		a, b := l.article(), l.article()
		live.Assign(a, a.Fetched)
		loaded.Assign(b, b.Fetched)
		if a.Story != b.Story || a.DuplicateOf != b.DuplicateOf {
			t.Errorf("article %s after Load: story %s, copy of %q; without a restart: %s, %q", l.ID, b.Story, b.DuplicateOf, a.Story, a.DuplicateOf)
		}
	}
}

// TestDecodeV1: features stored by the first version decode to the
// sketch and evidence keys the current one computes.
func TestDecodeV1(t *testing.T) {
	set := readLabelled(t, "testdata/dev.jsonl")
	tr := New(Options{})
	tr.scratch.facts.names = map[uint64]string{}
	for _, l := range set[:20] {
		a := l.article()
		m := tr.Assign(a, a.Fetched)
		d := tr.byID[a.ID]
		keys := make([]string, 0, len(tr.scratch.facts.list))
		for _, ft := range tr.scratch.facts.list {
			keys = append(keys, tr.scratch.facts.names[ft.key])
		}
		full, sh := v1Shingles(a)
		m.Features = encodeV1(d, keys, full, sh)
		got, _, err := decodeDoc(&m, new([]uint32))
		if err != nil {
			t.Fatalf("%s: decodeDoc(version 1) = %v", l.ID, err)
		}
		// A long text's sample may hold fewer than sketchSize: the sketch
		// then speaks for less of the text, and agrees on that part.
		if !slices.Equal(got.sketch.h, d.sketch.upTo(got.sketch.max)) || got.sketch.max < d.sketch.max && len(got.sketch.h) >= sketchSize {
			t.Errorf("%s: version 1 decodes to the sketch %v up to %d, want %v up to %d", l.ID, got.sketch.h, got.sketch.max, d.sketch.h, d.sketch.max)
		}
		if !slices.Equal(got.evidence, d.evidence) || !slices.Equal(got.terms, d.terms) {
			t.Errorf("%s: version 1 decodes to the evidence %v and terms %v, want %v and %v", l.ID, got.evidence, got.terms, d.evidence, d.terms)
		}
	}
}

func (l labelled) article() *news.Article {
	return &news.Article{
		ID: l.ID, URL: l.URL, Source: l.Source, Title: l.Title, Text: l.Text, Lang: l.Lang,
		Published: l.Published, Fetched: l.Published.Add(time.Hour), Image: l.Image,
	}
}

// v1Shingles returns the shingles version 1 kept: all of a short text's,
// the sixteenth below 1<<28 of a long one's.
func v1Shingles(a *news.Article) (bool, []uint32) {
	var sc scratch
	f := analyse(a, &sc)
	all := slices.Compact(slices.Sorted(slices.Values(shingles(f.normBody, f.cont, &sc))))
	if len(all) < 256 {
		return true, all
	}
	return false, slices.DeleteFunc(all, func(h uint32) bool { return h>>28 != 0 })
}

// encodeV1 writes d's features as version 1 did.
func encodeV1(d *doc, evidence []string, full bool, shingles []uint32) []byte {
	b := []byte{featuresV1}
	b = binary.AppendUvarint(b, uint64(len(d.terms)))
	for _, t := range d.terms {
		b = binary.LittleEndian.AppendUint32(b, t.h)
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(t.w))
	}
	b = appendUint32s(b, nil) // the indexed terms
	if full {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	b = binary.AppendUvarint(b, uint64(len(shingles)))
	prev := uint32(0)
	for _, h := range shingles {
		b = binary.AppendUvarint(b, uint64(h-prev))
		prev = h
	}
	b = binary.AppendUvarint(b, uint64(len(evidence)))
	for _, k := range evidence {
		for _, s := range []string{k, "shown"} {
			b = binary.AppendUvarint(b, uint64(len(s)))
			b = append(b, s...)
		}
	}
	return appendUint32s(b, nil) // the distinct terms
}
