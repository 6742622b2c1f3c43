package parser

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

// corpusTimeout bounds one parse; a slower parse counts as a hang.
const corpusTimeout = 10 * time.Second

var (
	// corpusHeader reads a feedparser test's "Header: Content-type: ..." line.
	corpusHeader = regexp.MustCompile(`(?im)^\s*Header:\s*Content-type:\s*(.*?)\s*$`)
	// corpusExpect reads simple text checks from a feedparser "Expect:" line:
	// feed['title'], entries[0]['title'|'description'|'summary'] == '...'.
	corpusExpect = regexp.MustCompile(`(feed|entries\[0\])\['(title|description|summary)'\] == u?'((?:[^'\\]|\\.)*)'`)
	// corpusOrd reads "ord(entries[0]['description']) == N".
	corpusOrd = regexp.MustCompile(`ord\(entries\[0\]\['(description|summary)'\]\) == (\d+)`)
)

// corpusResult is the outcome of parsing one corpus file.
type corpusResult struct {
	feed  *Feed
	err   error
	panic any
}

// TestCorpus parses every feed of the shared third-party test corpora
// (feedparser's tests and gofeed's testdata, about 2,600 files) and fails
// on a panic or a parse that hangs. It also checks the simple text
// expectations of feedparser tests. It needs NEWSWATCH_SHARED (e.g.
// /work/shared), which CI sets.
func TestCorpus(t *testing.T) {
	shared := os.Getenv("NEWSWATCH_SHARED")
	if shared == "" {
		t.Skip("NEWSWATCH_SHARED is not set: the shared feed corpus was NOT parsed (set NEWSWATCH_SHARED=/work/shared)")
	}
	root := filepath.Join(shared, "feeds")
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if ext := filepath.Ext(path); !d.IsDir() && (ext == ".xml" || ext == ".json") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk %s: %v", root, err)
	}
	if len(files) < 1000 {
		t.Fatalf("found %d feed files under %s, want the full corpus (> 1000)", len(files), root)
	}
	var parsed, notFeed, failed, checks, checksOK int
	var failures []string
	for _, path := range files {
		body, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, path)
		contentType := ""
		if m := corpusHeader.FindSubmatch(body); m != nil {
			contentType = string(m[1])
		}
		res, ok := corpusParse(body, contentType, "http://127.0.0.1:8097/"+filepath.ToSlash(rel))
		switch {
		case !ok:
			t.Errorf("ParseFeed(%s) did not return within %v", rel, corpusTimeout)
			continue
		case res.panic != nil:
			t.Errorf("ParseFeed(%s) panicked: %v", rel, res.panic)
			continue
		case errors.Is(res.err, ErrNotFeed):
			notFeed++
			t.Logf("not a feed: %s: %v", rel, res.err)
		case res.err != nil:
			failed++
			t.Logf("error: %s: %v", rel, res.err)
		default:
			parsed++
		}
		n, good, msgs := corpusCheck(body, res.feed)
		checks, checksOK = checks+n, checksOK+good
		for _, m := range msgs {
			failures = append(failures, rel+": "+m)
		}
	}
	for i, f := range failures {
		if i == 25 {
			t.Logf("... and %d more expectation mismatches", len(failures)-25)
			break
		}
		t.Logf("expectation mismatch: %s", f)
	}
	summary := fmt.Sprintf("corpus: %d files: %d parsed, %d not a feed, %d errors; feedparser text expectations: %d/%d pass",
		len(files), parsed, notFeed, failed, checksOK, checks)
	t.Log(summary)
	fmt.Println(summary)
}

// corpusParse runs ParseFeed in a goroutine; ok is false on timeout.
func corpusParse(body []byte, contentType, feedURL string) (corpusResult, bool) {
	done := make(chan corpusResult, 1)
	go func() {
		var res corpusResult
		defer func() {
			if r := recover(); r != nil {
				res.panic = r
			}
			done <- res
		}()
		res.feed, res.err = ParseFeed(body, contentType, feedURL)
	}()
	timer := time.NewTimer(corpusTimeout)
	defer timer.Stop()
	select {
	case res := <-done:
		return res, true
	case <-timer.C:
		return corpusResult{}, false
	}
}

// corpusCheck evaluates the simple text expectations of a feedparser
// test against f. It returns how many it checked, how many held, and a
// message per mismatch. Expected values with markup are skipped: our text
// is plain.
func corpusCheck(body []byte, f *Feed) (n, ok int, msgs []string) {
	line := corpusExpectLine(body)
	if line == "" {
		return 0, 0, nil
	}
	for _, m := range corpusExpect.FindAllStringSubmatch(line, -1) {
		want, err := corpusPyString(m[3])
		if err != nil || strings.ContainsAny(want, "<&") {
			continue
		}
		got, applicable := corpusField(f, m[1], m[2])
		if !applicable {
			continue
		}
		n++
		want = feedJoin([]string{want}, false)
		if got == want {
			ok++
			continue
		}
		msgs = append(msgs, fmt.Sprintf("%s[%s] = %q, want %q", m[1], m[2], got, want))
	}
	if m := corpusOrd.FindStringSubmatch(line); m != nil && f != nil && len(f.Items) > 0 {
		n++
		got, _ := corpusField(f, "entries[0]", m[1])
		want, _ := strconv.Atoi(m[2])
		if r := []rune(got); len(r) == 1 && int(r[0]) == want {
			ok++
		} else {
			msgs = append(msgs, fmt.Sprintf("ord(%s) = %q, want %U", m[1], got, want))
		}
	}
	return n, ok, msgs
}

// corpusExpectLine returns the test's Expect: line, or "".
func corpusExpectLine(body []byte) string {
	s := string(head(body, 4096))
	i := strings.Index(s, "Expect:")
	if i < 0 {
		return ""
	}
	line, _, _ := strings.Cut(s[i+len("Expect:"):], "\n")
	return line
}

// corpusField returns the parsed value feedparser calls scope[key], and
// whether we have one to compare: a feed that failed to parse counts (as
// ""), but not the feed description, which Feed does not keep, nor an entry
// we dropped by design for having no link, guid or title.
func corpusField(f *Feed, scope, key string) (string, bool) {
	if scope == "feed" {
		if key != "title" {
			return "", false
		}
		if f == nil {
			return "", true
		}
		return f.Title, true
	}
	if f == nil {
		return "", true
	}
	if len(f.Items) == 0 {
		return "", false
	}
	it := f.Items[0]
	if key == "title" {
		return it.Title, true
	}
	if it.Summary == "" {
		return it.Content, true
	}
	return it.Summary, true
}

// corpusPyString decodes the body of a single-quoted Python string literal.
func corpusPyString(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch c := s[i]; c {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'x', 'u', 'U':
			size := map[byte]int{'x': 2, 'u': 4, 'U': 8}[c]
			if i+size >= len(s) {
				return "", fmt.Errorf("short escape in %q", s)
			}
			r, err := strconv.ParseUint(s[i+1:i+1+size], 16, 32)
			if err != nil {
				return "", err
			}
			b.WriteRune(rune(r))
			i += size
		default:
			b.WriteByte(c)
		}
	}
	return norm.NFC.String(b.String()), nil
}
