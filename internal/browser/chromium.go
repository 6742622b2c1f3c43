// Package browser runs newswatch's dashboard in a real headless Chromium:
// its tests log in through the form, use every page with JavaScript on
// and off, check accessibility with axe-core, and save screenshots of
// right-to-left and CJK pages. This file starts the browser for them.
//
// The tests run only with NEWSWATCH_BROWSER=1 (the README's Tests section
// says what they need and how to run them).
package browser

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"

	"github.com/chromedp/chromedp"
)

// ErrNoChromium is returned by Start when no Chromium can be found.
var ErrNoChromium = errors.New("no chromium executable")

// Options say which Chromium to start and where it keeps its profile.
type Options struct {
	// ExecPath is the Chromium executable; "" looks up chromium, then
	// chromium-browser, on the PATH.
	ExecPath string
	// ProfileDir is a new, empty directory for the profile (the
	// --user-data-dir); the caller removes it.
	ProfileDir string
	// Output receives what Chromium prints, if not nil.
	Output io.Writer
}

// flags are the command-line flags of every Chromium the tests start:
// headless, without a sandbox (the tests run as root), and without the
// background connections a closed network refuses at every start.
var flags = []chromedp.ExecAllocatorOption{
	chromedp.Headless,
	chromedp.NoSandbox,
	chromedp.DisableGPU,
	chromedp.NoFirstRun,
	chromedp.NoDefaultBrowserCheck,
	chromedp.Flag("disable-quic", true),
	chromedp.Flag("disable-background-networking", true),
	chromedp.Flag("disable-component-update", true),
	chromedp.Flag("disable-sync", true),
	chromedp.Flag("disable-extensions", true),
	chromedp.Flag("disable-default-apps", true),
	chromedp.Flag("disable-dev-shm-usage", true),
	chromedp.Flag("password-store", "basic"),
	chromedp.Flag("force-color-profile", "srgb"),
	chromedp.WindowSize(1280, 900),
}

// ExecPath returns the Chromium executable that Start runs for path:
// path itself when it is not empty, otherwise chromium or
// chromium-browser from the PATH. It returns an error wrapping
// ErrNoChromium when there is none.
func ExecPath(path string) (string, error) {
	names := []string{"chromium", "chromium-browser"}
	if path != "" {
		names = []string{path}
	}
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("%w (looked for %s): install Debian's chromium package", ErrNoChromium, strings.Join(names, ", "))
}

// Start starts Chromium with the tests' flags and a profile in
// o.ProfileDir, and returns the context of its first tab. The browser
// runs until cancel is called or ctx ends; cancel waits for it to exit.
func Start(ctx context.Context, o Options) (context.Context, context.CancelFunc, error) {
	path, err := ExecPath(o.ExecPath)
	if err != nil {
		return nil, nil, err
	}
	if o.ProfileDir == "" {
		return nil, nil, errors.New("start chromium: no profile directory")
	}
	opts := append([]chromedp.ExecAllocatorOption{chromedp.ExecPath(path), chromedp.UserDataDir(o.ProfileDir)}, flags...)
	if o.Output != nil {
		opts = append(opts, chromedp.CombinedOutput(o.Output))
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	tab, cancelTab := chromedp.NewContext(actx)
	cancel := func() { cancelTab(); cancelAlloc() }
	if err := chromedp.Do(tab); err != nil { // starts the browser
		cancel()
		return nil, nil, fmt.Errorf("start %s: %w", path, err)
	}
	return tab, cancel, nil
}
