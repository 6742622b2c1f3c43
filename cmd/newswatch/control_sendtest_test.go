package main

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/newswatch/newswatch/internal/mailpit"
	"github.com/newswatch/newswatch/store"
	"github.com/newswatch/newswatch/web"
)

// TestDashboardTestAlert sends a test alert from the alerts page through
// the real control: the receiver gets a signed test event; an unknown
// subscriber is the user's error.
func TestDashboardTestAlert(t *testing.T) {
	t.Setenv("NEWSWATCH_TEST_HOOK_SECRET", alertsTestSecret)
	t.Setenv("NEWSWATCH_TEST_SMTP_PASSWORD", "unused")
	hooks, srv := newHookLog(t)
	cfgPath, _ := writeAlertsConfig(t, srv.URL, mailpit.Start(t))
	cfg, err := loadConfigFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(cfg.Store, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctl, err := newControl(cfg, cfgPath, st, nil, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if got := ctl.Subscribers(); !slices.Equal(got, []string{"desk", "mail"}) {
		t.Errorf("Subscribers() = %q, want desk and mail", got)
	}
	h := web.New(web.Options{Store: st, Control: ctl, Auth: web.AuthLocal})
	post := func(sub string) *httptest.ResponseRecorder {
		req := httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/alerts/test", strings.NewReader(url.Values{"subscriber": {sub}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	if rec := post("desk"); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "A sample alert was sent to desk.") {
		t.Errorf("POST /alerts/test desk = %d:\n%s", rec.Code, rec.Body)
	}
	hooks.mu.Lock()
	if hooks.tests != 1 || hooks.badSig != 0 {
		t.Errorf("receiver got %d test events, %d bad signatures; want 1, 0", hooks.tests, hooks.badSig)
	}
	hooks.mu.Unlock()
	if rec := post("nobody"); rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "nobody") {
		t.Errorf("POST /alerts/test nobody = %d, want 400 naming it", rec.Code)
	}
}
