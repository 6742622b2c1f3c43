package news

import (
	"strconv"
	"time"
)

// SourceHealth is how a feed has been doing lately, as the monitor
// classifies it after each poll.
type SourceHealth string

// Source health states.
const (
	HealthOK         SourceHealth = "ok"          // polled and publishing as usual
	HealthFailing    SourceHealth = "failing"     // every poll has failed for a day or more
	HealthQuiet      SourceHealth = "quiet"       // no new item for several times its usual gap
	HealthRuleBroken SourceHealth = "rule_broken" // the site rule found no body on most recent articles
)

// SourceHealths lists every state, healthy first.
var SourceHealths = []SourceHealth{HealthOK, HealthFailing, HealthQuiet, HealthRuleBroken}

// HealthChange is a feed moving from one health state to another: the
// subject of a source-health alert.
type HealthChange struct {
	FeedURL  string
	FeedName string
	From, To SourceHealth
	Reason   string    // why the feed is in To, for people
	At       time.Time // when the poll that saw the change ran
}

// Key identifies the change among all changes of all feeds; alert IDs are
// derived from it.
func (c HealthChange) Key() string {
	return "health\x00" + c.FeedURL + "\x00" + string(c.To) + "\x00" + strconv.FormatInt(c.At.UnixNano(), 10)
}
