package search

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/newswatch/newswatch/internal/newstest"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/topic"
)

// defaultClauses returns the top-level clauses of the built-in topics.
func defaultClauses(t *testing.T) []string {
	t.Helper()
	topics, err := newstest.DefaultTopics(filepath.Join("..", "cmd", "newswatch", "default.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, name := range []string{"trafficking", "un"} {
		cs, err := newstest.Clauses(topics[name])
		if err != nil {
			t.Fatalf("topic %s: %v", name, err)
		}
		out = append(out, cs...)
	}
	if len(out) < 300 {
		t.Fatalf("%d clauses in the default topics, want hundreds", len(out))
	}
	return out
}

// corpusArticles are the corpus pages as articles, in NFC and NFD, and
// generated articles, with their index terms.
func corpusArticles() []indexed {
	var arts []*news.Article
	for _, p := range newstest.Corpus() {
		a := &news.Article{Title: p.Title, Text: p.Sapo + "\n" + strings.Join(p.Body, "\n"), URL: "https://www.vietnamplus.vn" + p.Path(), Source: "VietnamPlus", Lang: p.Lang}
		d := *a
		d.Title, d.Text = norm.NFD.String(a.Title), norm.NFD.String(a.Text)
		arts = append(arts, a, &d)
	}
	for i := range 100 {
		arts = append(arts, newstest.ArchiveArticle(i))
	}
	out := make([]indexed, len(arts))
	for i, a := range arts {
		out[i] = indexed{a, Terms(a)}
	}
	return out
}

// TestPlanFindsEveryMatch checks that every article a query matches is a
// candidate of its plan: for each clause of the built-in topics and extra
// queries (phrases, wildcards, NEAR, lang:, scopes), over the corpus in
// NFC and NFD.
func TestPlanFindsEveryMatch(t *testing.T) {
	t.Parallel()
	queries := append(defaultClauses(t),
		`"торговл* людьми" AND lang:ru`, `url:"mua-ban-nguoi"`, `title:trafficking OR text:联合国`,
		`trafficking NEAR/3 (women OR children)`, `passeur*`, `拐`, `"الأمم المتحدة" OR للأمم`,
		`"mua ban nguoi"`, `lang:(vi OR zh) AND NOT police`, `=UN AND NOT =ONU`,
		`title:"human trafficking"`, `title:(traffick* OR 拐卖 OR "торговл* людьми" OR "mua bán người")`, `title:=UN`)
	arts := corpusArticles()
	matches := matchAll(t, arts, queries)
	matched, candidates := 0, 0
	for qi, text := range queries {
		q, err := Compile(text)
		if err != nil {
			t.Fatalf("Compile(%q): %v", text, err)
		}
		for i, a := range arts {
			if !matches[i][qi] && testing.Short() {
				continue // counting the candidates that do not match is only for the log
			}
			cand := q.Candidate(arts[i].terms)
			if cand {
				candidates++
			}
			if !matches[i][qi] {
				continue
			}
			matched++
			if !cand {
				t.Errorf("query %q (plan %v) matches %q but the plan does not find it", text, q.Plan, a.Title)
			}
		}
	}
	if matched < 100 {
		t.Errorf("%d matches over %d queries: the test corpus no longer exercises them", matched, len(queries))
	}
	if !testing.Short() {
		t.Logf("%d queries: %d matches among %d candidates", len(queries), matched, candidates)
	}
}

// indexed is an article and its index terms.
type indexed struct {
	*news.Article
	terms []string
}

// matchAll returns, for each article, the queries that match it: all
// compiled into one matcher, each a topic, so each article is read once.
func matchAll(t *testing.T, arts []indexed, queries []string) []map[int]bool {
	t.Helper()
	ts := make([]topic.Topic, len(queries))
	for i, q := range queries {
		ts[i] = topic.Topic{Name: fmt.Sprint("q", i), Query: q}
	}
	m, err := topic.Compile(ts)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]map[int]bool, len(arts))
	for i, a := range arts {
		out[i] = map[int]bool{}
		for _, h := range m.Match(a.Article) {
			n, _ := strconv.Atoi(strings.TrimPrefix(h.Topic, "q"))
			out[i][n] = true
		}
	}
	return out
}

func TestPlan(t *testing.T) {
	t.Parallel()
	tests := []struct{ query, want string }{
		{`"human trafficking" OR traffick*`, `("human trafficking" OR "traffick"*)`},
		{`a AND NOT b`, `"a"`},
		{`lang:vi AND (x NEAR/3 y)`, `("\x01vi" AND "x" AND "y")`},
		{`联合国`, `"联合国"`},
		{`MIN/2(a, b, c)`, `(("a" OR "b") AND ("a" OR "c") AND ("b" OR "c"))`},
		{`MIN/3/20(a, b, c)`, `("a" AND "b" AND "c")`},
		{`SCORE(+a, b^2, c^-1) >= 3`, `("a" AND ("a" OR "b"))`},
		{`SCORE(a, (NOT b)^0.5) >= 1`, `ALL`},
		{`(a NOT NEAR/3 b) NEAR/5 c`, `("a" AND "c")`},
		// In the title only: the title's terms; lead: is the title and more.
		{`title:"human trafficking" OR title:=UN`, `("\x03human trafficking" OR "\x03\x02UN")`},
		{`title:traffick* AND lead:police`, `("\x03traffick"* AND "police")`},
	}
	for _, tt := range tests {
		q, err := Compile(tt.query)
		if err != nil {
			t.Fatal(err)
		}
		if got := q.Plan.String(); got != tt.want {
			t.Errorf("Compile(%q).Plan = %s, want %s", tt.query, got, tt.want)
		}
	}
}

func TestTermsSortedAndDistinct(t *testing.T) {
	t.Parallel()
	ts := Terms(&news.Article{Title: "Liên hợp quốc, Liên hợp quốc", Text: "联合国", Lang: "vi-VN"})
	if !slices.IsSorted(ts) || len(slices.Compact(slices.Clone(ts))) != len(ts) {
		t.Errorf("Terms = %q, want sorted and distinct", ts)
	}
	if !slices.Contains(ts, LangTerm("vi")) {
		t.Errorf("Terms = %q, want the language term of vi", ts)
	}
}

func TestCompileError(t *testing.T) {
	t.Parallel()
	_, err := Compile(`"unclosed`)
	if err == nil || strings.Contains(err.Error(), `topic "search"`) {
		t.Errorf("Compile(unclosed phrase) = %v, want an error without the topic name", err)
	}
}
