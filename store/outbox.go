package store

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/newswatch/newswatch/news"
)

// The outbox: alerts holds one record per alert ID, and due holds
// NextAt ‖ ID for every pending alert, so the delivery worker finds the
// due ones with a range scan. An alert is created once (insert if absent)
// and then only changes state; see docs/delivery.md §8.

// insertAlerts writes each alert whose ID is not stored yet, as pending
// unless it says otherwise, with its due entry; an alert whose ID is
// stored gives way to its Fallback, if it has one. It returns how many
// it inserted.
func insertAlerts(tx *bolt.Tx, alerts []news.Alert) (int, error) {
	if len(alerts) == 0 {
		return 0, nil
	}
	bs, err := buckets(tx, bucketAlerts, bucketDue)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, a := range alerts {
		if a.Fallback != nil && a.ID != "" && bs[0].Get([]byte(a.ID)) != nil {
			a = *a.Fallback
		}
		if a.ID == "" {
			return 0, fmt.Errorf("alert for article %s without ID", a.ArticleID)
		}
		if bs[0].Get([]byte(a.ID)) != nil {
			continue
		}
		a.Fallback = nil
		if a.State == "" {
			a.State = news.AlertPending
		}
		if err := putAlert(bs[0], bs[1], &a); err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}

// putAlert writes the record and, for a pending alert, its due entry.
func putAlert(alerts, due *bolt.Bucket, a *news.Alert) error {
	v, err := encode(a)
	if err != nil {
		return err
	}
	if err := alerts.Put([]byte(a.ID), v); err != nil {
		return fmt.Errorf("alert %s: %v", a.ID, err)
	}
	if a.State != news.AlertPending {
		return nil
	}
	return due.Put(timeIDKey(a.NextAt, a.ID), nil)
}

// EnqueueAlerts inserts alerts outside a poll (test alerts, digests), with
// the same rule as SavePoll: an ID already stored is left as it is. It
// returns how many were inserted.
func (s *Store) EnqueueAlerts(alerts []news.Alert) (int, error) {
	var n int
	err := s.update(func(tx *bolt.Tx) (err error) {
		n, err = insertAlerts(tx, alerts)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("enqueue alerts: %w", err)
	}
	return n, nil
}

// DueAlerts returns pending alerts with NextAt <= now, earliest first, at
// most limit of them (limit <= 0: all).
func (s *Store) DueAlerts(now time.Time, limit int) ([]news.Alert, error) {
	var out []news.Alert
	end := encodeTime(now)
	err := s.view(func(tx *bolt.Tx) error {
		bs, err := buckets(tx, bucketAlerts, bucketDue)
		if err != nil {
			return err
		}
		c := bs[1].Cursor()
		for k, _ := c.First(); k != nil && (limit <= 0 || len(out) < limit); k, _ = c.Next() {
			if len(k) < timeKeyLen || bytes.Compare(k[:timeKeyLen], end) > 0 {
				break
			}
			a, err := getAlert(bs[0], string(k[timeKeyLen:]))
			if errors.Is(err, ErrNotFound) {
				continue // a dangling due entry must not stop delivery
			}
			if err != nil {
				return err
			}
			if a.State == news.AlertPending {
				out = append(out, a)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("due alerts: %w", err)
	}
	return out, nil
}

// NextDue returns the earliest NextAt among pending alerts; false if none
// is pending.
func (s *Store) NextDue() (time.Time, bool, error) {
	var (
		t  time.Time
		ok bool
	)
	err := s.view(func(tx *bolt.Tx) error {
		bs, err := buckets(tx, bucketAlerts, bucketDue)
		if err != nil {
			return err
		}
		// Skip entries without a pending alert (a damaged index), which
		// DueAlerts skips too: returning them would make the worker spin.
		c := bs[1].Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			var id string
			if t, id, err = splitTimeIDKey(k); err != nil {
				return err
			}
			if a, err := getAlert(bs[0], id); err == nil && a.State == news.AlertPending {
				ok = true
				return nil
			}
		}
		return nil
	})
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next due alert: %w", err)
	}
	if !ok {
		return time.Time{}, false, nil
	}
	return t, true, nil
}

// Alert returns the alert with the given ID, or ErrNotFound.
func (s *Store) Alert(id string) (news.Alert, error) {
	var a news.Alert
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketAlerts)
		if err != nil {
			return err
		}
		a, err = getAlert(b, id)
		return err
	})
	if err != nil {
		return news.Alert{}, fmt.Errorf("alert %s: %w", id, err)
	}
	return a, nil
}

func getAlert(b *bolt.Bucket, id string) (news.Alert, error) {
	var a news.Alert
	v := b.Get([]byte(id))
	if v == nil {
		return a, ErrNotFound
	}
	err := decode(v, &a)
	return a, err
}

// changeAlert loads alert id, lets change modify it, and stores it with
// its due entry moved to match, in one transaction.
func (s *Store) changeAlert(op, id string, change func(a *news.Alert) error) error {
	err := s.update(func(tx *bolt.Tx) error {
		bs, err := buckets(tx, bucketAlerts, bucketDue)
		if err != nil {
			return err
		}
		a, err := getAlert(bs[0], id)
		if err != nil {
			return err
		}
		if a.State == news.AlertPending {
			if err := bs[1].Delete(timeIDKey(a.NextAt, a.ID)); err != nil {
				return err
			}
		}
		if err := change(&a); err != nil {
			return err
		}
		return putAlert(bs[0], bs[1], &a)
	})
	if err != nil {
		return fmt.Errorf("%s alert %s: %w", op, id, err)
	}
	return nil
}

// MarkDelivered records a successful send: state delivered at time at,
// no longer due. Marking a delivered alert again changes nothing.
func (s *Store) MarkDelivered(id string, at time.Time) error {
	return s.changeAlert("mark delivered", id, func(a *news.Alert) error {
		if a.State == news.AlertDelivered {
			return nil
		}
		a.State, a.Delivered = news.AlertDelivered, at
		if a.LastAttempt.IsZero() || a.LastAttempt.Before(at) {
			a.LastAttempt = at
		}
		a.Attempts++
		return nil
	})
}

// MarkRetry records a failed attempt of a pending alert that will be tried
// again at next.
func (s *Store) MarkRetry(id string, attemptAt, next time.Time, errMsg string) error {
	return s.changeAlert("mark retry", id, func(a *news.Alert) error {
		if a.State != news.AlertPending {
			return fmt.Errorf("state %s: %w", a.State, ErrAlertState)
		}
		a.Attempts++
		a.LastAttempt, a.LastError, a.NextAt = attemptAt, errMsg, next
		return nil
	})
}

// PostponeAlert moves a pending alert's next attempt to next without
// counting an attempt: it was not sent, because its destination asked all
// senders to back off (429 or 503), so its retry schedule is not used up.
func (s *Store) PostponeAlert(id string, next time.Time, errMsg string) error {
	return s.changeAlert("postpone", id, func(a *news.Alert) error {
		if a.State != news.AlertPending {
			return fmt.Errorf("state %s: %w", a.State, ErrAlertState)
		}
		a.LastError, a.NextAt = errMsg, next
		return nil
	})
}

// MarkFailed records a permanent failure: the alert becomes a dead letter
// (state failed) that only RetryAlert brings back. Marking a failed alert
// again changes nothing.
func (s *Store) MarkFailed(id string, attemptAt time.Time, errMsg string) error {
	return s.changeAlert("mark failed", id, func(a *news.Alert) error {
		switch a.State {
		case news.AlertFailed:
			return nil
		case news.AlertDelivered:
			return fmt.Errorf("state %s: %w", a.State, ErrAlertState)
		}
		a.Attempts++
		a.State, a.LastAttempt, a.LastError = news.AlertFailed, attemptAt, errMsg
		return nil
	})
}

// RetryAlert makes a failed (or pending) alert pending and due at now, with
// its attempt count reset so it gets a full retry schedule. LastError is
// kept. A delivered alert is not sent again (ErrAlertState).
func (s *Store) RetryAlert(id string, now time.Time) error {
	return s.changeAlert("retry", id, func(a *news.Alert) error {
		if a.State == news.AlertDelivered {
			return fmt.Errorf("state %s: %w", a.State, ErrAlertState)
		}
		a.State, a.NextAt, a.Attempts = news.AlertPending, now, 0
		return nil
	})
}

// ListAlerts returns the alerts in state (all when state is ""), ordered
// by creation time, then ID.
func (s *Store) ListAlerts(state news.AlertState) ([]news.Alert, error) {
	var out []news.Alert
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketAlerts)
		if err != nil {
			return err
		}
		return b.ForEach(func(k, v []byte) error {
			var a news.Alert
			if err := decode(v, &a); err != nil {
				return fmt.Errorf("alert %s: %w", k, err)
			}
			if state == "" || a.State == state {
				out = append(out, a)
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list alerts: %w", err)
	}
	slices.SortFunc(out, func(a, b news.Alert) int {
		return cmp.Or(a.Created.Compare(b.Created), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// CountAlerts returns how many alerts are in each state.
func (s *Store) CountAlerts() (map[news.AlertState]int, error) {
	var counts map[news.AlertState]int
	err := s.view(func(tx *bolt.Tx) (err error) {
		counts, err = countAlerts(tx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("count alerts: %w", err)
	}
	return counts, nil
}

func countAlerts(tx *bolt.Tx) (map[news.AlertState]int, error) {
	b, err := bucket(tx, bucketAlerts)
	if err != nil {
		return nil, err
	}
	counts := make(map[news.AlertState]int)
	err = b.ForEach(func(k, v []byte) error {
		var a struct{ State news.AlertState }
		if err := decode(v, &a); err != nil {
			return fmt.Errorf("alert %s: %w", k, err)
		}
		counts[a.State]++
		return nil
	})
	return counts, err
}
