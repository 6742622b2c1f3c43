package topic

import (
	"os"
	"testing"

	"go.yaml.in/yaml/v3"
)

// defaultTopics reads the topics shipped in the embedded default config.
func defaultTopics(t testing.TB) []Topic {
	t.Helper()
	b, err := os.ReadFile("../cmd/newswatch/default.yaml")
	if err != nil {
		b, err = os.ReadFile("testdata/defaults.yaml")
	}
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Topics map[string]Topic `yaml:"topics"`
	}
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		t.Fatal(err)
	}
	var out []Topic
	for _, name := range []string{"trafficking", "un"} {
		tp, ok := cfg.Topics[name]
		if !ok {
			t.Fatalf("default config has no topic %q", name)
		}
		tp.Name = name
		out = append(out, tp)
	}
	return out
}

func TestDefaultTopicsCompile(t *testing.T) {
	if _, err := Compile(defaultTopics(t)); err != nil {
		t.Fatal(err)
	}
}
