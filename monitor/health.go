package monitor

import (
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// Thresholds of source health.
const (
	// failingAfter is how long every poll of a feed must have failed
	// before the feed is failing.
	failingAfter = 24 * time.Hour
	// quietMinItems is how many publish times a feed needs before its
	// silence means anything: with fewer, its rhythm is unknown.
	quietMinItems = 5
	// quietGaps is how many of its usual gaps a feed may stay silent.
	quietGaps = 4
	// quietFloor is the shortest silence that makes any feed quiet. It
	// is longer than a weekend, so a newsroom that rests on Saturday and
	// Sunday is not quiet on Monday morning; a daily feed needs 3 days.
	quietFloor = 72 * time.Hour
	// ruleMinResults is how many recent site-rule outcomes a feed needs
	// before its rule can be judged broken.
	ruleMinResults = 3
)

// verdict is a feed's health with the reason for it.
type verdict struct {
	health news.SourceHealth
	reason string
}

// classify returns the source health of a feed from its state at now.
// A feed that cannot be fetched says nothing about its rule or rhythm, and
// a broken rule matters more than silence, so failing comes first, then
// rule_broken, then quiet.
func classify(st store.FeedState, now time.Time) verdict {
	if !st.ErrorsSince.IsZero() && st.Errors > 0 && now.Sub(st.ErrorsSince) >= failingAfter {
		return verdict{news.HealthFailing, fmt.Sprintf("every poll has failed since %s (%s, %d polls): %s",
			fmtTime(st.ErrorsSince), approx(now.Sub(st.ErrorsSince)), st.Errors, st.LastError)}
	}
	if n, of := ruleFallbacks(st.RuleFallbacks); of >= ruleMinResults && 2*n > of {
		return verdict{news.HealthRuleBroken, fmt.Sprintf(
			"the site rule found no article body on %d of the last %d articles: the site may have changed its layout", n, of)}
	}
	if last, usual, quiet := quietSince(st.RecentItems, now); quiet {
		return verdict{news.HealthQuiet, fmt.Sprintf("no new item since %s (%s); it usually publishes every %s",
			fmtTime(last), approx(now.Sub(last)), approx(usual))}
	}
	return verdict{health: news.HealthOK}
}

// ruleFallbacks counts the fallbacks among the newest site-rule outcomes.
func ruleFallbacks(window []bool) (fellBack, of int) {
	window = window[max(0, len(window)-store.MaxRuleResults):]
	for _, fb := range window {
		if fb {
			fellBack++
		}
	}
	return fellBack, len(window)
}

// quietSince reports whether a feed whose items were published at recent
// (in any order) has been silent at now for longer than its own rhythm
// allows: quietGaps times its median gap, twice its longest gap (a
// weekly lull, a holiday), and never less than quietFloor. A feed that
// publishes rarely thus gets a long allowance; one with fewer than
// quietMinItems dated items is never quiet.
func quietSince(recent []time.Time, now time.Time) (last time.Time, usual time.Duration, quiet bool) {
	if len(recent) < quietMinItems {
		return time.Time{}, 0, false
	}
	ts := slices.SortedFunc(slices.Values(recent), time.Time.Compare)
	gaps := make([]time.Duration, 0, len(ts)-1)
	for i := 1; i < len(ts); i++ {
		gaps = append(gaps, ts[i].Sub(ts[i-1]))
	}
	slices.Sort(gaps)
	usual, longest := gaps[len(gaps)/2], gaps[len(gaps)-1]
	last = ts[len(ts)-1]
	allowed := max(quietGaps*usual, 2*longest, quietFloor)
	return last, usual, now.Sub(last) > allowed
}

// recoveries say why a feed is ok again, by the state it left.
var recoveries = map[news.SourceHealth]string{
	news.HealthFailing:    "polls succeed again",
	news.HealthQuiet:      "new items again",
	news.HealthRuleBroken: "the site rule finds article bodies again",
}

// observeHealth classifies the feed after a poll. On a change it records
// the new state in st and returns the change with the alerts it owes
// subscribers, which the caller saves in the same transaction as st: a
// crash then loses both or neither, and a state once saved is never
// alerted again. A feed seen for the first time counts as coming from ok,
// so a new feed that is fine is no news and a new feed that is dead is.
func (m *snapshot) observeHealth(st *store.FeedState, now time.Time) (*news.HealthChange, []news.Alert) {
	v := classify(*st, now)
	from := st.Health
	if from == "" {
		from = news.HealthOK
		st.Health, st.HealthSince = news.HealthOK, now
	}
	if v.health == from {
		return nil, nil
	}
	st.Health, st.HealthSince = v.health, now
	if v.health == news.HealthOK {
		v.reason = recoveries[from]
	}
	c := &news.HealthChange{FeedURL: st.URL, FeedName: st.Name, From: from, To: v.health, Reason: v.reason, At: now}
	if m.planner == nil {
		return c, nil
	}
	return c, m.planner.PlanHealth(*c, now)
}

// logHealth logs a saved change of a feed's health: a warning when the
// feed needs a look, info when it is ok again.
func logHealth(log *slog.Logger, c *news.HealthChange) {
	if c == nil {
		return
	}
	if c.To == news.HealthOK {
		log.Info("feed health changed", "health", c.To, "was", c.From, "reason", c.Reason)
		return
	}
	log.Warn("feed health changed", "health", c.To, "was", c.From, "reason", c.Reason)
}

// fmtTime formats a time for people reading alerts, in UTC.
func fmtTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// approx rounds a duration for people: days, hours or minutes.
func approx(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%d days", int(d.Round(24*time.Hour)/(24*time.Hour)))
	case d >= 2*time.Hour:
		return fmt.Sprintf("%d hours", int(d.Round(time.Hour)/time.Hour))
	}
	return fmt.Sprintf("%d min", int(d.Round(time.Minute)/time.Minute))
}
