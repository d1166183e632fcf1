package sim

// Organisation parameters (assumptions, docs/MODEL.md Submodels: organisation).
const (
	staffPerOrgan     = 15.0 // administrative staff freed when an organ is merged
	mergeCost         = 3.0  // million yuan one-off transition cost per organ merged
	leaderPerOrgan    = 3.0  // leadership posts per organ
	leaderPremium     = 0.5  // extra wage of a leadership post, share of a staff wage
	townCategoryStaff = 0.85 // staff quota of category-2/3 towns under classification
	townLeadersCapped = 7.0  // leadership posts per town under classification
	townOrgans        = 8.0  // organs of a town before classification
	townOrganCap      = 6.0  // organ cap of ordinary and small towns under classification
	cmtAdminCost      = 0.02 // million yuan per month per town whose finance the county manages
	overlapCost       = 0.5  // extra operating cost per unit of overlap share
	overlapDelay      = 0.8  // extra county processing time per unit of overlap share
	transitionDrag    = 0.05 // county desk capacity lost per organ merged in a month
	townServiceNeed   = 3e-6 // million yuan per resident per month of town public service
)

// organise merges overlapping organs toward the streamlining target and adjusts staffing and
// leadership posts.
func (m *Model) organise() {
	o := m.cfg.Organisation
	streamline := o.StreamlineTarget > 0 && m.month >= o.StreamlineStart
	for i := range m.Counties {
		c := &m.Counties[i]
		c.Merging = 0
		c.transition = 0
		if streamline {
			target := c.organs0 * (1 - c.overlap0*o.StreamlineTarget)
			if gap := c.Organs - target; gap > 0.01 {
				merged := gap * o.StreamlinePace
				c.Organs -= merged
				c.Merging = merged
				c.transition = merged * mergeCost
				// Only overlapping organs are merged, so overlap falls with them.
				c.Overlap = max(0, c.organs0*c.overlap0-(c.organs0-c.Organs)) / c.Organs
				c.Staff -= merged * staffPerOrgan
				c.Leaders = leaderPerOrgan*c.Organs + countyLeadingGroup
			}
		}
	}
}

// organiseTowns applies the standing town settings once, when the world is built: the finance
// regime and, with town classification, the staff quotas, leadership posts and organ caps of
// ordinary and small towns.
func (m *Model) organiseTowns() {
	for t := range m.Towns {
		tw := &m.Towns[t]
		tw.CountyManaged = m.cfg.Finance.CountyManagedTown
		if m.cfg.Organisation.TownCategories && tw.Category > 1 {
			tw.Staff *= townCategoryStaff
			tw.Leaders = min(tw.Leaders, townLeadersCapped)
			tw.Organs = min(tw.Organs, townOrganCap)
		}
	}
}
