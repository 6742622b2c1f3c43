package topic

import "testing"

// TestBlindF1 checks the default topics on testdata/blind.jsonl: 210 news
// texts in vi, en, ar, fr, es, zh and ru (about 30% trafficking, 30% UN,
// 10% both and 30% hard negatives) written and labelled before the
// vocabulary was read, so it measures the topics rather than confirms
// them. Same thresholds as the dev set, in NFC and NFD.
func TestBlindF1(t *testing.T) {
	checkF1(t, readLabelled(t, "testdata/blind.jsonl"))
}
