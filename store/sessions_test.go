package store

import (
	"errors"
	"testing"
	"time"
)

var sessionLimits = SessionLimits{Idle: 12 * time.Hour, Lifetime: 7 * 24 * time.Hour}

// sessionFixture stores users mai and an, and sessions: mai's "m1" and
// "m2", an's "a1", all created at t0.
func sessionFixture(t *testing.T, t0 time.Time) *Store {
	t.Helper()
	s := openTest(t)
	for _, name := range []string{"mai", "an"} {
		if err := s.CreateUser(User{Name: name, Role: "viewer", PasswordHash: "old", Created: t0}); err != nil {
			t.Fatal(err)
		}
	}
	for secret, user := range map[string]string{"m1": "mai", "m2": "mai", "a1": "an"} {
		if err := s.CreateSession(secret, Session{User: user, CSRF: "csrf-" + secret, Created: t0, LastSeen: t0}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func TestSessionLookupAndTouch(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	s := sessionFixture(t, t0)
	x, err := s.Session("m1", t0.Add(30*time.Second), sessionLimits)
	if err != nil || x.User != "mai" || x.CSRF != "csrf-m1" || x.ID != SessionID("m1") || !x.LastSeen.Equal(t0) {
		t.Fatalf("Session(m1) = %+v, %v; want mai's, not touched within a minute", x, err)
	}
	later := t0.Add(11 * time.Hour)
	if x, err := s.Session("m1", later, sessionLimits); err != nil || !x.LastSeen.Equal(later) {
		t.Fatalf("Session(m1) after 11 h = %+v, %v; want it touched", x, err)
	}
	// m1 was used 11 h in; m2 was not: at 13 h, m2 is idle, m1 is not.
	at := t0.Add(13 * time.Hour)
	if _, err := s.Session("m1", at, sessionLimits); err != nil {
		t.Errorf("Session(m1) 2 h after its last use = %v", err)
	}
	if _, err := s.Session("m2", at, sessionLimits); !errors.Is(err, ErrNotFound) {
		t.Errorf("Session(m2) idle 13 h = %v, want ErrNotFound", err)
	}
	if n := bucketLen(t, s, bucketSessions); n != 2 {
		t.Errorf("%d sessions stored after an expired lookup, want 2 (m2 deleted)", n)
	}
	if _, err := s.Session("nope", t0, sessionLimits); !errors.Is(err, ErrNotFound) {
		t.Errorf("Session(nope) = %v, want ErrNotFound", err)
	}
}

func TestSessionLifetime(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	s := sessionFixture(t, t0)
	// Used every 10 hours, m1 never idles out, but ends after 7 days.
	var at time.Time
	for at = t0.Add(10 * time.Hour); at.Sub(t0) <= sessionLimits.Lifetime; at = at.Add(10 * time.Hour) {
		if _, err := s.Session("m1", at, sessionLimits); err != nil {
			t.Fatalf("Session(m1) at +%v = %v", at.Sub(t0), err)
		}
	}
	if _, err := s.Session("m1", at, sessionLimits); !errors.Is(err, ErrNotFound) {
		t.Errorf("Session(m1) at +%v = %v, want ErrNotFound (lifetime over)", at.Sub(t0), err)
	}
}

func TestSessionsEnd(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	s := sessionFixture(t, t0)
	list, err := s.Sessions("mai")
	if err != nil || len(list) != 2 {
		t.Fatalf("Sessions(mai) = %+v, %v; want 2", list, err)
	}
	if err := s.DeleteSession("m2"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSession("m2"); !errors.Is(err, ErrNotFound) {
		t.Errorf("DeleteSession(m2) again = %v, want ErrNotFound", err)
	}
	// A password change keeps the session it was made in and ends the others.
	if err := s.CreateSession("m3", Session{User: "mai", Created: t0, LastSeen: t0}); err != nil {
		t.Fatal(err)
	}
	changed := t0.Add(time.Hour)
	n, err := s.ChangePassword("mai", "new", changed, "m3")
	if err != nil || n != 1 {
		t.Errorf("ChangePassword(mai, keep m3) = %d, %v; want 1 session ended (m1)", n, err)
	}
	if u, _ := s.User("mai"); u.PasswordHash != "new" || !u.PasswordChanged.Equal(changed) {
		t.Errorf("after ChangePassword, mai = %+v", u)
	}
	for secret, want := range map[string]error{"m1": ErrNotFound, "m3": nil, "a1": nil} {
		if _, err := s.Session(secret, changed, sessionLimits); !errors.Is(err, want) {
			t.Errorf("Session(%s) after mai's password change = %v, want %v", secret, err, want)
		}
	}
	if _, err := s.ChangePassword("nobody", "x", changed, ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("ChangePassword(nobody) = %v, want ErrNotFound", err)
	}
	// Removing a user ends their sessions in the same transaction.
	if err := s.DeleteUser("mai"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session("m3", changed, sessionLimits); !errors.Is(err, ErrNotFound) {
		t.Errorf("Session(m3) after mai was removed = %v, want ErrNotFound", err)
	}
	if n, err := s.DeleteSessions("an", ""); err != nil || n != 1 {
		t.Errorf("DeleteSessions(an) = %d, %v; want 1", n, err)
	}
	if n := bucketLen(t, s, bucketSessions); n != 0 {
		t.Errorf("%d sessions left, want 0", n)
	}
}

func TestPruneSessions(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	s := sessionFixture(t, t0)
	if err := s.CreateSession("fresh", Session{User: "an", Created: t0.Add(20 * time.Hour), LastSeen: t0.Add(20 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	n, err := s.PruneSessions(t0.Add(24*time.Hour), sessionLimits)
	if err != nil || n != 3 {
		t.Errorf("PruneSessions at +24 h = %d, %v; want the 3 sessions idle for 24 h", n, err)
	}
	if _, err := s.Session("fresh", t0.Add(24*time.Hour), sessionLimits); err != nil {
		t.Errorf("the fresh session was pruned: %v", err)
	}
}

func TestSessionsReadOnly(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	s := sessionFixture(t, t0)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	ro, err := Open(s.Path(), Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	// A read-only store (a command while no daemon runs) reads sessions
	// but cannot record their use: that is not an error.
	if x, err := ro.Session("m1", t0.Add(time.Hour), sessionLimits); err != nil || x.User != "mai" {
		t.Errorf("Session(m1) on a read-only store = %+v, %v", x, err)
	}
}
