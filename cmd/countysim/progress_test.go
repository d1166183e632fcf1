package main

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/countysim/countysim/lang"
)

// TestProgressLines: the plain progress line (logs, CI, Slurm) in each language, units
// included, and the Chinese durations.
func TestProgressLines(t *testing.T) {
	for _, tc := range []struct {
		l    lang.Lang
		unit string
		want string
	}{
		{lang.English, "months", "progress: 60/240 months (25%), 12.0 months/s, about 15s left"},
		{lang.Chinese, "months", "进度：60/240 个月（25%），每秒12.0 个月，约剩15秒"},
		{lang.Chinese, "runs", "进度：60/240 次模拟（25%），每秒12.0 次模拟，约剩15秒"},
		{lang.Chinese, "scenario replications", "进度：60/240 次情景重复（25%），每秒12.0 次情景重复，约剩15秒"},
	} {
		var sink nopWriter
		p := newProgress(&sink, false, 240, tc.unit, tc.l)
		if got := p.line(60, 5*time.Second, 15*time.Second); got != tc.want {
			t.Errorf("%s, %s: %q, want %q", tc.l, tc.unit, got, tc.want)
		}
	}
	for d, want := range map[time.Duration]string{
		0: "0秒", 1400 * time.Millisecond: "1秒", 59 * time.Second: "59秒", time.Minute: "1分0秒",
		3723 * time.Second: "1小时2分3秒", 26 * time.Hour: "26小时0分0秒",
	} {
		if got := durationZh(d); got != want {
			t.Errorf("durationZh(%v) = %q, want %q", d, got, want)
		}
	}
	if p := newProgress(nil, true, 10, unitRuns, lang.Chinese); p.w != nil {
		t.Error("a quiet progress writes")
	}
	// Every unit a command counts in has its Chinese.
	for _, u := range []string{unitMonths, unitRuns, unitRunsAtMost, unitReplications, unitScenarioReps} {
		var sink nopWriter
		if p := newProgress(&sink, false, 4, u, lang.Chinese); p.unit == u || !strings.ContainsFunc(p.unit, func(r rune) bool { return r >= 0x4e00 }) {
			t.Errorf("unit %q is %q in Chinese", u, p.unit)
		}
	}
	if len(progressUnitZh) != 5 {
		t.Errorf("%d units have Chinese; the test checks 5", len(progressUnitZh))
	}
}

type nopWriter struct{}

func (nopWriter) Write(b []byte) (int, error) { return len(b), nil }

// TestProgressBarRate: a bar's rate is the units done over the time since the work began,
// whatever the jumps (the bar library's own counted a jump of 120 runs over the moment since
// its last count: thousands a second).
func TestProgressBarRate(t *testing.T) {
	for _, tc := range []struct {
		l          lang.Lang
		want, left string
		rate       string // the only "/s" rate the bar may show ("" in Chinese: none)
	}{
		{lang.English, "15.0/s", "about 8s left", "15.0/s"},
		{lang.Chinese, "每秒15.0", "约剩8秒", ""},
	} {
		var buf strings.Builder
		p := newProgress(&buf, false, 240, unitRuns, tc.l) // a builder, not a terminal: no bar yet
		p.start = time.Now().Add(-8 * time.Second)
		p.withBar()
		p.set(120)
		time.Sleep(150 * time.Millisecond) // past the bar's throttle: it draws again
		p.set(120)
		p.done()
		out := buf.String()
		if !strings.Contains(out, tc.want) || !strings.Contains(out, tc.left) {
			t.Errorf("%s: bar %q, want its rate %q and %q", tc.l, out, tc.want, tc.left)
		}
		for _, r := range regexp.MustCompile(`[0-9.]+ ?[^ 0-9(（]*/s`).FindAllString(out, -1) {
			if r != tc.rate {
				t.Errorf("%s: bar %q: rate %q, want only %q", tc.l, out, r, tc.rate)
			}
		}

	}
}
