package main

import (
	"github.com/countysim/countysim/lang"
	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/scenarios"
	"github.com/countysim/countysim/sim"
)

// idleReform says, in l, that scenario s has a reform none of whose levers acts within its
// months, so that its runs are its no-reform counterfactual's, month for month ("" when it
// acts, or has no reform): a reform dated after the horizon reads "the same" and "no
// difference" everywhere, which is not "this reform has no effect" (a Chinese analyst's
// audit: PMC's first step at month 24 of a 24-month run). It names the month the reform's
// first lever acts, judged as sim.UnmarkedBranchPoint judges a branch.
func idleReform(l lang.Lang, s *scenarios.Scenario) (string, error) {
	base, err := scenarios.Resolve("baseline")
	if err != nil {
		return "", err
	}
	if observe.IsNoReform(s.Config, base.Config) {
		return "", nil
	}
	cf := observe.NoReform(s.Config, base.Config)
	at, ok := sim.UnmarkedBranchPoint(s.Config, cf)
	if !ok || at < s.Config.Months {
		return "", nil
	}
	// The month it first acts: the same judgement over a horizon long enough to hold it.
	long, longCF := s.Config, cf
	long.Months, longCF.Months = 1<<20, 1<<20
	first, ok := sim.UnmarkedBranchPoint(long, longCF)
	if !ok || first >= long.Months {
		return l.F("scenario %s: its reform does not act within the %d months simulated, so its runs are the same as without it.", s.Name, s.Config.Months), nil
	}
	return l.F("scenario %s: its reform does not act within the %d months simulated (it first acts in month %d), so its runs are the same as without it; simulate at least %d months (--months) to see it.", s.Name, s.Config.Months, first+1, first+1), nil
}
