package main

import (
	"strings"
	"testing"
)

func TestFetchIdentityConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, yaml string
		problem    string // "" for a valid config
	}{
		{"defaults", "", ""},
		{"https contact", "fetch:\n  contact: https://ngo.example/newswatch\n", ""},
		{"mailto contact", "fetch:\n  contact: mailto:ops@ngo.example\n", ""},
		{"contact without scheme", "fetch:\n  contact: ngo.example\n", "fetch.contact"},
		{"contact of another scheme", "fetch:\n  contact: ftp://ngo.example/\n", "fetch.contact"},
		{"contact with a space", "fetch:\n  contact: \"https://ngo.example/a b\"\n", "fetch.contact"},
		{"contact with a parenthesis", "fetch:\n  contact: \"https://ngo.example/)\"\n", "fetch.contact"},
		{"user agent with a newline", "fetch:\n  user_agent: \"bot\\nX-Evil: 1\"\n", "fetch.user_agent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseConfig([]byte(tt.yaml), "test.yaml")
			switch {
			case tt.problem == "" && err != nil:
				t.Errorf("parseConfig(%q) = %v, want ok", tt.yaml, err)
			case tt.problem != "" && (err == nil || !strings.Contains(err.Error(), tt.problem)):
				t.Errorf("parseConfig(%q) = %v, want a problem naming %s", tt.yaml, err, tt.problem)
			}
		})
	}
}

func TestFetcherOptionsFromConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, yaml   string
		ignoreRobots bool
		contact      string
	}{
		{"omitted: robots obeyed, the default contact", "", false, "https://github.com/newswatch/newswatch"},
		{"embedded default", string(defaultYAML), false, "https://github.com/newswatch/newswatch"},
		{"turned off", "fetch:\n  respect_robots: false\n  contact: mailto:ops@ngo.example\n", true, "mailto:ops@ngo.example"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := parseConfig([]byte(tt.yaml), "test.yaml")
			if err != nil {
				t.Fatal(err)
			}
			o := cfg.fetcherOptions()
			if o.IgnoreRobots != tt.ignoreRobots || o.Contact != tt.contact || o.Version != version {
				t.Errorf("fetcherOptions() IgnoreRobots %v, Contact %q, Version %q; want %v, %q, %q",
					o.IgnoreRobots, o.Contact, o.Version, tt.ignoreRobots, tt.contact, version)
			}
		})
	}
}
