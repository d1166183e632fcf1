package calibrate

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/countysim/countysim/batch"
	"github.com/countysim/countysim/sim"
)

// normalMean is the conjugate test model: y_1..y_n ~ N(theta, sigma^2) with sigma known, prior
// theta ~ N(mu0, tau0^2); the summary is the sample mean, which is sufficient.
type normalMean struct {
	n             int
	sigma, ybar   float64
	mu0, tau0     float64
	seed          uint64
	proposals     int
	simulatedRuns int
}

func (m *normalMean) eval(b Batch, thetas [][]float64) ([]float64, error) {
	d := make([]float64, len(thetas))
	for i, th := range thetas {
		rng := rand.New(rand.NewPCG(batch.Seed(m.seed, b.First+i), 7))
		var s float64
		for range m.n {
			s += th[0] + m.sigma*rng.NormFloat64()
		}
		d[i] = math.Abs(s/float64(m.n) - m.ybar)
		m.simulatedRuns++
	}
	return d, nil
}

// exact returns the posterior mean and sd.
func (m *normalMean) exact() (mean, sd float64) {
	prec := 1/(m.tau0*m.tau0) + float64(m.n)/(m.sigma*m.sigma)
	mean = (m.mu0/(m.tau0*m.tau0) + float64(m.n)*m.ybar/(m.sigma*m.sigma)) / prec
	return mean, math.Sqrt(1 / prec)
}

// TestABCSMCRecoversConjugateNormalPosterior checks the sampler against the exact posterior
// N(1.1429, 0.4364^2) (prior N(0, 2^2), five observations with sd 1 and mean 1.2), with five
// master seeds. Stated error: for each seed the posterior mean within 0.1 (0.23 posterior sd)
// and the posterior sd within 12%; averaged over the seeds, the mean within 0.04 and the sd
// within 5%.
func TestABCSMCRecoversConjugateNormalPosterior(t *testing.T) {
	var sumMean, sumSD float64
	const seeds = 5
	for seed := uint64(1); seed <= seeds; seed++ {
		m := &normalMean{n: 5, sigma: 1, ybar: 1.2, mu0: 0, tau0: 2, seed: seed, proposals: 2000}
		priors := []Prior{{Min: -10, Max: 10, Normal: true, Mean: m.mu0, SD: m.tau0}}
		s := Settings{Population: 500, Proposals: m.proposals, Generations: 8, Quantile: 0.5, MaxRuns: 100_000}
		tr, err := Run(priors, s, m.seed, m.eval)
		if err != nil {
			t.Fatal(err)
		}
		pops := tr.Pops
		last := pops[len(pops)-1]
		for g := 1; g < len(pops); g++ {
			if !(pops[g].Epsilon < pops[g-1].Epsilon) {
				t.Errorf("seed %d: tolerance did not fall: generation %d %g, generation %d %g", seed, g-1, pops[g-1].Epsilon, g, pops[g].Epsilon)
			}
		}
		wantMean, wantSD := m.exact()
		mean, sd := last.WeightedMoments(0)
		t.Logf("seed %d: generations %d, runs %d (%v), epsilon %.4f, ESS %.0f, mean %.4f (exact %.4f), sd %.4f (exact %.4f); %s",
			seed, len(pops), tr.Runs, tr.Proposals, last.Epsilon, last.ESS(), mean, wantMean, sd, wantSD, tr.Stop)
		if math.Abs(mean-wantMean) > 0.1 {
			t.Errorf("seed %d: posterior mean %.4f, exact %.4f", seed, mean, wantMean)
		}
		if math.Abs(sd/wantSD-1) > 0.12 {
			t.Errorf("seed %d: posterior sd %.4f, exact %.4f", seed, sd, wantSD)
		}
		if last.ESS() < 100 {
			t.Errorf("seed %d: effective sample size %g below 100", seed, last.ESS())
		}
		sumMean += mean - wantMean
		sumSD += sd/wantSD - 1
		if seed == 1 {
			// Same seed, same posterior, bit for bit.
			m2 := &normalMean{n: 5, sigma: 1, ybar: 1.2, mu0: 0, tau0: 2, seed: 1, proposals: 2000}
			tr2, err := Run(priors, s, m2.seed, m2.eval)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(tr2.Pops[len(tr2.Pops)-1], last) {
				t.Error("a second run with the same seed gave a different posterior")
			}
		}
	}
	if math.Abs(sumMean/seeds) > 0.04 || math.Abs(sumSD/seeds) > 0.05 {
		t.Errorf("average over seeds: mean error %.4f, relative sd error %.4f", sumMean/seeds, sumSD/seeds)
	}
}

func TestSelectKeepsTheBestAndWeighsByPriorOverKernel(t *testing.T) {
	priors := []Prior{{Min: 0, Max: 1}}
	thetas := [][]float64{{0.1}, {0.2}, {0.3}, {0.4}, {0.5}}
	dist := []float64{5, 1, math.NaN(), 2, 1}
	pop, err := Select(priors, nil, thetas, dist, 3, math.NaN())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(pop.Index, []int{1, 3, 4}) || pop.Epsilon != 2 {
		t.Fatalf("accepted %v with epsilon %g, want [1 3 4] and 2", pop.Index, pop.Epsilon)
	}
	pop = Merge([]*Population{pop}, 3)
	for _, w := range pop.Weights {
		if math.Abs(w-1.0/3) > 1e-15 {
			t.Fatalf("generation-0 weights %v, want equal", pop.Weights)
		}
	}
	// After a population concentrated near 0.2, a proposal far from it is less likely under the
	// kernel, so it must weigh more.
	next, err := Select(priors, pop, [][]float64{{0.3}, {0.95}, {0.5}}, []float64{0.1, 0.1, 0.3}, 5, 0.2)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(next.Index, []int{0, 1}) {
		t.Fatalf("accepted %v within tolerance 0.2, want [0 1]", next.Index)
	}
	next = Merge([]*Population{next}, 5)
	if !(next.Weights[1] > next.Weights[0]) {
		t.Errorf("weights %v: the proposal the kernel made less likely should weigh more", next.Weights)
	}
	if _, err := Select(priors, nil, thetas[:2], []float64{math.NaN(), 1}, 1, math.NaN()); err == nil {
		t.Error("a generation with one distance was accepted")
	}
}

func TestProposalsStayInSupportAndAreDeterministic(t *testing.T) {
	priors := []Prior{{Min: 0, Max: 1}, {Min: -1, Max: 1, Normal: true, Mean: 0.5, SD: 0.2}}
	prev := &Population{Thetas: [][]float64{{0.01, 0.9}, {0.02, 0.95}, {0.5, 0.99}}, Weights: []float64{0.2, 0.3, 0.5}}
	a, err := Propose(priors, prev, 500, 9, 3, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, th := range a {
		if !priors[0].Contains(th[0]) || !priors[1].Contains(th[1]) {
			t.Fatalf("proposal %v outside the support", th)
		}
	}
	b, _ := Propose(priors, prev, 500, 9, 3, 0)
	c, _ := Propose(priors, prev, 500, 9, 3, 1)
	if !reflect.DeepEqual(a, b) {
		t.Error("same seed and generation gave different proposals")
	}
	if reflect.DeepEqual(a, c) {
		t.Error("another round gave the same proposals")
	}
}

func TestTargetStatistics(t *testing.T) {
	xs := []float64{5, 1, 4, 2, 3}
	if got := reduce(append([]float64(nil), xs...), -1); got != 3 {
		t.Errorf("mean %g, want 3", got)
	}
	if got := reduce(append([]float64(nil), xs...), 0.5); got != 3 {
		t.Errorf("median %g, want 3", got)
	}
	if got := reduce(append([]float64(nil), xs...), 0.1); math.Abs(got-1.4) > 1e-12 {
		t.Errorf("p10 %g, want 1.4 (linear between order statistics)", got)
	}
	if !math.IsNaN(reduce(nil, 0.5)) {
		t.Error("statistic of no counties is not NaN")
	}
	// Two counties, metric 0 over metric 1 summed across the window months 1-2 only.
	w := &window{lo: 1, hi: 2, num: make([]float64, 2), den: make([]float64, 2), cnt: make([]float64, 2)}
	vals := func(a0, a1, b0, b1 float64) []float64 {
		v := make([]float64, 2*sim.NumMetrics)
		v[0], v[1] = a0, a1
		v[sim.NumMetrics], v[sim.NumMetrics+1] = b0, b1
		return v
	}
	w.observe(0, vals(100, 1, 100, 1), 0, 1) // outside the window
	w.observe(1, vals(1, 2, 3, 4), 0, 1)
	w.observe(2, vals(3, 2, math.NaN(), 4), 0, 1)
	if got := w.stat(-1, true, nil); math.Abs(got-(1.0+0.75)/2) > 1e-12 {
		t.Errorf("mean ratio %g, want %g", got, (1.0+0.75)/2)
	}
	if got := w.stat(-1, false, nil); math.Abs(got-2.5) > 1e-12 {
		t.Errorf("mean of window means %g, want 2.5", got)
	}
}
