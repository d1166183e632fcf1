package sim

import "math"

// Exp is e**x as the model computes it: the same bits on every machine. Go's math.Exp on
// amd64 is assembly with two paths, one for processors with fused multiply-add (FMA) and one
// without, and they round differently (about 7% of arguments differ in the last bit), so a
// run on a processor or a virtual machine without FMA gave other bytes than the same run on
// one with it: a sweep sharded over mixed cluster nodes mixed them. Exp is that assembly's
// FMA path written in Go with math.FMA, which is exact everywhere (the instruction where the
// processor has it, software where it does not): on a processor with FMA it returns
// math.Exp's bits (TestExpIsMathExpsFMAPath), so no output changed; on one without, it is
// slower and the same. Where the processor has AVX2 and FMA, arguments in [exp4Lo, exp4Hi]
// go to exp1, the same operations in assembly with the FMA instruction (math.FMA tests for it
// at every call unless the binary is built for GOAMD64=v3): about half the instructions.
//
// The method (from math/exp_amd64.s: Naoki Shibata's, from SLEEF): x = k ln2 + r with k the
// nearest integer to x/ln2 and ln2 in two parts, a Taylor series of exp(r/16) - 1 to the
// ninth term, squared four times (e**r - 1 from e**(r/16) - 1 by u(u+2) for each doubling),
// then scaled by 2**k, with the assembly's handling of overflow, underflow and subnormals.
func Exp(x float64) float64 {
	if haveExp4 && x >= exp4Lo && x <= exp4Hi {
		return exp1(x) // the same operations in assembly (exp4_amd64.s)
	}
	return expGo(x)
}

// expGo is Exp written in Go: every argument, on every processor.
func expGo(x float64) float64 {
	const (
		log2e    = 1.4426950408889634073599246810018920
		ln2U     = 0.69314718055966295651160180568695068359375
		ln2L     = 0.28235290563031577122588448175013436025525412068e-12
		overflow = 7.09782712893384e+02
		c2       = 0.5
		c3       = 1.6666666666666666667e-1
		c4       = 4.1666666666666666667e-2
		c5       = 8.3333333333333333333e-3
		c6       = 1.3888888888888888889e-3
		c7       = 1.9841269841269841270e-4
		c8       = 2.4801587301587301587e-5
	)
	switch {
	case math.IsNaN(x) || math.IsInf(x, 1):
		return x
	case math.IsInf(x, -1):
		return 0
	case x > overflow:
		return math.Inf(1)
	}
	t := x * log2e
	// CVTSD2SL: to the nearest integer (ties to even); out of int32's range it gives the
	// "integer indefinite" -2**31, which underflows below.
	k := int64(-1 << 31)
	if t >= -(1<<31) && t < 1<<31 {
		k = int64(math.RoundToEven(t))
	}
	fk := float64(k)
	r := math.FMA(-fk, ln2U, x)
	r = math.FMA(-fk, ln2L, r)
	r *= 0.0625
	p := math.FMA(c8, r, c7)
	p = math.FMA(p, r, c6)
	p = math.FMA(p, r, c5)
	p = math.FMA(p, r, c4)
	p = math.FMA(p, r, c3)
	p = math.FMA(p, r, c2)
	p = math.FMA(p, r, 1)
	// The conversions keep a compiler that fuses multiply-adds (arm64, GOAMD64=v3) from fusing
	// these products into the next step: the assembly's operations, one rounding each.
	r = float64(r * p)
	r = float64(r * (r + 2))
	r = float64(r * (r + 2))
	r = float64(r * (r + 2))
	r = math.FMA(r, r+2, 1)
	e := k + 0x3ff
	switch {
	case e >= 0x7ff:
		return math.Inf(1)
	case e > 0:
		return r * math.Float64frombits(uint64(e)<<52)
	case e < -52:
		return 0
	}
	// Subnormal results: two scalings, as the assembly does them.
	r *= math.Float64frombits(uint64(e+0x3fe) << 52)
	return r * math.Float64frombits(1<<52)
}

// Pow is x**y as the model computes it: Go's math.Pow (pow.go of Go 1.26, Copyright 2009 The
// Go Authors; their BSD-style license is in LICENSE-go at the top of the repository) with Exp
// in place of math.Exp, so it has the same bits on every machine, and math.Pow's on one with
// FMA (TestPowIsMathPowWithFMA). Its special cases are math.Pow's.
func Pow(x, y float64) float64 {
	switch {
	case y == 0 || x == 1:
		return 1
	case y == 1:
		return x
	case math.IsNaN(x) || math.IsNaN(y):
		return math.NaN()
	case x == 0:
		switch {
		case y < 0:
			if math.Signbit(x) && isOddInt(y) {
				return math.Inf(-1)
			}
			return math.Inf(1)
		case y > 0:
			if math.Signbit(x) && isOddInt(y) {
				return x
			}
			return 0
		}
	case math.IsInf(y, 0):
		switch {
		case x == -1:
			return 1
		case (math.Abs(x) < 1) == math.IsInf(y, 1):
			return 0
		default:
			return math.Inf(1)
		}
	case math.IsInf(x, 0):
		if math.IsInf(x, -1) {
			return Pow(1/x, -y) // Pow(-0, -y)
		}
		switch {
		case y < 0:
			return 0
		case y > 0:
			return math.Inf(1)
		}
	case y == 0.5:
		return math.Sqrt(x)
	case y == -0.5:
		return 1 / math.Sqrt(x)
	}

	yi, yf := math.Modf(math.Abs(y))
	if yf != 0 && x < 0 {
		return math.NaN()
	}
	if yi >= 1<<63 {
		// yi is a large even int that will lead to overflow (or underflow to 0)
		// for all x except -1 (x == 1 was handled earlier)
		switch {
		case x == -1:
			return 1
		case (math.Abs(x) < 1) == (y > 0):
			return 0
		default:
			return math.Inf(1)
		}
	}

	// ans = a1 * 2**ae (= 1 for now).
	a1 := 1.0
	ae := 0

	// ans *= x**yf
	if yf != 0 {
		if yf > 0.5 {
			yf--
			yi++
		}
		a1 = Exp(yf * math.Log(x))
	}

	// ans *= x**yi
	// by multiplying in successive squarings
	// of x according to bits of yi.
	// accumulate powers of two into exp.
	x1, xe := math.Frexp(x)
	for i := int64(yi); i != 0; i >>= 1 {
		if xe < -1<<12 || 1<<12 < xe {
			// catch xe before it overflows the left shift below
			// Since i !=0 it has at least one bit still set, so ae will accumulate xe
			// on at least one more iteration, ae += xe is a lower bound on ae
			// the lower bound on ae exceeds the size of a float64 exp
			// so the final call to Ldexp will produce under/overflow (0/Inf)
			ae += xe
			break
		}
		if i&1 == 1 {
			a1 *= x1
			ae += xe
		}
		x1 *= x1
		xe <<= 1
		if x1 < .5 {
			x1 += x1
			xe--
		}
	}

	// ans = a1*2**ae
	// if y < 0 { ans = 1 / ans }
	// but in the opposite order
	if y < 0 {
		a1 = 1 / a1
		ae = -ae
	}
	return math.Ldexp(a1, ae)
}

func isOddInt(x float64) bool {
	if math.Abs(x) >= (1 << 53) {
		// 1 << 53 is the largest exact integer in the float64 format.
		// Any number outside this range will be truncated before the decimal point and therefore will always be
		// an even integer.
		// Without this check and if x overflows int64 the int64(xi) conversion below may produce incorrect results
		// on some architectures (and does so on arm64). See issue #57465.
		return false
	}

	xi, xf := math.Modf(x)
	return xf == 0 && int64(xi)&1 == 1
}

// The range of arguments exp4 computes: inside it Exp's result is a normal number reached by
// its one main path (k + 0x3ff in (0, 0x7ff)); outside it, and for NaN, expSlice calls Exp.
const (
	exp4Lo = -708.0
	exp4Hi = 709.0
)

// expSlice sets xs[i] = Exp(xs[i]) for every i, with the same bits as Exp, four at a time
// where the processor has AVX2 and FMA (exp4): the model's exponentials that do not depend
// on one another (the components of an approval-time mixture, for its within-limit share and
// each Newton step of its 90th percentile; an investor's four responses to a wait; the
// counties' output and pay in grow) cost about what one does. A group with an argument outside [exp4Lo, exp4Hi] is
// computed one by one.
func expSlice(xs []float64) {
	i := 0
	if haveExp4 {
		for i+4 <= len(xs) {
			i += 4 * exp4n(&xs[i], (len(xs)-i)/4)
			if i+4 <= len(xs) { // a group with an argument outside exp4's range
				p := (*[4]float64)(xs[i : i+4])
				for j := range p {
					p[j] = Exp(p[j])
				}
				i += 4
			}
		}
		if r := len(xs) - i; r > 0 {
			var t [4]float64 // exp(0) in the unused lanes
			copy(t[:], xs[i:])
			if exp4(&t) {
				copy(xs[i:], t[:r])
				return
			}
		}
	}
	for ; i < len(xs); i++ {
		xs[i] = Exp(xs[i])
	}
}

// LogSlice sets xs[i] = math.Log(xs[i]) for every i, with math.Log's bits (logSlice), for the
// inequality indices of package observe, which take one log per county and group every month.
func LogSlice(xs []float64) { logSlice(xs) }

// logSlice sets xs[i] = math.Log(xs[i]) for every i, with math.Log's bits, four at a time where
// the processor has AVX2 and FMA (log4, Go's own amd64 method on each lane): the counties' logs
// in grow, which do not depend on one another. A group with an argument that is not a
// positive normal number is computed one by one.
func logSlice(xs []float64) {
	i := 0
	if haveExp4 {
		for ; i+4 <= len(xs); i += 4 {
			if p := (*[4]float64)(xs[i : i+4]); !log4(p) {
				for j := range p {
					p[j] = math.Log(p[j])
				}
			}
		}
		if r := len(xs) - i; r > 0 {
			t := [4]float64{1, 1, 1, 1} // log(1) in the unused lanes
			copy(t[:], xs[i:])
			if log4(&t) {
				copy(xs[i:], t[:r])
				return
			}
		}
	}
	for ; i < len(xs); i++ {
		xs[i] = math.Log(xs[i])
	}
}
