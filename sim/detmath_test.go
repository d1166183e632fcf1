package sim

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"golang.org/x/sys/cpu"
)

// expArgs returns n arguments of every kind Exp meets: the model's range, the whole finite
// range, the subnormal results, the edges of overflow and underflow, and any bit pattern.
func expArgs(n int) []float64 {
	r := rand.New(rand.NewPCG(11, 12))
	xs := []float64{0, math.Copysign(0, -1), 1, -1, 7.09782712893384e+02, math.Nextafter(7.09782712893384e+02, 800),
		-708.3964185322641, -745.1332191019411, -745.1332191019412, -746, -1e10, -3e9, 1e-300, -1e-300,
		math.Inf(1), math.Inf(-1), math.NaN(), math.MaxFloat64, -math.MaxFloat64}
	for len(xs) < n {
		var x float64
		switch len(xs) % 5 {
		case 0:
			x = r.Float64()*30 - 25 // the model's exps: waits, capital, growth
		case 1:
			x = r.NormFloat64()
		case 2:
			x = (r.Float64() - 0.5) * 1500
		case 3:
			x = -708 - r.Float64()*40 // subnormal results and underflow
		default:
			x = math.Float64frombits(r.Uint64())
		}
		xs = append(xs, x)
	}
	return xs
}

// TestExpIsMathExpsFMAPath: on a processor where Go's math.Exp takes its FMA path (amd64 with
// AVX and FMA), Exp returns math.Exp's bits for every kind of argument, so no output of the
// model changed when it moved to Exp.
func TestExpIsMathExpsFMAPath(t *testing.T) {
	if runtime.GOARCH != "amd64" || !cpu.X86.HasAVX || !cpu.X86.HasFMA {
		t.Skipf("math.Exp has no FMA path on %s here: nothing to compare with", runtime.GOARCH)
	}
	bad := 0
	for _, x := range expArgs(2_000_000) {
		want := math.Exp(x)
		for _, f := range []struct {
			name string
			exp  func(float64) float64
		}{{"Exp", Exp}, {"expGo", expGo}} {
			got := f.exp(x)
			if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
				if bad++; bad <= 5 {
					t.Errorf("%s(%v) = %v (%#x), math.Exp gives %v (%#x)", f.name, x, got, math.Float64bits(got), want, math.Float64bits(want))
				}
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d arguments differ", bad)
	}
}

// expGolden is the SHA-256 of Exp's bits over expArgs(200_000): the same on every machine,
// with or without FMA (math.FMA is exact everywhere), so a run gives the same bytes on both.
const expGolden = "71ba0d20eff58369b230d3ddd3911d7b25604662033b3d97b4e711d62543227b"

func TestExpBitsArePinned(t *testing.T) {
	for name, exp := range map[string]func(float64) float64{"Exp": Exp, "expGo": expGo} {
		h := sha256.New()
		var b [8]byte
		for _, x := range expArgs(200_000) {
			binary.LittleEndian.PutUint64(b[:], math.Float64bits(exp(x)))
			h.Write(b[:])
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != expGolden {
			t.Errorf("%s's bits: %s, want %s (Exp must give the same bits on every machine)", name, got, expGolden)
		}
	}
}

// TestPowIsMathPowWithFMA: where math.Exp takes its FMA path, Pow returns math.Pow's bits.
func TestPowIsMathPowWithFMA(t *testing.T) {
	if runtime.GOARCH != "amd64" || !cpu.X86.HasAVX || !cpu.X86.HasFMA {
		t.Skipf("math.Exp has no FMA path on %s here: nothing to compare with", runtime.GOARCH)
	}
	r := rand.New(rand.NewPCG(5, 6))
	special := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, -0.5, 2, 3, -3, 1e300, math.Inf(1), math.Inf(-1), math.NaN()}
	for i := 0; i < 300_000; i++ {
		var x, y float64
		switch i % 3 {
		case 0: // the model's: strengths to fractional powers
			x, y = math.Exp(r.NormFloat64()), r.Float64()*2-0.5
		case 1:
			x, y = special[r.IntN(len(special))], special[r.IntN(len(special))]
		default:
			x, y = math.Float64frombits(r.Uint64()), (r.Float64()-0.5)*20
		}
		got, want := Pow(x, y), math.Pow(x, y)
		if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("Pow(%v, %v) = %v, math.Pow gives %v", x, y, got, want)
		}
	}
}

// TestExpSliceIsExp: expSlice gives Exp's bits for every kind of argument, in groups of every
// length (the vector path, its padded tail and the fall-back for groups with an argument
// outside exp4's range), and where the processor has AVX2 and FMA the vector path does run:
// exp4 takes every argument inside [exp4Lo, exp4Hi], edges included, and none outside.
func TestExpSliceIsExp(t *testing.T) {
	xs := expArgs(1_000_000)
	xs = append(xs, exp4Lo, exp4Hi, math.Nextafter(exp4Lo, -1000), math.Nextafter(exp4Hi, 1000),
		math.Nextafter(exp4Lo, 0), math.Nextafter(exp4Hi, 0), -0.5, 0.5, 1.5, -1.5, 2.5)
	got := make([]float64, len(xs))
	copy(got, xs)
	for i, n := 0, 1; i < len(got); n = n%9 + 1 {
		expSlice(got[i:min(i+n, len(got))])
		i += n
	}
	sameBitsEach(t, "expSlice", "expGo", xs, got, expGo)
	// Long slices, groups outside exp4's range among them (exp4n stops there and resumes).
	copy(got, xs)
	for i := 0; i < len(got); i += 4099 {
		expSlice(got[i:min(i+4099, len(got))])
	}
	sameBitsEach(t, "expSlice in long slices", "expGo", xs, got, expGo)
	if !haveExp4 {
		t.Skip("no AVX2 and FMA here: expSlice calls Exp, compared above")
	}
	for _, x := range []float64{exp4Lo, exp4Hi, 0, -1, 3.7} {
		v := [4]float64{x, 0, 0, 0}
		if !exp4(&v) || math.Float64bits(v[0]) != math.Float64bits(Exp(x)) {
			t.Errorf("exp4 at %v: took it %v, %v against Exp's %v", x, v != [4]float64{x, 0, 0, 0}, v[0], Exp(x))
		}
	}
	for _, x := range []float64{math.Nextafter(exp4Lo, -1000), math.Nextafter(exp4Hi, 1000), math.NaN(), math.Inf(1), math.Inf(-1)} {
		v := [4]float64{0, 0, x, 0}
		if exp4(&v) || math.Float64bits(v[2]) != math.Float64bits(x) || v[0] != 0 {
			t.Errorf("exp4 at %v: should leave the group to Exp, gave %v", x, v)
		}
	}
}

// benchExpArgs are 4,096 arguments in the model's range (no fall-backs).
func benchExpArgs() []float64 {
	xs := expArgs(4096)
	for i := range xs {
		if xs[i] = math.Mod(xs[i], 30); math.IsNaN(xs[i]) {
			xs[i] = 0
		}
	}
	return xs
}

// BenchmarkExpSlice and BenchmarkExpEach compare sixteen exponentials at once (exp4 four
// times) with sixteen calls of Exp.
func BenchmarkExpSlice(b *testing.B) {
	xs, v := benchExpArgs(), make([]float64, 16)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		copy(v, xs[(i*16)%4096:])
		expSlice(v)
	}
}

func BenchmarkExpEach(b *testing.B) {
	xs, v := benchExpArgs(), make([]float64, 16)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		copy(v, xs[(i*16)%4096:])
		for j := range v {
			v[j] = Exp(v[j])
		}
	}
}

// TestLogSliceIsMathLog: logSlice gives math.Log's bits for every kind of argument (positive,
// the model's range, subnormal, zero, negative, infinite, NaN, any bit pattern), in groups of
// every length, and where the processor has AVX2 the vector path does run.
func TestLogSliceIsMathLog(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	xs := []float64{1, 0.5, math.Sqrt2 / 2, math.Nextafter(math.Sqrt2/2, 0), math.Nextafter(math.Sqrt2/2, 1), 2,
		math.SmallestNonzeroFloat64, 0x1p-1022, math.Nextafter(0x1p-1022, 0), math.MaxFloat64, 0, math.Copysign(0, -1),
		-1, math.Inf(1), math.Inf(-1), math.NaN()}
	for len(xs) < 1_000_000 {
		switch len(xs) % 4 {
		case 0:
			xs = append(xs, math.Exp(r.NormFloat64()*5)) // capital, GDP ratios, firms
		case 1:
			xs = append(xs, r.Float64()*1e6)
		case 2:
			xs = append(xs, math.Abs(math.Float64frombits(r.Uint64())))
		default:
			xs = append(xs, math.Float64frombits(r.Uint64()))
		}
	}
	got := append([]float64(nil), xs...)
	for i, n := 0, 1; i < len(got); n = n%9 + 1 {
		logSlice(got[i:min(i+n, len(got))])
		i += n
	}
	sameBitsEach(t, "logSlice", "math.Log", xs, got, math.Log)
	if !haveExp4 {
		t.Skip("no AVX2 here: logSlice calls math.Log, compared above")
	}
	if v := [4]float64{3, 0.7, 1e-300, 5e300}; !log4(&v) {
		t.Error("log4 left positive normal arguments to math.Log")
	}
	for _, x := range []float64{0, -1, math.NaN(), math.Inf(1), math.SmallestNonzeroFloat64} {
		if v := [4]float64{1, x, 1, 1}; log4(&v) {
			t.Errorf("log4 took %v, which math.Log must take", x)
		}
	}
}

// sameBitsEach reports every got[i] that is not want(xs[i]) bit for bit (any NaN matches any
// NaN): the first five, then their number. name is the function tested, ref the reference.
func sameBitsEach(t *testing.T, name, ref string, xs, got []float64, want func(float64) float64) {
	t.Helper()
	bad := 0
	for i, x := range xs {
		if w := want(x); math.Float64bits(got[i]) != math.Float64bits(w) && !(math.IsNaN(got[i]) && math.IsNaN(w)) {
			if bad++; bad <= 5 {
				t.Errorf("%s(%v) = %v (%#x), %s gives %v (%#x)", name, x, got[i], math.Float64bits(got[i]), ref, w, math.Float64bits(w))
			}
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d arguments differ", name, bad)
	}
}
