package monitor

import (
	"testing"

	"github.com/newswatch/newswatch/news"
)

// TestSettingsFeedLookup: a feed is found by its URL after each way the
// feeds are set, the first of a URL listed twice wins, and a removed feed
// is not found.
func TestSettingsFeedLookup(t *testing.T) {
	a, b := news.Feed{URL: "http://127.0.0.1/a", Name: "A"}, news.Feed{URL: "http://127.0.0.1/b", Name: "B"}
	m := New([]news.Feed{a, b, {URL: a.URL, Name: "A again"}}, Deps{}, Options{})
	if f, ok := m.current().feed(a.URL); !ok || f.Name != "A" {
		t.Errorf("after New: feed(a) = %+v, %v; want A", f, ok)
	}
	m.SetFeeds([]news.Feed{b})
	if _, ok := m.current().feed(a.URL); ok {
		t.Error("after SetFeeds without a: feed(a) found")
	}
	if f, ok := m.current().feed(b.URL); !ok || f.Name != "B" {
		t.Errorf("after SetFeeds: feed(b) = %+v, %v; want B", f, ok)
	}
	m.Apply(Settings{Feeds: []news.Feed{{URL: a.URL, Name: "A2"}}})
	if f, ok := m.current().feed(a.URL); !ok || f.Name != "A2" {
		t.Errorf("after Apply: feed(a) = %+v, %v; want A2", f, ok)
	}
	if _, ok := m.current().feed(b.URL); ok {
		t.Error("after Apply without b: feed(b) found")
	}
}
