package results

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/countysim/countysim/observe"
	"github.com/countysim/countysim/sim"
)

// DictionaryFile is the data dictionary evaluate writes beside its tables.
const DictionaryFile = "dictionary.csv"

var (
	estimatesHeader = []string{"replication", "outcome", "estimator", "rel", "coef", "se", "ci90_low", "ci90_high", "n", "p"}
	summaryHeader   = []string{"outcome", "estimator", "rel", "mean", "p5", "p95", "share_significant", "reps", "unit", "note"}
)

// evalUnit returns the unit of an estimate of outcome by estimator in estimates.csv and
// summary.csv.
func evalUnit(outcome, estimator string) string {
	switch {
	case estimator == observe.EstPreTrend:
		return "chi-square statistic"
	case estimator == observe.EstPreTrendWCR:
		return "Wald statistic"
	case outcome == observe.StrengthOutcome:
		return "x typical county"
	}
	if o, ok := observe.EvalOutcomeByName(outcome); ok {
		return o.Unit
	}
	return ""
}

// CounterfactualRecord names a counterfactual in a manifest.
type CounterfactualRecord struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

func counterfactualRecords(cfs []observe.Counterfactual) []CounterfactualRecord {
	out := []CounterfactualRecord{}
	for _, c := range cfs {
		out = append(out, CounterfactualRecord{Name: c.Name, Description: c.Description})
	}
	return out
}

// dictEntry is a row of dictionary.csv.
type dictEntry struct{ file, column, unit, meaning string }

// evaluationDictionary lists every column of evaluate's tables, every outcome and every
// estimator, with its unit and meaning. A test checks that it covers every header column,
// panel column and estimator written.
func evaluationDictionary() []dictEntry {
	var out []dictEntry
	add := func(file, column, unit, meaning string) { out = append(out, dictEntry{file, column, unit, meaning}) }
	pf := PanelFile + ", " + PanelParquetFile
	for _, c := range []struct{ name, unit, meaning string }{
		{"replication", "", "replication number r (0-based); the run's seed is batch.Seed(master seed, r)"},
		{"seed", "", "the replication's seed"},
		{"county_id", "", "county identifier (its index in the world, stable for a scenario and seed)"},
		{"county", "", "county name"},
		{"county_code", "", "the county's 2010 administrative division code (区划代码) in real-province worlds; empty in synthetic ones"},
		{"prefecture_id", "", "prefecture city identifier"},
		{"prefecture", "", "prefecture city name"},
		{"prefecture_code", "", "the prefecture's 2010 administrative division code in real-province worlds; empty in synthetic ones"},
		{"province", "", "province name"},
		{"year", "calendar year", "the panel year (every simulated year; the burn-in is not observed)"},
		{"pilot", "0/1 (boolean in Parquet)", "1 if the county was chosen as a PMC pilot (in any cohort)"},
		{"cohort", "", "the pilot cohort's name; empty for non-pilots"},
		{"tercile", "1-3", "strength tercile within the province (1 weakest)"},
		{"iq_tercile", "1-3", "institutional-quality tercile within the province (1 lowest)"},
		{"strength", "x typical county", "the county's economic strength, its GDP per capita relative to the province's typical county (1 = typical), fixed at the start"},
		{"iq", "index (0-1)", "the county's institutional quality, fixed at the start"},
		{"pmc_step", "0-3", "PMC step at the year's last month (0 city-managed, 1 fiscal PMC, 2 prefecture authority, 3 left its prefecture)"},
		{"treated", "0/1 (boolean in Parquet)", "1 from the first year whose last month finds the county at the treatment step or beyond"},
		{"first_treated_year", "calendar year", "the county's cohort in the DiD: its first treated year; empty if never treated"},
		{"years_since_treatment", "years", "year - first_treated_year; empty if never treated"},
	} {
		add(pf, c.name, c.unit, c.meaning)
	}
	for _, c := range observe.PanelColumns() {
		meaning := "the model's metric " + c.Name + " for the county, combined over the year's months by its kind (flows summed, stocks at the year's end, rates averaged)"
		if k := sim.MetricIndex(c.Name); k >= 0 {
			meaning = sim.Metrics[k].Help + " (" + meaning + ")"
		}
		switch c.Name {
		case "growth":
			meaning = "GDP growth: ln(GDP at the year's end / GDP at the previous year's end), the mean of the model's monthly growth rates; 0.01 = one percentage point"
		case "arrears_months":
			meaning = "months of the year in which the county owed wages"
		case "arrears_covered_months":
			meaning = "months of the year with wage arrears although receipts (local revenue + transfers) covered the wage bill plus the arrears carried in"
		}
		if c.Estimate {
			meaning += "; an outcome of the estimates"
		}
		add(pf, c.Name, c.Unit, meaning)
	}
	for _, o := range observe.EvalOutcomes() {
		if o.Log {
			add(EstimatesFile+", "+EvalSummaryFile, "outcome="+o.Name, o.Unit, "the natural logarithm of "+observe.PanelColumns()[o.Column].Name+" (estimated only where every value is positive); effects are in log points, 100 (e^b - 1) percent")
		}
	}
	add(EstimatesFile+", "+EvalSummaryFile, "outcome="+observe.StrengthOutcome, "x typical county", "the counties' strength (GDP per capita relative to the typical county), for the pre_mean_* rows: selection of pilots on strength")
	ef := EstimatesFile
	for _, c := range []struct{ name, unit, meaning string }{
		{"replication", "", "replication number (see panel.csv)"},
		{"outcome", "", "the outcome: a panel column, its ln_ log version, or strength"},
		{"estimator", "", "what the row holds (the estimator= rows below)"},
		{"rel", "years", "years since treatment (sa_event and true_event_* rows); empty otherwise"},
		{"coef", "the outcome's unit", "the estimate, true effect, bias, mean or test statistic of the row"},
		{"se", "the outcome's unit", "standard error clustered by county (twfe, sa_att, sa_event); empty otherwise"},
		{"ci90_low", "the outcome's unit", "lower end of the 90% confidence interval: coef - t(G-1) se with G counties (twfe, sa_att, sa_event); for twfe_wcr and sa_att_wcr, the wild bootstrap's interval by test inversion (-Inf/Inf: unbounded); empty where not an estimate"},
		{"ci90_high", "the outcome's unit", "upper end of the 90% confidence interval (as ci90_low)"},
		{"n", "", "observations (twfe, sa_att), treated observations at rel (sa_event), degrees of freedom (pretrend_wald), bootstrap draws (twfe_wcr, sa_att_wcr, pretrend_wcr), counties (pre_mean_*), county-years (true_*, spillover_*, *_bias_*)"},
		{"p", "probability", "p-value: chi-square of the pre-trend test (pretrend_wald rows), the wild cluster bootstrap's (twfe_wcr, sa_att_wcr, pretrend_wcr rows; empty in pretrend_wcr where pretrend_wald has no statistic); empty otherwise"},
	} {
		add(ef, c.name, c.unit, c.meaning)
	}
	sf := EvalSummaryFile
	for _, c := range []struct{ name, unit, meaning string }{
		{"outcome", "", "as in estimates.csv"},
		{"estimator", "", "as in estimates.csv"},
		{"rel", "years", "as in estimates.csv"},
		{"mean", "unit", "mean of coef across replications"},
		{"p5", "unit", "5th percentile of coef across replications (Hyndman-Fan type 7)"},
		{"p95", "unit", "95th percentile of coef across replications"},
		{"share_significant", "share", "twfe, sa_att, sa_event: share of the replications (reps) whose 90% CI excludes 0; pretrend_wald: share whose pre-trend test rejects at 10%; twfe_wcr, sa_att_wcr, pretrend_wcr: share whose wild bootstrap p-value is at most 0.10; empty for the rest (no test) and where no replication computed the estimate. With few treated counties the clustered tests over-reject: read the *_wcr shares for twfe, sa_att and the pre-trend test (sa_event has no bootstrap)"},
		{"reps", "", "replications in which the estimate was computed (an outcome that does not vary, a log outcome with a value 0 or below, or a test that cannot be computed, is left out of a replication: see the manifest's notes)"},
		{"unit", "", "unit of mean, p5 and p95"},
		{"note", "", "empty when every replication computed the row; otherwise says that mean, p5, p95 and share_significant are over reps of the replications only, a subset selected by what kept the others from computing it (a log outcome is estimated only in replications where every value is positive), so not comparable with rows over all replications"},
	} {
		add(sf, c.name, c.unit, c.meaning)
	}
	both := EstimatesFile + ", " + EvalSummaryFile
	for _, c := range []struct{ name, meaning string }{
		{observe.EstTWFE, "static two-way fixed-effects DiD (county and year effects) over all years"},
		{observe.EstTWFEWCR, "the twfe coefficient (coef, as twfe's) tested by the wild cluster restricted bootstrap: p = its p-value for a zero effect, ci90_low/ci90_high = its 90% interval by test inversion, n = draws (see the manifest's design); with few treated counties this, not twfe's CI, is the test to read"},
		{observe.EstSAATTWCR, "the sa_att estimate (coef, as sa_att's) tested by the wild cluster restricted bootstrap (the null imposed by restricted least squares on the cohort-by-year cells): p = its p-value for a zero effect, ci90_low/ci90_high = its 90% interval by test inversion, n = draws; with few treated counties this, not sa_att's CI, is the test to read"},
		{observe.EstSAATT, fmt.Sprintf("Sun and Abraham (2021) interaction-weighted ATT over years since treatment 0..%d, never-treated controls", observe.EventMaxRel)},
		{observe.EstSAEvent, fmt.Sprintf("Sun-Abraham event-study coefficient at rel (window %d..%d, reference -1)", observe.EventMinRel, observe.EventMaxRel)},
		{observe.EstPreTrend, fmt.Sprintf("joint Wald test that every pre-period event-study coefficient (rel %d..-2) is 0, with their clustered covariance: coef = statistic, n = degrees of freedom, p = chi-square p-value; a small p flags a pre-trend, and the DiD is then not credible for this outcome", observe.EventMinRel)},
		{observe.EstPreTrendWCR, "pretrend_wald's statistic (coef) tested by the wild cluster restricted bootstrap: the pre-period coefficients set to 0 by restricted least squares, each draw's Wald statistic with its clustered covariance recomputed; p = the share of draws at or above the statistic (counting the sample), n = draws; with few treated counties this, not the chi-square p, is the test to read, and the PRE-TREND warning reads it"},
		{observe.EstPreTreated, "the outcome's mean over the treated counties in the year before their first treated year"},
		{observe.EstPreControl, "the never-treated counties' mean in the same years (selection: compare with pre_mean_treated)"},
		{observe.EstTrueATT + "CF", "true average effect on the treated against counterfactual CF: each treated county against its own counterfactual run, averaged over the county-years of the sa_att sample"},
		{observe.EstTrueATTAll + "CF", "true average effect against counterfactual CF over every treated county-year (every cohort treated after the panel's first year, every year from its first treated year on): the county-years twfe's treatment dummy identifies"},
		{observe.EstTrueEvent + "CF", "true mean effect on the treated at rel against counterfactual CF; not normalised: before treatment it shows what earlier steps already did (against no_reform when treatment is a later step), where the event study sets rel -1 to 0"},
		{observe.EstSpillover + "CF", "true mean effect on the never-treated counties (the DiD's controls) from the first treated year on, against counterfactual CF"},
		{observe.EstTWFEBias + "CF", "twfe minus true_att_all_CF in the same replication (not against no_reform past treatment step 1: another estimand)"},
		{observe.EstSAATTBias + "CF", "sa_att minus true_att_CF in the same replication (not against no_reform past treatment step 1: another estimand)"},
		{"CF=" + observe.CFNoReform, "counterfactual: the same seeds and pilots with every PMC step date set to never"},
		{"CF=" + observe.CFStepOff, "counterfactual: the same seeds and pilots with only the evaluated step (and steps on its date, and after it) set to never; the design's own estimand when treatment is a later step"},
	} {
		add(both, "estimator="+c.name, "", c.meaning)
	}
	return out
}

// writeDictionaryCSV writes dictionary.csv: file, column, unit, meaning.
func writeDictionaryCSV(w io.Writer, entries []dictEntry) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"file", "column", "unit", "meaning"})
	for _, e := range entries {
		_ = cw.Write([]string{e.file, e.column, e.unit, strings.TrimSpace(e.meaning)})
	}
	cw.Flush()
	return cw.Error()
}
