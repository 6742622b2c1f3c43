package web

import (
	"bytes"
	"math"
	"strconv"
	"strings"
)

// Metric types of the Prometheus text format.
const (
	gauge   = "gauge"
	counter = "counter"
)

// family is a metric family written in the Prometheus text exposition
// format (version 0.0.4): a HELP and a TYPE line, then its samples.
type family struct {
	name, help, typ string
}

// header writes the family's HELP and TYPE lines.
func (f family) header(b *bytes.Buffer) {
	b.WriteString("# HELP ")
	b.WriteString(f.name)
	b.WriteByte(' ')
	_, _ = helpEscaper.WriteString(b, f.help) // a bytes.Buffer does not fail
	b.WriteString("\n# TYPE ")
	b.WriteString(f.name)
	b.WriteByte(' ')
	b.WriteString(f.typ)
	b.WriteByte('\n')
}

// single writes a family of one unlabelled sample.
func (f family) single(b *bytes.Buffer, v float64) {
	f.header(b)
	f.sample(b, v)
}

// sample writes one sample; labels alternate names and values. A value
// that is not valid UTF-8 (a feed name from a hand-edited file) has its
// bad bytes replaced, so the series is still served.
func (f family) sample(b *bytes.Buffer, v float64, labels ...string) {
	b.WriteString(f.name)
	for i := 0; i+1 < len(labels); i += 2 {
		if i == 0 {
			b.WriteByte('{')
		} else {
			b.WriteByte(',')
		}
		b.WriteString(labels[i])
		b.WriteString(`="`)
		_, _ = labelEscaper.WriteString(b, strings.ToValidUTF8(labels[i+1], "\uFFFD")) // a bytes.Buffer does not fail
		b.WriteByte('"')
	}
	if len(labels) >= 2 {
		b.WriteByte('}')
	}
	b.WriteByte(' ')
	b.WriteString(formatValue(v))
	b.WriteByte('\n')
}

// formatValue formats a sample value as the format spells it.
func formatValue(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// Escapes of the text format: label values escape backslash, double quote
// and line feed; HELP text backslash and line feed.
var (
	labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
)
