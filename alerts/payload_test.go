package alerts

import (
	"encoding/json"
	"net/url"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newswatch/newswatch/news"
)

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func FuzzEncodeEvent(f *testing.F) {
	for _, a := range loadArticles(f) {
		f.Add(a.Title, a.URL, a.Summary, a.Lang, "trafficking")
	}
	f.Add("\x00\r\n<script>", "javascript:alert(1)", "\xff\xfe", "", "")
	f.Fuzz(func(t *testing.T, title, u, summary, lang, topic string) {
		a := &news.Article{ID: news.ArticleID(u), URL: u, Title: title, Summary: summary, Lang: lang}
		m := Message{ID: "alt_f", Subscriber: "desk", Time: time.Unix(1, 0),
			Entries: []Entry{{Article: a, Topics: []string{topic}}}}
		body, err := EncodeEvent(m)
		if err != nil {
			t.Fatalf("EncodeEvent: %v", err)
		}
		var ev Event
		if err := json.Unmarshal(body, &ev); err != nil {
			t.Fatalf("EncodeEvent = %q, not JSON: %v", body, err)
		}
		if utf8.ValidString(title) && ev.Data.Article.Title != title {
			t.Errorf("round trip title = %q, want %q", ev.Data.Article.Title, title)
		}
		for _, format := range []string{FormatSlack, FormatDiscord, FormatTelegram, FormatNtfy} {
			r, err := buildRequest(format, mustURL(t, "https://example.org/topic?chat_id=1"), m)
			if err != nil || !json.Valid(r.body) {
				t.Errorf("buildRequest(%s) = %q, %v; want valid JSON", format, r.body, err)
			}
		}
	})
}
