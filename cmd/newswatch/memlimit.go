package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"math"
	"os"
	"time"

	"github.com/KimMachineGun/automemlimit/memlimit"
)

// memoryLimitRatio is the share of the cgroup's memory limit given to Go's
// soft limit: the rest is for what the Go runtime does not count (the
// mapped store file's pages, the binary) and for the collector to catch up.
const memoryLimitRatio = 0.9

// memoryLimitRefresh is how often the cgroup's limit is read again, so
// that `systemctl set-property newswatch MemoryMax=...` takes effect in a
// running daemon.
const memoryLimitRefresh = time.Minute

// setMemoryLimit sets Go's soft memory limit to 90 % of the memory limit
// of the process's cgroup — systemd's MemoryMax= (or MemoryHigh=), a
// container's --memory — when it has one, and keeps it in step with it
// until ctx ends. By default the collector lets the heap grow to twice
// what is live before collecting; under a limit, that headroom would run
// into the OOM killer, while with the soft limit the collector works
// harder as the heap nears it. GOMEMLIMIT in the environment wins, and
// AUTOMEMLIMIT=off turns this off (see github.com/KimMachineGun/automemlimit).
// Without a cgroup limit nothing changes. provider is memlimit.FromCgroup
// but for tests.
func setMemoryLimit(ctx context.Context, log *slog.Logger, provider memlimit.Provider) {
	limit, err := memlimit.Set(
		memlimit.WithProvider(provider),
		memlimit.WithRatio(memoryLimitRatio),
		memlimit.WithRefreshInterval(ctx, memoryLimitRefresh),
		memlimit.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))), // its own lines would be errors on a machine without cgroups
	)
	switch {
	case errors.Is(err, memlimit.ErrNoCgroup), errors.Is(err, memlimit.ErrCgroupsNotSupported):
		log.Debug("no cgroup memory limit: Go's memory limit left as it is", "error", err)
	case err != nil:
		log.Warn("could not read the cgroup's memory limit: Go's memory limit left as it is", "error", err)
	case limit > 0 && limit < math.MaxInt64:
		from := "cgroup"
		if os.Getenv("GOMEMLIMIT") != "" {
			from = "GOMEMLIMIT"
		}
		log.Info("Go memory limit", "limit_mib", limit>>20, "from", from)
	}
}
