package mailpit_test

import (
	"testing"

	"github.com/newswatch/newswatch/internal/mailpit"
)

// TestBinaryOverride: $MAILPIT_BIN wins over the module's tool.
func TestBinaryOverride(t *testing.T) {
	t.Setenv("MAILPIT_BIN", "/opt/mailpit/bin/mailpit")
	got, err := mailpit.Binary()
	if err != nil || got != "/opt/mailpit/bin/mailpit" {
		t.Errorf("Binary() with MAILPIT_BIN set = %q, %v; want /opt/mailpit/bin/mailpit", got, err)
	}
}
