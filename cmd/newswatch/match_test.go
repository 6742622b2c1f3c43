package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/unicode/norm"
)

// matchSample is realistic input in several languages, traps included.
const matchSample = `{"id":"vi-1","title":"Triệt phá đường dây mua bán người sang Campuchia","text":"Công an giải cứu 12 nạn nhân."}
{"id":"ar-1","title":"المبعوث الأممي يصل إلى طرابلس","text":"وصل المبعوث إلى ليبيا والتقى ممثلي الأمم المتحدة."}
{"id":"zh-1","title":"聯合國報告","text":"拐賣兒童案件增加"}
{"id":"fr-trap","title":"UN HOMME ARRÊTÉ","text":"La traite des vaches commence à cinq heures.","lang":"fr-FR"}
{"id":7,"title":"Drug trafficking suspect extradited to the United States","text":"Cocaine trafficking charges."}
not json

{"id":"ru-1","title":"Генассамблея ООН","text":"Эксперты говорят о торговле людьми."}
`

func TestMatchCommand(t *testing.T) {
	t.Parallel()
	for _, form := range []norm.Form{norm.NFC, norm.NFD} {
		var stdout, stderr bytes.Buffer
		err := run(t.Context(), []string{"match"}, strings.NewReader(form.String(matchSample)), &stdout, &stderr)
		if !errors.Is(err, errBadLines) {
			t.Errorf("match error = %v, want errBadLines", err)
		}
		want := `{"id":"vi-1","topics":["trafficking"]}
{"id":"ar-1","topics":["un"]}
{"id":"zh-1","topics":["trafficking","un"]}
{"id":"fr-trap","topics":[]}
{"id":7,"topics":[]}
{"id":null,"line":6,"error":"invalid JSON: invalid character 'o' in literal null (expecting 'u')"}
{"id":"ru-1","topics":["trafficking","un"]}
`
		if diff := cmp.Diff(want, stdout.String()); diff != "" {
			t.Errorf("match output (form %v) mismatch (-want +got):\n%s", form, diff)
		}
		if !strings.Contains(stderr.String(), "line 6: invalid JSON") {
			t.Errorf("stderr = %q, want the bad line named", stderr.String())
		}
	}
}

func TestMatchExplainAndConfig(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "newswatch.yaml")
	conf := "topics:\n  ngos:\n    query: 'title:(\"Blue Dragon\" OR \"La Strada\") OR \"Pacific Links\" NEAR/5 rescued'\n" +
		"  cases:\n    query: 'SCORE(trafficking^3, (rescued OR victims), (drugs OR terrorism)^-1) >= 4'\n"
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	in := `{"id":1,"title":"Blue Dragon rescues girls","text":"The charity Pacific Links said the women were rescued."}` + "\n" +
		`{"id":2,"title":"Talks","text":"Ministers discussed terrorism, drugs and trafficking."}` + "\n"
	var stdout, stderr bytes.Buffer
	if err := run(t.Context(), []string{"match", "--config", cfg, "--explain"}, strings.NewReader(in), &stdout, &stderr); err != nil {
		t.Fatalf("match: %v (%s)", err, stderr.String())
	}
	type line struct {
		ID     int
		Topics []string
		Hits   []struct {
			Topic, Term, Field, Snippet string
			Start, End                  int
			Context                     bool
		}
		Salience []struct {
			Topic            string
			Matched, Passed  bool
			Rule             string
			Score, Threshold float64
		}
	}
	dec := json.NewDecoder(&stdout)
	var out line
	if err := dec.Decode(&out); err != nil {
		t.Fatalf("output %q: %v", stdout.String(), err)
	}
	if diff := cmp.Diff([]string{"ngos"}, out.Topics); diff != "" {
		t.Errorf("topics mismatch (-want +got):\n%s", diff)
	}
	var terms []string
	for _, h := range out.Hits {
		terms = append(terms, fmt.Sprintf("%s:%s:%v", h.Field, h.Term, h.Context))
	}
	// NEAR's first operand decided the match; "rescued" only qualified it.
	if diff := cmp.Diff([]string{"title:Blue Dragon:false", "text:Pacific Links:false", "text:rescued:true"}, terms); diff != "" {
		t.Errorf("hits mismatch (-want +got):\n%s", diff)
	}
	if err := dec.Decode(&out); err != nil {
		t.Fatalf("second output line: %v", err)
	}
	// A passing mention: no topic, but the explanation says why (the
	// built-in trafficking topic explains its own SCOREs too).
	var cases []string
	for _, s := range out.Salience {
		if s.Topic == "cases" {
			cases = append(cases, fmt.Sprintf("%s %v/%v passed=%v matched=%v", s.Rule, s.Score, s.Threshold, s.Passed, s.Matched))
		}
	}
	if diff := cmp.Diff([]string{"SCORE 1/4 passed=false matched=false"}, cases); len(out.Topics) != 0 || diff != "" {
		t.Errorf("passing mention: topics %v, salience of cases mismatch (-want +got):\n%s", out.Topics, diff)
	}
}

func TestMatchBadQueryIsUsageError(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(cfg, []byte("topics:\n  un:\n    query: '(united'\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	err := run(t.Context(), []string{"match", "--config", cfg}, strings.NewReader(""), &stdout, &stderr)
	if exitCode(err) != exitUsage {
		t.Errorf("match with a bad query: exit %d (%v), want %d", exitCode(err), err, exitUsage)
	}
}

func TestReadLineBoundsMemory(t *testing.T) {
	t.Parallel()
	in := "short\n" + strings.Repeat("x", 5000) + "\nlast"
	br := bufio.NewReaderSize(strings.NewReader(in), 16)
	var got []string
	for {
		line, tooLong, err := readLine(br, nil, 100)
		if tooLong {
			got = append(got, "<too long>")
		} else {
			got = append(got, string(line))
		}
		if err != nil {
			break
		}
	}
	if diff := cmp.Diff([]string{"short", "<too long>", "last"}, got); diff != "" {
		t.Errorf("readLine mismatch (-want +got):\n%s", diff)
	}
}
