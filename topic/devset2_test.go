package topic

import "testing"

// TestDevset2F1 checks the default topics on testdata/devset2.jsonl: 256
// texts written before the concept rules, most of them trafficking told
// without naming it (sale of newborns, job offers ending in scam compounds,
// boats, farms, kilns, debt, organs, sold or forced marriage, begging,
// smuggling in each language's words), one sentence about a case inside
// an unrelated piece, passing mentions in lists of crimes, look-alikes
// (drugs, wildlife, goods, legal labour migration, adoption, marriage,
// strikes) and UN look-alikes (the League of Nations, regional bodies,
// shareholders' meetings, national security councils).
func TestDevset2F1(t *testing.T) {
	checkF1(t, readLabelled(t, "testdata/devset2.jsonl"))
}

// TestDevset3F1 checks the default topics on testdata/devset3.jsonl:
// later rounds of new stories and hard negatives (ids xx3- to xx8-), each
// round written in new words before the vocabulary was extended to it.
func TestDevset3F1(t *testing.T) {
	checkF1(t, readLabelled(t, "testdata/devset3.jsonl"))
}

// TestDevset4F1 checks the default topics on testdata/devset4.jsonl
// (built by devset4.py): implicit trafficking stories and hard negatives in
// seven languages, written for the widened concept groups of issue 10 (the
// exploiter of the vulnerable, brides held, people hidden and charged per
// head, smugglers named in the title) before the vocabulary was widened,
// with a negative for each widening (goods bought for children, commuters
// crammed into buses, anti-begging bylaws, trips with friends).
func TestDevset4F1(t *testing.T) {
	checkF1(t, readLabelled(t, "testdata/devset4.jsonl"))
}

// TestDevset5F1 checks the default topics on testdata/devset5.jsonl (built
// by devset5.py): a second round of implicit trafficking stories in
// Vietnamese, Chinese (both scripts), Arabic and Russian, told as each
// language's press tells them, written before the vocabulary was widened
// for them, and hard negatives, among them one for each widening.
func TestDevset5F1(t *testing.T) {
	checkF1(t, readLabelled(t, "testdata/devset5.jsonl"))
}
