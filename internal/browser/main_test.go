package browser

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/newswatch/newswatch/internal/daemontest"
)

// The environment of the browser tests; .ci/run sets them after it
// installs Chromium, the fonts and axe-core.
const (
	// envBrowser=1 turns the tests on.
	envBrowser = "NEWSWATCH_BROWSER"
	// envChromium names the Chromium executable (default: chromium on
	// the PATH).
	envChromium = "NEWSWATCH_CHROMIUM"
	// envAxe is the directory of the npm package axe-core, which holds
	// axe.min.js.
	envAxe = "NEWSWATCH_AXE_DIR"
	// envArtifacts is the directory that keeps the screenshots (default:
	// under the test's temporary directory, removed after the test).
	envArtifacts = "NEWSWATCH_ARTIFACTS"
)

// howTo says how to run the tests, for the skip and failure messages.
const howTo = "apt-get install chromium fonts-noto-core fonts-noto-cjk; npm install --prefix DIR axe-core; " +
	envBrowser + "=1 " + envAxe + "=DIR/node_modules/axe-core go test ./internal/browser (.ci/run does all this)"

// needBrowser skips t unless NEWSWATCH_BROWSER=1. With it set, a missing
// Chromium, font or axe-core fails t: a machine that was asked to run the
// browser tests and cannot must say so, not pass by skipping.
func needBrowser(t *testing.T) {
	t.Helper()
	if os.Getenv(envBrowser) != "1" {
		t.Skipf("the browser tests run in a real Chromium with %s=1: %s", envBrowser, howTo)
	}
	fail := func(err error) {
		t.Helper()
		t.Fatalf("%s=1 asks for the browser tests, but %v\nTo run them: %s", envBrowser, err, howTo)
	}
	if _, err := ExecPath(os.Getenv(envChromium)); err != nil {
		fail(err)
	}
	if _, err := axeScript(); err != nil {
		fail(err)
	}
	for _, f := range requiredFonts {
		if err := haveFont(f.lang, f.pkg); err != nil {
			fail(err)
		}
	}
}

// requiredFonts are the scripts the screenshots show, with the Debian
// package of their fonts.
var requiredFonts = []struct{ lang, pkg string }{
	{"ar", "fonts-noto-core"},
	{"zh-cn", "fonts-noto-cjk"},
}

// haveFont reports an error unless fontconfig knows a font for lang.
func haveFont(lang, pkg string) error {
	out, err := exec.Command("fc-list", ":lang="+lang, "family").Output()
	if err != nil {
		return fmt.Errorf("fc-list (fontconfig, which chromium depends on): %v", err)
	}
	if len(out) == 0 {
		return fmt.Errorf("no font for language %s: install %s", lang, pkg)
	}
	return nil
}

// axeScript reads axe.min.js from $NEWSWATCH_AXE_DIR.
func axeScript() ([]byte, error) {
	dir := os.Getenv(envAxe)
	if dir == "" {
		return nil, fmt.Errorf("%s is not set (the directory of the npm package axe-core)", envAxe)
	}
	b, err := os.ReadFile(filepath.Join(dir, "axe.min.js"))
	if err != nil {
		return nil, fmt.Errorf("axe-core: %v", err)
	}
	return b, nil
}

// TestMain removes the binary built for the package's tests.
func TestMain(m *testing.M) {
	code := m.Run()
	daemontest.RemoveBuild()
	os.Exit(code)
}

// artifactDir returns the directory that keeps the test's screenshots.
func artifactDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv(envArtifacts)
	if dir == "" {
		dir = filepath.Join(t.TempDir(), "artifacts")
		t.Logf("screenshots go to %s, removed after the test: set %s to keep them", dir, envArtifacts)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
