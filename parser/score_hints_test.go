package parser

import (
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/net/html/atom"
)

func TestUnlikelyElem(t *testing.T) {
	tests := []struct {
		class string
		want  bool
	}{
		{"ad-disclosure", true},
		{"editorial-disclaimer-text", true},
		{"related-posts", true},
		{"binh-luan", true},
		{"article-body", false},
		{"entry-content", false},
	}
	for _, tt := range tests {
		if got := unlikelyElem("", atom.Div, hintClassesOf(tt.class), false); got != tt.want {
			t.Errorf("unlikelyElem(<div class=%q>) = %v, want %v", tt.class, got, tt.want)
		}
	}
}

func hintClassesOf(class string) classHints {
	h, _ := hintCache{}.hints(class, "")
	return h
}

// TestHintValue: the hint cache's classes and weight of a class value
// are those of the word lists searched one by one, as Readability does,
// on the words themselves, values made of their pieces, and random ones.
func TestHintValue(t *testing.T) {
	lists := []struct {
		words []string
		class uint8
	}{{unlikelyHints, hUnlikely}, {maybeHints, hMaybe}, {positiveHints, hPositive},
		{negativeHints, hNegative}, {bylineHints, hByline}, {boilerHints, hBoiler}}
	classesOf := func(s string) uint8 {
		var m uint8
		for _, l := range lists {
			if containsAny(s, l.words) {
				m |= l.class
			}
		}
		return m
	}
	weightOf := func(s string) int16 {
		if s == "" {
			return 0
		}
		if strings.Contains(s, "text-") || strings.Contains(s, ":") {
			s = dropUtilityClasses(s)
		}
		var w int16
		m := classesOf(s)
		if m&hNegative != 0 || isHid(s) {
			w -= 25
		}
		if m&hPositive != 0 {
			w += 25
		}
		return w
	}
	pieces := []string{" ", "-", "_", ":", "hid", "text-", "Text-", "lg:", "x", "HID", "é"}
	for _, l := range lists {
		for _, w := range l.words {
			pieces = append(pieces, w, w[:len(w)-1], w[1:], strings.ToUpper(w))
		}
	}
	check := func(v string) {
		t.Helper()
		h := hintCache{}.value(v)
		lower := strings.ToLower(v)
		if h.lower != lower || h.m != classesOf(lower) || h.weight != weightOf(lower) {
			t.Fatalf("value(%q) = %q %06b %d, want %q %06b %d", v, h.lower, h.m, h.weight, lower, classesOf(lower), weightOf(lower))
		}
	}
	for _, p := range pieces {
		check(p)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for range 100000 {
		var b strings.Builder
		for range 1 + rng.IntN(5) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		check(b.String())
	}
}
