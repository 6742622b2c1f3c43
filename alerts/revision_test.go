package alerts

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/newswatch/newswatch/news"
)

// TestPlanRevision: only subscribers who opted in to a revision's kind,
// and whose topics the article matched, get an alert about it, with its
// own ID; its subject and webhook event say what happened.
func TestPlanRevision(t *testing.T) {
	t.Parallel()
	arts := loadArticles(t) // 0 vi trafficking, 3 en un
	now := time.Date(2026, 11, 26, 13, 0, 0, 0, time.UTC)
	wh := &WebhookTarget{URL: "https://hooks.example.org/x", Secret: testSecret}
	r, err := NewRouter([]Subscriber{
		{Name: "removals", Topics: []string{"trafficking"}, Revisions: []string{RevisionsRemoved}, Webhook: wh},
		{Name: "both", Topics: []string{"trafficking"}, Revisions: []string{RevisionsChanged, RevisionsRemoved}, Webhook: wh},
		{Name: "none", Topics: []string{"trafficking"}, Webhook: wh},
		{Name: "un", Topics: []string{"un"}, Revisions: []string{RevisionsRemoved}, Webhook: wh},
	})
	if err != nil {
		t.Fatal(err)
	}
	removed := news.Revision{Seq: 2, Time: now, Kind: news.RevisionRemoved, Status: 410}
	got := r.PlanRevision(arts[0], removed, now)
	var subs []string
	for _, a := range got {
		subs = append(subs, a.Subscriber)
		if a.Kind != news.AlertRevision || a.Revision == nil || a.Revision.Seq != 2 || a.ID == news.AlertID(a.Subscriber, a.Channel, a.ArticleID) {
			t.Errorf("revision alert %+v: want kind revision, the revision, and an ID of its own", a)
		}
	}
	if strings.Join(subs, ",") != "removals,both" {
		t.Errorf("PlanRevision(removed) went to %v, want removals and both", subs)
	}
	if got := r.PlanRevision(arts[0], news.Revision{Seq: 1, Kind: news.RevisionEdited, DiffSize: 90}, now); len(got) != 1 || got[0].Subscriber != "both" {
		t.Errorf("PlanRevision(edited) = %v, want one alert to both", got)
	}

	m := Message{ID: got[0].ID, Subscriber: "removals", Time: now, Entries: []Entry{{Article: arts[0], Topics: []string{"trafficking"}, Revision: &removed}}}
	if s := Subject(m); !strings.Contains(s, "removed: "+arts[0].Title) {
		t.Errorf("Subject = %q, want it to say removed", s)
	}
	text, html, err := renderBodies(m, Subject(m))
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range []string{text, html} {
		if !strings.Contains(part, "was taken down.") || !strings.Contains(part, "Taken down: the page answers HTTP 410 Gone, seen 2026-11-26 13:00:00 UTC.") ||
			strings.Contains(part, "A new article matched") {
			t.Errorf("mail body of a removal:\n%s\nwant it to say the article was taken down, with the status and time", part)
		}
	}
	edited := news.Revision{Seq: 1, Time: now, Kind: news.RevisionEdited, DiffSize: 90}
	text, _, _ = renderBodies(Message{Subscriber: "both", Time: now, Entries: []Entry{{Article: arts[0], Topics: []string{"trafficking"}, Revision: &edited}}}, "s")
	if !strings.Contains(text, "was edited.") || !strings.Contains(text, "Edited: the text changed (a diff of 90 bytes)") {
		t.Errorf("mail body of an edit:\n%s\nwant it to say the article was edited, with the diff's size", text)
	}
	body, err := EncodeEvent(m)
	if err != nil {
		t.Fatal(err)
	}
	var ev Event
	if err := json.Unmarshal(body, &ev); err != nil || ev.Type != "article.removed" || ev.Data.Revision == nil || ev.Data.Revision.Status != 410 {
		t.Errorf("event = %s, %v; want type article.removed with the revision", body, err)
	}

	bad := Subscriber{Name: "x", Topics: []string{"trafficking"}, Revisions: []string{"deleted"}, Webhook: wh}
	if errs := bad.Validate(); len(errs) != 1 || !strings.Contains(errs[0].Error(), `"deleted" is not one of changed, removed`) {
		t.Errorf("Validate(revisions: [deleted]) = %v", errs)
	}
}
