package store

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/news"
)

func TestSources(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	t0 := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	src := func(key string, added time.Time) Source {
		return Source{Key: key, Feed: news.Feed{URL: key + "?x", Name: key, Origin: news.OriginAdded, Added: added, Via: "feeds add"}}
	}
	a, b, c := src("https://a.example/rss", t0.Add(time.Hour)), src("https://b.example/rss", t0), src("https://c.example/rss", t0.Add(2*time.Hour))
	added, dups, err := s.AddSources([]Source{a, b, a})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Source{a, b}, added); diff != "" {
		t.Errorf("AddSources added (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{a.Key}, dups); diff != "" {
		t.Errorf("AddSources dups (-want +got):\n%s", diff)
	}
	if _, dups, err = s.AddSources([]Source{c, b}); err != nil || !cmp.Equal(dups, []string{b.Key}) {
		t.Errorf("AddSources(c, b) = dups %q, %v, want [b]", dups, err)
	}
	got, err := s.Sources()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Source{b, a, c}, got); diff != "" {
		t.Errorf("Sources() oldest first (-want +got):\n%s", diff)
	}
	if removed, err := s.RemoveSource(a.Key); err != nil || removed.Feed.URL != a.Feed.URL {
		t.Errorf("RemoveSource(a) = %+v, %v, want a", removed, err)
	}
	if _, err := s.RemoveSource(a.Key); !errors.Is(err, ErrNotFound) {
		t.Errorf("RemoveSource(a) again = %v, want ErrNotFound", err)
	}
	if _, _, err := s.AddSources([]Source{{Key: "", Feed: news.Feed{URL: "x"}}}); err == nil {
		t.Error("AddSources(without key) = nil error, want one")
	}
	if got, _ := s.Sources(); len(got) != 2 {
		t.Errorf("Sources() after remove and a refused add = %d, want 2", len(got))
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	t0 := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	if err := s.CreateToken("nw_secret-one", Token{Name: "ci", Role: "admin", Created: t0}); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateToken("nw_secret-two", Token{Name: "ci", Role: "viewer", Created: t0}); !errors.Is(err, ErrExists) {
		t.Errorf("CreateToken(same name) = %v, want ErrExists", err)
	}
	if err := s.CreateToken("nw_secret-two", Token{Name: "grafana", Role: "viewer", Created: t0}); err != nil {
		t.Fatal(err)
	}
	tok, err := s.Authenticate("nw_secret-one", t0.Add(time.Minute))
	if err != nil || tok.Name != "ci" || tok.Role != "admin" || !tok.LastUsed.Equal(t0.Add(time.Minute)) {
		t.Errorf("Authenticate(one) = %+v, %v, want ci/admin used at t0+1m", tok, err)
	}
	// A use within TokenTouchEvery is not written again.
	if tok, _ := s.Authenticate("nw_secret-one", t0.Add(2*time.Minute)); !tok.LastUsed.Equal(t0.Add(time.Minute)) {
		t.Errorf("LastUsed after a second use = %v, want unchanged %v", tok.LastUsed, t0.Add(time.Minute))
	}
	if _, err := s.Authenticate("nw_wrong", t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("Authenticate(wrong) = %v, want ErrNotFound", err)
	}
	list, err := s.Tokens()
	if err != nil || len(list) != 2 || list[0].Name != "ci" || list[1].Name != "grafana" {
		t.Errorf("Tokens() = %+v, %v, want ci and grafana", list, err)
	}
	if err := s.RevokeToken("ci"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate("nw_secret-one", t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("Authenticate(revoked) = %v, want ErrNotFound", err)
	}
	if err := s.RevokeToken("ci"); !errors.Is(err, ErrNotFound) {
		t.Errorf("RevokeToken(ci) again = %v, want ErrNotFound", err)
	}
}
