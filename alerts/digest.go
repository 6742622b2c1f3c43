package alerts

import (
	"errors"
	"fmt"
	"time"
	_ "time/tzdata" // digests name IANA zones; hosts without zoneinfo must work too
)

// digestSchedule is when an email target's digests go out.
type digestSchedule struct {
	period string // DigestHourly, DigestDaily or DigestWeekly; "" for immediate mail
	hour   int
	minute int
	loc    *time.Location
}

// schedule parses the digest settings of the target.
func (e EmailTarget) schedule() (digestSchedule, error) {
	s := digestSchedule{loc: time.UTC, hour: 8}
	if e.Digest != DigestNone {
		s.period = e.Digest
	}
	var errs []error
	if e.At != "" {
		t, err := time.Parse("15:04", e.At)
		if err != nil {
			errs = append(errs, fmt.Errorf("at %q: want HH:MM", e.At))
		}
		s.hour, s.minute = t.Hour(), t.Minute()
	}
	if e.TZ != "" {
		loc, err := time.LoadLocation(e.TZ)
		if err != nil {
			errs = append(errs, fmt.Errorf("tz %q: %v", e.TZ, err))
		} else {
			s.loc = loc
		}
	}
	return s, errors.Join(errs...)
}

// next returns the first send time strictly after now and the key that
// names that digest, e.g. "daily/2026-11-27". All alerts planned before one
// send time share its key, so they go out together in one mail.
func (s digestSchedule) next(now time.Time) (time.Time, string) {
	n := now.In(s.loc)
	switch s.period {
	case DigestHourly:
		t := time.Date(n.Year(), n.Month(), n.Day(), n.Hour(), s.minute, 0, 0, s.loc)
		if !t.After(n) {
			t = t.Add(time.Hour)
		}
		return t, DigestHourly + "/" + t.Format("2006-01-02T15:04")
	case DigestWeekly:
		days := (int(time.Monday) - int(n.Weekday()) + 7) % 7
		t := time.Date(n.Year(), n.Month(), n.Day()+days, s.hour, s.minute, 0, 0, s.loc)
		if !t.After(n) {
			t = time.Date(n.Year(), n.Month(), n.Day()+days+7, s.hour, s.minute, 0, 0, s.loc)
		}
		return t, DigestWeekly + "/" + t.Format("2006-01-02")
	default: // daily
		t := time.Date(n.Year(), n.Month(), n.Day(), s.hour, s.minute, 0, 0, s.loc)
		if !t.After(n) {
			t = time.Date(n.Year(), n.Month(), n.Day()+1, s.hour, s.minute, 0, 0, s.loc)
		}
		return t, DigestDaily + "/" + t.Format("2006-01-02")
	}
}
