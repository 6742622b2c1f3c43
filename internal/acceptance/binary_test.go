package acceptance

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newswatch/newswatch/internal/daemontest"
)

// envHeavy turns on the checks that take minutes or measure the machine.
const envHeavy = "NEWSWATCH_ACCEPTANCE"

// heavy skips t unless NEWSWATCH_ACCEPTANCE=1.
func heavy(t *testing.T) {
	t.Helper()
	if os.Getenv(envHeavy) != "1" {
		t.Skipf("set %s=1 to run this acceptance check (it runs for minutes)", envHeavy)
	}
}

// slow skips t under go test -short: it runs the daemon for many seconds
// (the full suite, the README's test command and CI run it).
func slow(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the daemon for many seconds; skipped with -short")
	}
}

// TestMain removes the binary built for the package's tests.
func TestMain(m *testing.M) {
	code := m.Run()
	daemontest.RemoveBuild()
	os.Exit(code)
}

// binary returns the newswatch binary under test: $NEWSWATCH_BIN, or one
// built from this checkout once per test process.
func binary(t *testing.T) string {
	t.Helper()
	return daemontest.Binary(t)
}

// result is one finished run of the binary.
type result struct {
	stdout, stderr string
	code           int
	wall           time.Duration
	maxRSSKB       int // from /usr/bin/time -v; 0 when not measured
}

// newswatch runs the binary with args and returns what it printed and its
// exit code; it fails t only when the binary cannot be started or is still
// running after timeout, a guard against a hung command far beyond what
// the command needs (the binary is built before that clock starts).
func newswatch(t *testing.T, timeout time.Duration, args ...string) result {
	t.Helper()
	return exe(t, timeout, false, nil, args...)
}

// measured runs the binary under /usr/bin/time -v, recording its peak RSS.
func measured(t *testing.T, timeout time.Duration, args ...string) result {
	t.Helper()
	return exe(t, timeout, true, nil, args...)
}

func exe(t *testing.T, timeout time.Duration, timed bool, env []string, args ...string) result {
	t.Helper()
	return exeIn(t, timeout, timed, env, "", args...)
}

// exeIn is exe with stdin.
func exeIn(t *testing.T, timeout time.Duration, timed bool, env []string, stdin string, args ...string) result {
	t.Helper()
	bin := binary(t) // built before the clock starts: timeout is the command's
	name, argv := bin, args
	if _, err := os.Stat("/usr/bin/time"); timed && err != nil {
		if os.Getenv(envHeavy) == "1" {
			t.Fatal("measuring peak RSS needs /usr/bin/time (apt-get install time)")
		}
		timed = false // the fast checks only log the measurement
	}
	if timed {
		name, argv = "/usr/bin/time", append([]string{"-v", bin}, args...)
	}
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, argv...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String(), wall: time.Since(start)}
	if ctx.Err() != nil {
		t.Fatalf("newswatch %s: still running after %v\nstderr:\n%s", strings.Join(args, " "), timeout, tail(r.stderr, 3000))
	}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("newswatch %s: %v", strings.Join(args, " "), err)
	}
	if timed {
		r.maxRSSKB = timeField(r.stderr, "Maximum resident set size (kbytes)")
		if r.code != 0 {
			r.code = timeField(r.stderr, "Exit status")
		}
	}
	return r
}

// timeField reads an integer field of /usr/bin/time -v's report.
func timeField(report, name string) int {
	sc := bufio.NewScanner(strings.NewReader(report))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), name+":"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(v))
			return n
		}
	}
	return 0
}

// tail returns the last n bytes of s.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// readFile returns the content of the file at path.
func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// writeFile writes a file under dir and returns its path.
func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// verdict words a measured target for the log.
func verdict(met bool) string {
	if met {
		return "met"
	}
	return "MISSED"
}
