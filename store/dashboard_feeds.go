package store

import (
	"slices"
	"strings"
	"time"
)

// MaxDays is how many days FeedState.Daily covers: the dashboard draws the
// articles per day of each feed over 30 days.
const MaxDays = 31

// dayLayout formats the days of FeedState.Daily.
const dayLayout = "2006-01-02"

// dayOf returns the UTC day of t; the current day for the zero time.
func dayOf(t time.Time) string {
	if t.IsZero() {
		t = time.Now()
	}
	return t.UTC().Format(dayLayout)
}

// dailyCounts returns the Daily counts of the stored feed state old (nil
// for a new feed) plus added, oldest first, without the days more than
// MaxDays before the newest.
func dailyCounts(old []byte, added map[string]int) ([]DayCount, error) {
	var prev struct{ Daily []DayCount }
	if old != nil {
		if err := decode(old, &prev); err != nil {
			return nil, err
		}
	}
	days := prev.Daily
	for day, n := range added {
		if i := slices.IndexFunc(days, func(d DayCount) bool { return d.Day == day }); i >= 0 {
			days[i].N += n
		} else {
			days = append(days, DayCount{Day: day, N: n})
		}
	}
	if len(days) == 0 {
		return nil, nil
	}
	slices.SortFunc(days, func(a, b DayCount) int { return strings.Compare(a.Day, b.Day) })
	newest, err := time.Parse(dayLayout, days[len(days)-1].Day)
	if err != nil {
		return days, nil // not ours to fix; keep what is there
	}
	first := newest.AddDate(0, 0, -(MaxDays - 1)).Format(dayLayout)
	i, _ := slices.BinarySearchFunc(days, first, func(d DayCount, t string) int { return strings.Compare(d.Day, t) })
	return days[i:], nil
}

// ArticlesPerDay returns the counts of st.Daily for the days days ending
// with the day of now (UTC), oldest first.
func (st FeedState) ArticlesPerDay(now time.Time, days int) []int {
	out := make([]int, days)
	end := now.UTC()
	for _, d := range st.Daily {
		t, err := time.Parse(dayLayout, d.Day)
		if err != nil || t.After(end) {
			continue
		}
		ago := int(end.Sub(t).Hours() / 24) // 0 for today
		if ago >= 0 && ago < days {
			out[days-1-ago] += d.N
		}
	}
	return out
}
