package web

import (
	"bytes"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// TestExportParquet: /export?format=parquet serves a Parquet file of
// every article, as a download.
func TestExportParquet(t *testing.T) {
	t.Parallel()
	h, st, _ := fixtureHandler(t)
	rec := get(t, h, "/api/export?format=parquet&all=1")
	if ct, cd := rec.Header().Get("Content-Type"), rec.Header().Get("Content-Disposition"); ct != "application/vnd.apache.parquet" || !strings.Contains(cd, "newswatch-export.parquet") {
		t.Errorf("Content-Type %q, Content-Disposition %q, want a Parquet download", ct, cd)
	}
	data := rec.Body.Bytes()
	f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("the export is not Parquet: %v", err)
	}
	stats, err := st.Stats()
	if err != nil {
		t.Fatal(err)
	}
	if f.NumRows() != int64(stats.Articles) || stats.Articles == 0 {
		t.Errorf("%d rows, want the %d stored articles", f.NumRows(), stats.Articles)
	}
}
