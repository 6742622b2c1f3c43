// Command readabilityjsonl extracts pages with go-readability
// (codeberg.org/readeck/go-readability/v2), the extractor newswatch is
// measured against, and prints one JSON line per page like
// `newswatch extract --format jsonl`: file, title and text, or file and
// error. It runs all pages in one process, so the two can be timed and
// scored on the same files:
//
//	/usr/bin/time newswatch extract --format jsonl pages/*.html >/dev/null
//	/usr/bin/time go run ./internal/readabilityjsonl pages/*.html >/dev/null
//	score_extraction.py --jsonl-cmd 'readabilityjsonl'
//
// Pages are decoded to UTF-8 with newswatch's own decoder first, so both
// read the same text.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"

	"github.com/newswatch/newswatch/parser"
)

// line is one page's output.
type line struct {
	File  string `json:"file"`
	Title string `json:"title,omitempty"`
	Text  string `json:"text"`
	Error string `json:"error,omitempty"`
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: readabilityjsonl FILE...")
		os.Exit(2)
	}
	w := bufio.NewWriterSize(os.Stdout, 64<<10)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	failed := 0
	for _, f := range os.Args[1:] {
		l := extract(f)
		if l.Error != "" {
			failed++
		}
		if err := enc.Encode(l); err != nil {
			fmt.Fprintln(os.Stderr, "readabilityjsonl:", err)
			os.Exit(1)
		}
	}
	if err := w.Flush(); err != nil || failed > 0 {
		fmt.Fprintf(os.Stderr, "readabilityjsonl: %d of %d pages failed %v\n", failed, len(os.Args)-1, err)
		os.Exit(1)
	}
}

// extract runs go-readability on one page file.
func extract(file string) line {
	body, err := os.ReadFile(file)
	if err != nil {
		return line{File: file, Error: err.Error()}
	}
	page, _ := parser.DecodeHTML(body, "")
	u, _ := url.Parse("https://example.org/article")
	art, err := readability.FromReader(strings.NewReader(string(page)), u)
	if err != nil {
		return line{File: file, Error: err.Error()}
	}
	var b strings.Builder
	if err := art.RenderText(&b); err != nil {
		return line{File: file, Error: err.Error()}
	}
	return line{File: file, Title: art.Title(), Text: b.String()}
}
