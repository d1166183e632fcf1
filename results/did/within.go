package did

import (
	"math"
	"runtime"
	"sync"
)

// demean applies the two-way within transformation to x in place by
// alternating projections (the method of alternating projections / Gauss-
// Seidel sweeps of Guimarães and Portugal 2010, Gaure 2013): it subtracts
// unit means, then period means, and repeats until the largest period-mean
// correction of a sweep is at most demeanTol*max(1, max|x|), or
// demeanMaxIter sweeps have been done. Since unit means are exactly zero
// before the period step, after the last sweep both unit and period means
// are below the tolerance. A balanced panel converges in two sweeps. su and
// st are scratch buffers of length f.nU and f.nT. It returns the number of
// sweeps.
func (f *fe) demean(x, su, st []float64) int {
	scale := 1.0
	for _, v := range x {
		scale = math.Max(scale, math.Abs(v))
	}
	thr := demeanTol * scale
	for it := 1; it <= demeanMaxIter; it++ {
		clear(su)
		for r, u := range f.unit {
			su[u] += x[r]
		}
		for u := range su {
			su[u] *= f.invU[u]
		}
		for r, u := range f.unit {
			x[r] -= su[u]
		}
		clear(st)
		for r, t := range f.period {
			st[t] += x[r]
		}
		worst := 0.0
		for t := range st {
			st[t] *= f.invT[t]
			worst = math.Max(worst, math.Abs(st[t]))
		}
		for r, t := range f.period {
			x[r] -= st[t]
		}
		if worst <= thr {
			return it
		}
	}
	return demeanMaxIter
}

// demeanAll demeans every column in place, in parallel over columns. Each
// column is processed independently, so the result is deterministic.
func (f *fe) demeanAll(cols [][]float64) {
	workers := min(runtime.GOMAXPROCS(0), len(cols))
	if workers <= 1 {
		su, st := make([]float64, f.nU), make([]float64, f.nT)
		for _, c := range cols {
			f.demean(c, su, st)
		}
		return
	}
	jobs := make(chan []float64)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			su, st := make([]float64, f.nU), make([]float64, f.nT)
			for c := range jobs {
				f.demean(c, su, st)
			}
		}()
	}
	for _, c := range cols {
		jobs <- c
	}
	close(jobs)
	wg.Wait()
}
