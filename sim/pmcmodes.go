package sim

// PMCMode is how pilots move through the province-managing-county steps (pmc.mode).
type PMCMode string

// The PMC modes, as written in scenario files.
const (
	// ThreeStep moves a cohort through steps 1, 2 and 3 on its dates.
	ThreeStep PMCMode = "three-step"
	// OneShot moves every selected county to step 3 at its cohort's Step1 month.
	OneShot PMCMode = "one-shot"
)

// SelectionMethod is how the pilots are chosen (pmc.selection.method).
type SelectionMethod string

// The selection methods, as written in scenario files.
const (
	// ByIndex ranks counties by the composite index of strength, layout and basis.
	ByIndex SelectionMethod = "index"
	// ByList takes the counties each cohort names, in cohort order.
	ByList SelectionMethod = "list"
	// AtRandom draws the pilots at random.
	AtRandom SelectionMethod = "random"
)

// WideningBy says what lets a pilot move on to its next step (pmc.widening.by).
type WideningBy string

// The widening rules, as written in scenario files.
const (
	// ByDate moves pilots on their cohort's dates.
	ByDate WideningBy = "date"
	// ByCriterion takes the dates as the earliest months and also asks for NormalMonths of
	// normal running.
	ByCriterion WideningBy = "criterion"
)
