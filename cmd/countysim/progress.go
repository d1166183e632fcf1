package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/countysim/countysim/lang"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress reports long work: a bar with rate and time left on a terminal, plain periodic
// lines otherwise (logs, CI, Slurm), nothing when quiet; in the output's language.
type progress struct {
	mu    sync.Mutex
	bar   *progressbar.ProgressBar
	w     io.Writer
	l     lang.Lang
	total int
	unit  string
	start time.Time
	last  time.Time
	n     int
}

// The units progress counts in.
const (
	unitMonths       = "months"
	unitRuns         = "runs"
	unitRunsAtMost   = "runs (at most)"
	unitReplications = "replications"
	unitScenarioReps = "scenario replications"
)

// progressUnitZh are the units of the progress lines in Chinese (a measure word and its
// noun: 240/240 个月).
var progressUnitZh = map[string]string{
	unitMonths:       "个月",
	unitRuns:         "次模拟",
	unitRunsAtMost:   "次模拟（至多）",
	unitReplications: "次重复",
	unitScenarioReps: "次情景重复",
}

// newProgress reports the progress of total units (one of the unit constants) to w in
// language l, unless quiet.
func newProgress(w io.Writer, quiet bool, total int, unit string, l lang.Lang) *progress {
	if quiet {
		return &progress{}
	}
	if zh, ok := progressUnitZh[unit]; ok && l == lang.Chinese {
		unit = zh
	}
	p := &progress{w: w, l: l, total: total, unit: unit, start: time.Now(), last: time.Now()}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.withBar()
	}
	return p
}

// withBar draws p as a bar. Its rate and time left are p's own, over the whole work so far
// and in p's language, written in the bar's description: the bar library's own rate counts
// the units of a jump (set after units done elsewhere, or several finished together) over
// the half second since its last count, and read 22,331 runs a second for 15.
func (p *progress) withBar() {
	p.last = time.Time{} // the first units done describe the bar at once
	p.bar = progressbar.NewOptions(p.total,
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetDescription(p.unit),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(false), // its [elapsed:left] counts from the bar, not the work
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
}

// barLabel is the bar's description after n units done in el, with left to go.
func (p *progress) barLabel(n int, el, left time.Duration) string {
	if n <= 0 || el <= 0 {
		return p.unit
	}
	rate := float64(n) / el.Seconds()
	if p.l == lang.Chinese {
		return fmt.Sprintf("%s（每秒%.1f，约剩%s）", p.unit, rate, durationZh(left))
	}
	return fmt.Sprintf("%s (%.1f/s, about %s left)", p.unit, rate, left.Round(time.Second))
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
		if time.Since(p.last) >= 500*time.Millisecond {
			p.last = time.Now()
			el := time.Since(p.start)
			p.bar.Describe(p.barLabel(n, el, p.left(n, el)))
		}
		_ = p.bar.Set(n)
		return
	}
	if time.Since(p.last) >= 5*time.Second {
		p.last = time.Now()
		el := time.Since(p.start)
		fmt.Fprintln(p.w, p.line(n, el, p.left(n, el)))
	}
}

// left is the time left after n units done in el, at the rate so far.
func (p *progress) left(n int, el time.Duration) time.Duration {
	if n <= 0 {
		return 0
	}
	return time.Duration(float64(el) / float64(n) * float64(p.total-n))
}

// line is the plain progress line after n units done in el, with left to go.
func (p *progress) line(n int, el, left time.Duration) string {
	share, rate := 100*float64(n)/float64(p.total), float64(n)/el.Seconds()
	if p.l == lang.Chinese {
		return fmt.Sprintf("进度：%d/%d %s（%.0f%%），每秒%.1f %s，约剩%s", n, p.total, p.unit, share, rate, p.unit, durationZh(left))
	}
	return fmt.Sprintf("progress: %d/%d %s (%.0f%%), %.1f %s/s, about %s left", n, p.total, p.unit, share, rate, p.unit, left.Round(time.Second))
}

// durationZh writes d to the second in Chinese: 1小时2分3秒, 4分0秒, 5秒.
func durationZh(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	h, m := s/3600, s/60%60
	s %= 60
	switch {
	case h > 0:
		return fmt.Sprintf("%d小时%d分%d秒", h, m, s)
	case m > 0:
		return fmt.Sprintf("%d分%d秒", m, s)
	}
	return fmt.Sprintf("%d秒", s)
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
