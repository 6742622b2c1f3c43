package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// saveStory stores a story of three articles on top of the fixture: a
// Vietnamese one that opened it, its English edition and a reprint of
// the Vietnamese one at another site.
func saveStory(t *testing.T, st *store.Store) []*news.Article {
	t.Helper()
	hit := []news.Hit{{Topic: "trafficking", Term: "mua bán người", Field: news.FieldText}}
	arts := []*news.Article{
		{URL: "https://www.vietnamplus.vn/giai-cuu-4-thieu-nu.vnp", Source: "VietnamPlus (vi)", Lang: "vi", Title: "Giải cứu 4 thiếu nữ bị lừa bán", Text: "Bộ đội Biên phòng Lào Cai giải cứu 4 thiếu nữ.", Hits: hit},
		{URL: "https://en.vietnamplus.vn/four-girls-rescued.vnp", Source: "VietnamPlus (en)", Lang: "en", Title: "Four girls rescued at the Lao Cai border", Text: "Border guards in Lao Cai rescued 4 girls.", Hits: hit},
		{URL: "https://baomoi.example/giai-cuu.html?utm_source=x", Source: "Báo Mới", Lang: "vi", Title: "4 thiếu nữ được giải cứu", Text: "Bộ đội Biên phòng Lào Cai giải cứu 4 thiếu nữ.", Hits: hit},
	}
	p := store.Poll{Feed: fixtureState(0)}
	for i, a := range arts {
		a.ID, a.Fetched, a.Story = news.ArticleID(a.URL), t0.Add(time.Duration(i)*time.Minute), "sty_w1"
		a.SetHits(a.Hits)
		m := news.StoryMember{Story: a.Story, ArticleID: a.ID, URL: a.URL, Source: a.Source, Lang: a.Lang, Title: a.Title, Fetched: a.Fetched, Topics: a.Topics}
		switch i {
		case 1:
			m.With, m.Score, m.Evidence = arts[0].ID, 0.71, []news.Evidence{{Kind: news.EvidencePlace, Value: "lao cai"}, {Kind: news.EvidenceNumber, Value: "4"}}
		case 2:
			a.DuplicateOf = arts[0].ID
			m.DuplicateOf, m.With, m.Score, m.Evidence = a.DuplicateOf, arts[0].ID, 0.96, []news.Evidence{{Kind: news.EvidenceDuplicate, Value: "0.96"}}
		}
		p.Articles, p.Stories = append(p.Articles, a), append(p.Stories, m)
	}
	if _, err := st.SavePoll(p); err != nil {
		t.Fatal(err)
	}
	return arts
}

func TestStoriesAPI(t *testing.T) {
	t.Parallel()
	h, st, _ := fixtureHandler(t)
	arts := saveStory(t, st)
	var list []news.Story
	for _, tt := range []struct {
		target string
		want   int // stories listed
	}{
		{"/api/stories", 1},
		{"/api/stories?topic=trafficking&since=2026-12-01", 1},
		{"/api/stories?topic=un", 0},
		{"/api/stories?since=2026-12-02T00:00:00Z", 0},
	} {
		rec := get(t, h, tt.target)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s = %d %s", tt.target, rec.Code, rec.Body)
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &list); err != nil || len(list) != tt.want {
			t.Errorf("GET %s = %s (%v), want %d stories", tt.target, rec.Body, err, tt.want)
		}
	}
	rec := get(t, h, "/api/stories")
	if err := json.Unmarshal(rec.Body.Bytes(), &list); err != nil || len(list) != 1 {
		t.Fatalf("GET /api/stories = %s (%v)", rec.Body, err)
	}
	if s := list[0]; s.ID != "sty_w1" || s.Articles != 3 || s.Copies != 1 || strings.Join(s.Langs, ",") != "en,vi" || len(s.Sources) != 3 || s.Title("vi") != arts[0].Title {
		t.Errorf("story = %+v, want sty_w1: 3 articles, 1 copy, en and vi, 3 sources, titled after its first article", s)
	}

	rec = get(t, h, "/api/stories/sty_w1")
	var d StoryDetail
	if err := json.Unmarshal(rec.Body.Bytes(), &d); err != nil || rec.Code != http.StatusOK {
		t.Fatalf("GET /api/stories/sty_w1 = %d %s (%v)", rec.Code, rec.Body, err)
	}
	if len(d.Articles) != 3 || d.Articles[2].DuplicateOf != arts[0].ID || len(d.Articles[1].Evidence) != 2 {
		t.Errorf("articles = %+v, want 3, the copy naming its original, the edition with its evidence", d.Articles)
	}
	for target, want := range map[string]int{
		"/api/stories/sty_none":      http.StatusNotFound,
		"/api/stories?since=monday":  http.StatusBadRequest,
		"/api/stories?limit=-1":      http.StatusBadRequest,
		"/api/stories?sort=language": http.StatusBadRequest,
	} {
		if rec := get(t, h, target); rec.Code != want || !strings.Contains(rec.Body.String(), `"error"`) {
			t.Errorf("GET %s = %d %s, want %d with an error", target, rec.Code, rec.Body, want)
		}
	}
}

// TestStoryPage: the story's page shows its coverage and evidence, and
// an article's page links its story and lists its copies.
func TestStoryPage(t *testing.T) {
	t.Parallel()
	h, st, _ := fixtureHandler(t)
	arts := saveStory(t, st)
	rec := get(t, h, "/stories/sty_w1")
	body := rec.Body.String()
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /stories/sty_w1 = %d %s", rec.Code, body)
	}
	for _, want := range []string{
		"<h1 dir=\"auto\">Four girls rescued at the Lao Cai border</h1>", // the English title first
		"3 articles (1 copies) in 2 languages from 3 sources",
		`<th scope="col" class="num">en</th><th scope="col" class="num">vi</th>`,
		`<a href="/articles/` + arts[1].ID + `">`,
		"copy of <a href=\"/articles/" + arts[0].ID + "\">",
		"place <bdi>lao cai</bdi>, number <bdi>4</bdi>",
		"opened the story",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("story page lacks %q", want)
		}
	}
	if rec := get(t, h, "/stories/sty_none"); rec.Code != http.StatusNotFound {
		t.Errorf("GET /stories/sty_none = %d, want 404", rec.Code)
	}

	rec = get(t, h, "/articles/"+arts[0].ID)
	body = rec.Body.String()
	for _, want := range []string{`<a href="/stories/sty_w1" dir="auto">Giải cứu 4 thiếu nữ bị lừa bán</a>`, "The same text was found again at:", "https://baomoi.example/giai-cuu.html?utm_source=x"} {
		if !strings.Contains(body, want) {
			t.Errorf("article page lacks %q", want)
		}
	}
	rec = get(t, h, "/articles/"+arts[2].ID)
	if want := `This is a copy of <a href="/articles/` + arts[0].ID + `">`; !strings.Contains(rec.Body.String(), want) {
		t.Errorf("copy's page lacks %q", want)
	}
}
