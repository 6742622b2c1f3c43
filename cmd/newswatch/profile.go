package main

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/pprof"
	"os"
	"runtime"
	rpprof "runtime/pprof"

	"github.com/spf13/cobra"
)

// profiles are the pprof profiles a command writes when asked: a CPU
// profile of its whole run and a heap profile at its end, for
// "go tool pprof". A running daemon is profiled through its control
// socket instead (see withProfiling).
type profiles struct {
	cpuPath, memPath string
	cpu              *os.File
}

// flags adds --cpuprofile and --memprofile to cmd.
func (p *profiles) flags(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringVar(&p.cpuPath, "cpuprofile", "", "write a CPU profile of the run to this file (for go tool pprof)")
	fs.StringVar(&p.memPath, "memprofile", "", "write a heap profile to this file when the run ends (for go tool pprof)")
}

// start creates the profile files, so that a path that cannot be written
// is a usage error before any work, and starts CPU profiling.
func (p *profiles) start() error {
	if p.memPath != "" {
		f, err := os.Create(p.memPath)
		if err != nil {
			return usageError{fmt.Errorf("--memprofile: %w", err)}
		}
		if err := f.Close(); err != nil {
			return usageError{fmt.Errorf("--memprofile: %w", err)}
		}
	}
	if p.cpuPath == "" {
		return nil
	}
	f, err := os.Create(p.cpuPath)
	if err != nil {
		return usageError{fmt.Errorf("--cpuprofile: %w", err)}
	}
	if err := rpprof.StartCPUProfile(f); err != nil {
		return usageError{errors.Join(fmt.Errorf("--cpuprofile: %w", err), f.Close())}
	}
	p.cpu = f
	return nil
}

// stop ends CPU profiling and writes the heap profile: allocations over
// the whole run and the memory in use after a collection.
func (p *profiles) stop() error {
	var errs []error
	if p.cpu != nil {
		rpprof.StopCPUProfile()
		if err := p.cpu.Close(); err != nil {
			errs = append(errs, fmt.Errorf("--cpuprofile: %w", err))
		}
		p.cpu = nil
	}
	if p.memPath != "" {
		runtime.GC() // the in-use figures are those of the last collection
		f, err := os.Create(p.memPath)
		if err == nil {
			err = errors.Join(rpprof.Lookup("heap").WriteTo(f, 0), f.Close())
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("--memprofile: %w", err))
		}
	}
	return errors.Join(errs...)
}

// withProfiling serves net/http/pprof's /debug/pprof/ beside h. Only the
// control socket gets it: the socket is the daemon user's alone, and a
// profile tells a lot about a process, so it is never on web.listen.
func withProfiling(h http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index) // heap, allocs, goroutine, ... by name
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.Handle("/", h)
	return mux
}
