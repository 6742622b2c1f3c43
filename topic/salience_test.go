package topic

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/news"
)

func TestParseSalience(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`SCORE("human trafficking"^3, victims, drugs^-1) >= 4`, `SCORE("human trafficking"^3, victims, drugs^-1) >= 4`},
		{"SCORE ( a OR b ,c^0.5)>=1.5%", `SCORE((a OR b), c^0.5) >= 1.5%`},
		{`MIN/2(a, "b c", d NEAR/3 e)`, `MIN/2(a, "b c", (d NEAR/3 e))`},
		{`(a OR b)^2 OR c`, `((a OR b)^2 OR c)`},
		{`lead:(a OR b)`, `(lead:a OR lead:b)`},
		{`联合国 NOT ONEAR/0 际`, `(联合国 NOT ONEAR/0 际)`},
		{`a NOT NEAR/3 b NEAR/5 c`, `((a NOT NEAR/3 b) NEAR/5 c)`},
		{`a NOT b`, `(a AND NOT b)`},
		{`a NEAR/2 b^1`, `(a NEAR/2 b^1)`},
		{`SCORE(+(a OR b)^3, + c, d) >= 4`, `SCORE(+(a OR b)^3, +c, d) >= 4`},
		{`MIN/2/40(a, b OR c, d NEAR/2 e) NEAR/5 f`, `(MIN/2/40(a, (b OR c), (d NEAR/2 e)) NEAR/5 f)`},
		{`a+b`, `a+b`},
		{`SCORE(SCORE(a, b) >= 2^2, MIN/1(c)) >= 2`, `SCORE(SCORE(a, b) >= 2^2, MIN/1(c)) >= 2`},
		{`a,b SCORE`, `("a,b" AND SCORE)`}, // outside lists, commas and SCORE are ordinary
		{"# comment\na OR # another\n  #MeToo #", `(a OR #MeToo)`},
		{"LET person = (women OR girls)\nLET sold = (sold OR bought)^2\n($sold ONEAR/3 $person) OR title:$person", `(((sold OR bought)^2 ONEAR/3 (women OR girls)) OR (title:women OR title:girls))`},
		{"LET a = x LET b = ($a OR y) $b $5", `((x OR y) AND $5)`},
	} {
		q, err := Parse(tc.in)
		if err != nil {
			t.Errorf("Parse(%q) error: %v", tc.in, err)
			continue
		}
		if got := q.String(); got != tc.want {
			t.Errorf("Parse(%q) = %s, want %s", tc.in, got, tc.want)
		}
		if again, err := Parse(q.String()); err != nil || again.String() != q.String() {
			t.Errorf("Parse(%q) does not round-trip: %v", q.String(), err)
		}
	}
}

func TestParseSalienceErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`SCORE(a, b)`, `1:12: expected ">=" and a threshold after SCORE(…)`},
		{`SCORE(a, b) >= x`, `1:16: expected a threshold above 0 and at most 1000 after ">="`},
		{`SCORE(a) >= 0`, `1:13: expected a threshold above 0 and at most 1000 after ">="`},
		{`SCORE(a) >= 2x`, `1:13: expected a threshold such as 4 or 0.5% after ">="`},
		{`SCORE(a^-1, b^0) >= 1`, `1:1: expected an operand with a positive weight in SCORE(…)`},
		{`SCORE(a, ) >= 1`, `1:10: expected a term after ",", found ")"`},
		{`SCORE() >= 1`, `1:7: expected a term after "SCORE(", found ")"`},
		{`SCORE(a b >= 1`, `1:15: expected "," or ")" after "SCORE(a b >= 1", found end of query`},
		{`MIN/3(a, b)`, `1:1: expected at least 3 operands in MIN/3(…), found 2`},
		{`MIN/1(+a)`, `1:7: expected "+" only before an operand of SCORE(…)`},
		{`SCORE(+) >= 1`, `1:8: expected a term after "SCORE(+", found ")"`},
		{`SCORE(+(+a)) >= 1`, `1:9: expected a term after "(", found "+"`},
		{`MIN/0(a)`, `1:5: expected a count from 1 to 1000 after "MIN/"`},
		{`MIN/2/x(a, b)`, `1:7: expected a window from 1 to 1000 after "MIN/2/"`},
		{`NEAR/2/3`, `1:6: expected a distance from 0 to 1000 after "NEAR/"`},
		{`MIN/1/5(a AND b)`, `1:1: expected terms, phrases, OR groups or NEARs in MIN/1/5(…): a window needs positions`},
		{`MIN/2 a b`, `1:6: expected "(" after "MIN/2"`},
		{`a^x`, `1:2: expected a weight from -1000 to 1000 after "^"`},
		{`a^2b`, `1:2: expected a weight from -1000 to 1000 after "^"`},
		{"x OR\n  a^-2", `2:4: expected a negative weight only on an operand of SCORE(…)`},
		{`a^2^3`, `1:4: expected one weight, found a second "^"`},
		{`^2`, `1:1: expected a term, found "^"`},
		{`LET x = a $y`, `1:11: expected a group defined by "LET y = …" before the query, found "$y"`},
		{`LET 5 = a b`, `1:5: expected a name (a letter, then letters, digits or "_") after "LET", found "5"`},
		{`LET x a`, `1:7: expected "=" after "LET x", found "a"`},
		{`LET x = a LET x = b c`, `1:15: expected one definition of "x", found a second`},
		{`LET x = a`, `1:10: expected a term after the LET groups, found end of query`},
		{`LET x = ) a`, `1:9: expected a term or a group after "LET x =", found ")"`},
		{`a $x`, `1:3: expected a group defined by "LET x = …" before the query, found "$x"`},
		{`a NOT NEAR/3 (b AND c)`, `1:3: expected terms, phrases or OR groups around "NOT NEAR/3" (AND, NOT, MIN, SCORE and lang: have no position)`},
		{`MIN/1(a) NEAR/3 b`, `1:10: expected terms, phrases or OR groups around "NEAR/3" (AND, NOT, MIN, SCORE and lang: have no position)`},
		{`SCORE((NOT a)^5) >= 1`, `1:1: expected at least one term that is not under NOT`},
		{`SCORE(a^0, b^-1) >= 1`, `1:1: expected an operand with a positive weight in SCORE(…)`},
		{`MIN/1(NOT a, b)`, `1:1: expected at least one term that is not under NOT`},
		{`SCORE((NOT a)^5, b) >= 5`, `1:1: expected at least one term that is not under NOT`},
	} {
		_, err := Parse(tc.in)
		if err == nil || err.Error() != tc.want {
			t.Errorf("Parse(%q) error = %v, want %s", tc.in, err, tc.want)
		}
	}
}

func TestSalienceMatch(t *testing.T) {
	filler := strings.Repeat("The weather was mild and the markets were calm. ", 12) // 108 words
	for _, tc := range []struct {
		name, query, title, text string
		want                     bool
	}{
		{"score reached", `SCORE(trafficking^3, victims) >= 4`, "", "trafficking of victims", true},
		{"score missed", `SCORE(trafficking^3, victims) >= 4`, "", "trafficking of people", false},
		{"every hit counts", `SCORE(trafficking^2) >= 4`, "", "trafficking and more trafficking", true},
		{"a place counts once", `SCORE((traffick* OR trafficking)^2) >= 4`, "", "trafficking once", false},
		{"negative weight", `SCORE(trafficking^3, victims, drugs^-2) >= 4`, "", "drugs trafficking victims", false},
		{"title scope", `SCORE(trafficking^3, title:trafficking) >= 4`, "Trafficking", "trafficking", true},
		{"lead covers the start", `lead:trafficking`, "", "trafficking " + filler, true},
		{"lead ends", `lead:trafficking`, "", filler + " trafficking", false},
		{"lead includes the title", `lead:trafficking`, "trafficking", filler, true},
		{"percent reached", `SCORE(trafficking) >= 2%`, "", "trafficking " + strings.Repeat("word ", 40), true},
		{"percent missed", `SCORE(trafficking) >= 2%`, "", "trafficking " + filler, false},
		{"near counts its first operand", `SCORE((sold NEAR/3 (women OR girls))^2) >= 4`, "", "sold women and girls", false},
		{"near counts each", `SCORE((sold NEAR/3 (women OR girls))^2) >= 4`, "", "sold women, then sold girls", true},
		{"non-positional counts one", `SCORE((a1 AND b1)^3, c1) >= 4`, "", "a1 b1 a1 b1 c1", true},
		{"not in score", `SCORE((NOT drugs)^1, trafficking^3) >= 4`, "", "trafficking", true},
		{"not in score, false", `SCORE((NOT drugs)^1, trafficking^3) >= 4`, "", "drugs trafficking", false},
		{"required missing", `SCORE(+trafficking^3, children) >= 2`, "", "children and more children", false},
		{"required present", `SCORE(+trafficking^3, children) >= 4`, "", "trafficking of children", true},
		{"required present, score missed", `SCORE(+trafficking^3, children) >= 4`, "", "trafficking", false},
		{"min", `MIN/2(sold, lured, brothel)`, "", "lured to a brothel", true},
		{"min window", `MIN/3/6(sold, girls, brothel, abroad)`, "", "the girls were sold abroad", true},
		{"min window too wide", `MIN/3/6(sold, girls, brothel, abroad)`, "", "the girls were sold " + filler + " abroad", false},
		{"min window, one operand twice", `MIN/2/6(sold, girls)`, "", "sold and sold again", false},
		{"min window in near", `MIN/2/3(sold, girls) NEAR/2 brothel`, "", "girls sold to a brothel", true},
		{"min window counted", `SCORE(MIN/2/3(sold, girls)^2) >= 4`, "", "girls sold; later girls sold", true},
		{"overlaps are one place", `SCORE(("la trata" OR "trata de personas")^3) >= 4`, "", "contra la trata de personas", false},
		{"min missed", `MIN/2(sold, lured, brothel)`, "", "lured twice, lured", false},
		{"min window from title to text", `MIN/2/6(sold, newborn)`, "Sold for $500", "the newborn was handed to a couple", true},
		{"min window from title to a far text", `MIN/2/6(sold, newborn)`, "Sold for $500", filler + " newborn", false},
		{"near stays in its field", `sold NEAR/6 newborn`, "Sold for $500", "the newborn was handed to a couple", false},
		{"not near", `联合国 NOT ONEAR/0 际`, "", "联合国际学校", false},
		{"not near elsewhere", `联合国 NOT ONEAR/0 际`, "", "联合国际学校与联合国", true},
		{"not near overlap", `"Security Council" NOT NEAR/0 "National Security Council"`, "", "the National Security Council met", false},
		{"not near far", `"human trafficking" NOT NEAR/1 (drug OR terrorism)`, "", "terrorism, arms and drug smuggling; later, human trafficking", true},
	} {
		m, err := Compile([]Topic{{Name: "q", Query: tc.query}})
		if err != nil {
			t.Fatalf("%s: Compile(%q): %v", tc.name, tc.query, err)
		}
		if got := len(m.Match(&news.Article{Title: tc.title, Text: tc.text})) > 0; got != tc.want {
			t.Errorf("%s: Match(%q, %q) = %v, want %v", tc.name, tc.query, tc.text, got, tc.want)
		}
	}
}

func TestExplain(t *testing.T) {
	m, err := Compile([]Topic{
		{Name: "t", Query: `SCORE("human trafficking"^3, (victims OR rescued), (drug* OR terrorism)^-1) >= 4 OR (sold NEAR/3 girls)`},
		{Name: "other", Query: `ferries`},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := m.Explain(&news.Article{Text: "Talks on terrorism, drugs and human trafficking."})
	want := []Explanation{{
		Topic: "t",
		Salience: []Salience{{Rule: "SCORE", Score: 1, Threshold: 4, Parts: []Part{
			{Operand: `"human trafficking"^3`, Weight: 3, Hits: 1, Terms: []string{"human trafficking"}},
			{Operand: `(drug* OR terrorism)^-1`, Weight: -1, Hits: 2, Terms: []string{"drug*", "terrorism"}},
		}}},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Explain(list mention) mismatch (-want +got):\n%s", diff)
	}
	got = m.Explain(&news.Article{Text: "Police rescued girls sold by a human trafficking ring."})
	if len(got) != 1 || !got[0].Matched || len(got[0].Salience) != 1 || !got[0].Salience[0].Passed || got[0].Salience[0].Score != 4 {
		t.Fatalf("Explain(case) = %+v, want a match passing SCORE with 4 points", got)
	}
	var terms []string
	for _, h := range got[0].Hits {
		terms = append(terms, h.Term)
	}
	// The SCORE's hits, then the NEAR's decisive hit; its context last.
	if diff := cmp.Diff([]string{"rescued", "sold", "human trafficking", "girls"}, terms); diff != "" {
		t.Errorf("Explain(case) hits mismatch (-want +got):\n%s", diff)
	}
	if hits := m.Match(&news.Article{Text: "Police rescued girls sold by a human trafficking ring."}); !cmp.Equal(hits, got[0].Hits) {
		t.Errorf("Match and Explain disagree on hits:\n%v\n%v", hits, got[0].Hits)
	}
}

// TestScoreExample checks the SCORE example of the README and doc.go.
func TestScoreExample(t *testing.T) {
	q := `SCORE(+("human trafficking" OR "trafficking in persons")^3,
      title:("human trafficking" OR "trafficking in persons"),
      (victims OR rescued OR sold OR lured OR brothel),
      (terrorism OR "drug trafficking" OR "money laundering" OR cybercrime)^-1) >= 4`
	m, err := Compile([]Topic{{Name: "t", Query: q}})
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]bool{
		"A woman was jailed for human trafficking after she sold her nieces to a brothel.":                           true,
		"The ministers agreed on cooperation against terrorism, drug trafficking, human trafficking and cybercrime.": false,
	} {
		if got := len(m.Match(&news.Article{Text: text})) > 0; got != want {
			t.Errorf("Match(%q) = %v, want %v", text, got, want)
		}
	}
}

func TestStripComments(t *testing.T) {
	in := "# head\na OR \"#not a comment\" # tail\n  (# x\n b) #MeToo \"c\"# d"
	want := "\na OR \"#not a comment\" \n  (\n b) #MeToo \"c\""
	if got := StripComments(in); got != want {
		t.Errorf("StripComments(%q) = %q, want %q", in, got, want)
	}
	for _, q := range []string{in, "LET x = a # c\n$x"} {
		a, errA := Parse(q)
		b, errB := Parse(StripComments(q))
		if errA != nil || errB != nil || a.String() != b.String() {
			t.Errorf("Parse(StripComments(%q)) = %v, %v; want %v", q, b, errB, a)
		}
	}
}

// TestExplainRequired checks that an explanation names a required
// operand that is missing, so a score above the threshold that did not
// pass reads right.
func TestExplainRequired(t *testing.T) {
	m, err := Compile([]Topic{{Name: "t", Query: `SCORE(+trafficking^3, women, children) >= 2`}})
	if err != nil {
		t.Fatal(err)
	}
	got := m.Explain(&news.Article{Text: "women and children"})
	want := []Explanation{{Topic: "t", Salience: []Salience{{Rule: "SCORE", Score: 2, Threshold: 2, Parts: []Part{
		{Operand: "trafficking^3", Required: true, Weight: 3},
		{Operand: "women", Weight: 1, Hits: 1, Terms: []string{"women"}},
		{Operand: "children", Weight: 1, Hits: 1, Terms: []string{"children"}},
	}}}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Explain mismatch (-want +got):\n%s", diff)
	}
}
