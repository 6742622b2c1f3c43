package web

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

func TestVerdicts(t *testing.T) {
	t.Parallel()
	l := func(topic, user, label string) store.Label {
		return store.Label{ArticleID: "a", Topic: topic, User: user, Label: label}
	}
	const rel, not = store.LabelRelevant, store.LabelNotRelevant
	tests := []struct {
		name                       string
		labels                     []store.Label
		topic                      string
		relevant, judged, disputed []string
	}{
		{"one user, relevant", []store.Label{l("un", "ann", rel)}, "", []string{"un"}, []string{"un"}, nil},
		{"one user, not relevant", []store.Label{l("un", "ann", not)}, "", []string{}, []string{"un"}, nil},
		{"two of three say relevant", []store.Label{l("un", "ann", rel), l("un", "bob", not), l("un", "cem", rel)}, "", []string{"un"}, []string{"un"}, nil},
		{"two of three say not", []store.Label{l("un", "ann", not), l("un", "bob", rel), l("un", "cem", not)}, "", []string{}, []string{"un"}, nil},
		{"a tie is no verdict", []store.Label{l("un", "ann", rel), l("un", "bob", not)}, "", []string{}, []string{}, []string{"un"}},
		{"topics counted apart", []store.Label{
			l("trafficking", "ann", rel), l("trafficking", "bob", rel),
			l("un", "ann", not), l("migration", "ann", rel), l("migration", "bob", not),
		}, "", []string{"trafficking"}, []string{"trafficking", "un"}, []string{"migration"}},
		{"a topic asked: only its verdict", []store.Label{l("trafficking", "ann", rel), l("un", "ann", not)}, "un", []string{}, []string{"un"}, nil},
		{"a topic not judged", []store.Label{l("trafficking", "ann", rel)}, "un", []string{}, []string{}, nil},
		{"no labels", nil, "", []string{}, []string{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			relevant, judged, disputed := verdicts(tt.labels, tt.topic)
			if diff := cmp.Diff([][]string{tt.relevant, tt.judged, tt.disputed}, [][]string{relevant, judged, disputed}); diff != "" {
				t.Errorf("verdicts(%v, %q): [relevant judged disputed] (-want +got):\n%s", tt.labels, tt.topic, diff)
			}
		})
	}
}

// labelFixture labels the fixture's articles: the Vietnamese one relevant
// to trafficking by two users, the Arabic one relevant to trafficking and
// disputed for un, the Chinese one not relevant to un, and an article
// the store no longer has.
func labelFixture(t *testing.T) (http.Handler, []*news.Article) {
	t.Helper()
	h, st, articles := fixtureHandler(t)
	byLang := map[string]*news.Article{}
	for _, a := range articles {
		byLang[a.Lang] = a
	}
	for _, l := range []store.Label{
		{ArticleID: byLang["vi"].ID, Topic: "trafficking", User: "ann", Label: store.LabelRelevant},
		{ArticleID: byLang["vi"].ID, Topic: "trafficking", User: "bob", Label: store.LabelNotRelevant},
		{ArticleID: byLang["vi"].ID, Topic: "trafficking", User: "bob", Label: store.LabelRelevant}, // bob changed his mind
		{ArticleID: byLang["ar"].ID, Topic: "trafficking", User: "ann", Label: store.LabelRelevant},
		{ArticleID: byLang["ar"].ID, Topic: "un", User: "ann", Label: store.LabelRelevant},
		{ArticleID: byLang["ar"].ID, Topic: "un", User: "bob", Label: store.LabelNotRelevant},
		{ArticleID: byLang["zh"].ID, Topic: "un", User: "ann", Label: store.LabelNotRelevant},
		{ArticleID: "00000000000000000000", Topic: "un", User: "ann", Label: store.LabelRelevant},
	} {
		l.Lang = "xx"
		if err := st.SetLabel(l); err != nil {
			t.Fatal(err)
		}
	}
	return h, articles
}

func TestLabelsExport(t *testing.T) {
	t.Parallel()
	h, articles := labelFixture(t)
	rec := func(lang string, labels, judged, disputed []string) LabelRecord {
		for _, a := range articles {
			if a.Lang == lang {
				return LabelRecord{ID: a.ID, Lang: a.Lang, URL: a.URL, Title: a.Title, Text: a.Text, Labels: labels, Judged: judged, Disputed: disputed}
			}
		}
		t.Fatalf("no %s article", lang)
		return LabelRecord{}
	}
	tests := []struct {
		query string
		want  []LabelRecord
	}{
		{"", []LabelRecord{
			rec("zh", []string{}, []string{"un"}, nil),
			rec("ar", []string{"trafficking"}, []string{"trafficking"}, []string{"un"}),
			rec("vi", []string{"trafficking"}, []string{"trafficking"}, nil),
		}},
		{"topic=un", []LabelRecord{
			rec("zh", []string{}, []string{"un"}, nil),
			rec("ar", []string{}, []string{}, []string{"un"}),
		}},
		{"topic=migration", nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			resp := get(t, h, "/api/labels/export?"+tt.query)
			if resp.Code != http.StatusOK || resp.Header().Get("Content-Type") != "application/x-ndjson" {
				t.Fatalf("GET /api/labels/export?%s = %d %q %s", tt.query, resp.Code, resp.Header().Get("Content-Type"), resp.Body)
			}
			var got []LabelRecord
			sc := bufio.NewScanner(resp.Body)
			for sc.Scan() {
				var r LabelRecord
				if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
					t.Fatalf("line %q: %v", sc.Text(), err)
				}
				got = append(got, r)
			}
			byID := func(rs []LabelRecord) map[string]LabelRecord {
				m := map[string]LabelRecord{}
				for _, r := range rs {
					m[r.ID] = r
				}
				return m
			}
			if diff := cmp.Diff(byID(tt.want), byID(got)); diff != "" {
				t.Errorf("labels export?%s (-want +got):\n%s", tt.query, diff)
			}
			if n := resp.Header().Get(CountTrailer); n != strconv.Itoa(len(tt.want)) {
				t.Errorf("count trailer = %q, want %d", n, len(tt.want))
			}
		})
	}
	if got := get(t, h, "/api/labels/export").Header().Get(MissingTrailer); got != "1" {
		t.Errorf("missing trailer = %q, want 1: one judged article is gone", got)
	}
	first := get(t, h, "/api/labels/export").Body.String()
	if !strings.Contains(first, `"labels":[]`) || !strings.Contains(first, `"judged":["un"]`) {
		t.Errorf("a record judged not relevant must list labels as [] and judged: %s", first)
	}
	public, _, _ := feedFixture(t, nil)
	if rec := get(t, public, "/api/labels/export?key="+feedKey); rec.Code != http.StatusUnauthorized {
		t.Errorf("GET /api/labels/export with a feed key but no token = %d, want 401", rec.Code)
	}
	for target, code := range map[string]int{
		"/api/labels/export?topic=sport": http.StatusBadRequest,
		"/api/labels/export?topc=un":     http.StatusBadRequest,
	} {
		if rec := get(t, h, target); rec.Code != code {
			t.Errorf("GET %s = %d, want %d", target, rec.Code, code)
		}
	}
}
