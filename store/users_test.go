package store

import (
	"errors"
	"testing"
	"time"
)

func TestUsers(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	t0 := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	for _, u := range []User{{Name: "mai", Role: "admin", PasswordHash: "h1", Created: t0}, {Name: "an", Role: "viewer", PasswordHash: "h2", FeedKey: "k-an", Created: t0}} {
		if err := s.CreateUser(u); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CreateUser(User{Name: "mai"}); !errors.Is(err, ErrExists) {
		t.Errorf("CreateUser(mai) again = %v, want ErrExists", err)
	}
	list, err := s.Users()
	if err != nil || len(list) != 2 || list[0].Name != "an" || list[1].Name != "mai" {
		t.Errorf("Users() = %+v, %v, want an, mai", list, err)
	}
	if err := s.UpdateUser("an", func(u *User) error { u.FeedKey, u.Role = "k2", "admin"; return nil }); err != nil {
		t.Fatal(err)
	}
	if u, _ := s.User("an"); u.FeedKey != "k2" || u.Role != "admin" {
		t.Errorf("User(an) after update = %+v", u)
	}
	if err := s.UpdateUser("an", func(u *User) error { u.Name = "bao"; return nil }); err == nil {
		t.Error("UpdateUser renamed a user")
	}
	if err := s.UpdateUser("nobody", func(*User) error { return nil }); !errors.Is(err, ErrNotFound) {
		t.Errorf("UpdateUser(nobody) = %v, want ErrNotFound", err)
	}
	if err := s.DeleteUser("an"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.User("an"); !errors.Is(err, ErrNotFound) {
		t.Errorf("User(an) after delete = %v", err)
	}
	if err := s.DeleteUser("an"); !errors.Is(err, ErrNotFound) {
		t.Errorf("DeleteUser(an) again = %v, want ErrNotFound", err)
	}
}

func TestSavedTopics(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	t0 := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	if err := s.SaveTopic(SavedTopic{Name: "fishing", Query: "forced NEAR/5 fishing", Created: t0, By: "mai"}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []SavedTopic{{Name: "fishing", Query: "x"}, {Name: "", Query: "x"}, {Name: "empty", Query: "  "}} {
		if err := s.SaveTopic(bad); err == nil {
			t.Errorf("SaveTopic(%+v) = nil, want an error", bad)
		}
	}
	list, err := s.SavedTopics()
	if err != nil || len(list) != 1 || list[0].Query != "forced NEAR/5 fishing" || list[0].By != "mai" {
		t.Errorf("SavedTopics() = %+v, %v", list, err)
	}
	if err := s.DeleteTopic("fishing"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteTopic("fishing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("DeleteTopic again = %v, want ErrNotFound", err)
	}
}
