package results

import (
	"bytes"
	"context"
	"encoding/csv"
	"github.com/countysim/countysim/assess"
	"github.com/countysim/countysim/observe"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestShareBestKnownAnswers(t *testing.T) {
	nan := math.NaN()
	values := [][]float64{
		{1, 5, 2, 2, nan, 9},
		{2, 4, 2, 3, nan, nan},
		{3, 3, 9, 2, nan, 1},
	}
	// lower is better: rep 0 -> s0; 1 -> s2; 2 -> s0, s1 tie; 3 -> s0, s2 tie; 4 all NaN (left
	// out); 5 -> s2 (s1 NaN is never best).
	got, n := ShareBest(values, assess.LowerIsBetter)
	want := []float64{(1 + 0.5 + 0.5) / 5, 0.5 / 5, (1 + 0.5 + 1) / 5}
	if n != 5 {
		t.Errorf("%d replications counted, want 5 (one is all NaN)", n)
	}
	for s := range want {
		if !near(got[s], want[s]) {
			t.Errorf("lower is better: scenario %d best in %.4f, want %.4f", s, got[s], want[s])
		}
	}
	// higher is better: rep 0 -> s2; 1 -> s0; 2 -> s2; 3 -> s1; 5 -> s0.
	got, _ = ShareBest(values, assess.HigherIsBetter)
	want = []float64{2.0 / 5, 1.0 / 5, 2.0 / 5}
	for s := range want {
		if !near(got[s], want[s]) {
			t.Errorf("higher is better: scenario %d best in %.4f, want %.4f", s, got[s], want[s])
		}
	}
	var sum float64
	for _, v := range got {
		sum += v
	}
	if !near(sum, 1) {
		t.Errorf("shares sum to %v, want 1", sum)
	}
}

func TestSplitVarianceKnownAnswer(t *testing.T) {
	// Draw g has effect b[g]; its two runs add -0.5 and +0.5. Within = MSW = sample variance of
	// (-0.5, 0.5) = 0.5; MSB = 2 x sample variance of b = 2 x 56/3, so Between = (MSB - MSW) / 2
	// = 56/3 - 0.25 (the estimator removes the noise a group mean of two runs would carry).
	b := []float64{-4, -2, 0, 6}
	var xs []float64
	var draw []int
	for g, bg := range b {
		for _, e := range []float64{-0.5, 0.5} {
			xs = append(xs, 10+bg+e)
			draw = append(draw, g)
		}
	}
	v, ok := SplitVariance(xs, draw)
	if !ok || v.Draws != 4 || !near(v.PerDraw, 2) || !near(v.Between, 56.0/3-0.25) || !near(v.Within, 0.5) {
		t.Fatalf("split %+v (ok %v), want 4 draws of 2, between 18.4167, within 0.5", v, ok)
	}
	if !near(v.Share(), (56.0/3-0.25)/(56.0/3-0.25+0.5)) {
		t.Errorf("share %v", v.Share())
	}
	// No split when every run has its own draw, or all share one.
	if _, ok := SplitVariance(xs, []int{0, 1, 2, 3, 4, 5, 6, 7}); ok {
		t.Error("split with one run per draw")
	}
	if _, ok := SplitVariance(xs, make([]int, 8)); ok {
		t.Error("split with a single draw")
	}
	// Runs differing only by noise: no parameter variance.
	v, _ = SplitVariance([]float64{1, 2, 1, 2, 1, 2}, []int{0, 0, 1, 1, 2, 2})
	if v.Between != 0 || !near(v.Within, 0.5) {
		t.Errorf("pure noise: %+v", v)
	}
}

func TestSplitVarianceRecoversComponents(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const draws, per, sb, sw = 400, 5, 2.0, 1.0
	var xs []float64
	var draw []int
	for g := range draws {
		bg := sb * rng.NormFloat64()
		for range per {
			xs = append(xs, bg+sw*rng.NormFloat64())
			draw = append(draw, g)
		}
	}
	v, ok := SplitVariance(xs, draw)
	if !ok || math.Abs(v.Between-sb*sb)/(sb*sb) > 0.15 || math.Abs(v.Within-sw*sw)/(sw*sw) > 0.1 {
		t.Errorf("split %+v, want between about %v and within about %v", v, sb*sb, sw*sw)
	}
}

// valueEnsemble has one replication per value, each with that value in every month and
// metric of the province.
func valueEnsemble(name string, vs []float64) *observe.Ensemble {
	e := &observe.Ensemble{Name: name, Description: "hand-made " + name, Config: handConfig(24)}
	for _, v := range vs {
		e.Tracks = append(e.Tracks, handTrack(24, func(g, mo, k int) float64 {
			if g == 1 {
				return math.NaN()
			}
			return v
		}))
	}
	return e
}

func readCSVRows(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestComparisonWithPosteriorSplitsAndRanks(t *testing.T) {
	t.Parallel() // renders figures
	// reform - status-quo = b[draw] -/+ 0.5: negative (lower, better on lower-is-better
	// outcomes) in 5 of 8 paired runs.
	b := []float64{-4, -2, 0, 6}
	var ref, alt []float64
	var drawOf []int
	for g, bg := range b {
		for _, e := range []float64{-0.5, 0.5} {
			ref = append(ref, 100)
			alt = append(alt, 100+bg+e)
			drawOf = append(drawOf, g)
		}
	}
	es := []*observe.Ensemble{valueEnsemble("status-quo", ref), valueEnsemble("reform", alt)}
	meta := EnsembleMeta{Tool: "countysim", Version: "test", MasterSeed: 5, Seeds: make([]uint64, len(ref)),
		Posterior: "posterior.csv", DrawOf: drawOf}
	dir := filepath.Join(t.TempDir(), "cmp")
	if err := WriteComparison(context.Background(), dir, es, meta); err != nil {
		t.Fatal(err)
	}
	rows := readCSVRows(t, filepath.Join(dir, DifferencesFile))
	head := strings.Join(rows[0], ",")
	if !strings.HasSuffix(head, ",verdict,draws,runs_per_draw,diff_var_parameters,diff_var_noise,parameter_share") {
		t.Fatalf("differences.csv header %s", head)
	}
	found := false
	for _, r := range rows[1:] {
		if r[0] == "reform" && r[3] == "approval_days" && r[5] == "final_year" {
			found = true
			if r[14] != "4" || r[15] != "2" || !strings.HasPrefix(r[16], "18.41666") || r[17] != "0.5" {
				t.Errorf("approval_days split %v, want 4 draws of 2, between 18.4167, within 0.5", r[14:])
			}
		}
		if r[0] == "status-quo" && r[16] != "" {
			t.Errorf("the reference's row has a split: %v", r)
		}
	}
	if !found {
		t.Fatal("no reform approval_days row")
	}
	best := map[string]string{}
	for _, r := range readCSVRows(t, filepath.Join(dir, RankingFile))[1:] {
		if r[1] == "approval_days" && r[2] == "final_year" {
			best[r[4]] = r[5]
		}
	}
	if best["reform"] != "0.625" || best["status-quo"] != "0.375" {
		t.Errorf("approval days best shares %v, want reform 0.625, status-quo 0.375", best)
	}
	md, err := os.ReadFile(filepath.Join(dir, ReportMarkdownFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"## Parameter uncertainty", "combine uncertainty about the calibrated parameters with run-to-run variation",
		"reform is best on Approval time, all requests (mean) in 62% of the paired runs", "status-quo is best on Fiscal self-sufficiency",
		"one-way analysis of variance", "| 97% |", "[ranking.csv](ranking.csv)"} {
		if !bytes.Contains(md, []byte(s)) {
			t.Errorf("report.md lacks %q", s)
		}
	}
	if bytes.Contains(md, []byte("run-to-run variation only")) {
		t.Error("report.md with a posterior says the ranges hold run-to-run variation only")
	}
}

func TestComparisonWithoutPosteriorUnchanged(t *testing.T) {
	t.Parallel()
	es := []*observe.Ensemble{handEnsemble("status-quo", 24, 3, 10), handEnsemble("reform", 24, 3, 12)}
	dir := filepath.Join(t.TempDir(), "cmp")
	if err := WriteComparison(context.Background(), dir, es, EnsembleMeta{Tool: "countysim"}); err != nil {
		t.Fatal(err)
	}
	rows := readCSVRows(t, filepath.Join(dir, DifferencesFile))
	if h := strings.Join(rows[0], ","); h != "scenario,reference,group,metric,unit,measure,better,mean,diff_mean,diff_p5,diff_p95,rank,threshold,verdict" {
		t.Errorf("differences.csv header without a posterior: %s", h)
	}
	if _, err := os.Stat(filepath.Join(dir, RankingFile)); !os.IsNotExist(err) {
		t.Errorf("ranking.csv written without a posterior (%v)", err)
	}
	md, _ := os.ReadFile(filepath.Join(dir, ReportMarkdownFile))
	if bytes.Contains(md, []byte("Parameter uncertainty")) || !bytes.Contains(md, []byte("run-to-run variation only")) {
		t.Error("report.md without a posterior mentions parameter uncertainty or lacks the run-to-run caveat")
	}
}

func TestAimBestSharesConstructed(t *testing.T) {
	// Three options, four paired replications. On the five aims' outcomes every option has the
	// same value except where set below, so every aim but two is a three-way tie.
	// 决策科学 (decision_days lower, fidelity higher): in rep 0 A has the fewest decision days
	// (ranks A 1, B and C 2.5) and all tie on fidelity (2 each): A best. In reps 1-3 B has the
	// fewest days (B 1, A and C 2.5) and C the most fidelity (C 1, A and B 2.5): rank sums
	// A 5, B 3.5, C 3.5, so B and C share each of those reps.
	// 监督有力 (detection higher, hidden_debt lower, misused_funds lower): B is best on all
	// three in reps 0-2; in rep 3 every value is NaN for C's hidden debt: rep left out.
	const reps = 4
	set := func(name string, fill func(r int, metric string) float64) *observe.Ensemble {
		e := &observe.Ensemble{Name: name, Description: "hand-made " + name, Config: handConfig(24)}
		defs := observe.Defs()
		for r := range reps {
			e.Tracks = append(e.Tracks, handTrack(24, func(g, mo, k int) float64 {
				if g == 1 {
					return math.NaN()
				}
				return fill(r, defs[k].Name)
			}))
		}
		return e
	}
	a := set("A", func(r int, m string) float64 {
		if m == "decision_days" && r == 0 {
			return 5
		}
		return 10
	})
	b := set("B", func(r int, m string) float64 {
		switch {
		case m == "decision_days" && r > 0:
			return 5
		case m == "detection":
			return 20
		case m == "hidden_debt" || m == "misused_funds":
			return 1
		}
		return 10
	})
	c := set("C", func(r int, m string) float64 {
		switch {
		case m == "fidelity" && r > 0:
			return 20
		case m == "hidden_debt" && r == 3:
			return math.NaN()
		}
		return 10
	})
	as, err := AimBestShares([]*observe.Ensemble{a, b, c})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]float64{}
	n := map[string]int{}
	for _, s := range as {
		got[s.Aim.Zh] = append(got[s.Aim.Zh], s.Share)
		n[s.Aim.Zh] = s.Replications
	}
	want := map[string][]float64{
		"决策科学": {0.25, 0.375, 0.375}, // rep 0: A; reps 1-3: B and C tie
		"分工合理": {1.0 / 3, 1.0 / 3, 1.0 / 3},
		"执行顺畅": {1.0 / 3, 1.0 / 3, 1.0 / 3},
		"运转高效": {1.0 / 3, 1.0 / 3, 1.0 / 3},
		"监督有力": {0, 1, 0}, // reps 0-2 B; rep 3 left out
	}
	for aim, w := range want {
		for s := range w {
			if len(got[aim]) != 3 || !near(got[aim][s], w[s]) {
				t.Errorf("%s: shares %v, want %v", aim, got[aim], w)
				break
			}
		}
	}
	if n["监督有力"] != 3 || n["决策科学"] != 4 {
		t.Errorf("replications counted %v, want 3 for 监督有力 (one has a NaN) and 4 elsewhere", n)
	}
	// In a comparison with a posterior: the CSV and the report's table.
	meta := EnsembleMeta{Tool: "countysim", Version: "test", MasterSeed: 5, Seeds: make([]uint64, reps), Posterior: "posterior.csv", DrawOf: []int{0, 1, 2, 3}}
	dir := filepath.Join(t.TempDir(), "cmp")
	if err := WriteComparison(context.Background(), dir, []*observe.Ensemble{a, b, c}, meta); err != nil {
		t.Fatal(err)
	}
	rows := readCSVRows(t, filepath.Join(dir, AimRankingFile))
	if h := strings.Join(rows[0], ","); h != "group,aim,aim_en,metrics,scenario,best_share,replications" {
		t.Errorf("ranking_aims.csv header %s", h)
	}
	if r := strings.Join(rows[13], ","); r != "province,监督有力,Strong supervision,detection;hidden_debt;misused_funds,A,0,3" {
		t.Errorf("ranking_aims.csv row 13: %s", r)
	}
	if r := strings.Join(rows[2], ","); r != "province,决策科学,Sound decisions,decision_days;fidelity,B,0.375,4" {
		t.Errorf("ranking_aims.csv row 2: %s", r)
	}
	md, err := os.ReadFile(filepath.Join(dir, ReportMarkdownFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"| Aim | A | B | C |", "| Strong supervision (监督有力) | 0% | 100% | 0% |", "| Sound decisions (决策科学) | 25% | 38% | 38% |", "[ranking_aims.csv](ranking_aims.csv)"} {
		if !bytes.Contains(md, []byte(s)) {
			t.Errorf("report.md lacks %q", s)
		}
	}
	if html, _ := os.ReadFile(filepath.Join(dir, ReportHTMLFile)); !bytes.Contains(html, []byte("<td>Strong supervision (监督有力)</td><td class=\"num\">0%</td><td class=\"num\">100%</td>")) {
		t.Error("report.html lacks the per-aim table")
	}
}
