//go:build !unix

package story

import "time"

// cpuTime is 0 where the process's CPU time is not at hand: the
// benchmarks then report wall time alone.
func cpuTime() time.Duration { return 0 }
