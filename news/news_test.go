package news

import "testing"

func TestValidTopicName(t *testing.T) {
	for _, tt := range []struct {
		name string
		want bool
	}{
		{"trafficking", true}, {"un", true}, {"forced-labour_2", true}, {"mua_bán", true}, {"人口贩运", true},
		{"", false}, {"two words", false}, {"a\x00b", false}, {"topic:un", false},
		{string(make([]byte, 65)), false},
	} {
		if got := ValidTopicName(tt.name); got != tt.want {
			t.Errorf("ValidTopicName(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestSetHitsDerivesSortedTopics(t *testing.T) {
	var a Article
	a.SetHits([]Hit{{Topic: "un"}, {Topic: "trafficking"}, {Topic: "un"}})
	if len(a.Topics) != 2 || a.Topics[0] != "trafficking" || a.Topics[1] != "un" || !a.Matched() {
		t.Errorf("SetHits topics = %q, want [trafficking un]", a.Topics)
	}
	a.SetHits(nil)
	if a.Topics != nil || a.Matched() {
		t.Errorf("SetHits(nil) topics = %q, want none", a.Topics)
	}
}
