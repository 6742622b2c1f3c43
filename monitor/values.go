package monitor

import (
	"net/url"
	"slices"
	"time"

	"github.com/newswatch/newswatch/news"
)

// firstTime returns the first non-zero time, in UTC.
func firstTime(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t.UTC()
		}
	}
	return time.Time{}
}

// hostOf returns the host of a URL, or the URL itself when it has none.
func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Host
	}
	return raw
}

// maxRecent is how many item publish times a feed state remembers.
const maxRecent = 50

// recentTimes merges the publish times of items into the remembered ones,
// newest first, without duplicates, at most maxRecent.
func recentTimes(old []time.Time, items []news.Item) []time.Time {
	out := slices.Clone(old)
	for _, it := range items {
		t := firstTime(it.Published, it.Updated)
		if t.IsZero() || slices.ContainsFunc(out, t.Equal) {
			continue
		}
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b time.Time) int { return b.Compare(a) })
	if len(out) > maxRecent {
		out = out[:maxRecent]
	}
	return out
}
