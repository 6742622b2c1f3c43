package web

import (
	"net/http"
)

// TopicRequest saves a topic.
type TopicRequest struct {
	Name  string `json:"name"`
	Query string `json:"query"`
}

// listTopics serves GET /api/topics: the topics in force.
func (a *api) listTopics(w http.ResponseWriter, r *http.Request) {
	if !checkParams(w, r.URL.Query()) {
		return
	}
	if ctl := a.control(w); ctl != nil {
		writeJSON(w, http.StatusOK, ctl.TopicList())
	}
}

// saveTopic serves POST /api/topics: a topic saved at run time, by the
// caller.
func (a *api) saveTopic(w http.ResponseWriter, r *http.Request) {
	var req TopicRequest
	if !checkParams(w, r.URL.Query(), "by") || !readJSON(w, r, &req) {
		return
	}
	ctl := a.control(w)
	if ctl == nil {
		return
	}
	by := callerOf(r).name
	if by == "" {
		by = r.URL.Query().Get("by")
	}
	info, err := ctl.SaveTopic(r.Context(), req.Name, req.Query, by)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, info)
}

// deleteTopic serves DELETE /api/topics/{name}.
func (a *api) deleteTopic(w http.ResponseWriter, r *http.Request) {
	if !checkParams(w, r.URL.Query()) {
		return
	}
	ctl := a.control(w)
	if ctl == nil {
		return
	}
	name := r.PathValue("name")
	if err := ctl.DeleteTopic(r.Context(), name); err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"deleted": name})
}
