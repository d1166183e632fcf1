package sim

// Control-loss parameters (Williamson 1967; values are assumptions, docs/MODEL.md).
const (
	linkFidelity = 0.8   // share of intent a link passes on with a negligible span
	spanScale    = 300.0 // span at which a link's fidelity falls by a factor e
	redAuditMult = 1.5   // audit attention multiplier on counties under a red warning
	fearDecay    = 0.02  // monthly decay of the deterrence memory of hidden debt or misuse caught
	// prefCountiesRef is the number of counties prefecture.supervision is the capacity for;
	// a prefecture's capacity scales with its own count (about 6 counties per prefecture
	// nationally: 2,003 / 333).
	prefCountiesRef = 6.0
	// staffAdjust is the monthly share of the gap between supervision staff and its target
	// closed by hiring or reassignment (about a year; assumption).
	staffAdjust = 1.0 / 12
	// supUnitCost is the monthly cost of one attention unit of provincial supervision (about
	// ten staff at 60,000 yuan a year; assumption) and deskUnitCost that of one request a
	// month of provincial approval capacity, million yuan at opening prices: a request a month
	// is 12 a year, and a staff member decides about eight major approvals a year, so it takes
	// 1.5 staff at 60,000 yuan a year, 0.0075 million yuan a month, about 0.008 (assumption).
	supUnitCost  = 0.05
	deskUnitCost = 0.008
	// estabReview is the interval, in months, at which the province's establishment quota
	// (编制) for supervision staff is revised to what its span then needs; between
	// revisions it hires only up to the quota (assumption: establishment plans are revised
	// with the five-year institutional reform rounds, range 36-120 months).
	estabReview = 60
)

// linkFactor is the fidelity of one supervisory link whose superior has span direct reports.
func linkFactor(span float64) float64 { return linkFidelity * Exp(-span/spanScale) }

// monitor computes spans of control, attention per report, each county's detection
// probability (Calvo and Wellisz 1978) and its fidelity (Williamson 1967).
func (m *Model) monitor() {
	for j := range m.Prefs {
		pf := &m.Prefs[j]
		pf.Span, pf.AdminSpan = 0, 0
		for _, ci := range pf.Counties {
			c := &m.Counties[ci]
			if c.Step < 1 {
				pf.Span++
			}
			if c.Step < 3 {
				pf.AdminSpan++
			}
		}
		// A prefecture's supervisory staff is sized to the counties it supervises: when
		// counties move to the province's supervision, staff are reassigned (to the core's
		// other work) over about a year, so the attention left for the others stays put.
		target := m.cfg.Prefecture.Supervision * max(pf.Span, 1) / prefCountiesRef
		if m.month == -burnIn {
			pf.SupCap = target
		}
		pf.SupCap += (target - pf.SupCap) * staffAdjust
		pf.Attention = pf.SupCap / max(pf.Span, 1)
	}
	for p := range m.Provinces {
		pr := &m.Provinces[p]
		pr.Span = float64(len(pr.Prefs))
		pr.AdminSpan = pr.Span
		for _, ci := range pr.Counties {
			c := &m.Counties[ci]
			if c.Step >= 1 {
				pr.Span++
			}
			if c.Step >= 3 {
				pr.AdminSpan++
			}
		}
		// The province's supervision staff is sized to its opening span; it hires a
		// staff_response share of what a wider span needs (paid out of its pool, transfer),
		// and the rest of the extra load dilutes its attention.
		if m.month == -burnIn {
			pr.span0, pr.sup0, pr.SupCap = pr.Span, pr.Supervision, pr.Supervision
			pr.Establishment = pr.sup0
		}
		target := pr.sup0 * (1 + m.cfg.Province.StaffResponse*(pr.Span/pr.span0-1))
		// Staff is bound by the establishment quota, revised every estabReview months
		// (from month 0) to the staff the span then needs.
		if m.month >= 0 && m.month%estabReview == 0 {
			pr.Establishment = target
		}
		pr.SupCap += (min(target, pr.Establishment) - pr.SupCap) * staffAdjust
		pr.Attention = pr.SupCap / pr.Span
		pr.fidelity = linkFactor(pr.AdminSpan)
	}
	for j := range m.Prefs {
		pf := &m.Prefs[j]
		pf.fidelity = m.Provinces[pf.Province].fidelity * linkFactor(pf.AdminSpan)
	}
	// Counties under the same supervisor (and warning) face the same detection: exp is
	// computed once for each argument (memo, the same bits).
	var detect memo
	for i := range m.Counties {
		c := &m.Counties[i]
		att := m.Prefs[c.Pref].Attention
		if c.Step >= 1 {
			att = m.Provinces[c.Province].Attention
		}
		if c.Warning == Red {
			att *= redAuditMult
		}
		arg := -m.Provinces[c.Province].Audit * att
		e, ok := detect.get(arg)
		if !ok {
			e = detect.put(arg, Exp(arg))
		}
		c.Detection = 1 - e
		if c.Step >= 3 {
			c.Fidelity = m.Provinces[c.Province].fidelity
		} else {
			c.Fidelity = m.Prefs[c.Pref].fidelity
		}
		if m.month == -burnIn {
			c.fid0 = c.Fidelity
			c.det0 = c.Detection
		}
		c.Fear *= 1 - fearDecay
	}
}
