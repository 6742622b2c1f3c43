package parser

import (
	"strings"
	"testing"
)

func TestTextDiff(t *testing.T) {
	older := "Công an tỉnh triệt phá đường dây mua bán người.\n\nBa đối tượng bị bắt."
	if d := TextDiff(older, "  Công an tỉnh triệt phá đường dây  mua bán người. \n\n\nBa đối tượng bị bắt.\n"); d != "" {
		t.Errorf("TextDiff(same words, other spacing) = %q, want none", d)
	}
	d := TextDiff(older, "Công an tỉnh triệt phá đường dây mua bán người.\n\nNăm đối tượng bị bắt.")
	for _, want := range []string{"--- before", "+++ after", "-Ba đối tượng bị bắt.", "+Năm đối tượng bị bắt."} {
		if !strings.Contains(d, want) {
			t.Errorf("TextDiff(edited) = %q, want it to contain %q", d, want)
		}
	}
}

func TestRedirectedAway(t *testing.T) {
	for _, tc := range []struct {
		article, final string
		want           bool
	}{
		{"https://news.example/xa-hoi/duong-day-123.html", "https://news.example/", true},
		{"https://news.example/xa-hoi/duong-day-123.html", "https://www.news.example/xa-hoi/", true},
		{"https://news.example/xa-hoi/duong-day-123.html", "https://other.example/", true},
		{"https://news.example/xa-hoi/duong-day-123.html", "https://news.example/xa-hoi/duong-day-moi-123.html", false},
		{"https://news.example/a/123", "https://news.example/a/123", false},
		{"https://news.example/a/123", "https://news.example/amp/a/123", false},
		{"https://news.example/a/123", "https://other.example/a", false},
	} {
		if got := RedirectedAway(tc.article, tc.final); got != tc.want {
			t.Errorf("RedirectedAway(%q, %q) = %v, want %v", tc.article, tc.final, got, tc.want)
		}
	}
}
