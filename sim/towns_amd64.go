package sim

import (
	"math"

	"golang.org/x/sys/cpu"
)

// haveTownsVec reports whether townsVec can run here: AVX2 (with FMA, as haveExp4, so that
// GODEBUG=cpu.fma=off turns every vector path off together) and POPCNT, in a build that does
// not fuse multiply-adds (fusedBuild).
var haveTownsVec = haveExp4 && cpu.X86.HasPOPCNT && !fusedBuild

// townsVec runs townFinance's town loop for one county four towns at a time with AVX2
// (towns_amd64.s), from the county's first town: the same operations in the same order on each
// lane, the three cases of an account computed on every lane and chosen by masks, so the same
// bits (TestTownsVecIsTheLoop). It stops at the first block of four in which one of the tests of
// checkTown or checkVillages fails, leaving that block and the rest untouched for the Go loop
// (which then calls the check), and reports in a the towns done and the county's sums over
// them, town by town in order. Call it only when haveTownsVec.
//
//go:noescape
func townsVec(a *townVecCall)

// townVecC holds the constants townsVec uses, broadcast to four lanes as bits: the Go constants
// converted as the Go loop converts them.
var townVecC = func() (c [14][4]uint64) {
	for i, v := range [...]uint64{
		math.Float64bits(12),
		math.Float64bits(townRate),
		math.Float64bits(cmtMisuseFactor),
		math.Float64bits(serviceAdjust),
		math.Float64bits(serviceAdjustCMT),
		math.Float64bits(tolerance),
		math.Float64bits(-tolerance),
		math.Float64bits(1),
		math.Float64bits(serviceCap),
		math.Float64bits(disputeServiceBase),
		math.Float64bits(disputeServiceCap),
		1<<63 - 1, // clears the sign: math.Abs
		Red,
		Yellow,
	} {
		c[i] = [4]uint64{v, v, v, v}
	}
	return c
}()

// townVecBits[k-1] has the bits of the first k of four lanes.
var townVecBits = [4]uint64{1, 3, 7, 15}

// townVecNotCM[b] marks (all ones) the lanes whose bit in b is 0: the towns the county does not
// manage.
var townVecNotCM = func() (notCM [16][4]uint64) {
	for b := range notCM {
		for i := range 4 {
			if b>>i&1 == 0 {
				notCM[b][i] = math.MaxUint64
			}
		}
	}
	return notCM
}()
