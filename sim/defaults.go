package sim

import (
	"fmt"
	"strings"
)

// DefaultConfig returns the defaults every scenario inherits: a Henan-sized province, the
// three-step pilot path in two cohorts (half the counties never become pilots), and the behavioural parameters documented in
// docs/MODEL.md (each with its source or marked as an assumption there).
func DefaultConfig() Config {
	return Config{
		Seed:      1,
		Months:    240,
		StartYear: 2005,
		World: World{Provinces: []ProvinceSpec{
			{Name: "Henan", Prefectures: 17, Counties: 109, Towns: 1975},
		}},
		Devolution: Devolution{TownUrbanThreshold: 0.5},
		PMC: PMC{
			Enabled: true,
			Mode:    ThreeStep,
			Selection: Selection{
				Method: ByIndex, StrengthWeight: 0.5, LayoutWeight: 0.25, BasisWeight: 0.25,
			},
			Cohorts: []Cohort{
				{Name: "cohort1", Share: 0.2, Step1: 24, Step2: 60, Step3: 108},
				{Name: "cohort2", Share: 0.3, Step1: 48, Step2: 84, Step3: 132},
			},
			Widening: Widening{By: ByDate, NormalMonths: 12},
		},
		Organisation: Organisation{
			StreamlinePace:       0.05,
			MandateFundedShare:   0.3,
			VerticalCoordination: 0.3,
		},
		Decision: Decision{Participation: 0.2, EGovernment: 0.1, PhaseYears: 4},
		Approval: Approval{Patience: 400, PhaseYears: 4},
		Finance:  Finance{PriorityRule: true, RevenueShockMonth: 0},
		Debt: Debt{
			BorrowLimit:       1.0,
			NewBorrowQuota:    0.03,
			YellowRatio:       0.8,
			RedRatio:          1.2,
			RedStopsBorrowing: true,
			Accountability:    0.3,
			ResolutionRate:    0.05,
			InterestRate:      0.06,
			RolloverLimit:     2.0,
			TownResolution:    0.10,
			VillageResolution: 0.05,
		},
		Province: ProvinceRule{
			Equalisation:   0.5,
			TransferShare:  0.059,
			EarmarkedShare: 0.35,
			Audit:          0.03,
			Supervision:    30,
			StaffResponse:  0.5,
			Remittance:     0.5,
		},
		Prefecture: PrefRule{
			KeepShare:   0.08,
			DelayMonths: 2,
			RevenueTake: 0.10,
			Supervision: 8,
			Capacity:    1.0,
			Support:     1.0,
			Pushback:    0.3,
		},
		Economy: Economy{
			BaseGrowth:         0.09,
			CapitalShare:       0.40,
			PublicCapitalShare: 0.08,
			Depreciation:       0.096,
			Spillover:          0.12,
			MisuseBase:         0.08,
			HiddenPropensity:   0.5,
			Convergence:        0.01,
			ShockSD:            0.012,
			Heterogeneity:      0.8,
			InstitutionMean:    0.55,
			TaxRate:            0.059,
			TaxSpread:          0.66,
		},
	}
}

// FieldError is one invalid field: its path in the scenario (as in the YAML, dotted, with
// [i] for list items), the bad value and what is allowed.
type FieldError struct {
	Path    string
	Value   any
	Allowed string
}

func (e FieldError) Error() string {
	return fmt.Sprintf("%s: bad value %v (allowed: %s)", e.Path, e.Value, e.Allowed)
}

// Validate checks every field's range and the cross-field rules, and returns every problem
// found (nil when the config can run). The ranges and choices are declared in the tags of
// Config's fields (see Params) and checked first, in the order of the fields; the rules below
// are those a tag cannot say: counts and lists that depend on each other, names, dates in order.
func (c *Config) Validate() []FieldError {
	var errs []FieldError
	add := func(path string, v any, allowed string) {
		errs = append(errs, FieldError{Path: path, Value: v, Allowed: allowed})
	}
	c.checkDeclared(add)
	intBetween := func(path string, v, lo, hi int) {
		if v < lo || v > hi {
			add(path, v, fmt.Sprintf("a whole number from %d to %d", lo, hi))
		}
	}

	// The world: provinces, counts that depend on each other, unique county names.
	if len(c.World.Provinces) == 0 {
		add("world.provinces", "[]", "at least one province")
	}
	if len(c.World.Provinces) > 64 {
		add("world.provinces", len(c.World.Provinces), "at most 64 provinces")
	}
	names := map[string]bool{}
	counties := 0
	for i, p := range c.World.Provinces {
		path := fmt.Sprintf("world.provinces[%d]", i)
		if strings.TrimSpace(p.Name) == "" {
			add(path+".name", `""`, "a non-empty name")
		}
		nc := p.CountyCount()
		if len(p.CountyList) > 0 && p.Counties != 0 && p.Counties != len(p.CountyList) {
			add(path+".counties", p.Counties, fmt.Sprintf("0 or the length of county_list (%d)", len(p.CountyList)))
		}
		intBetween(path+".counties", nc, 1, 5000)
		if nc >= 1 && p.Prefectures > nc {
			add(path+".prefectures", p.Prefectures, fmt.Sprintf("at most the number of counties (%d)", nc))
		}
		listTowns := len(p.CountyList) > 0 && p.Towns == 0
		// Towns are judged against a county count that is itself allowed (a huge one would
		// overflow the range it states, and is refused above).
		if nc >= 1 && nc <= 5000 && !listTowns && (p.Towns < minTownsPerCounty*nc || p.Towns > maxTownsPerCounty*nc) {
			add(path+".towns", p.Towns, fmt.Sprintf("from %d to %d per county (%d to %d)", minTownsPerCounty, maxTownsPerCounty, minTownsPerCounty*nc, maxTownsPerCounty*nc))
		}
		if len(p.CountyNames) > nc {
			add(path+".county_names", len(p.CountyNames), fmt.Sprintf("at most counties (%d) names", nc))
		}
		for j, n := range p.CountyNames {
			if j < len(p.CountyList) && p.CountyList[j].Name != "" {
				continue // the list's name is used
			}
			if strings.TrimSpace(n) == "" || names[n] {
				add(fmt.Sprintf("%s.county_names[%d]", path, j), fmt.Sprintf("%q", n), "a unique non-empty county name")
			}
			names[n] = true
		}
		for j, cs := range p.CountyList {
			cp := fmt.Sprintf("%s.county_list[%d]", path, j)
			if cs.Name != "" {
				if strings.TrimSpace(cs.Name) == "" || names[cs.Name] {
					add(cp+".name", fmt.Sprintf("%q", cs.Name), "a unique non-empty county name")
				}
				names[cs.Name] = true
			}
			if cs.Prefecture < 0 || cs.Prefecture >= p.Prefectures {
				add(cp+".prefecture", cs.Prefecture, fmt.Sprintf("a prefecture index from 0 to %d", p.Prefectures-1))
			}
			if cs.Spending > 0 && cs.Transfers > 0 {
				add(cp+".spending", cs.Spending, "0 when transfers is given (opening spending is revenue plus transfers, so one fixes the other)")
			}
		}
		if len(p.CountyList) > 0 && p.Towns != 0 {
			fixed, open := 0, 0
			for _, cs := range p.CountyList {
				if cs.Towns > 0 {
					fixed += cs.Towns
				} else {
					open++
				}
			}
			if least := fixed + minTownsPerCounty*open; (open == 0 && p.Towns != fixed) || (open > 0 && p.Towns < least) {
				add(path+".towns", p.Towns, fmt.Sprintf("0 or, with the towns the county list fixes (%d) and %d for each of the %d others, at least %d (exactly %d when every county fixes its towns)", fixed, minTownsPerCounty, open, least, fixed))
			}
		}
		if len(p.PrefectureNames) > 0 && len(p.PrefectureNames) != p.Prefectures {
			add(path+".prefecture_names", len(p.PrefectureNames), fmt.Sprintf("empty or one name per prefecture (%d)", p.Prefectures))
		}
		if len(p.PrefectureCodes) > 0 && len(p.PrefectureCodes) != p.Prefectures {
			add(path+".prefecture_codes", len(p.PrefectureCodes), fmt.Sprintf("empty or one code per prefecture (%d)", p.Prefectures))
		}
		counties += nc
	}
	if counties > 5000 {
		add("world.provinces", counties, "at most 5000 counties in all")
	}

	// The pilot path: cohorts, their dates in order, listed counties.
	p := c.PMC
	if p.Enabled && len(p.Cohorts) == 0 {
		add("pmc.cohorts", "[]", "at least one cohort when pmc.enabled is true")
	}
	totalShare := 0.0
	for i, co := range p.Cohorts {
		path := fmt.Sprintf("pmc.cohorts[%d]", i)
		totalShare += co.Share
		if co.Step2 >= 0 && (co.Step1 < 0 || co.Step2 < co.Step1) {
			add(path+".step2", co.Step2, fmt.Sprintf("-1 (never) or a month no earlier than step1 (%d)", co.Step1))
		}
		if co.Step3 >= 0 && p.Mode == ThreeStep && (co.Step2 < 0 || co.Step3 < co.Step2) {
			add(path+".step3", co.Step3, fmt.Sprintf("-1 (never) or a month no earlier than step2 (%d)", co.Step2))
		}
		if p.Selection.Method == ByList {
			if p.Enabled && len(co.Counties) == 0 {
				add(path+".counties", "[]", `at least one county when pmc.selection.method is "list" (a cohort with none has no pilots)`)
			}
			for j, n := range co.Counties {
				if !names[n] {
					add(fmt.Sprintf("%s.counties[%d]", path, j), fmt.Sprintf("%q", n), "a name listed in world.provinces[].county_names")
				}
			}
		} else if len(co.Counties) > 0 {
			add(path+".counties", fmt.Sprintf("%q", co.Counties), `no list unless pmc.selection.method is "list"`)
		}
	}
	listed := map[string]string{}
	for i, co := range p.Cohorts {
		if p.Selection.Method != ByList {
			break
		}
		for j, n := range co.Counties {
			path := fmt.Sprintf("pmc.cohorts[%d].counties[%d]", i, j)
			if prev, ok := listed[n]; ok {
				add(path, fmt.Sprintf("%q", n), "a county not already listed (it is at "+prev+")")
			}
			listed[n] = path
		}
	}
	if p.Selection.Method != ByList && totalShare > 1+1e-9 {
		add("pmc.cohorts", fmt.Sprintf("shares summing to %.3g", totalShare), "shares summing to at most 1")
	}

	// Rules between two numbers.
	db := c.Debt
	if db.RedRatio < db.YellowRatio {
		add("debt.red_ratio", db.RedRatio, fmt.Sprintf("at least debt.yellow_ratio (%g)", db.YellowRatio))
	}
	e := c.Economy
	if e.CapitalShare+e.PublicCapitalShare > 0.9 {
		add("economy.public_capital_share", e.PublicCapitalShare, fmt.Sprintf("at most %g so that labour keeps a tenth of output (capital_share is %g)", 0.9-e.CapitalShare, e.CapitalShare))
	}
	return errs
}
