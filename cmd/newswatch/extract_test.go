package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// extractPages are saved article pages with a sentence of their body and a
// headline of their related-articles box, which must stay out.
var extractPages = []struct {
	file, url, lang, extractor string
	body, trap                 string
}{
	{"vnp_vi.html", "https://www.vietnamplus.vn/bai-viet-post987654.vnp", "vi", "site:vietnamplus",
		"150 vụ mua bán người", "Triệt phá đường dây"},
	{"vnp_zh_variant.html", "", "zh", "generic", // VietnamPlus markup, but no VietnamPlus URL
		"越南咖啡出口量约为135万吨", "拐卖妇女"},
	{"ar_windows1256.html", "", "ar", "generic",
		"أعلنت الأمم المتحدة، يوم الاثنين", ""},
}

func extractPage(t *testing.T, name string) string {
	t.Helper()
	return filepath.Join("testdata", "extract", name)
}

func TestExtractText(t *testing.T) {
	t.Parallel()
	for _, tt := range extractPages {
		t.Run(tt.file, func(t *testing.T) {
			args := []string{"extract", "--format", "text", extractPage(t, tt.file)}
			if tt.url != "" {
				args = append(args[:1], append([]string{"--url", tt.url}, args[1:]...)...)
			}
			stdout, stderr, err := exec(t, args...)
			if err != nil {
				t.Fatalf("extract %s: %v (stderr %q)", tt.file, err, stderr)
			}
			checkExtracted(t, tt.file, stdout, tt.body, tt.trap)
			if !strings.HasSuffix(stdout, "\n") || strings.Contains(stdout, "\n\n") || strings.Contains(stdout, "\t") {
				t.Errorf("extract %s text = %q, want lines without blanks or tabs, ending in a newline", tt.file, stdout)
			}
		})
	}
}

// checkExtracted checks that text holds body and not trap.
func checkExtracted(t *testing.T, name, text, body, trap string) {
	t.Helper()
	if !strings.Contains(text, body) {
		t.Errorf("extract %s = %q, want it to contain %q", name, text, body)
	}
	if trap != "" && strings.Contains(text, trap) {
		t.Errorf("extract %s = %q, want no %q (a related headline)", name, text, trap)
	}
}

func TestExtractJSON(t *testing.T) {
	t.Parallel()
	for _, tt := range extractPages {
		t.Run(tt.file, func(t *testing.T) {
			args := []string{"extract", "--format", "json", extractPage(t, tt.file)}
			if tt.url != "" {
				args = append(args, "--url", tt.url)
			}
			stdout, stderr, err := exec(t, args...)
			if err != nil {
				t.Fatalf("extract %s: %v (stderr %q)", tt.file, err, stderr)
			}
			var got articleJSON
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatalf("extract %s output is not JSON: %v\n%s", tt.file, err, stdout)
			}
			if got.Lang != tt.lang || got.Extractor != tt.extractor || got.Title == "" {
				t.Errorf("extract %s = lang %q, extractor %q, title %q; want %q, %q and a title",
					tt.file, got.Lang, got.Extractor, got.Title, tt.lang, tt.extractor)
			}
			if tt.lang == "ar" && got.Dir != "rtl" {
				t.Errorf("extract %s dir = %q, want rtl", tt.file, got.Dir)
			}
			checkExtracted(t, tt.file, got.Text, tt.body, tt.trap)
		})
	}
}

func TestExtractStdin(t *testing.T) {
	t.Parallel()
	page, err := os.ReadFile(extractPage(t, "vnp_vi.html"))
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	err = run(t.Context(), []string{"extract", "-"}, bytes.NewReader(page), &stdout, &stderr)
	if err != nil {
		t.Fatalf("extract -: %v (stderr %q)", err, stderr.String())
	}
	checkExtracted(t, "-", stdout.String(), "150 vụ mua bán người", "Triệt phá đường dây")
}

// TestExtractURL fetches pages from an httptest server, which only a
// config that allows private networks may reach.
func TestExtractURL(t *testing.T) {
	t.Parallel()
	page, err := os.ReadFile(extractPage(t, "ar_windows1256.html"))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/ar", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=windows-1256")
		w.Write(page)
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/ar", http.StatusFound)
	})
	mux.HandleFunc("/site", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<html><body><div class="teaser">Breaking: nothing</div><div class="story">The council met on Monday and agreed the budget.</div></body></html>`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	cfg := filepath.Join(t.TempDir(), "newswatch.yaml")
	conf := fmt.Sprintf("store: %s\nfetch:\n  allow_private_networks: true\n  timeout: 5s\nsites:\n  - name: local\n    hosts: [127.0.0.1]\n    body: .story\n",
		filepath.Join(t.TempDir(), "nw.db"))
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}

	stdout, stderr, err := exec(t, "--config", cfg, "extract", "--format", "json", srv.URL+"/moved")
	if err != nil {
		t.Fatalf("extract %s/moved: %v (stderr %q)", srv.URL, err, stderr)
	}
	var got articleJSON
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("extract output is not JSON: %v\n%s", err, stdout)
	}
	checkExtracted(t, "/moved", got.Text, "أعلنت الأمم المتحدة، يوم الاثنين", "")
	if got.URL != srv.URL+"/ar" || got.Extractor != "fallback:local" {
		t.Errorf("extract /moved = url %q, extractor %q; want %q after the redirect, fallback:local", got.URL, got.Extractor, srv.URL+"/ar")
	}

	stdout, stderr, err = exec(t, "--config", cfg, "extract", srv.URL+"/site")
	if err != nil {
		t.Fatalf("extract %s/site: %v (stderr %q)", srv.URL, err, stderr)
	}
	if want := "The council met on Monday and agreed the budget.\n"; stdout != want {
		t.Errorf("extract /site with a site rule = %q, want %q", stdout, want)
	}

	_, _, err = exec(t, "extract", srv.URL+"/ar")
	if err == nil || exitCode(err) != exitFailure {
		t.Errorf("extract of a loopback URL without a config = %v (exit %d), want a refusal, exit %d", err, exitCode(err), exitFailure)
	}
}

func TestExtractErrors(t *testing.T) {
	t.Parallel()
	missing := filepath.Join(t.TempDir(), "no-such-page.html")
	tests := []struct {
		name string
		args []string
		code int
		msg  string // in the error
	}{
		{"missing file", []string{"extract", missing}, exitUsage, "no-such-page.html"},
		{"bad format", []string{"extract", "--format", "xml", extractPage(t, "vnp_vi.html")}, exitUsage, `"xml"`},
		{"no argument", []string{"extract"}, exitUsage, "arg"},
		{"empty page", []string{"extract", os.DevNull}, exitFailure, "empty page"},
		{"two pages as text", []string{"extract", extractPage(t, "vnp_vi.html"), extractPage(t, "vnp_vi.html")}, exitUsage, "jsonl"},
		{"two pages as json", []string{"extract", "--format", "json", extractPage(t, "vnp_vi.html"), os.DevNull}, exitUsage, "jsonl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, err := exec(t, tt.args...)
			if got := exitCode(err); got != tt.code {
				t.Errorf("run(%q) exit code = %d (%v), want %d", tt.args, got, err, tt.code)
			}
			if err == nil || !strings.Contains(err.Error(), tt.msg) || !strings.Contains(stderr, tt.msg) {
				t.Errorf("run(%q) error = %v, stderr %q, want both to mention %q", tt.args, err, stderr, tt.msg)
			}
		})
	}
}

// TestExtractJSONL extracts several pages in one run, a missing and an
// empty one among them: one line per page in argument order, an error
// line for each failure, the other pages extracted, and exit status 1.
func TestExtractJSONL(t *testing.T) {
	t.Parallel()
	missing := filepath.Join(t.TempDir(), "gone.html")
	var files []string
	for _, p := range extractPages {
		files = append(files, extractPage(t, p.file))
	}
	files = append(files[:1], append([]string{missing, os.DevNull}, files[1:]...)...)
	stdout, stderr, err := exec(t, append([]string{"extract", "--format", "jsonl"}, files...)...)
	if exitCode(err) != exitFailure || !strings.Contains(stderr, "2 of 5 pages failed") {
		t.Errorf("extract --format jsonl with two bad pages = %v (exit %d), stderr %q; want exit %d and \"2 of 5 pages failed\"",
			err, exitCode(err), stderr, exitFailure)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != len(files) {
		t.Fatalf("extract --format jsonl printed %d lines, want %d:\n%s", len(lines), len(files), stdout)
	}
	pages := []int{0, -1, -1, 1, 2} // index into extractPages; -1 for the failures
	for i, l := range lines {
		var got struct {
			articleJSON
			File  string `json:"file"`
			Error string `json:"error"`
		}
		if err := json.Unmarshal([]byte(l), &got); err != nil {
			t.Fatalf("line %d is not JSON: %v\n%s", i+1, err, l)
		}
		if got.File != files[i] {
			t.Errorf("line %d file = %q, want %q", i+1, got.File, files[i])
		}
		if pages[i] < 0 {
			if got.Error == "" || got.Text != "" {
				t.Errorf("line %d (%s) = %s, want an error and no text", i+1, files[i], l)
			}
			continue
		}
		tt := extractPages[pages[i]]
		if got.Error != "" || got.Lang != tt.lang || got.Title == "" {
			t.Errorf("line %d (%s) = error %q, lang %q, title %q; want no error, lang %q and a title", i+1, tt.file, got.Error, got.Lang, got.Title, tt.lang)
		}
		checkExtracted(t, tt.file, got.Text, tt.body, tt.trap)
	}

	stdout, _, err = exec(t, "extract", "--format", "jsonl", files[0])
	if err != nil || strings.Count(stdout, "\n") != 1 {
		t.Errorf("extract --format jsonl of one good page = %v, %q; want one line and no error", err, stdout)
	}
}
