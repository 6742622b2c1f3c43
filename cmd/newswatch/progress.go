package main

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/newswatch/newswatch/monitor"
)

// logSink is where the process's log lines go: stderr, or, while a
// progress bar is drawn on the same terminal, the bar's container, which
// prints them above the bar so that neither overwrites the other.
type logSink struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *logSink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// set sends the log lines to w from now on.
func (s *logSink) set(w io.Writer) {
	s.mu.Lock()
	s.w = w
	s.mu.Unlock()
}

// pollTally counts what a poll found, for the bar and the summary.
type pollTally struct {
	finished, stored, matched, failed atomic.Int64
}

func (t *pollTally) add(r monitor.Result) {
	t.finished.Add(1)
	t.stored.Add(int64(r.Stored))
	t.matched.Add(int64(r.Matched))
	if r.Err != nil {
		t.failed.Add(1)
	}
}

func (t *pollTally) String() string {
	return fmt.Sprintf("new articles %d  matched %d  failed feeds %d", t.stored.Load(), t.matched.Load(), t.failed.Load())
}

// progressBar draws a poll's progress on a terminal while the log lines,
// sent to it through a logSink, print above it.
type progressBar struct {
	p   *mpb.Progress
	bar *mpb.Bar
}

// newProgressBar starts drawing on w, a terminal. Auto refresh makes mpb
// draw (and pass log lines on) even where it cannot tell w is a terminal:
// a log line must never be swallowed.
func newProgressBar(w io.Writer) *progressBar {
	return &progressBar{p: mpb.New(mpb.WithOutput(w), mpb.WithWidth(40), mpb.WithAutoRefresh())}
}

// start adds the bar of total feeds, labelled with t's counts.
func (b *progressBar) start(total int, t *pollTally) {
	b.bar = b.p.AddBar(int64(total),
		mpb.PrependDecorators(decor.Name("feeds "), decor.CountersNoUnit("%d/%d")),
		mpb.AppendDecorators(decor.Any(func(decor.Statistics) string { return "  " + t.String() })),
	)
}

// Write prints log lines above the bar.
func (b *progressBar) Write(p []byte) (int, error) { return b.p.Write(p) }

// increment moves the bar by one feed.
func (b *progressBar) increment() { b.bar.Increment() }

// stop ends the bar (complete or not) and waits until it is drawn.
func (b *progressBar) stop() {
	if b.bar != nil && !b.bar.Completed() {
		b.bar.Abort(false)
	}
	b.p.Wait()
}
