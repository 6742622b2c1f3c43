package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/newswatch/newswatch/news"
)

func TestAlertsPage(t *testing.T) {
	t.Parallel()
	f := newPagesFixture(t)
	failed, err := f.st.ListAlerts(news.AlertFailed)
	if err != nil || len(failed) != 1 {
		t.Fatalf("fixture failed alerts = %v, %v", failed, err)
	}
	ar := f.byLang(t, "ar") // its alert is the failed one
	body := f.page(t, "/alerts", adminToken, http.StatusOK)
	wantIn(t, "alerts page", body,
		`<a href="/alerts?state=failed" aria-current="page">failed (1)</a>`, "pending (2)", "delivered (1)", "all (4)",
		`<a href="/articles/`+ar.ID+`" lang="ar" dir="rtl">`+ar.Title+`</a>`, "410 Gone",
		`<input type="hidden" name="id" value="`+failed[0].ID+`">`, `<option>ngo</option>`,
	)
	body = f.page(t, "/alerts?state=pending", viewerToken, http.StatusOK)
	wantIn(t, "pending alerts", body, `aria-current="page">pending (2)</a>`, f.byLang(t, "zh").Title, f.byLang(t, "ru").Title)
	wantNotIn(t, "pending alerts", body, ar.Title, "/alerts/retry")
	f.page(t, "/alerts?state=sent", viewerToken, http.StatusBadRequest)
	f.page(t, "/alerts?state=failed&after=xyz", viewerToken, http.StatusBadRequest)

	rec := do(t, f.h, http.MethodPost, "/alerts/retry", adminToken, url.Values{"id": {failed[0].ID}, "state": {"failed"}})
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "1 alerts queued for delivery again.") {
		t.Errorf("POST /alerts/retry = %d", rec.Code)
	}
	if al, _ := f.st.Alert(failed[0].ID); al.State != news.AlertPending || !al.NextAt.Equal(t0) {
		t.Errorf("retried alert = %s due %v, want pending at %v", al.State, al.NextAt, t0)
	}
	body = f.page(t, "/alerts?state=pending", viewerToken, http.StatusOK)
	wantIn(t, "pending alerts after the retry", body, ar.Title, `<span class="muted">before the retry:</span> 410 Gone`)
	if rec := do(t, f.h, http.MethodPost, "/alerts/retry", adminToken, url.Values{"id": {"alt_nothing"}}); rec.Code != http.StatusNotFound {
		t.Errorf("retrying an unknown alert = %d, want 404", rec.Code)
	}
}

func TestAlertsPagination(t *testing.T) {
	t.Parallel()
	f := newPagesFixture(t)
	var alerts []news.Alert
	for i := range alertsPerPage + 10 {
		alerts = append(alerts, news.Alert{ID: fmt.Sprintf("alt_%03d", i), Subscriber: "ngo", Channel: news.ChannelEmail, State: news.AlertFailed,
			Created: t0.Add(time.Duration(i) * time.Minute), LastError: fmt.Sprintf("error %03d", i)})
	}
	if _, err := f.st.EnqueueAlerts(alerts); err != nil {
		t.Fatal(err)
	}
	first := f.page(t, "/alerts?state=failed", viewerToken, http.StatusOK)
	wantIn(t, "first page", first, fmt.Sprintf("error %03d", alertsPerPage+9), "error 010")
	wantNotIn(t, "first page", first, "error 009")
	second := f.page(t, nextLink(first), viewerToken, http.StatusOK)
	wantIn(t, "second page", second, "error 009", "error 000", "410 Gone", `<a href="/alerts?state=failed">Newest alerts</a>`)
	wantNotIn(t, "second page", second, "error 010")
	if nextLink(second) != "" {
		t.Error("the last page links further")
	}
}

func TestTestAlert(t *testing.T) {
	t.Parallel()
	f := newPagesFixture(t)
	rec := do(t, f.h, http.MethodPost, "/alerts/test", adminToken, url.Values{"subscriber": {"ngo"}})
	if rec.Code != http.StatusOK || len(f.ctl.tested) != 1 || !strings.Contains(rec.Body.String(), "A sample alert was sent to ngo.") {
		t.Errorf("POST /alerts/test = %d, tested %q", rec.Code, f.ctl.tested)
	}
	rec = do(t, f.h, http.MethodPost, "/alerts/test", adminToken, url.Values{"subscriber": {"nobody"}})
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "unknown subscriber") {
		t.Errorf("testing an unknown subscriber = %d, want 400 naming the problem", rec.Code)
	}
	st, _ := openFixture(t)
	h := New(Options{Store: st, Auth: AuthLocal}) // no daemon, no control
	if rec := do(t, h, http.MethodPost, "/alerts/test", "", url.Values{"subscriber": {"ngo"}}); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("testing without a control = %d, want 503", rec.Code)
	}
}
