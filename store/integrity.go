package store

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
)

// ErrCorrupt means the store file is damaged (truncated, overwritten,
// pages that do not decode) or is not a newswatch store at all (another
// format, another program's bbolt file). Errors wrapping it are
// *CorruptError values that name the file and what to do.
var ErrCorrupt = errors.New("store file is damaged or not a newswatch store")

// corruptAdvice ends every CorruptError: what an operator can do.
const corruptAdvice = "restore a backup (newswatch restore FILE) or move the file aside to start a new store"

// CorruptError reports a damaged or foreign store file. It wraps
// ErrCorrupt.
type CorruptError struct {
	Path   string
	Reason string // what is wrong, in a few words
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("store %s is damaged or not a newswatch store: %s; %s", e.Path, e.Reason, corruptAdvice)
}

// Unwrap returns ErrCorrupt.
func (e *CorruptError) Unwrap() error { return ErrCorrupt }

// inspect looks at the file's bbolt layout before bbolt maps it. A file
// whose layout is wrong is reported as damaged unless a process holds it:
// a running daemon may be rewriting the pages just read, and bbolt's lock
// wait then reports the file in use.
func inspect(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open %s: %v", path, err)
	}
	defer f.Close() // read only
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("open %s: %v", path, err)
	}
	reason := diagnose(f, fi.Size())
	if reason == "" || held(f) {
		return nil
	}
	return &CorruptError{Path: path, Reason: reason}
}

// catch ends every transaction (deferred, with the previous
// debug.SetPanicOnFault setting, which it restores). bbolt panics on some
// damaged pages, and reading a page past the end of a truncated file
// faults; catch turns both into a *CorruptError in *err, so that one bad
// read fails its transaction instead of the process. Other panics (a bug,
// or a panic in a caller's callback) go on.
//
// After such a panic the store writes nothing more (a damaged file is
// not written to), and if bbolt's own locks stayed held (a panic while a
// transaction began or rolled back), it reads nothing more either.
func (s *Store) catch(err *error, fault bool) {
	debug.SetPanicOnFault(fault)
	r := recover()
	if r == nil {
		return
	}
	site := panicSite()
	if !damagePanic(r, site) {
		panic(r)
	}
	what := fmt.Sprint(r)
	if _, fault := r.(interface{ Addr() uintptr }); fault {
		what = "a page lies past the end of the file or cannot be read"
	}
	*err = &CorruptError{Path: s.path, Reason: "reading it failed: " + what}
	s.failed.CompareAndSwap(nil, &CorruptError{Path: s.path, Reason: "an earlier read failed (" + what + "), so the store writes nothing more until it is reopened"})
	if slices.ContainsFunc(site, func(fn string) bool { return slices.Contains(boltLockHolders, fn) }) {
		s.stuck.Store(true)
	}
}

// Damage returns the damage a transaction met (a *CorruptError), which
// stopped the store's writes until it is reopened, or nil. A health check
// can report it: every save fails meanwhile.
func (s *Store) Damage() error {
	if ce := s.failed.Load(); ce != nil {
		return ce
	}
	return nil
}

// boltLockHolders are the bbolt functions that leave its locks held when
// they panic: beginning and rolling back a transaction.
var boltLockHolders = []string{
	"go.etcd.io/bbolt.(*DB).beginTx",
	"go.etcd.io/bbolt.(*DB).beginRWTx",
	"go.etcd.io/bbolt.(*Tx).rollback",
}

// panicSite lists the functions on the stack of the panic being
// recovered, innermost first, from the one that panicked. It must be
// called by the deferred function.
func panicSite() []string {
	pcs := make([]uintptr, 128)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs)])
	var site []string
	panicking := false
	for {
		f, more := frames.Next()
		switch {
		case f.Function == "runtime.gopanic":
			panicking = true
		case panicking && (len(site) > 0 || !strings.HasPrefix(f.Function, "runtime.")):
			site = append(site, f.Function)
		}
		if !more {
			return site
		}
	}
}

// damagePanic reports whether a panic (value r, stack site) comes from
// the file's contents: a memory fault at an address (inside a transaction
// only reading the mapped file faults) or a panic raised in bbolt's code.
func damagePanic(r any, site []string) bool {
	if e, ok := r.(interface{ Addr() uintptr }); ok {
		_, rt := e.(runtime.Error)
		return rt
	}
	return len(site) > 0 && strings.HasPrefix(site[0], "go.etcd.io/bbolt")
}
