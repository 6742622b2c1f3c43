package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// saveInStory stores arts as the articles of story id (none stored when
// id is a story the test leaves out: "sty_gone").
func saveInStory(t *testing.T, st *store.Store, id string, arts ...*news.Article) {
	t.Helper()
	p := store.Poll{Feed: fixtureState(0)}
	for _, a := range arts {
		a.Story = id
		p.Articles = append(p.Articles, a)
		if id != "sty_gone" {
			p.Stories = append(p.Stories, news.StoryMember{Story: id, ArticleID: a.ID, URL: a.URL, Source: a.Source, Lang: a.Lang,
				Title: a.Title, Published: a.Published, Fetched: a.Fetched, Topics: a.Topics})
		}
	}
	if _, err := st.SavePoll(p); err != nil {
		t.Fatal(err)
	}
}

// storyPageFixture adds to the pages fixture two stories interleaved in
// time and an article whose story is gone: sty_ar, an Arabic article
// (the newest match) and a French one older than all of sty_w1; sty_w1
// (saveStory: Vietnamese, English and a copy); and between them an
// article of sty_gone, which is not stored.
func storyPageFixture(t *testing.T) (f *pagesFixture, ar, fr, gone *news.Article, w1 []*news.Article) {
	f = newPagesFixture(t)
	w1 = saveStory(t, f.st)
	hit := hitOf{"trafficking", news.FieldText, "trafficking", false}
	ar = testArticle(t, "https://ar.example.org/1", "ar", "إنقاذ أربع فتيات على حدود لاو كاي", "trafficking", t0.Add(10*time.Minute), hit)
	fr = testArticle(t, "https://fr.example.org/1", "fr", "Quatre jeunes filles secourues à Lao Cai", "trafficking", t0.Add(-30*time.Minute), hit)
	saveInStory(t, f.st, "sty_ar", ar, fr)
	gone = testArticle(t, "https://gone.example.org/1", "en", "A story pruned since", "trafficking", t0.Add(5*time.Minute), hit)
	saveInStory(t, f.st, "sty_gone", gone)
	return f, ar, fr, gone, w1
}

// TestTopicPageStories: a topic page groups its matches by story, each
// story headed by its title in its language, its article count and
// coverage, the matches without a story alone.
func TestTopicPageStories(t *testing.T) {
	t.Parallel()
	f, ar, fr, gone, w1 := storyPageFixture(t)
	body := f.page(t, "/topics/trafficking", viewerToken, http.StatusOK)
	fvi, far, fru := f.byLang(t, "vi"), f.byLang(t, "ar"), f.byLang(t, "ru")
	// newest first, each story at its newest match: French follows Arabic
	want := []string{ar.ID, fr.ID, gone.ID, w1[2].ID, w1[1].ID, w1[0].ID, fru.ID, far.ID, fvi.ID}
	if got := rowIDs(body); !slices.Equal(got, want) {
		t.Errorf("rows = %v, want grouped by story %v", got, want)
	}
	group := func(id string) string {
		t.Helper()
		i := strings.Index(body, `<li class="story" id="s-`+id+`">`)
		if i < 0 {
			t.Fatalf("no group of story %s", id)
		}
		g := body[i:]
		return g[:strings.Index(g, "</ol>\n</li>")]
	}
	w := group("sty_w1")
	wantIn(t, "group of sty_w1", w,
		// titled in the language of its newest match on the page, the copy's
		`<h3 class="story-title"><span class="muted">Story:</span> <a href="/stories/sty_w1" lang="vi" dir="ltr">Giải cứu 4 thiếu nữ bị lừa bán</a></h3>`,
		"3 articles from 3 sources in 2 languages",
		"<caption>Coverage: articles by source and language</caption>",
		`<th scope="col">Source</th><th scope="col" class="num">en</th><th scope="col" class="num">vi</th>`,
		`<tr><th scope="row"><bdi>Báo Mới</bdi></th><td class="num">–</td><td class="num">1</td></tr>`,
		`<tr><th scope="row"><bdi>VietnamPlus (en)</bdi></th><td class="num">1</td><td class="num">–</td></tr>`,
		`<tr><th scope="row"><bdi>VietnamPlus (vi)</bdi></th><td class="num">–</td><td class="num">1</td></tr>`,
		`<h4 class="title" lang="en" dir="ltr"><a href="/articles/`+w1[1].ID+`">`,
	)
	for _, a := range w1 {
		wantIn(t, "group of sty_w1", w, `<li id="a-`+a.ID+`">`)
	}
	a := group("sty_ar")
	wantIn(t, "group of sty_ar", a,
		`<a href="/stories/sty_ar" lang="ar" dir="rtl">إنقاذ أربع فتيات على حدود لاو كاي</a>`,
		"2 articles from 2 sources in 2 languages",
		`<li id="a-`+fr.ID+`">`, `<h4 class="title" lang="fr" dir="ltr">`,
	)
	wantNotIn(t, "group of sty_ar", a, `<li id="a-`+gone.ID+`">`, `<li id="a-`+w1[0].ID+`">`)
	// an article whose story is gone, and one before stories, stand alone
	wantIn(t, "topic page", body,
		`<li id="a-`+gone.ID+`">`+"\n"+`<h3 class="title" lang="en" dir="ltr"><a href="/articles/`+gone.ID+`">`,
		`<li id="a-`+far.ID+`">`+"\n"+`<h3 class="title" lang="ar" dir="rtl">`)
	wantNotIn(t, "topic page", body, "sty_gone")

	// the filter's language titles the story, when it has a title in it
	body = f.page(t, "/topics/trafficking?lang=en", viewerToken, http.StatusOK)
	wantIn(t, "topic page in English", body, `<a href="/stories/sty_w1" lang="en" dir="ltr">Four girls rescued at the Lao Cai border</a>`, "3 articles from 3 sources")
	if got := rowIDs(body); !slices.Equal(got, []string{gone.ID, w1[1].ID}) {
		t.Errorf("rows in English = %v, want %v", got, []string{gone.ID, w1[1].ID})
	}
}

// TestTopicPageStoryCoverageBound: a topic page of 25 stories of 14
// sources in 7 languages shows 8 sources of each, links the rest, and
// stays under 150 KB.
func TestTopicPageStoryCoverageBound(t *testing.T) {
	t.Parallel()
	f := newPagesFixture(t)
	langs := []string{"vi", "en", "ar", "fr", "es", "ru", "zh"}
	for s := range 25 {
		var arts []*news.Article
		for i := range 14 {
			var hits []hitOf
			if i == 0 {
				hits = append(hits, hitOf{"un", news.FieldTitle, "United Nations", false})
			}
			l := langs[i%len(langs)]
			a := testArticle(t, fmt.Sprintf("https://example.org/s%d/%d", s, i), l, fmt.Sprintf("United Nations meeting %d, edition %d", s, i),
				strings.Repeat("The Security Council met on the situation. ", 40), t0.Add(-time.Duration(s*14+i)*time.Minute), hits...)
			a.Source = fmt.Sprintf("Edition %d of a long source name (%s)", i, l)
			arts = append(arts, a)
		}
		saveInStory(t, f.st, fmt.Sprintf("sty_%02d", s), arts...)
	}
	body := f.page(t, "/topics/un", viewerToken, http.StatusOK)
	if n := strings.Count(body, `<li class="story"`); n != topicPageSize {
		t.Errorf("%d story groups, want %d", n, topicPageSize)
	}
	wantIn(t, "topic page", body, `6 more sources on <a href="/stories/sty_00">the story's page</a>`, "14 articles from 14 sources in 7 languages")
	if n := strings.Count(body, `<tr><th scope="row"><bdi>Edition`); n != topicPageSize*maxCoverageSources {
		t.Errorf("%d coverage rows, want %d", n, topicPageSize*maxCoverageSources)
	}
	if len(body) > 150<<10 {
		t.Errorf("topic page = %d bytes, want at most 150 KB", len(body))
	}
	t.Logf("topic page of %d stories: %d bytes", topicPageSize, len(body))
}

// TestTopicMatchesAPI calls GET /api/topics/{name}/matches through the
// Client: the page's matches with their stories.
func TestTopicMatchesAPI(t *testing.T) {
	t.Parallel()
	f, ar, fr, gone, w1 := storyPageFixture(t)
	srv := httptest.NewServer(f.h)
	t.Cleanup(srv.Close)
	c := NewClient(srv.URL, viewerToken, nil)
	res, err := c.TopicMatches(t.Context(), "trafficking", nil)
	if err != nil {
		t.Fatal(err)
	}
	var ids, stories []string
	for _, m := range res.Matches {
		ids = append(ids, m.ID)
		stories = append(stories, m.Story)
	}
	// newest first, as stored: the API leaves the grouping to the client
	if want := []string{ar.ID, gone.ID, w1[2].ID, w1[1].ID, w1[0].ID, fr.ID}; len(ids) < len(want) || !slices.Equal(ids[:len(want)], want) {
		t.Errorf("matches = %v, want newest first %v…", ids, want)
	}
	if want := []string{"sty_ar", "sty_gone", "sty_w1", "sty_w1", "sty_w1", "sty_ar", "", "", ""}; !slices.Equal(stories, want) {
		t.Errorf("stories of the matches = %q, want %q", stories, want)
	}
	if m := res.Matches[2]; m.DuplicateOf != w1[0].ID || m.Term != "mua bán người" {
		t.Errorf("copy = %+v, want duplicate_of %s and its decisive hit", m, w1[0].ID)
	}
	want := []StorySummary{
		{ID: "sty_ar", Title: ar.Title, Lang: "ar", Langs: []string{"ar", "fr"}, Sources: []string{"Test source ar", "Test source fr"}, Count: 2},
		{ID: "sty_w1", Title: w1[0].Title, Lang: "vi", Langs: []string{"en", "vi"}, Sources: []string{"Báo Mới", "VietnamPlus (en)", "VietnamPlus (vi)"}, Count: 3},
	}
	if fmt.Sprint(res.Stories) != fmt.Sprint(want) {
		t.Errorf("stories = %+v, want %+v", res.Stories, want)
	}

	res, err = c.TopicMatches(t.Context(), "trafficking", url.Values{"lang": {"en"}})
	if err != nil || len(res.Stories) != 1 || res.Stories[0].Title != w1[1].Title || res.Stories[0].Lang != "en" || len(res.Matches) != 2 {
		t.Errorf("TopicMatches(lang en) = %+v, %v, want 2 matches and sty_w1 titled in English", res, err)
	}
	for _, tt := range []struct {
		topic  string
		q      url.Values
		status int
		want   string
	}{
		{"nothing", nil, http.StatusNotFound, "no topic nothing"},
		{"trafficking", url.Values{"lang": {"Arabic"}}, http.StatusBadRequest, "lang"},
		{"trafficking", url.Values{"since": {"soon"}}, http.StatusBadRequest, "since"},
		{"trafficking", url.Values{"after": {"!!"}}, http.StatusBadRequest, "after"},
		{"trafficking", url.Values{"sort": {"old"}}, http.StatusBadRequest, "unknown parameter"},
	} {
		_, err := c.TopicMatches(t.Context(), tt.topic, tt.q)
		var ae *APIError
		if !errors.As(err, &ae) || ae.Status != tt.status || !strings.Contains(ae.Message, tt.want) {
			t.Errorf("TopicMatches(%s, %v) = %v, want %d saying %q", tt.topic, tt.q, err, tt.status, tt.want)
		}
	}
}
