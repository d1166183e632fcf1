// exp4 is Exp (detmath.go) on four arguments at once with AVX2 and FMA: the same operations in
// the same order on each lane, so the same bits. See exp4_amd64.go.

#include "textflag.h"

DATA ·exp4Const+0(SB)/8, $1.4426950408889634073599246810018920   // log2e
DATA ·exp4Const+8(SB)/8, $0.69314718055966295651160180568695068359375 // ln2U
DATA ·exp4Const+16(SB)/8, $0.28235290563031577122588448175013436025525412068e-12 // ln2L
DATA ·exp4Const+24(SB)/8, $0.0625
DATA ·exp4Const+32(SB)/8, $2.4801587301587301587e-5  // c8
DATA ·exp4Const+40(SB)/8, $1.9841269841269841270e-4  // c7
DATA ·exp4Const+48(SB)/8, $1.3888888888888888889e-3  // c6
DATA ·exp4Const+56(SB)/8, $8.3333333333333333333e-3  // c5
DATA ·exp4Const+64(SB)/8, $4.1666666666666666667e-2  // c4
DATA ·exp4Const+72(SB)/8, $1.6666666666666666667e-1  // c3
DATA ·exp4Const+80(SB)/8, $0.5                       // c2
DATA ·exp4Const+88(SB)/8, $1.0
DATA ·exp4Const+96(SB)/8, $2.0
DATA ·exp4Const+104(SB)/8, $-708.0                   // exp4Lo
DATA ·exp4Const+112(SB)/8, $709.0                    // exp4Hi
DATA ·exp4Const+120(SB)/8, $1023                     // exponent bias, an integer
GLOBL ·exp4Const(SB), RODATA|NOPTR, $128

// func exp4n(x *float64, n int) int: Exp on the n groups of four from x, in order, until a
// group with an argument outside [exp4Lo, exp4Hi] (left as it is); returns the groups done.
// The constants stay in registers from one group to the next.
TEXT ·exp4n(SB), NOSPLIT, $0-24
	MOVQ x+0(FP), AX
	MOVQ n+8(FP), CX
	XORQ DX, DX                           // groups done
	VBROADCASTSD ·exp4Const+104(SB), Y8   // lo
	VBROADCASTSD ·exp4Const+112(SB), Y9   // hi
	VBROADCASTSD ·exp4Const+0(SB), Y10    // log2e
	VBROADCASTSD ·exp4Const+8(SB), Y11    // ln2U
	VBROADCASTSD ·exp4Const+16(SB), Y12   // ln2L
	VBROADCASTSD ·exp4Const+24(SB), Y13   // 1/16
	VBROADCASTSD ·exp4Const+32(SB), Y14   // c8
	VPBROADCASTQ ·exp4Const+120(SB), Y15  // exponent bias
	VBROADCASTSD ·exp4Const+88(SB), Y6    // 1
	VBROADCASTSD ·exp4Const+96(SB), Y7    // 2

group:
	CMPQ DX, CX
	JGE  groupsDone
	VMOVUPD (AX), Y0                      // x
	VCMPPD $0x1D, Y8, Y0, Y3              // x >= lo (GE_OQ)
	VCMPPD $0x12, Y9, Y0, Y4              // x <= hi (LE_OQ)
	VANDPD Y4, Y3, Y3
	VMOVMSKPD Y3, BX
	CMPQ BX, $15
	JNE  groupsDone
	// k = x*log2e to the nearest integer (ties to even, as CVTSD2SL), fk = float64(k).
	VMULPD Y10, Y0, Y2                    // t
	VCVTPD2DQY Y2, X3                     // k, four int32
	VCVTDQ2PD X3, Y4                      // fk
	// r = FMA(-fk, ln2U, x); r = FMA(-fk, ln2L, r); r *= 1/16
	VFNMADD231PD Y11, Y4, Y0              // r = -(fk*ln2U) + x
	VFNMADD231PD Y12, Y4, Y0              // r = -(fk*ln2L) + r
	VMULPD Y13, Y0, Y0
	// p = c8; p = FMA(p, r, c) for c = c7 ... c2, 1
	VMOVAPD Y14, Y5                       // p = c8
	VBROADCASTSD ·exp4Const+40(SB), Y1
	VFMADD213PD Y1, Y0, Y5                // p = r*p + c7
	VBROADCASTSD ·exp4Const+48(SB), Y1
	VFMADD213PD Y1, Y0, Y5
	VBROADCASTSD ·exp4Const+56(SB), Y1
	VFMADD213PD Y1, Y0, Y5
	VBROADCASTSD ·exp4Const+64(SB), Y1
	VFMADD213PD Y1, Y0, Y5
	VBROADCASTSD ·exp4Const+72(SB), Y1
	VFMADD213PD Y1, Y0, Y5
	VBROADCASTSD ·exp4Const+80(SB), Y1
	VFMADD213PD Y1, Y0, Y5
	VFMADD213PD Y6, Y0, Y5
	VMULPD Y5, Y0, Y0                     // r *= p
	// r *= r + 2 three times, then r = FMA(r, r+2, 1)
	VADDPD Y7, Y0, Y1
	VMULPD Y1, Y0, Y0
	VADDPD Y7, Y0, Y1
	VMULPD Y1, Y0, Y0
	VADDPD Y7, Y0, Y1
	VMULPD Y1, Y0, Y0
	VADDPD Y7, Y0, Y1
	VFMADD213PD Y6, Y1, Y0                // r = (r+2)*r + 1
	// 2**k from the bits (k + 0x3ff) << 52: inside the range the exponent is normal.
	VPMOVSXDQ X3, Y2
	VPADDQ Y15, Y2, Y2
	VPSLLQ $52, Y2, Y2
	VMULPD Y2, Y0, Y0
	VMOVUPD Y0, (AX)
	ADDQ $32, AX
	INCQ DX
	JMP  group

groupsDone:
	VZEROUPPER
	MOVQ DX, ret+16(FP)
	RET

// func exp1(x float64) float64: Exp's main path for one argument in [exp4Lo, exp4Hi] with the
// FMA instructions (the caller checks the range and that the processor has FMA).
TEXT ·exp1(SB), NOSPLIT, $0-16
	MOVSD x+0(FP), X0
	MOVSD ·exp4Const+0(SB), X1
	VMULSD X1, X0, X2                     // t
	CVTSD2SL X2, BX                       // k (nearest, ties to even)
	XORPS X4, X4
	CVTSL2SD BX, X4                       // fk
	VFNMADD231SD ·exp4Const+8(SB), X4, X0  // r = -(fk*ln2U) + x
	VFNMADD231SD ·exp4Const+16(SB), X4, X0 // r = -(fk*ln2L) + r
	VMULSD ·exp4Const+24(SB), X0, X0
	MOVSD ·exp4Const+32(SB), X5
	VFMADD213SD ·exp4Const+40(SB), X0, X5
	VFMADD213SD ·exp4Const+48(SB), X0, X5
	VFMADD213SD ·exp4Const+56(SB), X0, X5
	VFMADD213SD ·exp4Const+64(SB), X0, X5
	VFMADD213SD ·exp4Const+72(SB), X0, X5
	VFMADD213SD ·exp4Const+80(SB), X0, X5
	VFMADD213SD ·exp4Const+88(SB), X0, X5
	VMULSD X5, X0, X0                     // r *= p
	MOVSD ·exp4Const+96(SB), X7           // 2
	VADDSD X7, X0, X1
	VMULSD X1, X0, X0
	VADDSD X7, X0, X1
	VMULSD X1, X0, X0
	VADDSD X7, X0, X1
	VMULSD X1, X0, X0
	VADDSD X7, X0, X1
	VFMADD213SD ·exp4Const+88(SB), X1, X0 // r = (r+2)*r + 1
	MOVLQSX BX, BX
	ADDQ $0x3ff, BX
	SHLQ $52, BX
	MOVQ BX, X2
	VMULSD X2, X0, X0
	MOVSD X0, ret+8(FP)
	RET

DATA ·log4Const+0(SB)/8, $0x000FFFFFFFFFFFFF      // mantissa mask
DATA ·log4Const+8(SB)/8, $0x3FE0000000000000      // 0.5
DATA ·log4Const+16(SB)/8, $0x4330000000000000     // 2**52, bits
DATA ·log4Const+24(SB)/8, $4503599627370496.0     // 2**52
DATA ·log4Const+32(SB)/8, $1022.0                 // 0x3fe
DATA ·log4Const+40(SB)/8, $7.07106781186547524401e-01 // HSqrt2
DATA ·log4Const+48(SB)/8, $1.0
DATA ·log4Const+56(SB)/8, $2.0
DATA ·log4Const+64(SB)/8, $6.666666666666735130e-01   // L1
DATA ·log4Const+72(SB)/8, $3.999999999940941908e-01   // L2
DATA ·log4Const+80(SB)/8, $2.857142874366239149e-01   // L3
DATA ·log4Const+88(SB)/8, $2.222219843214978396e-01   // L4
DATA ·log4Const+96(SB)/8, $1.818357216161805012e-01   // L5
DATA ·log4Const+104(SB)/8, $1.531383769920937332e-01  // L6
DATA ·log4Const+112(SB)/8, $1.479819860511658591e-01  // L7
DATA ·log4Const+120(SB)/8, $1.90821492927058770002e-10 // Ln2Lo
DATA ·log4Const+128(SB)/8, $6.93147180369123816490e-01 // Ln2Hi
DATA ·log4Const+136(SB)/8, $0x7FF                     // exponent field of Inf and NaN
GLOBL ·log4Const(SB), RODATA|NOPTR, $144

// func log4(x *[4]float64) bool: math.Log (math/log_amd64.s) on four positive normal
// arguments at once, its operations in its order on each lane; otherwise x is left as it is.
TEXT ·log4(SB), NOSPLIT, $0-9
	MOVQ x+0(FP), AX
	VMOVDQU (AX), Y0                       // x
	// Every lane positive, normal and finite: the exponent field (with the sign bit above
	// it) in [1, 0x7fe].
	VPSRLQ $52, Y0, Y1                     // e (sign bit at bit 11)
	VPXOR Y2, Y2, Y2
	VPCMPGTQ Y2, Y1, Y3                    // e > 0
	VPBROADCASTQ ·log4Const+136(SB), Y4
	VPCMPGTQ Y1, Y4, Y5                    // 0x7ff > e
	VPAND Y5, Y3, Y3
	VMOVMSKPD Y3, BX
	CMPQ BX, $15
	JNE  outside
	// f1 = mantissa with exponent of 0.5; k = e - 0x3fe as a float (e through 2**52 exactly)
	VPBROADCASTQ ·log4Const+0(SB), Y2
	VPAND Y2, Y0, Y2
	VPBROADCASTQ ·log4Const+8(SB), Y3
	VPOR Y3, Y2, Y2                        // f1
	VPBROADCASTQ ·log4Const+16(SB), Y3
	VPOR Y3, Y1, Y1
	VBROADCASTSD ·log4Const+24(SB), Y3
	VSUBPD Y3, Y1, Y1                      // float64(e)
	VBROADCASTSD ·log4Const+32(SB), Y3
	VSUBPD Y3, Y1, Y1                      // k
	// if !(HSqrt2 < f1) { k -= 1; f1 *= 2 }
	VBROADCASTSD ·log4Const+40(SB), Y0
	VCMPPD $5, Y2, Y0, Y0                  // !(HSqrt2 < f1)
	VBROADCASTSD ·log4Const+48(SB), Y6     // 1
	VANDPD Y6, Y0, Y3                      // 0 or 1
	VSUBPD Y3, Y1, Y1                      // k
	VADDPD Y6, Y3, Y3                      // 1 or 2
	VMULPD Y3, Y2, Y2
	VSUBPD Y6, Y2, Y2                      // f = f1 - 1
	// s = f / (2 + f)
	VBROADCASTSD ·log4Const+56(SB), Y0
	VADDPD Y2, Y0, Y0
	VDIVPD Y0, Y2, Y3                      // s
	VMULPD Y3, Y3, Y4                      // s2
	VMULPD Y4, Y4, Y5                      // s4
	// t1 = s2 * (L1 + s4*(L3+s4*(L5+s4*L7)))
	VBROADCASTSD ·log4Const+112(SB), Y6
	VMULPD Y5, Y6, Y6
	VBROADCASTSD ·log4Const+96(SB), Y7
	VADDPD Y7, Y6, Y6
	VMULPD Y5, Y6, Y6
	VBROADCASTSD ·log4Const+80(SB), Y7
	VADDPD Y7, Y6, Y6
	VMULPD Y5, Y6, Y6
	VBROADCASTSD ·log4Const+64(SB), Y7
	VADDPD Y7, Y6, Y6
	VMULPD Y6, Y4, Y4                      // t1
	// t2 = s4 * (L2 + s4*(L4+s4*L6))
	VBROADCASTSD ·log4Const+104(SB), Y6
	VMULPD Y5, Y6, Y6
	VBROADCASTSD ·log4Const+88(SB), Y7
	VADDPD Y7, Y6, Y6
	VMULPD Y5, Y6, Y6
	VBROADCASTSD ·log4Const+72(SB), Y7
	VADDPD Y7, Y6, Y6
	VMULPD Y6, Y5, Y5                      // t2
	VADDPD Y5, Y4, Y4                      // R = t1 + t2
	// hfsq = 0.5 * f * f
	VBROADCASTSD ·log4Const+8(SB), Y0
	VMULPD Y2, Y0, Y0
	VMULPD Y2, Y0, Y0                      // hfsq
	// k*Ln2Hi - ((hfsq - (s*(hfsq+R) + k*Ln2Lo)) - f)
	VADDPD Y0, Y4, Y4                      // R + hfsq
	VMULPD Y4, Y3, Y3                      // s*(hfsq+R)
	VBROADCASTSD ·log4Const+120(SB), Y4
	VMULPD Y1, Y4, Y4                      // Ln2Lo*k
	VADDPD Y4, Y3, Y3
	VSUBPD Y3, Y0, Y0                      // hfsq - (...)
	VSUBPD Y2, Y0, Y0                      // (...) - f
	VBROADCASTSD ·log4Const+128(SB), Y4
	VMULPD Y4, Y1, Y1                      // k*Ln2Hi
	VSUBPD Y0, Y1, Y1
	VMOVUPD Y1, (AX)
	VZEROUPPER
	MOVB $1, ret+8(FP)
	RET

outside:
	VZEROUPPER
	MOVB $0, ret+8(FP)
	RET
