package story

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestSyntheticStories: the tracker finds in the benchmarks' stream
// about the events the stream was written from (news-like story sizes:
// most articles alone or in small stories, none of hundreds), so the
// benchmarks measure the mix a daemon sees.
func TestSyntheticStories(t *testing.T) {
	const n = 2000
	s := newSynthetic(t)
	tr := New(Options{})
	fill(t, s, tr, n)
	var found, written []int
	for _, st := range tr.stories {
		found = append(found, st.members)
	}
	events := map[string]int{}
	for _, d := range tr.docs {
		events[d.id[strings.Index(d.id, "-"):]]++
	}
	for _, k := range events {
		written = append(written, k)
	}
	t.Logf("stories found: %s\nevents written: %s", sizes(found), sizes(written))
	alone := func(s []int) int { return len(slices.DeleteFunc(slices.Clone(s), func(k int) bool { return k > 1 })) }
	if len(found) < len(written)*9/10 || len(found) > len(written)*11/10 || alone(found) < len(found)/2 || slices.Max(found) > 100 {
		t.Errorf("%d articles make %d stories (%d alone, largest %d), want about the %d events written (%d alone)",
			n, len(found), alone(found), slices.Max(found), len(written), alone(written))
	}
}

// sizes describes a distribution of story sizes.
func sizes(ks []int) string {
	var one, small, large int
	for _, k := range ks {
		switch {
		case k == 1:
			one++
		case k <= 10:
			small++
		default:
			large++
		}
	}
	slices.Sort(ks)
	return fmt.Sprintf("%d: %d of 1 article, %d of 2-10, %d larger; largest %v", len(ks), one, small, large, ks[max(0, len(ks)-5):])
}
