// Command gensite writes the sample sites of newswatch's tests and demo
// from the corpus in internal/newstest:
//
//	go run ./internal/newstest/cmd/gensite
//
// run from the module root. It rewrites monitor/testdata/site and
// cmd/newswatch/demo/site; review the diff like code.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/newswatch/newswatch/internal/newstest"
)

func main() {
	targets := []struct {
		dir    string
		layout []newstest.SiteFeed
	}{
		{"monitor/testdata/site", newstest.E2ELayout()},
		{"cmd/newswatch/demo/site", newstest.DemoLayout()},
	}
	for _, t := range targets {
		if err := write(t.dir, t.layout); err != nil {
			fmt.Fprintln(os.Stderr, "gensite:", err)
			os.Exit(1)
		}
	}
}

func write(dir string, layout []newstest.SiteFeed) error {
	files, err := newstest.Files(layout)
	if err != nil {
		return err
	}
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, body, 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("%s: %d files\n", dir, len(files))
	return nil
}
