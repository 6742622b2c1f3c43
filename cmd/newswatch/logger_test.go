package main

import (
	"bytes"
	"strings"
	"testing"
)

// A reload changes the level of the loggers already handed out, and
// --log-level still wins over the config.
func TestSetLevelChangesRunningLoggers(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	a := newApp(nil, nil, &buf)
	log := a.logger(&Config{Log: LogConfig{Level: "info", Format: "json"}})
	log.Debug("debug before reload")
	a.setLevel(&Config{Log: LogConfig{Level: "debug"}})
	log.Debug("debug after reload")
	a.logLevel = "warn"
	a.setLevel(&Config{Log: LogConfig{Level: "debug"}})
	log.Info("info under --log-level warn")

	got := buf.String()
	for msg, want := range map[string]bool{
		"debug before reload":         false,
		"debug after reload":          true,
		"info under --log-level warn": false,
	} {
		if strings.Contains(got, msg) != want {
			t.Errorf("log has %q = %v, want %v; log:\n%s", msg, !want, want, got)
		}
	}
}
