package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress reports long work: a bar with rate and time left on a terminal, plain periodic
// lines otherwise (logs, CI, Slurm), nothing when quiet.
type progress struct {
	mu    sync.Mutex
	bar   *progressbar.ProgressBar
	w     io.Writer
	total int
	unit  string
	start time.Time
	last  time.Time
	n     int
}

func newProgress(w io.Writer, quiet bool, total int, unit string) *progress {
	if quiet {
		return &progress{}
	}
	p := &progress{w: w, total: total, unit: unit, start: time.Now(), last: time.Now()}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription(unit),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString(unit),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
	}
	return p
}

// set records that n units are done.
func (p *progress) set(n int) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.setLocked(n)
}

func (p *progress) setLocked(n int) {
	p.n = n
	if p.bar != nil {
		_ = p.bar.Set(n)
		return
	}
	if time.Since(p.last) >= 5*time.Second {
		p.last = time.Now()
		el := time.Since(p.start)
		left := time.Duration(float64(el) / float64(n) * float64(p.total-n))
		fmt.Fprintf(p.w, "progress: %d/%d %s (%.0f%%), %.1f %s/s, about %s left\n",
			n, p.total, p.unit, 100*float64(n)/float64(p.total), float64(n)/el.Seconds(), p.unit, left.Round(time.Second))
	}
}

// add records one more unit done.
func (p *progress) add() {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.setLocked(p.n + 1)
}

func (p *progress) done() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
