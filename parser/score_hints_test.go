package parser

import (
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
