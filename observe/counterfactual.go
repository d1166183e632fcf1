package observe

import (
	"fmt"
	"reflect"

	"github.com/countysim/countysim/sim"
)

// A simulation knows its counterfactual: the same world and seed with the reform switched off.
// Every counterfactual is a transformation of the scenario's sim.Config, written here and only
// here, so that evaluate and the validation pair runs the same way. Each keeps everything that
// is decided before the reform starts (the world, the pilots and their cohorts) as it is, so
// the factual and counterfactual runs are the same county by county until the first reform
// date, and any difference after it is the reform's doing.

// Counterfactual names, as they appear in estimates.csv (true_att_NAME, ...).
const (
	CFNoReform     = "no_reform"          // the evaluated PMC reform switched off altogether
	CFStepOff      = "step_off"           // only the evaluated PMC step (and any step dated with it) switched off
	CFNoDevolution = "no_devolution"      // the devolution levers at 0
	CFNoApproval   = "no_approval_reform" // every approval-reform lever at 0 (cuts, classes, one-stop, ex post)
)

// CounterfactualByName returns the named counterfactual for a PMC evaluation at treatment step
// step (step matters for CFStepOff only).
func CounterfactualByName(name string, step int) (Counterfactual, error) {
	switch name {
	case CFNoReform:
		return Counterfactual{Name: name, Description: "the same pilots and seeds with every PMC step date set to never (pmc stays enabled, so pilot selection is unchanged)", Apply: PMCOff}, nil
	case CFStepOff:
		return Counterfactual{Name: name,
			Description: fmt.Sprintf("the same pilots and seeds with step %d (and any earlier step on its date) and the steps after it set to never", step),
			Apply:       func(c sim.Config) sim.Config { return PMCStepOff(c, step) }}, nil
	case CFNoDevolution:
		return Counterfactual{Name: name, Description: "the same seeds with every devolution lever at 0 (economic, social and personnel authority to counties, economic and social authority to towns)", Apply: DevolutionOff}, nil
	case CFNoApproval:
		return Counterfactual{Name: name, Description: "the same seeds with no approval items or steps cut, in general or by item class, no one-stop hall and no operating permits moved to after-the-fact inspection", Apply: ApprovalOff}, nil
	}
	return Counterfactual{}, fmt.Errorf("results: unknown counterfactual %q", name)
}

// Counterfactual is a named transformation of a scenario's config.
type Counterfactual struct {
	Name        string
	Description string
	Apply       func(sim.Config) sim.Config
}

// PMCOff returns cfg with the province-managing-county reform switched off while its pilots
// stay chosen: every cohort's step dates are set to -1 (never), and pmc stays enabled, so the
// pilot selection (and any random draw it makes) and the cohorts are exactly those of cfg.
func PMCOff(cfg sim.Config) sim.Config {
	return PMCStepOff(cfg, 1)
}

// PMCStepOff returns cfg with PMC step `step` switched off for every cohort: the step's date,
// the dates of the steps after it, and the dates of earlier steps that fall in the same month
// as the step (as on Henan's path, where steps 2 and 3 came together) are set to -1. The
// cohort then stops at the last step before the evaluated one. In one-shot mode every county
// jumps to step 3 at its step 1 date, so any step switches the whole jump off.
func PMCStepOff(cfg sim.Config, step int) sim.Config {
	cos := make([]sim.Cohort, len(cfg.PMC.Cohorts))
	copy(cos, cfg.PMC.Cohorts)
	for k := range cos {
		c := &cos[k]
		dates := []*int{&c.Step1, &c.Step2, &c.Step3}
		from := step
		if cfg.PMC.Mode == sim.OneShot {
			from = 1
		}
		at := *dates[from-1]
		for from > 1 && at >= 0 && *dates[from-2] == at {
			from--
		}
		for s := from; s <= 3; s++ {
			*dates[s-1] = -1
		}
	}
	cfg.PMC.Cohorts = cos
	return cfg
}

// DevolutionOff returns cfg with every devolution lever at 0: economic, social and personnel
// authority to counties, and economic and social authority on to towns. What stays is listed
// in DevolutionKept (the start date, and the urbanisation threshold that only selects the towns
// the town levers reach).
func DevolutionOff(cfg sim.Config) sim.Config {
	d := &cfg.Devolution
	d.Economic, d.Social, d.Personnel, d.TownEconomic, d.TownSocial = 0, 0, 0, 0, 0
	return cfg
}

// ApprovalOff returns cfg with every lever of the approval reform at 0: the general item and
// step cuts and the one-stop hall, each item class's own item and step cuts (market entry,
// investment, land use, operating permits), and the move of operating permits to
// after-the-fact inspection (ex_post). What stays is listed in ApprovalKept: the start date,
// the paces (general and per class), which only phase in cuts that are now 0, and the
// investors' patience, a behavioural parameter that acts before the reform too.
// E-government and participation (decision.*) are a reform of their own and stay.
func ApprovalOff(cfg sim.Config) sim.Config {
	a := &cfg.Approval
	a.ItemCut, a.StepCut, a.OneStop, a.ExPost = 0, 0, 0, 0
	for _, cc := range []*sim.ClassCut{&a.MarketEntry, &a.Investment, &a.LandUse, &a.OperatingPermit} {
		cc.ItemCut, cc.StepCut = 0, 0
	}
	return cfg
}

// The fields of a reform's config that its counterfactual deliberately keeps, by Go field path
// (ClassCut fields as Class.Field). Every other field of sim.Devolution, sim.Approval and
// sim.Cohort is a lever the counterfactual resets, and a test walks the structs by reflection
// to hold the functions above to that: a lever added to sim.Config fails it until it is
// switched off here or listed here with the reason it stays.
var (
	// DevolutionKept: the start date, and the threshold that only selects the towns the town
	// levers reach.
	DevolutionKept = []string{"Start", "TownUrbanThreshold"}
	// ApprovalKept: the start date, the paces that phase in the (now zero) cuts, and the
	// investors' patience, which acts before the reform too.
	ApprovalKept = []string{"Start", "Patience", "PhaseYears",
		"MarketEntry.PhaseYears", "Investment.PhaseYears", "LandUse.PhaseYears", "OperatingPermit.PhaseYears"}
	// PMCKept: the switch, mode, selection, widening rule and each cohort's name, share and
	// counties, so that the pilots and cohorts are those of the factual run; only the step
	// dates go (to -1, never).
	PMCKept = []string{"Enabled", "Mode", "Selection", "Widening", "Cohorts.Name", "Cohorts.Share", "Cohorts.Counties"}
)

// PMCCounterfactuals returns the counterfactuals of a PMC evaluation at treatment step step:
// no reform, and, when step is above 1 and switching off only that step differs from no
// reform, the step switched off.
func PMCCounterfactuals(cfg sim.Config, step int) []Counterfactual {
	no, _ := CounterfactualByName(CFNoReform, step)
	out := []Counterfactual{no}
	if step > 1 && !sameCohorts(PMCOff(cfg), PMCStepOff(cfg, step)) {
		off, _ := CounterfactualByName(CFStepOff, step)
		out = append(out, off)
	}
	return out
}

func sameCohorts(a, b sim.Config) bool {
	if len(a.PMC.Cohorts) != len(b.PMC.Cohorts) {
		return false
	}
	for k := range a.PMC.Cohorts {
		x, y := a.PMC.Cohorts[k], b.PMC.Cohorts[k]
		if x.Step1 != y.Step1 || x.Step2 != y.Step2 || x.Step3 != y.Step3 {
			return false
		}
	}
	return true
}

// ReformStart returns the first month at which cfg and cf differ in a reform date or lever
// that acts: the earliest PMC step date that cf switched off, the devolution start if cf
// turned devolution off, the approval start if cf turned approval off. Before it the two runs
// must be identical. It returns cfg.Months when they never differ.
func ReformStart(cfg, cf sim.Config) int {
	start := cfg.Months
	if cfg.PMC.Enabled {
		for k, c := range cfg.PMC.Cohorts {
			d := cf.PMC.Cohorts[k]
			for _, p := range [][2]int{{c.Step1, d.Step1}, {c.Step2, d.Step2}, {c.Step3, d.Step3}} {
				if p[0] >= 0 && p[0] != p[1] {
					start = min(start, p[0])
				}
			}
		}
	}
	if !reflect.DeepEqual(cfg.Devolution, cf.Devolution) {
		start = min(start, cfg.Devolution.Start)
	}
	if !reflect.DeepEqual(cfg.Approval, cf.Approval) {
		start = min(start, cfg.Approval.Start)
	}
	return start
}
