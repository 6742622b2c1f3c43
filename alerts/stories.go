package alerts

import (
	"cmp"
	"slices"
	"time"

	"github.com/newswatch/newswatch/news"
)

// One alert per story. A subscriber's first article of a story gives an
// alert whose id is that of the story (StoryAlertID), so the outbox,
// which inserts an id once, lets only the first through; every later
// article of the story carries, as its Fallback, the update it gives
// instead (see storyUpdates.plan).

// StoryAlertID is the id of the alert a subscriber gets, over a channel,
// for the first article of a story.
func StoryAlertID(subscriber, channel, story string) string {
	return news.AlertID(subscriber, channel, "story:"+story)
}

// storyUpdates is the policy for later articles of a story.
type storyUpdates struct {
	mode  string        // StoryUpdatesDigest (""), StoryUpdatesImmediate or StoryUpdatesNone
	every time.Duration // 0: DefaultStoryUpdateInterval
}

// updatesOf returns the story update policy of cfg.
func updatesOf(cfg Config) storyUpdates {
	return storyUpdates{mode: cfg.StoryUpdates, every: cfg.StoryUpdateInterval}
}

// plan returns the update alert that a later article gives: its own
// alert al, marked as an update (immediate mode, or an entry of the
// subscriber's next digest), or the alert gathering the story's articles
// of the current interval, due at its end (digest mode without digests).
// Nil in mode none.
func (u storyUpdates) plan(rt *route, al news.Alert, story string, now time.Time) *news.Alert {
	al.Kind, al.Story = news.AlertStoryUpdate, story
	switch {
	case u.mode == StoryUpdatesNone:
		return nil
	case u.mode == StoryUpdatesImmediate || al.Digest != "":
		return &al
	}
	every := cmp.Or(u.every, DefaultStoryUpdateInterval)
	since := now.UTC().Truncate(every)
	al.ID = news.AlertID(rt.sub.Name, al.Channel, "story:"+story+"/update/"+since.Format(time.RFC3339))
	al.Since, al.Until = since, since.Add(every)
	al.NextAt = al.Until
	return &al
}

// gets reports whether the subscriber of rt gets article a for one of
// topics (the topics of the alert that lists it).
func (rt *route) gets(a *news.Article, topics []string) bool {
	got, _, ok := rt.match(a)
	if !ok {
		return false
	}
	for _, t := range got {
		if slices.Contains(topics, t) {
			return true
		}
	}
	return false
}

// groupByStory orders the entries of a digest so that the entries of one
// story follow each other, in the order each story first appears.
func groupByStory(entries []Entry) {
	first := map[string]int{}
	for i, e := range entries {
		k := storyKey(e)
		if _, ok := first[k]; !ok {
			first[k] = i
		}
	}
	slices.SortStableFunc(entries, func(x, y Entry) int { return cmp.Compare(first[storyKey(x)], first[storyKey(y)]) })
}

// storyKey groups entries: by story, else each article alone.
func storyKey(e Entry) string {
	if e.Story != nil {
		return e.Story.ID
	}
	return "article:" + e.Article.ID
}
