package sim

import "golang.org/x/sys/cpu"

// haveExp4 reports whether exp4 can run here: it needs AVX2 and FMA (and the operating
// system's support for the 256-bit registers, which cpu.X86.HasAVX2 includes).
var haveExp4 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// exp4 sets x[i] = Exp(x[i]) for the four arguments and reports true when every argument lies
// in [exp4Lo, exp4Hi], where Exp takes its one normal path: the same operations in the same
// order on each lane of a 256-bit register, fused multiply-adds where Exp calls math.FMA, so
// the same bits as Exp (TestExpSliceIsExp). Otherwise it leaves x as it is and reports false.
// It is exp4n on one group; call it only when haveExp4.
func exp4(x *[4]float64) bool { return exp4n(&x[0], 1) == 1 }

// exp4n does what exp4 does to each of the n groups of four arguments from x, in order, until
// a group with an argument outside [exp4Lo, exp4Hi], which it leaves as it is; it returns the
// number of groups done. One call for a slice, its constants kept in registers: expSlice's
// loop. Assembly in exp4_amd64.s; call it only when haveExp4.
//
//go:noescape
func exp4n(x *float64, n int) int

// exp1 is Exp for one argument in [exp4Lo, exp4Hi] with the FMA instructions: the same
// operations as Exp's Go code, whose math.FMA calls each test for the instruction in a binary
// built below GOAMD64=v3, so about half the instructions. Call it only when haveExp4.
func exp1(x float64) float64

// log4 sets x[i] = math.Log(x[i]) for the four arguments and reports true when every argument
// is a positive, normal, finite number: the operations of Go's math.Log on amd64
// (math/log_amd64.s) in its order on each lane of a 256-bit register, so its bits
// (TestLogSliceIsMathLog). Otherwise it leaves x as it is and reports false. Call it only when
// haveExp4.
//
//go:noescape
func log4(x *[4]float64) bool
