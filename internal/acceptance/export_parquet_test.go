package acceptance

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
)

// envParquetDir names a directory where TestExportParquet leaves its
// export, archive.parquet, beside the same archive as JSON Lines,
// archive.jsonl, and the CSV export with a byte-order mark, archive.csv:
// .ci/run reads the pair with DuckDB and the CSV with Python's csv module.
const envParquetDir = "NEWSWATCH_PARQUET_DIR"

// parquetArticle is what the check reads back of a Parquet row.
type parquetArticle struct {
	ID     string   `parquet:"id"`
	Title  string   `parquet:"title"`
	Lang   string   `parquet:"lang"`
	Topics []string `parquet:"topics,list"`
}

// TestExportParquet is issue 13's Parquet acceptance: after a poll of
// the unseen site, `export --format parquet` holds one row per article
// of the archive, the same articles as the JSON Lines export, read back
// with a Go Parquet reader.
func TestExportParquet(t *testing.T) {
	slow(t)
	_, _, cfg := siteConfig(t, allStories())
	if r := newswatch(t, 2*time.Minute, "poll", "--config", cfg); r.code != 0 {
		t.Fatalf("poll: exit %d\n%s", r.code, tail(r.stderr, 3000))
	}
	jsonl := newswatch(t, time.Minute, "export", "--all", "--config", cfg)
	if jsonl.code != 0 {
		t.Fatalf("export: exit %d\n%s", jsonl.code, jsonl.stderr)
	}
	recs := parseExport(t, jsonl.stdout)
	file := filepath.Join(filepath.Dir(cfg), "archive.parquet")
	if r := newswatch(t, time.Minute, "export", "--all", "--format", "parquet", "-o", file, "--config", cfg); r.code != 0 {
		t.Fatalf("export --format parquet: exit %d\n%s", r.code, r.stderr)
	}
	rows, err := parquet.ReadFile[parquetArticle](file)
	if err != nil {
		t.Fatalf("reading the Parquet export: %v", err)
	}
	if len(recs) == 0 || len(rows) != len(recs) {
		t.Fatalf("%d Parquet rows, %d articles in the archive", len(rows), len(recs))
	}
	var want, got []string
	for i := range recs {
		want = append(want, recs[i].ID+" "+recs[i].Lang+" "+recs[i].Title)
		got = append(got, rows[i].ID+" "+rows[i].Lang+" "+rows[i].Title)
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("the Parquet rows are not the archive's articles:\n got %q\nwant %q", got, want)
	}
	csvOut := newswatch(t, time.Minute, "export", "--all", "--format", "csv", "--bom", "--config", cfg)
	if csvOut.code != 0 {
		t.Fatalf("export --format csv --bom: exit %d\n%s", csvOut.code, csvOut.stderr)
	}
	body, hasBOM := bytes.CutPrefix([]byte(csvOut.stdout), []byte("\uFEFF"))
	table, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	switch {
	case !hasBOM:
		t.Errorf("export --format csv --bom starts %q, want the byte-order mark", csvOut.stdout[:min(8, len(csvOut.stdout))])
	case err != nil:
		t.Errorf("the CSV export does not parse as RFC 4180: %v", err)
	case len(table) != len(recs)+1:
		t.Errorf("the CSV export has %d rows after its header, the archive %d articles", len(table)-1, len(recs))
	}
	if out := os.Getenv(envParquetDir); out != "" {
		if err := os.WriteFile(filepath.Join(out, "archive.csv"), []byte(csvOut.stdout), 0o644); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, "archive.parquet"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, "archive.jsonl"), []byte(jsonl.stdout), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
