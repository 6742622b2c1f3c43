package web

import (
	"bytes"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// processStart approximates the process start: the package is loaded at
// start-up.
var processStart = time.Now()

// The Go runtime's and the process's metric families, under the names
// Prometheus client libraries use, so the usual dashboards and alerts work.
var (
	famGoroutines = family{"go_goroutines", "Number of goroutines that currently exist.", gauge}
	famGoInfo     = family{"go_info", "Information about the Go environment.", gauge}
	famHeapAlloc  = family{"go_memstats_heap_alloc_bytes", "Number of heap bytes allocated and still in use.", gauge}
	famHeapInuse  = family{"go_memstats_heap_inuse_bytes", "Number of heap bytes that are in use.", gauge}
	famSys        = family{"go_memstats_sys_bytes", "Number of bytes obtained from system.", gauge}
	famGCCycles   = family{"go_gc_cycles_total", "Number of completed GC cycles.", counter}
	famLastGC     = family{"go_memstats_last_gc_time_seconds", "Number of seconds since 1970 of last garbage collection.", gauge}
	famCPU        = family{"process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", counter}
	famRSS        = family{"process_resident_memory_bytes", "Resident memory size in bytes.", gauge}
	famOpenFDs    = family{"process_open_fds", "Number of open file descriptors.", gauge}
	famMaxFDs     = family{"process_max_fds", "Maximum number of open file descriptors.", gauge}
	famStartTime  = family{"process_start_time_seconds", "Start time of the process since unix epoch in seconds.", gauge}
)

// writeRuntimeMetrics writes the Go runtime's and the process's metrics.
// The process figures come from /proc where the system has it (Linux);
// elsewhere those families are left out. They are a dozen lines of the
// text format, written here rather than through a metrics library whose
// package init every run of the binary would pay (newswatch extract runs
// once per page).
func writeRuntimeMetrics(b *bytes.Buffer) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	famGoroutines.single(b, float64(runtime.NumGoroutine()))
	famGoInfo.header(b)
	famGoInfo.sample(b, 1, "version", runtime.Version())
	famHeapAlloc.single(b, float64(ms.HeapAlloc))
	famHeapInuse.single(b, float64(ms.HeapInuse))
	famSys.single(b, float64(ms.Sys))
	famGCCycles.single(b, float64(ms.NumGC))
	famLastGC.single(b, float64(ms.LastGC)/1e9)
	if cpu, ok := cpuTime(); ok {
		famCPU.single(b, cpu.Seconds())
	}
	if rss, ok := residentBytes(); ok {
		famRSS.single(b, rss)
	}
	if fds, err := os.ReadDir("/proc/self/fd"); err == nil {
		famOpenFDs.single(b, float64(len(fds)))
	}
	if n, ok := maxFDs(); ok {
		famMaxFDs.single(b, float64(n))
	}
	famStartTime.single(b, float64(processStart.UnixNano())/1e9)
}

// residentBytes reads the resident set size from /proc/self/statm.
func residentBytes() (float64, bool) {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, false
	}
	fields := strings.Fields(string(data))
	if len(fields) < 2 {
		return 0, false
	}
	pages, err := strconv.ParseUint(fields[1], 10, 64)
	if err != nil {
		return 0, false
	}
	return float64(pages) * float64(os.Getpagesize()), true
}
