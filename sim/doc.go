// Package sim is countysim's model: an agent-based simulation of county-governance reform in a
// Chinese province (or the whole country), stepped one month at a time.
//
// A Model holds a province's agents: the Province, its Prefecture cities, the County-level units
// outside city districts, their Town(s) and township(s), and each county's Branch(es) of the
// vertical-management departments (tax, market regulation, land and resources). Approval
// requests are flows per item class and level, not agents. A Config sets the world (provinces
// and their counts or real county lists), the seed, the horizon and every reform lever
// (devolution, the province-managing-county path, organisation, decision-making, approval
// reform, public finance and debt rules); DefaultConfig gives the defaults and Config.Validate
// checks a config before New builds a model from it.
//
// Build with New (which also runs a 24-month burn-in that is not reported), advance with Step
// or Run, and observe after each month: Values gives every county's row of NumMetrics outcome
// values (declared in Metrics, looked up by MetricIndex), and Model.Value reads one county's
// outcome by metric name. Model.Step lists the monthly schedule in order: reform path,
// organisation, monitoring, vertical departments, approvals, revenue, transfers, town needs,
// county budgets, town finance, debt, growth, observation and the accounting checks; every
// accounting identity is checked each month and a violation is an error naming the county and
// the month.
//
// Units: money in million yuan (2005 prices), time in months (approval times in days), shares
// from 0 to 1, growth as an annual rate. The model owns its random streams (PCG from
// math/rand/v2) and every draw goes through them, so the same Config gives the same run on
// every machine; the number of draws per month does not depend on levers or reform state, so a
// scenario and its counterfactual on the same seed share their history until the reform starts.
//
// sim does no file or network I/O, has no globals that change, prints nothing and imports no
// other package of the project. Every equation, value and source is in docs/MODEL.md, in the
// ODD order.
package sim
