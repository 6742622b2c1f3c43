package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestPlainExtractSameAsCobra runs command lines through runMain, which
// takes the extract shortcut for the plain ones, and through run, which
// always builds the command tree, and wants the same output, errors and
// exit code from both.
func TestPlainExtractSameAsCobra(t *testing.T) {
	vi := filepath.Join("testdata", "extract", "vnp_vi.html")
	zh := filepath.Join("testdata", "extract", "vnp_zh_variant.html")
	ar := filepath.Join("testdata", "extract", "ar_windows1256.html")
	vnpURL := "https://www.vietnamplus.vn/bai-viet-post987654.vnp"
	tests := []struct {
		args     []string
		shortcut bool
	}{
		{[]string{"extract", "--format", "text", vi}, true},
		{[]string{"extract", "--format=json", zh}, true},
		{[]string{"extract", ar}, true},
		{[]string{"extract", vi, "--format", "json", "--url", vnpURL}, true},
		{[]string{"extract", "--url=" + vnpURL, "--format", "text", vi}, true},
		{[]string{"extract", "--format", "text", "-"}, true},
		{[]string{"extract", "--format", "xml", vi}, true},                                 // usage error, exit 2
		{[]string{"extract", filepath.Join("testdata", "extract", "không-có.html")}, true}, // missing file
		{[]string{"extract", "--format", "text", vi, zh}, false},
		{[]string{"extract", "--format", "text", vi, "--format", "json"}, false},
		{[]string{"extract", "--help"}, false},
		{[]string{"extract", "-h", vi}, false},
		{[]string{"extract", "--format"}, false},
		{[]string{"extract", "--format", "text"}, false},
		{[]string{"extract", "--format", "--url", vnpURL, vi}, false},
		{[]string{"extract", "--config", "nowhere.yaml", vi}, false},
		{[]string{"extract", "--bogus", vi}, false},
		{[]string{"extract", "--", vi}, false},
		{[]string{"extract"}, false},
		{[]string{"--log-level", "debug", "extract", vi}, false},
		{[]string{"extracts", vi}, false},
	}
	page, err := os.ReadFile(vi)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			if _, _, ok := plainExtract(tt.args); ok != tt.shortcut {
				t.Errorf("plainExtract(%q) ok = %v, want %v", tt.args, ok, tt.shortcut)
			}
			type result struct {
				Stdout, Stderr string
				Code           int
			}
			var got, want result
			var out, errb bytes.Buffer
			code := exitCode(runMain(t.Context(), tt.args, bytes.NewReader(page), &out, &errb))
			got = result{out.String(), errb.String(), code}
			out.Reset()
			errb.Reset()
			code = exitCode(run(t.Context(), tt.args, bytes.NewReader(page), &out, &errb))
			want = result{out.String(), errb.String(), code}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("runMain(%q) differs from run (-run +runMain):\n%s", tt.args, diff)
			}
			if tt.shortcut && got.Stdout == "" && got.Code == 0 {
				t.Errorf("runMain(%q) printed nothing", tt.args)
			}
		})
	}
}
