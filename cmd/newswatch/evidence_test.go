package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nlnwa/gowarc/v3"

	"github.com/newswatch/newswatch/internal/storetest"
	"github.com/newswatch/newswatch/web"
)

// TestEvidenceCommand: after a poll, every matched article has one
// capture whose payload digest is that of the page the site serves, and
// `evidence` prints it; an unknown ID fails naming it.
func TestEvidenceCommand(t *testing.T) {
	t.Parallel()
	cfg, _ := demoSiteConfig(t)
	if _, stderr, err := exec(t, "poll", "--config", cfg); err != nil {
		t.Fatalf("poll = %v; stderr:\n%s", err, stderr)
	}
	matched := exportRecords(t, "export", "--config", cfg)
	if len(matched) == 0 {
		t.Fatal("export: no matched articles: nothing to check")
	}
	for _, r := range matched {
		id, u := r["id"].(string), r["url"].(string)
		out, stderr, err := exec(t, "evidence", "--config", cfg, "--format", "json", id)
		if err != nil {
			t.Fatalf("evidence %s = %v; stderr:\n%s", id, err, stderr)
		}
		var ev web.Evidence
		if err := json.Unmarshal([]byte(out), &ev); err != nil {
			t.Fatalf("evidence --format json: %v\n%s", err, out)
		}
		if len(ev.Captures) != 1 {
			t.Fatalf("evidence %s: %d captures, want 1", u, len(ev.Captures))
		}
		c := ev.Captures[0]
		if want := servedDigest(t, u); c.PayloadSHA256 != want || c.FinalURL != u || c.Status != 200 {
			t.Errorf("capture of %s: payload %s, final %s, status %d; want payload %s, final %s, 200", u, c.PayloadSHA256, c.FinalURL, c.Status, want, u)
		}
		if c.Stored <= 0 || c.Stored >= c.Size {
			t.Errorf("capture of %s: %d bytes stored of %d, want fewer (compressed)", u, c.Stored, c.Size)
		}
		text, _, err := exec(t, "evidence", "--config", cfg, id)
		if err != nil || !strings.Contains(text, c.PayloadSHA256) || !strings.Contains(text, u) {
			t.Errorf("evidence %s (text) = %v:\n%s\nwant the URL and payload digest", id, err, text)
		}
	}
	_, _, err := exec(t, "evidence", "--config", cfg, "nosuchid")
	if err == nil || !strings.Contains(err.Error(), "nosuchid") || exitCode(err) != exitFailure {
		t.Errorf("evidence nosuchid = %v (exit %d), want an error naming it, exit %d", err, exitCode(err), exitFailure)
	}
}

// servedDigest returns the hex SHA-256 of the body the site serves at u,
// as transferred.
func servedDigest(t *testing.T, u string) string {
	t.Helper()
	hc := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	resp, err := hc.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// TestExportWARC: the WARC export of a poll holds, for every matched
// article, the response whose payload digest `evidence` shows, and reads
// back with gowarc's strict reader.
func TestExportWARC(t *testing.T) {
	t.Parallel()
	cfg, _ := demoSiteConfig(t)
	if _, stderr, err := exec(t, "poll", "--config", cfg); err != nil {
		t.Fatalf("poll = %v; stderr:\n%s", err, stderr)
	}
	want := map[string]string{} // URL -> payload digest
	for _, r := range exportRecords(t, "export", "--config", cfg) {
		out, _, err := exec(t, "evidence", "--config", cfg, "--format", "json", r["id"].(string))
		var ev web.Evidence
		if err != nil || json.Unmarshal([]byte(out), &ev) != nil || len(ev.Captures) == 0 {
			t.Fatalf("evidence %v = %v:\n%s", r["id"], err, out)
		}
		want[ev.Captures[0].FinalURL] = "sha256:" + ev.Captures[0].PayloadSHA256
	}
	out, stderr, err := exec(t, "export", "--config", cfg, "--format", "warc")
	if err != nil || !strings.Contains(stderr, fmt.Sprintf("exported %d articles", len(want))) {
		t.Fatalf("export --format warc = %v; stderr:\n%s", err, stderr)
	}
	got := warcDigests(t, out)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("WARC response payload digests differ from the evidence manifests (-want +got):\n%s", diff)
	}
}

// warcDigests reads a WARC export with gowarc's strict reader and returns
// the payload digest of each response by target URI.
func warcDigests(t *testing.T, warc string) map[string]string {
	t.Helper()
	r, err := gowarc.NewWarcFileReaderFromStream(strings.NewReader(warc), 0, gowarc.WithStrictValidation())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for rec, err := range r.Records() {
		if err != nil {
			t.Fatalf("gowarc: %v", err)
		}
		h := rec.WarcRecord.WarcHeader()
		if rec.WarcRecord.Type() == gowarc.Response {
			got[h.Get(gowarc.WarcTargetURI)] = h.Get(gowarc.WarcPayloadDigest)
		}
		if err := rec.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return got
}

// TestEvidenceAfterMigration: a store whose captures schema 6 kept
// (manifests and bytes under the article's key) is migrated by the next
// poll, and then shows the same evidence, exports the same WARC payloads
// and passes store check.
func TestEvidenceAfterMigration(t *testing.T) {
	t.Parallel()
	cfg, _ := demoSiteConfig(t)
	if _, stderr, err := exec(t, "poll", "--config", cfg); err != nil {
		t.Fatalf("poll = %v; stderr:\n%s", err, stderr)
	}
	evidence := func() map[string]string {
		out := map[string]string{}
		for _, r := range exportRecords(t, "export", "--config", cfg) {
			id := r["id"].(string)
			ev, stderr, err := exec(t, "evidence", "--config", cfg, "--format", "json", id)
			if err != nil {
				t.Fatalf("evidence %s = %v; stderr:\n%s", id, err, stderr)
			}
			out[id] = ev
		}
		return out
	}
	warc := func() map[string]string {
		out, stderr, err := exec(t, "export", "--config", cfg, "--format", "warc")
		if err != nil {
			t.Fatalf("export --format warc = %v; stderr:\n%s", err, stderr)
		}
		return warcDigests(t, out)
	}
	wantEvidence, wantWARC := evidence(), warc()
	if len(wantEvidence) == 0 || len(wantWARC) == 0 {
		t.Fatalf("%d articles and %d WARC responses: nothing to compare", len(wantEvidence), len(wantWARC))
	}
	if err := storetest.ToSchema6(filepath.Join(filepath.Dir(cfg), "nw.db")); err != nil {
		t.Fatal(err)
	}
	if _, stderr, err := exec(t, "poll", "--config", cfg); err != nil {
		t.Fatalf("poll of the schema-6 store = %v; stderr:\n%s", err, stderr)
	}
	if diff := cmp.Diff(wantEvidence, evidence()); diff != "" {
		t.Errorf("evidence after the migration (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff(wantWARC, warc()); diff != "" {
		t.Errorf("WARC payload digests after the migration (-before +after):\n%s", diff)
	}
	if out, stderr, err := exec(t, "store", "check", "--config", cfg); err != nil {
		t.Errorf("store check after the migration = %v:\n%s%s", err, out, stderr)
	}
}
