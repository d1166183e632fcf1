// townsVec runs townFinance's town loop on four towns at once with AVX2: the same operations in
// the same order on each lane of a 256-bit register, the three cases of a town's account
// computed on every lane and chosen by masks, so the same bits as the Go loop
// (TestTownsVecIsTheLoop). See towns_amd64.go.
//
// The schedule: software pipelining. A block of four towns is one long chain of dependent
// instructions (loads, the interest, need, the account's case, service, misuse, the service
// level, disputes), and its ~330 instructions fill the scheduler while they wait on it, so that
// consecutive blocks barely overlapped (docs/BENCHMARKS.md, eleventh round). Each iteration
// therefore first computes the head of the next block's chain (its loads, the account's case
// and service, its villages: "head") into one of two 1 KiB scratches of the frame, then the
// tail of this block's (misuse, the service level, disputes, the flows, the tests, the
// warnings: "tail") from the other, then this block's verdict, stores and sums ("out"), so that
// two blocks' chains are in flight. A block whose tests fail stops the loop before its stores,
// as before; the next block's head wrote only the scratch.

#include "textflag.h"
#include "go_asm.h"

// BLK is the scratch of one block (two of them, at R12 = 0 and BLK).
#define BLK 1024

// The frame (from DX, aligned to a cache line) holds the county's values of the month
// broadcast to four lanes (B_), the sums over the towns (A_), the chunk's state (V_), and per
// block of the chunk (at R12 = block*BLK) its results before they are written to its towns
// (S_) and values kept for a later pass (T_). The constants (C_) are in townVecC.
#define B_idx 0(DX)
#define B_wageRate 32(DX)
#define B_paidShare 64(DX)
#define B_revenueBase 96(DX)
#define B_misuseGreen 128(DX)
#define B_misuseRed 160(DX)
#define B_unfundedShare 192(DX)
#define B_fundedShare 224(DX)
#define B_townRepay 256(DX)
#define B_red 288(DX)
#define B_yellow 320(DX)
#define B_partF 352(DX)
#define B_leak 384(DX)
#define B_villageNew 416(DX)
#define B_villageRes 448(DX)
#define B_stop 480(DX)
#define B_redStops 512(DX)
#define A_paid 544(DX)
#define A_villageDebt 552(DX)
#define A_disputes 560(DX)
#define A_townDebt 568(DX)
#define A_townService 576(DX)
#define A_townLeak 584(DX)
#define V_villagesRed 592(DX)
#define V_di 600(DX) // this block's first town, while the next block's head runs
#define V_j0 616(DX) // this block's first town's index, the same
// S_: in the order of the fields in Town, in groups of four (see the stores).
#define S_Revenue 640(DX)(R12*1)
#define S_Mandates 672(DX)(R12*1)
#define S_Unfunded 704(DX)(R12*1)
#define S_Debt 736(DX)(R12*1)
#define S_Service 768(DX)(R12*1)
#define S_Disputes 800(DX)(R12*1)
#define S_Misused 832(DX)(R12*1)
#define S_VillageLeak 864(DX)(R12*1)
#define S_Balance 896(DX)(R12*1)
#define S_Borrowed 928(DX)(R12*1)
#define S_repaid 960(DX)(R12*1)
#define S_unpaid 992(DX)(R12*1)
#define S_Warning 1024(DX)(R12*1)
#define S_VWarning 1056(DX)(R12*1)
#define S_VDebt 1088(DX)(R12*1)
#define S_VBorrowed 1120(DX)(R12*1)
#define S_VRepaid 1152(DX)(R12*1)
#define S_VWorks 1184(DX)(R12*1)
#define S_recv 1216(DX)(R12*1)
#define S_leak 1248(DX)(R12*1)
#define T_notCM 1280(DX)(R12*1)
#define T_serviceNeed 1312(DX)(R12*1)
#define T_service 1344(DX)(R12*1)
#define T_bp 1376(DX)(R12*1)
#define T_dp 1408(DX)(R12*1)
#define T_wasRed 1440(DX)(R12*1)
#define T_sv 1472(DX)(R12*1)
#define T_interest 1504(DX)(R12*1) // interest after the account's case
#define T_unfunded 1536(DX)(R12*1) // unfunded after the account's case
#define T_vok 1568(DX)(R12*1)      // the lanes that pass checkVillages' tests
#define T_ok 1600(DX)(R12*1)       // the lanes that pass every test, as bits
#define T_vw 1632(DX)(R12*1)

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

// TOWNS sets R8, R9, R10 to the block's second, third and fourth towns (DI the first, CX its
// index): where fewer than four are left, the other lanes read and write townVecCall.spare.
// AX is left with r, the towns left.
#define TOWNS \
	MOVQ townVecCall_n(BX), AX; \
	SUBQ CX, AX; \
	LEAQ Town__size(DI), R8; \
	LEAQ Town__size(R8), R9; \
	LEAQ Town__size(R9), R10; \
	LEAQ townVecCall_spare(BX), R13; \
	CMPQ AX, $4; \
	CMOVQLT R13, R10; \
	CMPQ AX, $3; \
	CMOVQLT R13, R9; \
	CMPQ AX, $2; \
	CMOVQLT R13, R8

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
// lane per town), to the four towns: a transpose by 128-bit loads and unpacks.
#define STORE4(a, b, c, d, off) \
	VMOVUPD a, X0; \
	VINSERTF128 $1, c, Y0, Y0; \
	VMOVUPD b, X1; \
	VINSERTF128 $1, d, Y1, Y1; \
	VUNPCKLPD Y1, Y0, Y2; \
	VUNPCKHPD Y1, Y0, Y3; \
	VMOVUPD Y2, off(DI); \
	VMOVUPD Y3, off(R8); \
	VMOVUPD 16+a, X0; \
	VINSERTF128 $1, 16+c, Y0, Y0; \
	VMOVUPD 16+b, X1; \
	VINSERTF128 $1, 16+d, Y1, Y1; \
	VUNPCKLPD Y1, Y0, Y2; \
	VUNPCKHPD Y1, Y0, Y3; \
	VMOVUPD Y2, off(R9); \
	VMOVUPD Y3, off(R10)

// SUMLANE adds one town's values (lane at byte o of the slots) to the county's sums in
// X10-X15.
#define SUMLANE(o) \
	VADDSD o+S_recv, X10, X10; \
	VADDSD o+S_VDebt, X11, X11; \
	VADDSD o+S_Disputes, X12, X12; \
	VADDSD o+S_Debt, X13, X13; \
	VADDSD o+S_Service, X14, X14; \
	VADDSD o+S_leak, X15, X15

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

// BMASK broadcasts the bool at off(AX) to slot as all ones or all zeros.
#define BMASK(off, slot) \
	MOVBQZX off(AX), R13; \
	NEGQ R13; \
	MOVQ R13, 0+slot; \
	MOVQ R13, 8+slot; \
	MOVQ R13, 16+slot; \
	MOVQ R13, 24+slot

// func townsVec(a *townVecCall)
TEXT ·townsVec(SB), 0, $2752-8
	MOVQ a+0(FP), BX
	MOVQ townVecCall_tw(BX), DI
	MOVQ townVecCall_k(BX), SI
	LEAQ 63(SP), DX
	ANDQ $-64, DX // the frame's slots, aligned to a cache line
	MOVQ townVecCall_tm(BX), AX

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
	// The sums start at +0, as in Go.
	XORQ R13, R13
	MOVQ R13, A_paid
	MOVQ R13, A_villageDebt
	MOVQ R13, A_disputes
	MOVQ R13, A_townDebt
	MOVQ R13, A_townService
	MOVQ R13, A_townLeak
	MOVQ R13, V_villagesRed
	XORQ R11, R11 // towns red
	XORQ CX, CX   // j, the first town of the block
	XORQ R12, R12
	MOVQ townVecCall_n(BX), AX
	CMPQ CX, AX
	JGE  finished

	// The first block's head.
	TOWNS

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
	LOADT(Town_Balance, Y0, Y15) // balancePrev
	VMOVUPD Y0, T_bp

	// mandates = k.mandatePop*idx; unfunded = unfundedShare*mandates
	VMOVUPD K_mandatePop, Y2
	VMULPD B_idx, Y2, Y2
	VMOVUPD Y2, S_Mandates
	VMULPD B_unfundedShare, Y2, Y3 // unfunded
	VMOVUPD Y3, S_Unfunded

	// interest = debtPrev*townRate/12; serviceNeed = k.servicePop*idx
	VMULPD C_townRate, Y1, Y7
	VDIVPD C_12, Y7, Y7 // interest
	VMOVUPD K_servicePop, Y8
	VMULPD B_idx, Y8, Y8 // serviceNeed (and service)
	VMOVUPD Y8, T_serviceNeed

	// revenue = revenueBase*Share; avail = balancePrev + revenue
	LOADT(Town_Share, Y5, Y15)
	VMULPD B_revenueBase, Y5, Y5 // revenue
	VMOVUPD Y5, S_Revenue
	VADDPD Y5, Y0, Y6 // avail

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

	// The default case: interestPaid = minf(avail, interest); unpaid = interest-interestPaid;
	// unfunded' = minf(avail-interestPaid, unfunded); service' = maxf(0, avail-interestPaid-unfunded').
	VMINPD Y7, Y6, Y12 // interestPaid
	VSUBPD Y12, Y7, Y4 // unpaid
	VANDNPD Y4, Y15, Y4 // unpaidInterest = keep ? 0 : unpaid
	VMOVUPD Y4, S_unpaid
	VSUBPD Y12, Y6, Y10 // avail - interestPaid
	VMINPD Y3, Y10, Y13 // unfunded'
	VSUBPD Y13, Y10, Y10
	VXORPD Y0, Y0, Y0
	VMAXPD Y10, Y0, Y10 // service'
	VBLENDVPD Y15, Y7, Y12, Y7 // interest = keep ? interest : interestPaid
	VMOVUPD Y7, T_interest
	VBLENDVPD Y15, Y3, Y13, Y3 // unfunded
	VMOVUPD Y3, T_unfunded
	VBLENDVPD Y15, Y8, Y10, Y8 // service
	VMOVUPD Y8, T_service

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

	// basic = k.wageUnits*wageRate/12 + k.fixed*idx
	VMOVUPD K_wageUnits, Y4
	VMULPD B_wageRate, Y4, Y4
	VDIVPD C_12, Y4, Y4
	VMOVUPD K_fixed, Y5
	VMULPD B_idx, Y5, Y5
	VADDPD Y5, Y4, Y4 // basic
	// received = (basic + fundedShare*mandates)*paidShare
	VMOVUPD S_Mandates, Y2
	VMULPD B_fundedShare, Y2, Y5
	VADDPD Y5, Y4, Y4
	VMULPD B_paidShare, Y4, Y4 // received
	VMOVUPD Y4, S_recv

	// fund = k.fund*idx; villageLeak = leak*fund
	VMOVUPD K_fund, Y10
	VMULPD B_idx, Y10, Y10 // fund
	VMULPD B_leak, Y10, Y11 // villageLeak
	VMOVUPD Y11, S_VillageLeak

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
	VCMPPD $0x12, Y0, Y7, Y9
	VADDPD C_one, Y5, Y0
	VMULPD C_negTol, Y0, Y0
	VCMPPD $0x15, Y0, Y6, Y0
	VANDPD Y0, Y9, Y9
	VMOVUPD Y9, T_vok
	// vWarning = warning(vDebt, 12*fund)
	VMULPD C_12, Y10, Y4
	WARNING(Y5, Y4, Y1, Y0)
	VMOVUPD Y0, S_VWarning

loop:
	// The next block's head, if there is one, into the other scratch.
	MOVQ townVecCall_n(BX), AX
	LEAQ 4(CX), R13
	CMPQ R13, AX
	JGE  tail
	MOVQ DI, V_di
	MOVQ CX, V_j0
	LEAQ (4*Town__size)(DI), DI
	ADDQ $K_size, SI
	XORQ $BLK, R12
	MOVQ R13, CX
	TOWNS

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
	LOADT(Town_Balance, Y0, Y15) // balancePrev
	VMOVUPD Y0, T_bp

	// mandates = k.mandatePop*idx; unfunded = unfundedShare*mandates
	VMOVUPD K_mandatePop, Y2
	VMULPD B_idx, Y2, Y2
	VMOVUPD Y2, S_Mandates
	VMULPD B_unfundedShare, Y2, Y3 // unfunded
	VMOVUPD Y3, S_Unfunded

	// interest = debtPrev*townRate/12; serviceNeed = k.servicePop*idx
	VMULPD C_townRate, Y1, Y7
	VDIVPD C_12, Y7, Y7 // interest
	VMOVUPD K_servicePop, Y8
	VMULPD B_idx, Y8, Y8 // serviceNeed (and service)
	VMOVUPD Y8, T_serviceNeed

	// revenue = revenueBase*Share; avail = balancePrev + revenue
	LOADT(Town_Share, Y5, Y15)
	VMULPD B_revenueBase, Y5, Y5 // revenue
	VMOVUPD Y5, S_Revenue
	VADDPD Y5, Y0, Y6 // avail

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

	// The default case: interestPaid = minf(avail, interest); unpaid = interest-interestPaid;
	// unfunded' = minf(avail-interestPaid, unfunded); service' = maxf(0, avail-interestPaid-unfunded').
	VMINPD Y7, Y6, Y12 // interestPaid
	VSUBPD Y12, Y7, Y4 // unpaid
	VANDNPD Y4, Y15, Y4 // unpaidInterest = keep ? 0 : unpaid
	VMOVUPD Y4, S_unpaid
	VSUBPD Y12, Y6, Y10 // avail - interestPaid
	VMINPD Y3, Y10, Y13 // unfunded'
	VSUBPD Y13, Y10, Y10
	VXORPD Y0, Y0, Y0
	VMAXPD Y10, Y0, Y10 // service'
	VBLENDVPD Y15, Y7, Y12, Y7 // interest = keep ? interest : interestPaid
	VMOVUPD Y7, T_interest
	VBLENDVPD Y15, Y3, Y13, Y3 // unfunded
	VMOVUPD Y3, T_unfunded
	VBLENDVPD Y15, Y8, Y10, Y8 // service
	VMOVUPD Y8, T_service

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

	// basic = k.wageUnits*wageRate/12 + k.fixed*idx
	VMOVUPD K_wageUnits, Y4
	VMULPD B_wageRate, Y4, Y4
	VDIVPD C_12, Y4, Y4
	VMOVUPD K_fixed, Y5
	VMULPD B_idx, Y5, Y5
	VADDPD Y5, Y4, Y4 // basic
	// received = (basic + fundedShare*mandates)*paidShare
	VMOVUPD S_Mandates, Y2
	VMULPD B_fundedShare, Y2, Y5
	VADDPD Y5, Y4, Y4
	VMULPD B_paidShare, Y4, Y4 // received
	VMOVUPD Y4, S_recv

	// fund = k.fund*idx; villageLeak = leak*fund
	VMOVUPD K_fund, Y10
	VMULPD B_idx, Y10, Y10 // fund
	VMULPD B_leak, Y10, Y11 // villageLeak
	VMOVUPD Y11, S_VillageLeak

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
	VCMPPD $0x12, Y0, Y7, Y9
	VADDPD C_one, Y5, Y0
	VMULPD C_negTol, Y0, Y0
	VCMPPD $0x15, Y0, Y6, Y0
	VANDPD Y0, Y9, Y9
	VMOVUPD Y9, T_vok
	// vWarning = warning(vDebt, 12*fund)
	VMULPD C_12, Y10, Y4
	WARNING(Y5, Y4, Y1, Y0)
	VMOVUPD Y0, S_VWarning

	SUBQ $K_size, SI
	XORQ $BLK, R12
	MOVQ V_di, DI
	MOVQ V_j0, CX

tail:
	// misuseRate = wasRed ? misuseRed : misuseGreen, times cmtMisuseFactor where county-managed
	VMOVUPD T_service, Y8
	VMOVUPD T_notCM, Y12
	VMOVUPD T_wasRed, Y10
	VMOVUPD B_misuseGreen, Y9
	VMOVUPD B_misuseRed, Y13
	VBLENDVPD Y10, Y13, Y9, Y9
	VMULPD C_cmtMisuse, Y9, Y13
	VBLENDVPD Y12, Y9, Y13, Y9 // notCM ? rate : rate*cmtMisuseFactor
	VMULPD Y8, Y9, Y9 // misused
	VMOVUPD Y9, S_Misused
	VMOVUPD S_VillageLeak, Y11

	// delivered = service - misused - villageLeak;
	// sv += (clamp(delivered/serviceNeed, 0, serviceCap) - sv)*adj
	VSUBPD Y9, Y8, Y0
	VSUBPD Y11, Y0, Y0
	VDIVPD T_serviceNeed, Y0, Y0
	VXORPD Y1, Y1, Y1
	VMAXPD Y0, Y1, Y0 // 0 > x ? 0 : x
	VMOVUPD C_serviceCap, Y1
	VMINPD Y0, Y1, Y0 // cap < x ? cap : x
	VMOVUPD T_sv, Y2 // sv
	VSUBPD Y2, Y0, Y0
	VMOVUPD C_adjCMT, Y1
	VBLENDVPD Y12, C_adj, Y1, Y1 // notCM ? serviceAdjust : serviceAdjustCMT
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

	VADDPD Y11, Y9, Y13 // misused + villageLeak, for the county's sum
	VMOVUPD Y13, S_leak

	// in = received + revenue + borrowed; out = received + interest + unfunded + service + repaid
	VMOVUPD S_recv, Y4
	VMOVUPD S_Revenue, Y5
	VMOVUPD S_Borrowed, Y0
	VMOVUPD T_interest, Y7
	VMOVUPD T_unfunded, Y3
	VMOVUPD S_repaid, Y2
	VMOVUPD S_unpaid, Y1
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
	// Y15 collects the lanes that pass, from those that passed checkVillages'.
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
	VANDPD T_vok, Y15, Y15
	VMOVMSKPD Y15, AX
	MOVQ AX, T_ok

	// warning = Red where debt >= red*base, else Yellow where debt >= yellow*base, else
	// Green (0), with base = 12*(received+revenue)
	VADDPD Y5, Y4, Y4
	VMULPD C_12, Y4, Y4 // base
	WARNING(Y3, Y4, Y6, Y5)
	VMOVUPD Y5, S_Warning

	// This block's verdict, stores and sums.
	VMOVSD A_paid, X10
	VMOVSD A_villageDebt, X11
	VMOVSD A_disputes, X12
	VMOVSD A_townDebt, X13
	VMOVSD A_townService, X14
	VMOVSD A_townLeak, X15
	TOWNS
	// The valid lanes' bits (R14): the first min(r, 4).
	MOVQ $4, R14
	CMPQ AX, R14
	CMOVQLT AX, R14
	LEAQ ·townVecBits-8(SB), R13
	MOVQ (R13)(R14*8), R14

	// Every valid lane passed the tests, or leave this block to the Go loop.
	MOVQ T_ok, R13
	ANDQ R14, R13
	CMPQ R13, R14
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
	VMOVMSKPD Y0, R13
	ANDQ R14, R13
	POPCNTQ R13, R13
	ADDQ R13, R11
	VMOVUPD S_VWarning, Y0
	VPCMPEQQ C_redInt, Y0, Y0
	VMOVMSKPD Y0, R13
	ANDQ R14, R13
	POPCNTQ R13, R13
	ADDQ R13, V_villagesRed
	SUMLANE(0)
	CMPQ AX, $1
	JLE  summed
	SUMLANE(8)
	CMPQ AX, $2
	JLE  summed
	SUMLANE(16)
	CMPQ AX, $3
	JLE  summed
	SUMLANE(24)

summed:
	VMOVSD X10, A_paid
	VMOVSD X11, A_villageDebt
	VMOVSD X12, A_disputes
	VMOVSD X13, A_townDebt
	VMOVSD X14, A_townService
	VMOVSD X15, A_townLeak
	LEAQ (4*Town__size)(DI), DI
	ADDQ $K_size, SI
	XORQ $BLK, R12
	ADDQ $4, CX
	MOVQ townVecCall_n(BX), AX
	CMPQ CX, AX
	JLT  loop

finished:
	MOVQ townVecCall_n(BX), CX

bail:
	MOVQ CX, townVecCall_done(BX)
	MOVQ R11, townVecCall_townsRed(BX)
	MOVQ V_villagesRed, AX
	MOVQ AX, townVecCall_villagesRed(BX)
	MOVQ A_paid, AX
	MOVQ AX, townVecCall_paid(BX)
	MOVQ A_villageDebt, AX
	MOVQ AX, townVecCall_villageDebt(BX)
	MOVQ A_disputes, AX
	MOVQ AX, townVecCall_disputes(BX)
	MOVQ A_townDebt, AX
	MOVQ AX, townVecCall_townDebt(BX)
	MOVQ A_townService, AX
	MOVQ AX, townVecCall_townService(BX)
	MOVQ A_townLeak, AX
	MOVQ AX, townVecCall_townLeak(BX)
	VZEROUPPER
	RET
