package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"unsafe"
)

// hugeHeap asks Linux for transparent huge pages under the first hugeHeapBytes of the Go heap
// (docs/BENCHMARKS.md, thirteenth round). Go maps its heap without advice, so where the kernel
// gives huge pages only on request (transparent_hugepage/enabled "madvise", the common
// default) every 4 KiB page of the heap costs a page fault on its first touch: some 18,000 in
// a national run, 12 us each on the development VM, 0.2 s of its CPU. A first allocation
// takes this address range from the operating system untouched, the advice marks it, and a
// collection frees it again; Go's page allocator fills the lowest free addresses first, so the
// run's allocations land there, in 2 MiB pages. GODEBUG=disablethp=1 (Go's own switch) leaves
// the heap as Go maps it.
func hugeHeap() {
	if strings.Contains(os.Getenv("GODEBUG"), "disablethp=1") {
		return
	}
	// The collector is held off while the block is live (it would otherwise run once for
	// nothing, with the block marked live), then one collection frees it.
	pct := debug.SetGCPercent(-1)
	b := make([]byte, hugeHeapBytes)
	adviseHugePages(b)
	runtime.KeepAlive(b)
	b = nil
	debug.SetGCPercent(pct)
	runtime.GC()
}

// hugeHeapBytes is the heap's share under huge pages: a national run's peak heap.
const hugeHeapBytes = 64 << 20

// adviseHugePages gives MADV_HUGEPAGE for the 2 MiB pages that b covers whole; errors are
// ignored (a kernel without transparent huge pages refuses the advice, and nothing changes).
func adviseHugePages(b []byte) {
	const huge = 2 << 20
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	start := (p + huge - 1) &^ (huge - 1)
	end := (p + uintptr(len(b))) &^ (huge - 1)
	if end > start {
		_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, start, end-start, madvHugePage)
	}
}

// madvHugePage is MADV_HUGEPAGE (the syscall package does not name it).
const madvHugePage = 14
