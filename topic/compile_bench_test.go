package topic

import (
	"runtime"
	"testing"
)

// BenchmarkCompileDefaults measures compiling the built-in topics, as the
// daemon, match and rematch do once at start.
func BenchmarkCompileDefaults(b *testing.B) {
	topics := defaultTopics(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(topics); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompiledSize reports what the compiled built-in topics keep
// alive: the live heap after compiling them (HeapAlloc, after a GC, less
// the heap before), their query nodes, and the scratch state a worker
// keeps per article (measured the same way around one state).
func BenchmarkCompiledSize(b *testing.B) {
	topics := defaultTopics(b)
	var m *Matcher
	var heap, stateHeap uint64
	for b.Loop() {
		before := liveHeap()
		var err error
		if m, err = Compile(topics); err != nil {
			b.Fatal(err)
		}
		heap = liveHeap() - before
		before = liveHeap()
		st := m.newState()
		stateHeap = liveHeap() - before
		runtime.KeepAlive(st)
	}
	b.ReportMetric(float64(heap), "heap-B")
	b.ReportMetric(float64(len(m.nodes)), "nodes")
	b.ReportMetric(float64(stateHeap), "state-B")
	runtime.KeepAlive(m)
}

// liveHeap returns the bytes of live heap objects.
func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
