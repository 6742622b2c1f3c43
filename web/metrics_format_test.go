package web

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// FuzzFamilySample checks that any label value (feed names come from a
// hand-edited file) is written as one series that the Prometheus text
// parser reads back as the value, bad UTF-8 replaced.
func FuzzFamilySample(f *testing.F) {
	for _, s := range []string{
		"VietnamPlus (vi)", "Tin \"mới\" nhất \\ VnExpress", "أخبار الأمم المتحدة\n", "联合国新闻", "Новости ООН",
		"", "\\n", "\"}", "Bad \xff name", "a\r\tb",
	} {
		f.Add(s, 1.5)
	}
	fam := family{"newswatch_feed_last_status", "Help with \\ and\nnewline.", gauge}
	f.Fuzz(func(t *testing.T, label string, v float64) {
		var b bytes.Buffer
		fam.header(&b)
		fam.sample(&b, v, "feed", label, "url", "https://example.org/rss")
		p := expfmt.NewTextParser(model.UTF8Validation)
		fams, err := p.TextToMetricFamilies(&b)
		if err != nil {
			t.Fatalf("sample(%q, %v) does not parse: %v\n%s", label, v, err, b.String())
		}
		ms := fams[fam.name].GetMetric()
		if len(ms) != 1 {
			t.Fatalf("sample(%q, %v) = %d series, want 1", label, v, len(ms))
		}
		if got, want := ms[0].GetLabel()[0].GetValue(), strings.ToValidUTF8(label, "\uFFFD"); got != want {
			t.Errorf("sample(%q) label = %q, want %q", label, got, want)
		}
		if got := ms[0].GetGauge().GetValue(); got != v && !(math.IsNaN(got) && math.IsNaN(v)) {
			t.Errorf("sample(%q, %v) value = %v, want %v", label, v, got, v)
		}
		if got := fams[fam.name].GetHelp(); got != fam.help {
			t.Errorf("header help = %q, want %q", got, fam.help)
		}
	})
}
