package monitor

import (
	"context"
	"time"
)

// Poll outcomes, as Observer.ObservePoll receives them.
const (
	OutcomeOK          = "ok"           // the feed was fetched and its new items stored
	OutcomeNotModified = "not_modified" // the feed answered 304
	OutcomeError       = "error"        // the fetch, the feed or the store failed
)

// Outcomes lists every outcome ObservePoll receives.
var Outcomes = []string{OutcomeOK, OutcomeNotModified, OutcomeError}

// Observer receives how long the monitor's work takes, for metrics. Its
// methods are called from many workers at once.
type Observer interface {
	// ObservePoll is called once per feed poll with its outcome and how
	// long it took, article pages included. A poll skipped for the
	// server's Retry-After or cut off by shutdown is not observed.
	ObservePoll(outcome string, d time.Duration)
	// ObserveExtraction is called once per article page extracted,
	// successfully or not, with how long extraction took (not the fetch).
	ObserveExtraction(d time.Duration)
}

// observePoll reports a finished poll to the observer.
func (m *Monitor) observePoll(ctx context.Context, res Result, err error, d time.Duration) {
	if m.observer == nil || res.Skipped || ctx.Err() != nil {
		return
	}
	outcome := OutcomeOK
	switch {
	case err != nil || res.Err != nil:
		outcome = OutcomeError
	case res.NotModified:
		outcome = OutcomeNotModified
	}
	m.observer.ObservePoll(outcome, d)
}

// observeExtraction reports an extraction that began at start.
func (m *Monitor) observeExtraction(start time.Time) {
	if m.observer != nil {
		m.observer.ObserveExtraction(time.Since(start))
	}
}
