//go:build !unix

package web

import "time"

// cpuTime is not measured on this system.
func cpuTime() (time.Duration, bool) { return 0, false }

// maxFDs is not measured on this system.
func maxFDs() (uint64, bool) { return 0, false }
