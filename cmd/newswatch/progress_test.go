package main

import (
	"bytes"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/newswatch/newswatch/monitor"
)

// syncBuffer is a bytes.Buffer safe for the bar's drawing goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestProgressBarKeepsLogLinesWhole: log lines written while the bar is
// drawn come out whole, each on its own line, never cut by the bar; after
// the bar, they go to stderr again.
func TestProgressBarKeepsLogLinesWhole(t *testing.T) {
	t.Parallel()
	var term syncBuffer
	a := newApp(nil, nil, &term)
	bar := newProgressBar(&term)
	a.logs.set(bar)
	log := slog.New(slog.NewTextHandler(&a.logs, nil))
	var tally pollTally
	bar.start(3, &tally)
	for i := range 3 {
		log.Warn("feed poll failed", "feed", i, "error", strings.Repeat("connection refused ", 5))
		tally.add(monitor.Result{Stored: 2})
		bar.increment()
	}
	bar.stop()
	a.logs.set(&term)
	log.Info("poll finished")

	out := term.String()
	lines := regexp.MustCompile(`level=WARN msg="feed poll failed" feed=(\d) error="(connection refused ){5}"`).FindAllString(out, -1)
	if len(lines) != 3 {
		t.Errorf("found %d whole log lines, want 3:\n%q", len(lines), out)
	}
	if !strings.Contains(out, "feeds 3/3") || !strings.Contains(out, "new articles 6") {
		t.Errorf("the bar did not end at feeds 3/3 with 6 new articles:\n%q", out)
	}
	if !strings.HasSuffix(out, "msg=\"poll finished\"\n") {
		t.Errorf("a line logged after the bar does not come last on its own:\n%q", out)
	}
}
