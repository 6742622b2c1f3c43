package news

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestStoryClone: adding to a clone leaves the story it was cloned from
// as it was, lists and titles included.
func TestStoryClone(t *testing.T) {
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	var s Story
	s.Add(&StoryMember{Lang: "en", Title: "UN report", Source: "UN News", Topics: []string{"un"}, Fetched: at})
	s.Langs = append(make([]string, 0, 4), s.Langs...) // room to grow in place, as a decoded list may have
	want := s.Clone()
	c := s.Clone()
	c.Add(&StoryMember{Lang: "ar", Title: "تقرير الأمم المتحدة", Source: "أخبار الأمم المتحدة", Topics: []string{"trafficking"}, Fetched: at.Add(time.Hour)})
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("the story changed when its clone was added to (-want +got):\n%s", diff)
	}
	if c.Articles != 2 || len(c.Langs) != 2 || len(c.Titles) != 2 {
		t.Errorf("clone after Add: %d articles, languages %v, titles %v; want 2, 2, 2", c.Articles, c.Langs, c.Titles)
	}
}
