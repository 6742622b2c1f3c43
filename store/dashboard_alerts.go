package store

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/newswatch/newswatch/news"
)

// OutboxQuery selects one page of the outbox for the dashboard.
type OutboxQuery struct {
	State news.AlertState // "" for every state
	// After is the Next of the previous page; empty starts with the newest.
	After string
	Limit int // alerts per page, >= 1
}

// OutboxPage is a page of alerts, newest first (by Created, then ID), and
// the number of alerts in each state.
type OutboxPage struct {
	Alerts []news.Alert
	Next   string // continues after this page; empty at the end
	Counts map[news.AlertState]int
}

// Outbox returns a page of the alerts q selects, with the count of every
// state, in one read transaction. It reads each alert's state and creation
// time without decoding it (see alertState) and decodes only the page's
// alerts: the outbox keeps every alert ever sent, tens of thousands after
// a year, and the dashboard shows it on every visit.
func (s *Store) Outbox(q OutboxQuery) (OutboxPage, error) {
	limit := max(q.Limit, 1)
	var after *outboxPos
	if q.After != "" {
		p, err := decodeOutboxCursor(q.After)
		if err != nil {
			return OutboxPage{}, err
		}
		after = &p
	}
	page := OutboxPage{Counts: map[news.AlertState]int{}}
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketAlerts)
		if err != nil {
			return err
		}
		var top []outboxPos // the newest limit+1 below after, newest first
		err = b.ForEach(func(k, v []byte) error {
			state, rest, err := alertState(v)
			if err != nil {
				return fmt.Errorf("alert %s: %w", k, err)
			}
			page.Counts[state]++
			if q.State != "" && state != q.State {
				return nil
			}
			created, err := alertCreated(rest, v)
			if err != nil {
				return fmt.Errorf("alert %s: %w", k, err)
			}
			if after != nil && !after.newer(created, k) {
				return nil // on an earlier page
			}
			if len(top) == limit+1 && top[limit].newer(created, k) {
				return nil // older than every alert kept: the common case, and no allocation
			}
			top = insertOutbox(top, outboxPos{created: created, id: string(k)}, limit+1)
			return nil
		})
		if err != nil {
			return err
		}
		if len(top) > limit {
			top = top[:limit]
			page.Next = top[limit-1].cursor()
		}
		for _, p := range top {
			a, err := getAlert(b, p.id)
			if err != nil {
				return fmt.Errorf("alert %s: %w", p.id, err)
			}
			page.Alerts = append(page.Alerts, a)
		}
		return nil
	})
	if err != nil {
		return OutboxPage{}, fmt.Errorf("outbox: %w", err)
	}
	return page, nil
}

// outboxPos is an alert's place in the outbox's newest-first order.
type outboxPos struct {
	created time.Time
	id      string
}

// newer reports whether p comes before (created, id) newest first: p is
// newer, or as new with a greater ID.
func (p outboxPos) newer(created time.Time, id []byte) bool {
	if c := p.created.Compare(created); c != 0 {
		return c > 0
	}
	return p.id > string(id) // no allocation: the compiler compares in place
}

// compareOutbox orders alerts newest first: by creation time descending,
// then ID descending.
func compareOutbox(a, b outboxPos) int {
	if c := b.created.Compare(a.created); c != 0 {
		return c
	}
	return strings.Compare(b.id, a.id)
}

// insertOutbox inserts p into top, kept newest first and at most n long.
func insertOutbox(top []outboxPos, p outboxPos, n int) []outboxPos {
	i, _ := slices.BinarySearchFunc(top, p, compareOutbox)
	top = slices.Insert(top, i, p)
	return top[:min(len(top), n)]
}

func (p outboxPos) cursor() string {
	return base64.RawURLEncoding.EncodeToString([]byte(p.created.UTC().Format(time.RFC3339Nano) + " " + p.id))
}

func decodeOutboxCursor(s string) (outboxPos, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	ts, id, ok := strings.Cut(string(raw), " ")
	t, terr := time.Parse(time.RFC3339Nano, ts)
	if err != nil || !ok || terr != nil {
		return outboxPos{}, fmt.Errorf("outbox: %w %q", ErrBadCursor, s)
	}
	return outboxPos{created: t, id: id}, nil
}

// Keys of a stored alert's JSON that alertState and alertCreated read.
var (
	alertStateKey   = []byte(`"State":"`)
	alertCreatedKey = []byte(`"Created":"`)
)

// alertState returns an alert's state from its stored JSON, without
// decoding the rest, and the JSON after it (where Created is). The store
// writes that JSON (encode), so `"State":"` can only be the key of the
// top-level field State: inside a JSON string every quote is escaped, and
// no other field is called State or Created. A value it cannot read so
// (escaped, missing) is decoded in full.
func alertState(v []byte) (news.AlertState, []byte, error) {
	if state, rest, ok := probeString(v, alertStateKey); ok {
		return news.AlertState(state), rest, nil
	}
	var a struct{ State news.AlertState }
	if err := decode(v, &a); err != nil {
		return "", nil, err
	}
	return a.State, v, nil
}

// alertCreated returns the creation time of the alert v, found in rest
// (the JSON after its state), as alertState found the state.
func alertCreated(rest, v []byte) (time.Time, error) {
	if created, _, ok := probeString(rest, alertCreatedKey); ok {
		if t, err := time.Parse(time.RFC3339Nano, string(created)); err == nil {
			return t, nil
		}
	}
	var a struct{ Created time.Time }
	if err := decode(v, &a); err != nil {
		return time.Time{}, err
	}
	return a.Created, nil
}

// probeString returns the string value after the first occurrence of key
// (which ends in the value's opening quote), if it has no escapes, and
// the bytes after it.
func probeString(v, key []byte) (val, rest []byte, ok bool) {
	i := bytes.Index(v, key)
	if i < 0 {
		return nil, nil, false
	}
	rest = v[i+len(key):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 || bytes.IndexByte(rest[:j], '\\') >= 0 {
		return nil, nil, false
	}
	return rest[:j], rest[j:], true
}
