package observe

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/countysim/countysim/sim"
)

// Group is a named set of counties. Membership is decided every month from each county's
// current state, so the "step:k" groups follow counties as they move along the PMC path.
type Group struct {
	// Name is the group's label in outputs: "province", "province:NAME", "pilot",
	// "non-pilot", "step:0".."step:3", "cohort:NAME", "prefecture:NAME", "tercile:1".."tercile:3".
	Name string
	in   func(c *sim.County) bool
	// The partition the group belongs to and its key in it: a county is in the group when
	// part's key of the county is val (what in decides), so Memberships finds the members of
	// all groups in one pass, one look-up per partition.
	part part
	val  int
}

// part is a partition of the counties by a key; each group is one key of one partition.
type part uint8

const (
	partAll part = iota // key 0 for every county
	partProvince
	partPilot // 1 pilot, 0 not
	partStep
	partCohort
	partPref
	partTercile
	numParts
)

// key returns county c's key in partition p.
func (p part) key(c *sim.County) int {
	switch p {
	case partProvince:
		return c.Province
	case partPilot:
		if c.Pilot {
			return 1
		}
		return 0
	case partStep:
		return c.Step
	case partCohort:
		return c.Cohort
	case partPref:
		return c.Pref
	case partTercile:
		return c.Tercile
	}
	return 0
}

// Contains reports whether county c belongs to the group now.
func (g Group) Contains(c *sim.County) bool { return g.in(c) }

// Members appends to dst the indices of the counties in the group now and returns it.
func (g Group) Members(dst []int, counties []sim.County) []int {
	for i := range counties {
		if g.in(&counties[i]) {
			dst = append(dst, i)
		}
	}
	return dst
}

// Groups returns the reporting groups of m in output order: the whole province (all counties;
// with several provinces also one group per province), pilot and non-pilot, the PMC steps
// 0 to 3, the pilot cohorts named in the config, the prefectures, and the strength terciles
// (1 weakest). A name used twice gets a suffix "#2", "#3"... so names stay unique.
func Groups(m *sim.Model) []Group {
	gs := []Group{{Name: "province", in: func(*sim.County) bool { return true }, part: partAll}}
	if len(m.Provinces) > 1 {
		for p, pr := range m.Provinces {
			gs = append(gs, Group{Name: "province:" + pr.Name, in: func(c *sim.County) bool { return c.Province == p }, part: partProvince, val: p})
		}
	}
	gs = append(gs,
		Group{Name: "pilot", in: func(c *sim.County) bool { return c.Pilot }, part: partPilot, val: 1},
		Group{Name: "non-pilot", in: func(c *sim.County) bool { return !c.Pilot }, part: partPilot, val: 0},
	)
	for s := 0; s <= 3; s++ {
		gs = append(gs, Group{Name: "step:" + strconv.Itoa(s), in: func(c *sim.County) bool { return c.Step == s }, part: partStep, val: s})
	}
	for k, name := range CohortNames(m.Config()) {
		gs = append(gs, Group{Name: "cohort:" + name, in: func(c *sim.County) bool { return c.Cohort == k }, part: partCohort, val: k})
	}
	for j, pf := range m.Prefs {
		gs = append(gs, Group{Name: "prefecture:" + pf.Name, in: func(c *sim.County) bool { return c.Pref == j }, part: partPref, val: j})
	}
	for t := 1; t <= 3; t++ {
		gs = append(gs, Group{Name: "tercile:" + strconv.Itoa(t), in: func(c *sim.County) bool { return c.Tercile == t-1 }, part: partTercile, val: t - 1})
	}
	seen := make(map[string]int, len(gs))
	for i := range gs {
		seen[gs[i].Name]++
		if n := seen[gs[i].Name]; n > 1 {
			gs[i].Name = fmt.Sprintf("%s#%d", gs[i].Name, n)
		}
	}
	return gs
}

// CohortNames returns the display name of each configured cohort, by index ("cohortK" when
// the config leaves a name empty).
func CohortNames(cfg sim.Config) []string {
	names := make([]string, len(cfg.PMC.Cohorts))
	for k, co := range cfg.PMC.Cohorts {
		names[k] = co.Name
		if names[k] == "" {
			names[k] = "cohort" + strconv.Itoa(k+1)
		}
	}
	return names
}

// Memberships finds the members of a list of groups (of Groups, in any order and subset) in
// one pass over the counties: for each partition the groups use, one look-up of the county's
// key, instead of one membership test per group and county. It also tells which groups have
// the same members as an earlier one (whose values are then the same) and lists each group's
// members in the order of a LorenzOrder. A Memberships is not safe for concurrent use.
type Memberships struct {
	groups []Group
	parts  []part
	lookup [][]int32 // by parts: key -> group index, -1 for none
	// Lists are the members of each group by ascending county index, after Update.
	Lists   [][]int
	byCnty  []int32 // county i's group in parts[j] at i*len(parts)+j, -1 for none
	same    []int   // group index -> an earlier group with the same members, or -1
	ordered [][]int32
	bySize  map[int][]int // scratch: the groups of distinct members by their size
}

// NewMemberships prepares the membership of groups, each made by Groups.
func NewMemberships(groups []Group) *Memberships {
	ms := &Memberships{groups: groups, Lists: make([][]int, len(groups)), same: make([]int, len(groups)), ordered: make([][]int32, len(groups)), bySize: map[int][]int{}}
	at := map[part]int{}
	for g, grp := range groups {
		j, ok := at[grp.part]
		if !ok {
			j = len(ms.parts)
			at[grp.part] = j
			ms.parts = append(ms.parts, grp.part)
			ms.lookup = append(ms.lookup, nil)
		}
		lk := ms.lookup[j]
		for len(lk) <= grp.val {
			lk = append(lk, -1)
		}
		if lk[grp.val] < 0 { // a second group of the same key (none made by Groups) keeps its own test
			lk[grp.val] = int32(g)
		}
		ms.lookup[j] = lk
	}
	return ms
}

// Update finds the members of every group now. A group's list is the same as Group.Members.
func (ms *Memberships) Update(counties []sim.County) {
	for g := range ms.Lists {
		ms.Lists[g] = ms.Lists[g][:0]
	}
	np := len(ms.parts)
	if cap(ms.byCnty) < len(counties)*np {
		ms.byCnty = make([]int32, len(counties)*np)
	}
	ms.byCnty = ms.byCnty[:len(counties)*np]
	for i := range counties {
		c := &counties[i]
		for j, p := range ms.parts {
			g := int32(-1)
			if k, lk := p.key(c), ms.lookup[j]; k >= 0 && k < len(lk) {
				g = lk[k]
			}
			ms.byCnty[i*np+j] = g
			if g >= 0 {
				ms.Lists[g] = append(ms.Lists[g], i)
			}
		}
	}
	// Groups that share a key with another (not made by Groups) test their members one by one.
	for g, grp := range ms.groups {
		if j := slices.Index(ms.parts, grp.part); ms.lookup[j][grp.val] != int32(g) {
			ms.Lists[g] = grp.Members(ms.Lists[g][:0], counties)
		}
	}
	for n, gs := range ms.bySize {
		ms.bySize[n] = gs[:0]
	}
	for g, l := range ms.Lists {
		ms.same[g] = -1
		for _, h := range ms.bySize[len(l)] {
			if slices.Equal(ms.Lists[h], l) {
				ms.same[g] = h
				break
			}
		}
		if ms.same[g] < 0 {
			ms.bySize[len(l)] = append(ms.bySize[len(l)], g)
		}
	}
}

// Same returns an earlier group with the same members as group g after Update, or -1.
func (ms *Memberships) Same(g int) int { return ms.same[g] }

// InOrder returns the members of every group after Update in the order of the county
// indices order (a LorenzOrder's Order), in one pass over it; valid until the next InOrder.
func (ms *Memberships) InOrder(order []int32) [][]int32 {
	for g := range ms.ordered {
		ms.ordered[g] = ms.ordered[g][:0]
	}
	np := len(ms.parts)
	for _, i := range order {
		for _, g := range ms.byCnty[int(i)*np : int(i)*np+np] {
			if g >= 0 {
				ms.ordered[g] = append(ms.ordered[g], i)
			}
		}
	}
	// Groups listed one by one (see Update) are looked up from their members.
	for g, grp := range ms.groups {
		if j := slices.Index(ms.parts, grp.part); ms.lookup[j][grp.val] != int32(g) {
			in := make(map[int32]bool, len(ms.Lists[g]))
			for _, i := range ms.Lists[g] {
				in[int32(i)] = true
			}
			for _, i := range order {
				if in[i] {
					ms.ordered[g] = append(ms.ordered[g], i)
				}
			}
		}
	}
	return ms.ordered
}
