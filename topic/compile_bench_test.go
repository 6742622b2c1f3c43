package topic

import "testing"

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
