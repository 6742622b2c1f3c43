package story

import (
	"testing"

	"github.com/newswatch/newswatch/topic"
)

// TestNormWord: the lookup form of a word is the topic engine's.
func TestNormWord(t *testing.T) {
	for _, w := range []string{"November", "MILLION", "triệu", "миллионов", "مليون", "万", "Août", "bn"} {
		if got, want := string(normWord(nil, w)), topic.Normalize(w); got != want {
			t.Errorf("normWord(%q) = %q, want %q", w, got, want)
		}
	}
}
