package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// status serves GET /api/status.
func (a *api) status(w http.ResponseWriter, r *http.Request) {
	if !checkParams(w, r.URL.Query()) {
		return
	}
	if ctl := a.control(w); ctl != nil {
		writeJSON(w, http.StatusOK, ctl.Status())
	}
}

// RetryRequest names the failed alerts to send again: one ID, or all.
type RetryRequest struct {
	ID        string `json:"id,omitempty"`
	AllFailed bool   `json:"all_failed,omitempty"`
}

// RetryResult counts the alerts queued again.
type RetryResult struct {
	Retried int `json:"retried"`
}

// retryAlerts serves POST /api/alerts/retry.
func (a *api) retryAlerts(w http.ResponseWriter, r *http.Request) {
	var req RetryRequest
	if !checkParams(w, r.URL.Query()) || !readJSON(w, r, &req) {
		return
	}
	if req.AllFailed == (req.ID != "") {
		badRequest(w, "give one alert id or all_failed")
		return
	}
	ids := []string{req.ID}
	if req.AllFailed {
		failed, err := a.o.Store.ListAlerts(news.AlertFailed)
		if err != nil {
			writeError(w, err)
			return
		}
		ids = ids[:0]
		for _, al := range failed {
			ids = append(ids, al.ID)
		}
	}
	now := a.now()
	res := RetryResult{}
	for _, id := range ids {
		if err := a.o.Store.RetryAlert(id, now); err != nil {
			if errors.Is(err, store.ErrAlertState) {
				err = fmt.Errorf("%w: %w", err, ErrConflict)
			}
			a.alertsChanged(res.Retried)
			writeError(w, err)
			return
		}
		res.Retried++
	}
	a.alertsChanged(res.Retried)
	writeJSON(w, http.StatusOK, res)
}

// alertsChanged wakes the deliverer when n > 0 alerts were queued.
func (a *api) alertsChanged(n int) {
	if n > 0 && a.o.Control != nil {
		a.o.Control.AlertsChanged()
	}
}

// rematch serves POST /api/rematch. Without allow_removals a rematch that
// would take topics away changes nothing and answers 409 with the report
// of what it would have done, so the CLI can show it and ask.
func (a *api) rematch(w http.ResponseWriter, r *http.Request) {
	var req RematchRequest
	if !checkParams(w, r.URL.Query()) || !readJSON(w, r, &req) {
		return
	}
	ctl := a.control(w)
	if ctl == nil {
		return
	}
	rep, err := ctl.Rematch(r.Context(), req)
	switch {
	case errors.Is(err, store.ErrWouldRemove):
		writeJSON(w, http.StatusConflict, rematchRefusal{Error: err.Error(), Report: rep})
	case err != nil:
		writeError(w, err)
	default:
		a.alertsChanged(rep.Alerts)
		writeJSON(w, http.StatusOK, rep)
	}
}

// rematchRefusal is the 409 answer of a rematch that would remove topics.
type rematchRefusal struct {
	Error  string               `json:"error"`
	Report *store.RematchReport `json:"report"`
}

// reload serves POST /api/reload.
func (a *api) reload(w http.ResponseWriter, r *http.Request) {
	if !checkParams(w, r.URL.Query()) {
		return
	}
	ctl := a.control(w)
	if ctl == nil {
		return
	}
	res, err := ctl.Reload(r.Context())
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// CheckResult is the answer of GET /api/store/check: the counts of the
// store's records and the problems found, none when OK.
type CheckResult struct {
	Path     string         `json:"path"`
	Size     int64          `json:"size"`
	Schema   uint64         `json:"schema"`
	Feeds    int            `json:"feeds"`
	Articles int            `json:"articles"`
	Matched  int            `json:"matched"`
	Seen     int            `json:"seen"`
	Alerts   map[string]int `json:"alerts"`
	OK       bool           `json:"ok"`
	Problems []string       `json:"problems"`
}

// NewCheckResult is the answer for a store check's report.
func NewCheckResult(rep store.CheckReport) CheckResult {
	res := CheckResult{
		Path: rep.Path, Size: rep.Size, Schema: rep.Schema, Feeds: rep.Feeds, Articles: rep.Articles,
		Matched: rep.Matched, Seen: rep.Seen, Alerts: map[string]int{}, Problems: rep.Problems,
	}
	for st, n := range rep.Alerts {
		res.Alerts[string(st)] = n
	}
	if res.Problems == nil {
		res.Problems = []string{}
	}
	res.OK = len(res.Problems) == 0
	return res
}

// checkStore serves GET /api/store/check: the store's own walk of its
// pages and indexes, in one read transaction on the live file.
func (a *api) checkStore(w http.ResponseWriter, r *http.Request) {
	if !checkParams(w, r.URL.Query()) {
		return
	}
	rep, err := a.o.Store.Check(r.Context())
	if err != nil && !errors.Is(err, store.ErrCorrupt) {
		writeError(w, err) // not the file's problems: the check could not run
		return
	}
	writeJSON(w, http.StatusOK, NewCheckResult(rep))
}

// backup serves GET /api/backup: a consistent copy of the store file,
// written from one read transaction while the daemon goes on writing. A
// copy that fails half-way is cut off, never ended cleanly, so the client
// cannot mistake it for a whole one.
func (a *api) backup(w http.ResponseWriter, r *http.Request) {
	if !checkParams(w, r.URL.Query()) {
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", `attachment; filename="newswatch-backup.db"`)
	w.Header().Set("Cache-Control", "no-store")
	cw := &countingWriter{w: w}
	n, err := a.o.Store.Backup(r.Context(), cw)
	if err == nil {
		a.o.Logger.Info("backup served", "bytes", n)
		return
	}
	if cw.n == 0 {
		writeError(w, err)
		return
	}
	a.o.Logger.Warn("backup failed half-way; response aborted", "bytes", cw.n, "error", err)
	panic(http.ErrAbortHandler)
}
