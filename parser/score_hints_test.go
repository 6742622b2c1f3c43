package parser

import (
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

// TestHintClassesDashes: the related-box and caption classes match a
// class value as the word lists match it with "_" read as "-".
func TestHintClassesDashes(t *testing.T) {
	for _, s := range []string{"box-lien-quan", "box_lien_quan", "box_lien-quan", "wp_caption", "photo_source", "cung_chuyen-muc",
		"you_may_like", "read_more", "readmore", "lienquan", "story__title", "main-content", "img_desc x", "légende", "pie_de-foto"} {
		dashed := strings.ReplaceAll(s, "_", "-")
		m := hintClasses(s)
		if got, want := m&hRelated != 0, containsAny(dashed, relatedHints); got != want {
			t.Errorf("hintClasses(%q) related = %v, want %v", s, got, want)
		}
		if got, want := m&hCaption != 0, containsAny(dashed, captionHints); got != want {
			t.Errorf("hintClasses(%q) caption = %v, want %v", s, got, want)
		}
	}
}
