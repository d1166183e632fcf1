package observe

import (
	"reflect"

	"github.com/countysim/countysim/sim"
)

// NoReform returns the no-reform counterfactual of cfg: cfg's world, seed, horizon, start
// year and the behaviour of its province, prefectures and economy, with the reform levers
// (devolution, the province-managing-county path, organisation, decision rules, approvals,
// finance and debt rules) of base, the no-reform scenario (the built-in baseline: 市管县,
// city-manages-county, with no reform).
func NoReform(cfg, base sim.Config) sim.Config {
	out := cfg
	out.Devolution = base.Devolution
	out.PMC = base.PMC
	out.Organisation = base.Organisation
	out.Decision = base.Decision
	out.Approval = base.Approval
	out.Finance = base.Finance
	out.Debt = base.Debt
	return out
}

// IsNoReform reports whether cfg already is its own no-reform counterfactual.
func IsNoReform(cfg, base sim.Config) bool { return reflect.DeepEqual(cfg, NoReform(cfg, base)) }
