package sim

import "math"

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
)

// linkFactor is the fidelity of one supervisory link whose superior has span direct reports.
func linkFactor(span float64) float64 { return linkFidelity * math.Exp(-span/spanScale) }

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
		// A prefecture's supervisory staff is sized to the counties it was given.
		capacity := m.cfg.Prefecture.Supervision * float64(len(pf.Counties)) / prefCountiesRef
		pf.Attention = capacity / math.Max(pf.Span, 1)
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
		pr.Attention = pr.Supervision / pr.Span
		pr.fidelity = linkFactor(pr.AdminSpan)
	}
	for j := range m.Prefs {
		pf := &m.Prefs[j]
		pf.fidelity = m.Provinces[pf.Province].fidelity * linkFactor(pf.AdminSpan)
	}
	for i := range m.Counties {
		c := &m.Counties[i]
		att := m.Prefs[c.Pref].Attention
		if c.Step >= 1 {
			att = m.Provinces[c.Province].Attention
		}
		if c.Warning == Red {
			att *= redAuditMult
		}
		c.Detection = 1 - math.Exp(-m.Provinces[c.Province].Audit*att)
		if c.Step >= 3 {
			c.Fidelity = m.Provinces[c.Province].fidelity
		} else {
			c.Fidelity = m.Prefs[c.Pref].fidelity
		}
		if m.month == -burnIn {
			c.fid0 = c.Fidelity
		}
		c.Fear *= 1 - fearDecay
	}
}
