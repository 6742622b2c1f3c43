package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// chart is a small bar chart of daily counts, drawn on the server as one
// SVG path, with a text alternative that says what it shows.
type chart struct {
	Width, Height int
	Path          string // the bars, one subpath each
	Label         string // the text alternative
}

// barWidth and barGap are a bar's width and the space after it.
const (
	barWidth = 4
	barGap   = 1
)

// newChart draws counts, one a day, the last on the day of end; what
// names the things counted ("matches", "articles").
func newChart(counts []int, end time.Time, what string) chart {
	const height = 28
	c := chart{Width: len(counts) * (barWidth + barGap), Height: height}
	peak, peakDay, total := 0, 0, 0
	for i, n := range counts {
		total += n
		if n > peak {
			peak, peakDay = n, i
		}
	}
	var b strings.Builder
	for i, n := range counts {
		if n == 0 {
			continue
		}
		h := max(1, n*(height-2)/peak)
		fmt.Fprintf(&b, "M%d %dh%dv-%dh-%dz", i*(barWidth+barGap), height, barWidth, h, barWidth)
	}
	c.Path = b.String()
	first := end.AddDate(0, 0, -(len(counts) - 1))
	c.Label = fmt.Sprintf("%s per day from %s to %s: %d in all", what, first.Format(time.DateOnly), end.Format(time.DateOnly), total)
	if peak > 0 {
		c.Label += fmt.Sprintf(", most on %s (%d)", first.AddDate(0, 0, peakDay).Format(time.DateOnly), peak)
	}
	recent := counts[max(0, len(counts)-7):]
	days := make([]string, len(recent))
	for i, n := range recent {
		days[i] = strconv.Itoa(n)
	}
	c.Label += fmt.Sprintf("; the last %d days: %s", len(recent), strings.Join(days, ", "))
	return c
}
