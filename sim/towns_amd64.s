// townsVec runs townFinance's town loop on four towns at once with AVX2: the same operations in
// the same order on each lane of a 256-bit register, the three cases of a town's account
// computed on every lane and chosen by masks, so the same bits as the Go loop
// (TestTownsVecIsTheLoop). See towns_amd64.go.

#include "textflag.h"
#include "go_asm.h"

// The frame holds, from BX (the first address in it aligned to 32 bytes, so that no 256-bit
// access to a slot splits a cache line), the county's values of the month broadcast to four
// lanes (B_), values kept for later (T_), a block's results before they are written to its
// towns (S_) and the sums over the towns (A_). The constants (C_) are in townVecC.
#define B_idx 0(BX)
#define B_wageRate 32(BX)
#define B_paidShare 64(BX)
#define B_revenueBase 96(BX)
#define B_misuseGreen 128(BX)
#define B_misuseRed 160(BX)
#define B_unfundedShare 192(BX)
#define B_fundedShare 224(BX)
#define B_townRepay 256(BX)
#define B_red 288(BX)
#define B_yellow 320(BX)
#define B_partF 352(BX)
#define B_leak 384(BX)
#define B_villageNew 416(BX)
#define B_villageRes 448(BX)
#define B_stop 480(BX)
#define B_redStops 512(BX)
#define T_notCM 544(BX)
#define T_serviceNeed 608(BX)
#define T_service 640(BX)
#define T_fund 672(BX)
#define T_bp 704(BX)
#define T_dp 736(BX)
#define T_wasRed 768(BX)
// S_: in the order of the fields in Town, in groups of four (see the stores).
#define S_Revenue 800(BX)
#define S_Mandates 832(BX)
#define S_Unfunded 864(BX)
#define S_Debt 896(BX)
#define S_Service 928(BX)
#define S_Disputes 960(BX)
#define S_Misused 992(BX)
#define S_VillageLeak 1024(BX)
#define S_Balance 1056(BX)
#define S_Borrowed 1088(BX)
#define S_repaid 1120(BX)
#define S_unpaid 1152(BX)
#define S_Warning 1184(BX)
#define S_VWarning 1216(BX)
#define S_VDebt 1248(BX)
#define S_VBorrowed 1280(BX)
#define S_VRepaid 1312(BX)
#define S_VWorks 1344(BX)
#define S_recv 1376(BX)
#define S_leak 1408(BX)
#define A_paid 1440(BX)
#define A_villageDebt 1448(BX)
#define A_disputes 1456(BX)
#define A_townDebt 1464(BX)
#define A_townService 1472(BX)
#define A_townLeak 1480(BX)
#define T_sv 1504(BX)
#define T_vw 1536(BX)
// The spare town's address and townVecCall.prefetch, outside the aligned slots.
#define SPARE 1600(SP)
#define PREF 1608(SP)

#define C_12 ·townVecC+0(SB)
#define C_townRate ·townVecC+32(SB)
#define C_cmtMisuse ·townVecC+64(SB)
#define C_adj ·townVecC+96(SB)
#define C_adjCMT ·townVecC+128(SB)
#define C_tol ·townVecC+160(SB)
#define C_negTol ·townVecC+192(SB)
#define C_one ·townVecC+224(SB)
#define C_serviceCap ·townVecC+256(SB)
#define C_dispBase ·townVecC+288(SB)
#define C_dispCap ·townVecC+320(SB)
#define C_abs ·townVecC+352(SB)
#define C_redInt ·townVecC+384(SB)
#define C_yellowInt ·townVecC+416(SB)

// The constants of a block of four towns (townKV): each field for the four towns.
#define K_wageUnits 0(SI)
#define K_fixed 32(SI)
#define K_mandatePop 64(SI)
#define K_servicePop 96(SI)
#define K_fund 128(SI)
#define K_villages 160(SI)
#define K_disputePop 192(SI)
#define K_size 224

// LOADT loads a field of the four towns (at DI, R8, R9, R10) into Y, using YT, without
// shuffles: a broadcast of each town's value and a blend of its lane.
#define LOADT(off, Y, YT) \
	VBROADCASTSD off(DI), Y; \
	VBROADCASTSD off(R8), YT; \
	VBLENDPD $2, YT, Y, Y; \
	VBROADCASTSD off(R9), YT; \
	VBLENDPD $4, YT, Y, Y; \
	VBROADCASTSD off(R10), YT; \
	VBLENDPD $8, YT, Y, Y

// STORE4 writes four consecutive fields of Town from off, held by the slots a, b, c, d (one
// lane per town), to the four towns: a transpose of the four slots, each loaded whole (loads
// of halves of a slot just stored measured slower, as if not forwarded from the store), by
// VPERM2F128 and unpacks.
#define STORE4(a, b, c, d, off) \
	VMOVUPD a, Y0; \
	VMOVUPD b, Y1; \
	VPERM2F128 $0x20, c, Y0, Y2; \
	VPERM2F128 $0x20, d, Y1, Y3; \
	VPERM2F128 $0x31, c, Y0, Y4; \
	VPERM2F128 $0x31, d, Y1, Y5; \
	VUNPCKLPD Y3, Y2, Y6; \
	VUNPCKHPD Y3, Y2, Y7; \
	VMOVUPD Y6, off(DI); \
	VMOVUPD Y7, off(R8); \
	VUNPCKLPD Y5, Y4, Y6; \
	VUNPCKHPD Y5, Y4, Y7; \
	VMOVUPD Y6, off(R9); \
	VMOVUPD Y7, off(R10)

// WARNING sets w to the warning level of debt against base (townMonth.warning): Red (2) where
// debt >= red*base, else Yellow (1) where debt >= yellow*base, else Green (0); t is a scratch.
#define WARNING(debt, base, t, w) \
	VMULPD B_yellow, base, w; \
	VCMPPD $0x1D, w, debt, w; \
	VANDPD C_yellowInt, w, w; \
	VMULPD B_red, base, t; \
	VCMPPD $0x1D, t, debt, t; \
	VBLENDVPD t, C_redInt, w, w

// BCAST broadcasts the float64 at off(AX) to slot.
#define BCAST(off, slot) \
	VBROADCASTSD off(AX), Y0; \
	VMOVUPD Y0, slot

// BMASK broadcasts the bool at off(AX) to slot as all ones or all zeros, as one vector store (a
// vector load spanning four 64-bit stores is not forwarded from them). The move to X0 is VEX
// encoded (VMOVQ): the assembler's MOVQ R13, X0 is legacy SSE, and a legacy SSE instruction
// while the upper halves of the Y registers are dirty (after BCAST) stalled the whole function:
// on a Xeon VM (family 6 model 167) the two BMASKs took 27% of BenchmarkHenan20y, and the
// benchmark went from 27.0 to 21.1 ms with VMOVQ (docs/BENCHMARKS.md, sixteenth round).
#define BMASK(off, slot) \
	MOVBQZX off(AX), R13; \
	NEGQ R13; \
	VMOVQ R13, X0; \
	VPBROADCASTQ X0, Y0; \
	VMOVUPD Y0, slot

// func townsVec(a *townVecCall)
TEXT ·townsVec(SB), 0, $1616-8
	MOVQ a+0(FP), BX
	MOVQ townVecCall_tw(BX), DI
	MOVQ townVecCall_k(BX), SI
	MOVQ townVecCall_n(BX), DX
	MOVQ townVecCall_tm(BX), AX
	// The spare town's address, for the loop; BX then holds the frame's slots, aligned to 32
	// bytes so that no 256-bit access to them splits a cache line.
	LEAQ townVecCall_spare(BX), R13
	MOVQ R13, SPARE
	MOVBQZX townVecCall_prefetch(BX), R13
	MOVQ R13, PREF
	LEAQ 31(SP), BX
	ANDQ $-32, BX

	BCAST(townMonth_idx, B_idx)
	BCAST(townMonth_wageRate, B_wageRate)
	BCAST(townMonth_paidShare, B_paidShare)
	BCAST(townMonth_revenueBase, B_revenueBase)
	BCAST(townMonth_misuseGreen, B_misuseGreen)
	BCAST(townMonth_misuseRed, B_misuseRed)
	BCAST(townMonth_unfundedShare, B_unfundedShare)
	BCAST(townMonth_fundedShare, B_fundedShare)
	BCAST(townMonth_townRepay, B_townRepay)
	BCAST(townMonth_red, B_red)
	BCAST(townMonth_yellow, B_yellow)
	BCAST(townMonth_partF, B_partF)
	BCAST(townMonth_leak, B_leak)
	BCAST(townMonth_villageNew, B_villageNew)
	BCAST(townMonth_villageRes, B_villageRes)
	BMASK(townMonth_stop, B_stop)
	BMASK(townMonth_redStops, B_redStops)
	// The sums start at +0, as in Go: stored as the vectors the blocks load them as.
	VXORPD Y0, Y0, Y0
	VMOVUPD Y0, A_paid
	VMOVUPD X0, A_townService
	XORQ R11, R11 // towns red
	XORQ R12, R12 // villages red
	XORQ CX, CX   // j, the first town of the block

loop:
	MOVQ DX, AX
	SUBQ CX, AX // r, the towns left
	JLE  finished
	// Where townVecCall.prefetch, prefetch the towns and constants eight blocks ahead (7 KiB
	// of towns): at the national size the towns do not stay in the caches between months,
	// and the hardware prefetcher alone leaves the loop waiting on memory (docs/BENCHMARKS.md,
	// fourteenth round). A prefetch past the end of the slices is harmless: it never faults.
	// Where the towns stay in the caches (Henan), the prefetches only cost instructions
	// (sixteenth round).
	CMPQ PREF, $0
	JEQ  fetched
	PREFETCHT0 7168(DI)
	PREFETCHT0 7232(DI)
	PREFETCHT0 7296(DI)
	PREFETCHT0 7360(DI)
	PREFETCHT0 7424(DI)
	PREFETCHT0 7488(DI)
	PREFETCHT0 7552(DI)
	PREFETCHT0 7616(DI)
	PREFETCHT0 7680(DI)
	PREFETCHT0 7744(DI)
	PREFETCHT0 7808(DI)
	PREFETCHT0 7872(DI)
	PREFETCHT0 7936(DI)
	PREFETCHT0 8000(DI)
	PREFETCHT0 1792(SI)
	PREFETCHT0 1856(SI)
	PREFETCHT0 1920(SI)
	PREFETCHT0 1984(SI)

fetched:
	// The four towns; where fewer than four are left, the other lanes read and write
	// townVecCall.spare.
	LEAQ Town__size(DI), R8
	LEAQ Town__size(R8), R9
	LEAQ Town__size(R9), R10
	MOVQ SPARE, R13
	CMPQ AX, $4
	CMOVQLT R13, R10
	CMPQ AX, $3
	CMOVQLT R13, R9
	CMPQ AX, $2
	CMOVQLT R13, R8
	// The valid lanes' bits (R14): the first min(r, 4).
	MOVQ $4, R14
	CMPQ AX, R14
	CMOVQLT AX, R14
	LEAQ ·townVecBits-8(SB), R13
	MOVQ (R13)(R14*8), R14

	// notCM: all ones where the county does not manage the town's finance (townVecNotCM
	// by the four bools as bits).
	MOVBQZX Town_CountyManaged(DI), R13
	MOVBQZX Town_CountyManaged(R8), AX
	LEAQ (R13)(AX*2), R13
	MOVBQZX Town_CountyManaged(R9), AX
	LEAQ (R13)(AX*4), R13
	MOVBQZX Town_CountyManaged(R10), AX
	LEAQ (R13)(AX*8), R13
	SHLQ $5, R13
	LEAQ ·townVecNotCM(SB), AX
	VMOVUPD (AX)(R13*1), Y12 // notCM
	VMOVUPD Y12, T_notCM

	LOADT(Town_Balance, Y0, Y15) // balancePrev
	VMOVUPD Y0, T_bp
	// debtPrev and Service, consecutive in Town: a 128-bit load per town, two of them
	// unpacked together (fewer loads than LOADT).
	VMOVUPD Town_Debt(DI), X1
	VINSERTF128 $1, Town_Debt(R9), Y1, Y1
	VMOVUPD Town_Debt(R8), X15
	VINSERTF128 $1, Town_Debt(R10), Y15, Y15
	VUNPCKHPD Y15, Y1, Y14 // Service (sv)
	VUNPCKLPD Y15, Y1, Y1 // debtPrev
	VMOVUPD Y14, T_sv
	VMOVUPD Y1, T_dp

	// mandates = k.mandatePop*idx; unfunded = unfundedShare*mandates
	VMOVUPD K_mandatePop, Y2
	VMULPD B_idx, Y2, Y2
	VMOVUPD Y2, S_Mandates
	VMULPD B_unfundedShare, Y2, Y3 // unfunded
	VMOVUPD Y3, S_Unfunded

	// basic = k.wageUnits*wageRate/12 + k.fixed*idx
	VMOVUPD K_wageUnits, Y4
	VMULPD B_wageRate, Y4, Y4
	VDIVPD C_12, Y4, Y4
	VMOVUPD K_fixed, Y5
	VMULPD B_idx, Y5, Y5
	VADDPD Y5, Y4, Y4 // basic
	// received = (basic + fundedShare*mandates)*paidShare
	VMULPD B_fundedShare, Y2, Y5
	VADDPD Y5, Y4, Y4
	VMULPD B_paidShare, Y4, Y4 // received
	VMOVUPD Y4, S_recv

	// revenue = revenueBase*Share; avail = balancePrev + revenue
	LOADT(Town_Share, Y5, Y15)
	VMULPD B_revenueBase, Y5, Y5 // revenue
	VMOVUPD Y5, S_Revenue
	VADDPD Y5, Y0, Y6 // avail

	// interest = debtPrev*townRate/12; serviceNeed = k.servicePop*idx
	VMULPD C_townRate, Y1, Y7
	VDIVPD C_12, Y7, Y7 // interest
	VMOVUPD K_servicePop, Y8
	VMULPD B_idx, Y8, Y8 // serviceNeed (and service)
	VMOVUPD Y8, T_serviceNeed
	// need = interest + unfunded + service
	VADDPD Y3, Y7, Y9
	VADDPD Y8, Y9, Y9 // need

	// wasRed; c1 = avail >= need; canBorrow = notCM && !stop && !(redStops && wasRed)
	// Warning and VillageWarning, consecutive in Town, as debtPrev and Service.
	VMOVUPD Town_Warning(DI), X10
	VINSERTF128 $1, Town_Warning(R9), Y10, Y10
	VMOVUPD Town_Warning(R8), X15
	VINSERTF128 $1, Town_Warning(R10), Y15, Y15
	VUNPCKHPD Y15, Y10, Y14 // VillageWarning
	VUNPCKLPD Y15, Y10, Y10 // Warning
	VMOVUPD Y14, T_vw
	VPCMPEQQ C_redInt, Y10, Y10 // wasRed
	VMOVUPD Y10, T_wasRed
	VCMPPD $0x1D, Y9, Y6, Y11 // c1 (GE_OQ)
	VANDPD B_redStops, Y10, Y13
	VORPD B_stop, Y13, Y13
	VANDNPD Y12, Y13, Y13 // canBorrow
	VANDNPD Y13, Y11, Y14 // c2 = !c1 && canBorrow
	VORPD Y13, Y11, Y15 // keep = c1 || canBorrow (the default case where it is false)

	// repaid = c1 ? minf(avail-need, debtPrev*townRepay/12) : 0
	VSUBPD Y9, Y6, Y2
	VMULPD B_townRepay, Y1, Y0
	VDIVPD C_12, Y0, Y0
	VMINPD Y0, Y2, Y2
	VANDPD Y11, Y2, Y2 // repaid
	VMOVUPD Y2, S_repaid
	// borrowed = c2 ? need-avail : 0
	VSUBPD Y6, Y9, Y0
	VANDPD Y14, Y0, Y0 // borrowed
	VMOVUPD Y0, S_Borrowed

	// The default case: interestPaid = minf(avail, interest); unpaid = interest-interestPaid;
	// unfunded' = minf(avail-interestPaid, unfunded); service' = maxf(0, avail-interestPaid-unfunded').
	VMINPD Y7, Y6, Y9 // interestPaid
	VSUBPD Y9, Y7, Y1 // unpaid
	VANDNPD Y1, Y15, Y1 // unpaidInterest = keep ? 0 : unpaid
	VMOVUPD Y1, S_unpaid
	VSUBPD Y9, Y6, Y10 // avail - interestPaid
	VMINPD Y3, Y10, Y13 // unfunded'
	VSUBPD Y13, Y10, Y10
	VXORPD Y14, Y14, Y14
	VMAXPD Y10, Y14, Y10 // service'
	VBLENDVPD Y15, Y7, Y9, Y7 // interest = keep ? interest : interestPaid
	VBLENDVPD Y15, Y3, Y13, Y3 // unfunded
	VBLENDVPD Y15, Y8, Y10, Y8 // service
	VMOVUPD Y8, T_service

	// misuseRate = wasRed ? misuseRed : misuseGreen, times cmtMisuseFactor where county-managed
	VMOVUPD T_wasRed, Y10
	VMOVUPD B_misuseGreen, Y9
	VMOVUPD B_misuseRed, Y13
	VBLENDVPD Y10, Y13, Y9, Y9
	VMULPD C_cmtMisuse, Y9, Y13
	VBLENDVPD Y12, Y9, Y13, Y9 // notCM ? rate : rate*cmtMisuseFactor
	VMULPD Y8, Y9, Y9 // misused
	VMOVUPD Y9, S_Misused

	// fund = k.fund*idx; villageLeak = leak*fund
	VMOVUPD K_fund, Y10
	VMULPD B_idx, Y10, Y10 // fund
	VMULPD B_leak, Y10, Y11 // villageLeak
	VMOVUPD Y11, S_VillageLeak
	VADDPD Y11, Y9, Y13 // misused + villageLeak, for the county's sum
	VMOVUPD Y13, S_leak

	// in = received + revenue + borrowed; out = received + interest + unfunded + service + repaid
	VADDPD Y5, Y4, Y12
	VADDPD Y0, Y12, Y12 // in
	VADDPD Y7, Y4, Y13
	VADDPD Y3, Y13, Y13
	VADDPD Y8, Y13, Y13
	VADDPD Y2, Y13, Y13 // out
	// balance = balancePrev + (in-out); debt = debtPrev + (borrowed-repaid+unpaidInterest)
	VSUBPD Y13, Y12, Y14 // in-out
	VMOVUPD T_bp, Y6
	VADDPD Y14, Y6, Y7 // balance
	VMOVUPD Y7, S_Balance
	VSUBPD Y2, Y0, Y3
	VADDPD Y1, Y3, Y3
	VMOVUPD T_dp, Y8
	VADDPD Y3, Y8, Y3 // debt
	VMOVUPD Y3, S_Debt

	// The tests of checkTown: near((balance-balancePrev)-(in-out), in+out), balance >=
	// -tolerance*(in+out+1) (or unordered), near(debt-(debtPrev+borrowed-repaid+unpaidInterest), debt).
	// Y15 collects the lanes that pass.
	VADDPD Y13, Y12, Y13 // in+out
	VSUBPD Y6, Y7, Y6
	VSUBPD Y14, Y6, Y6 // d
	VANDPD C_abs, Y6, Y6
	VANDPD C_abs, Y13, Y14
	VADDPD C_one, Y14, Y14
	VMULPD C_tol, Y14, Y14
	VCMPPD $0x12, Y14, Y6, Y15 // |d| <= tolerance*(|in+out|+1) (LE_OQ)
	VADDPD C_one, Y13, Y13
	VMULPD C_negTol, Y13, Y13
	VCMPPD $0x15, Y13, Y7, Y14 // !(balance < -tolerance*(in+out+1)) (NLT_UQ)
	VANDPD Y14, Y15, Y15
	VADDPD Y0, Y8, Y6
	VSUBPD Y2, Y6, Y6
	VADDPD Y1, Y6, Y6
	VSUBPD Y6, Y3, Y6 // debt - (debtPrev+borrowed-repaid+unpaidInterest)
	VANDPD C_abs, Y6, Y6
	VANDPD C_abs, Y3, Y14
	VADDPD C_one, Y14, Y14
	VMULPD C_tol, Y14, Y14
	VCMPPD $0x12, Y14, Y6, Y14
	VANDPD Y14, Y15, Y15

	// warning = Red where debt >= red*base, else Yellow where debt >= yellow*base, else
	// Green (0), with base = 12*(received+revenue)
	VADDPD Y5, Y4, Y4
	VMULPD C_12, Y4, Y4 // base
	WARNING(Y3, Y4, Y6, Y5)
	VMOVUPD Y5, S_Warning

	// Villages. vBorrowed = redStops && VillageWarning == Red ? 0 : villageNew*k.villages
	VMOVUPD T_vw, Y0 // VillageWarning
	VPCMPEQQ C_redInt, Y0, Y0
	VANDPD B_redStops, Y0, Y0
	VMOVUPD K_villages, Y1
	VMULPD B_villageNew, Y1, Y1
	VANDNPD Y1, Y0, Y1 // vBorrowed
	VMOVUPD Y1, S_VBorrowed
	// vRepaid = minf(vPrev*villageRes/12, fund-villageLeak)
	LOADT(Town_VillageDebt, Y2, Y14) // vPrev
	VMULPD B_villageRes, Y2, Y3
	VDIVPD C_12, Y3, Y3
	VSUBPD Y11, Y10, Y4 // fund - villageLeak
	VMINPD Y4, Y3, Y3 // vRepaid
	VMOVUPD Y3, S_VRepaid
	// vDebt = vPrev + (vBorrowed-vRepaid); works = fund - villageLeak + vBorrowed - vRepaid
	VSUBPD Y3, Y1, Y5
	VADDPD Y5, Y2, Y5 // vDebt
	VMOVUPD Y5, S_VDebt
	VADDPD Y1, Y4, Y6
	VSUBPD Y3, Y6, Y6 // works
	VMOVUPD Y6, S_VWorks
	// The tests of checkVillages: near(vDebt-(vPrev+vBorrowed-vRepaid), vDebt) and
	// works >= -tolerance*(vDebt+1) (or unordered).
	VADDPD Y1, Y2, Y7
	VSUBPD Y3, Y7, Y7
	VSUBPD Y7, Y5, Y7
	VANDPD C_abs, Y7, Y7
	VANDPD C_abs, Y5, Y0
	VADDPD C_one, Y0, Y0
	VMULPD C_tol, Y0, Y0
	VCMPPD $0x12, Y0, Y7, Y0
	VANDPD Y0, Y15, Y15
	VADDPD C_one, Y5, Y0
	VMULPD C_negTol, Y0, Y0
	VCMPPD $0x15, Y0, Y6, Y0
	VANDPD Y0, Y15, Y15
	// vWarning = warning(vDebt, 12*fund)
	VMULPD C_12, Y10, Y4
	WARNING(Y5, Y4, Y1, Y0)
	VMOVUPD Y0, S_VWarning

	// delivered = service - misused - villageLeak;
	// sv += (clamp(delivered/serviceNeed, 0, serviceCap) - sv)*adj
	VMOVUPD T_service, Y0
	VSUBPD S_Misused, Y0, Y0
	VSUBPD Y11, Y0, Y0
	VDIVPD T_serviceNeed, Y0, Y0
	VXORPD Y1, Y1, Y1
	VMAXPD Y0, Y1, Y0 // 0 > x ? 0 : x
	VMOVUPD C_serviceCap, Y1
	VMINPD Y0, Y1, Y0 // cap < x ? cap : x
	VMOVUPD T_sv, Y2 // sv
	VSUBPD Y2, Y0, Y0
	VMOVUPD T_notCM, Y3
	VMOVUPD C_adjCMT, Y1
	VBLENDVPD Y3, C_adj, Y1, Y1 // notCM ? serviceAdjust : serviceAdjustCMT
	VMULPD Y1, Y0, Y0
	VADDPD Y0, Y2, Y2 // sv
	VMOVUPD Y2, S_Service
	// dispute = k.disputePop*partF*(disputeServiceBase - minf(sv, disputeServiceCap))
	VMINPD C_dispCap, Y2, Y2
	VMOVUPD C_dispBase, Y0
	VSUBPD Y2, Y0, Y0
	VMOVUPD K_disputePop, Y1
	VMULPD B_partF, Y1, Y1
	VMULPD Y0, Y1, Y1
	VMOVUPD Y1, S_Disputes

	// Every valid lane passed the tests, or leave this block to the Go loop.
	VMOVMSKPD Y15, AX
	ANDQ R14, AX
	CMPQ AX, R14
	JNE  bail

	STORE4(S_Revenue, S_Mandates, S_Unfunded, S_Debt, Town_Revenue)
	STORE4(S_Service, S_Disputes, S_Misused, S_VillageLeak, Town_Service)
	STORE4(S_Balance, S_Borrowed, S_repaid, S_unpaid, Town_Balance)
	STORE4(S_Warning, S_VWarning, S_VDebt, S_VBorrowed, Town_Warning)
	VMOVUPD S_VRepaid, Y0
	VMOVUPD S_VWorks, Y1
	VUNPCKLPD Y1, Y0, Y2
	VUNPCKHPD Y1, Y0, Y3
	VMOVUPD X2, Town_VillageRepaid(DI)
	VMOVUPD X3, Town_VillageRepaid(R8)
	VEXTRACTF128 $1, Y2, Town_VillageRepaid(R9)
	VEXTRACTF128 $1, Y3, Town_VillageRepaid(R10)

	// The county's sums, town by town in order, and its red towns and villages.
	VMOVUPD S_Warning, Y0
	VPCMPEQQ C_redInt, Y0, Y0
	VMOVMSKPD Y0, AX
	ANDQ R14, AX
	POPCNTQ AX, AX
	ADDQ AX, R11
	VMOVUPD S_VWarning, Y0
	VPCMPEQQ C_redInt, Y0, Y0
	VMOVMSKPD Y0, AX
	ANDQ R14, AX
	POPCNTQ AX, AX
	ADDQ AX, R12
	// The county's sums town by town in order, four of them in one vector (A_paid to
	// A_townDebt, consecutive in the frame) and two in another (A_townService, A_townLeak):
	// each town's values as one vector (a transpose, as STORE4), added to the sums in turn.
	VMOVUPD S_recv, Y0
	VMOVUPD S_VDebt, Y1
	VPERM2F128 $0x20, S_Disputes, Y0, Y2
	VPERM2F128 $0x20, S_Debt, Y1, Y3
	VPERM2F128 $0x31, S_Disputes, Y0, Y4
	VPERM2F128 $0x31, S_Debt, Y1, Y5
	VUNPCKLPD Y3, Y2, Y6 // town 0: received, villageDebt, disputes, debt
	VUNPCKHPD Y3, Y2, Y7 // town 1
	VUNPCKLPD Y5, Y4, Y10 // town 2
	VUNPCKHPD Y5, Y4, Y11 // town 3
	VMOVUPD S_Service, Y0
	VMOVUPD S_leak, Y1
	VUNPCKLPD Y1, Y0, Y12 // towns 0 and 2: service, leak
	VUNPCKHPD Y1, Y0, Y13 // towns 1 and 3
	VEXTRACTF128 $1, Y12, X14 // town 2
	VEXTRACTF128 $1, Y13, X15 // town 3
	VMOVUPD A_paid, Y8
	VMOVUPD A_townService, X9
	MOVQ DX, AX
	SUBQ CX, AX
	VADDPD Y6, Y8, Y8
	VADDPD X12, X9, X9
	CMPQ AX, $1
	JLE  summed
	VADDPD Y7, Y8, Y8
	VADDPD X13, X9, X9
	CMPQ AX, $2
	JLE  summed
	VADDPD Y10, Y8, Y8
	VADDPD X14, X9, X9
	CMPQ AX, $3
	JLE  summed
	VADDPD Y11, Y8, Y8
	VADDPD X15, X9, X9

summed:
	VMOVUPD Y8, A_paid
	VMOVUPD X9, A_townService

	LEAQ Town__size(R10), DI
	ADDQ $K_size, SI
	ADDQ $4, CX
	JMP  loop

finished:
	MOVQ DX, CX

bail:
	MOVQ a+0(FP), DI
	MOVQ CX, townVecCall_done(DI)
	MOVQ R11, townVecCall_townsRed(DI)
	MOVQ R12, townVecCall_villagesRed(DI)
	MOVQ A_paid, AX
	MOVQ AX, townVecCall_paid(DI)
	MOVQ A_villageDebt, AX
	MOVQ AX, townVecCall_villageDebt(DI)
	MOVQ A_disputes, AX
	MOVQ AX, townVecCall_disputes(DI)
	MOVQ A_townDebt, AX
	MOVQ AX, townVecCall_townDebt(DI)
	MOVQ A_townService, AX
	MOVQ AX, townVecCall_townService(DI)
	MOVQ A_townLeak, AX
	MOVQ AX, townVecCall_townLeak(DI)
	VZEROUPPER
	RET
