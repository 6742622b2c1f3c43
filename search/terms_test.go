package search

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/internal/newstest"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/topic"
)

// fieldTerms is how Terms filed an article before matching handed it the
// normalised text: each field normalised on its own by topic.IndexTerms.
func fieldTerms(a *news.Article) []string {
	seen := map[string]bool{}
	for _, f := range []string{a.Title, a.Text, a.URL, a.Source} {
		topic.IndexTerms(f, func(t string) bool { seen[t] = true; return true })
	}
	topic.IndexTerms(a.Title, func(t string) bool { seen[topic.TitlePrefix+t] = true; return true })
	if l := topic.MatchLang(a.Lang); l != "" {
		seen[LangTerm(l)] = true
	}
	out := make([]string, 0, len(seen))
	for t := range seen {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// labelledArticles are the topic engine's hand-labelled texts in seven
// languages, as articles.
func labelledArticles(t *testing.T) []*news.Article {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "topic", "testdata", "*.jsonl"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no labelled texts in ../topic/testdata: %v", err)
	}
	var out []*news.Article
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var l struct{ ID, Lang, Title, Text string }
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			out = append(out, &news.Article{Title: l.Title, Text: l.Text, URL: "https://example.org/" + l.ID, Source: "Labelled " + l.Lang, Lang: l.Lang})
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
	}
	return out
}

// TestTermsFromMatching checks that an article is filed under the same
// terms whether Terms normalises it, takes the text topic matching
// normalised, or did as before matching handed it over (each field on
// its own); and that a Norm made from other fields is not used.
func TestTermsFromMatching(t *testing.T) {
	t.Parallel()
	topics, err := newstest.DefaultTopics(filepath.Join("..", "cmd", "newswatch", "default.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := topic.Compile([]topic.Topic{{Name: "trafficking", Query: topics["trafficking"]}, {Name: "un", Query: topics["un"]}})
	if err != nil {
		t.Fatal(err)
	}
	var arts []*news.Article
	for _, a := range corpusArticles() {
		arts = append(arts, a.Article)
	}
	arts = append(arts, labelledArticles(t)...)
	arts = append(arts, &news.Article{}, &news.Article{Title: "UN", URL: "https://example.org/ООН-聯合國", Lang: "ru-RU"})
	for _, a := range arts {
		want := fieldTerms(a)
		if diff := cmp.Diff(Terms(a), want); diff != "" {
			t.Fatalf("Terms(%q) without Norm (-got +want):\n%s", a.Title, diff)
		}
		_, a.Norm = m.MatchNormalized(a)
		if diff := cmp.Diff(Terms(a), want); diff != "" {
			t.Fatalf("Terms(%q) with Norm from matching (-got +want):\n%s", a.Title, diff)
		}
		if n := a.Norm; n.Title != topic.Normalize(a.Title) || n.Text != topic.Normalize(a.Text) {
			t.Fatalf("MatchNormalized(%q): title %q, text %.40q; want them as Normalize gives them", a.Title, n.Title, n.Text)
		}
	}
	if len(arts) < 1000 {
		t.Fatalf("%d articles: the corpus no longer exercises Terms", len(arts))
	}

	stale := *arts[0]
	stale.Title = "Lutte contre la traite des êtres humains"
	if got, want := Terms(&stale), fieldTerms(&stale); !slices.Equal(got, want) {
		t.Errorf("Terms of an article whose title changed after matching = %q, want %q", got, want)
	}
}
