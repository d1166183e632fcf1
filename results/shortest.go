package results

// The shortest decimal of a float64 for the tables, by the Dragonbox algorithm (Junekey Jeon),
// ported from Go's own implementation (internal/strconv/ftoadbox.go and math.go of Go 1.26,
// Copyright 2025 The Go Authors; their BSD-style license is in LICENSE-go at the top of the
// repository), which strconv.AppendFloat(b, v, 'g', -1, 64) uses: the same digits and
// exponent, so appendShortest writes the same bytes (tested against strconv on every kind of
// value). What differs is the writing: strconv writes the digits into a decimal buffer and then
// copies them out digit by digit (its 'f' form appends one byte at a time), which costs as much
// as finding them; appendShortest writes them once, two at a time. Tables of floats are most of
// what `countysim run` writes.

import (
	"encoding/binary"
	"math/big"
	"math/bits"
	"sync"
)

// u128 is a 128-bit unsigned integer.
type u128 struct{ hi, lo uint64 }

const (
	pow10Min = -348
	pow10Max = 347
)

var (
	pow10Once sync.Once
	pow10Tab  [pow10Max - pow10Min + 1]u128
)

// makePow10Tab computes the table of Go's internal/strconv/pow10tab.go (generated there by
// pow10gen.go): for each e, the 128 bits of 10^e scaled by a power of two into
// [2^127, 2^128), rounded down.
func makePow10Tab() {
	ten := big.NewInt(10)
	p := big.NewInt(1)
	v := new(big.Int)
	mask := new(big.Int).SetUint64(^uint64(0))
	set := func(e int, v *big.Int) {
		pow10Tab[e-pow10Min] = u128{new(big.Int).Rsh(v, 64).Uint64(), new(big.Int).And(v, mask).Uint64()}
	}
	for e := 0; e <= -pow10Min; e++ {
		if e > 0 {
			p.Mul(p, ten)
		}
		l := p.BitLen()
		if e <= pow10Max {
			if l <= 128 {
				v.Lsh(p, uint(128-l))
			} else {
				v.Rsh(p, uint(l-128))
			}
			set(e, v)
		}
		if e > 0 { // 10^-e = 2^(127+l)/p scaled, in [2^127, 2^128) since p is no power of two
			v.Lsh(big.NewInt(1), uint(127+l))
			v.Quo(v, p)
			set(-e, v)
		}
	}
}

// pow10 returns the 128-bit mantissa and binary exponent of 10^e: 10^e = mant/2^128 * 2^exp.
func pow10(e int) (mant u128, exp int) {
	return pow10Tab[e-pow10Min], 1 + (e*108853)>>15 // 1 + floor(e*log2(10))
}

// shortestDecimal returns the shortest decimal digits*10^exp that reads back as the positive,
// finite, non-zero float64 of bits (strconv's dboxFtoa64 with its callers' set-up).
func shortestDecimal(fbits uint64) (digits uint64, exp int) {
	pow10Once.Do(makePow10Tab)
	e := int(fbits>>52) & 0x7ff
	mant := fbits & (1<<52 - 1)
	denorm := false
	if e == 0 {
		e++
		denorm = true
	} else {
		mant |= 1 << 52
	}
	e += -1023 - 52

	if mant == 1<<52 && !denorm {
		// Algorithm 5.6 (page 24).
		k0 := -((e*631305 - 261663) >> 21) // floor(e*log10(2) - log10(4/3))
		φ, β := dboxPow(k0, e)
		xi := (φ.hi - (φ.hi >> (52 + 2))) >> (64 - 52 - 1 - β)
		zi := (φ.hi + (φ.hi >> (52 + 1))) >> (64 - 52 - 1 - β)
		if e != 2 && e != 3 {
			xi++
		}
		q := zi / 10
		if xi <= q*10 {
			q, zeros := trimZeros(q)
			return q, -k0 + 1 + zeros
		}
		yru := (φ.hi>>(128/2-52-2-β) + 1) / 2
		if e == -77 && yru%2 != 0 {
			yru--
		} else if yru < xi {
			yru++
		}
		return yru, -k0
	}

	// κ = 2 for float64 (section 5.1.3)
	const (
		κ     = 2
		p10κ  = 100       // 10**κ
		p10κ1 = p10κ * 10 // 10**(κ+1)
	)

	// Algorithm 5.2 (page 15).
	k0 := -((e * 78913) >> 18) // floor(e*log10(2))
	φ, β := dboxPow(κ+k0, e)
	zi, exact := dboxMulPow(uint64(mant*2+1)<<β, φ)
	s, r := zi/p10κ1, uint32(zi%p10κ1)
	δi := uint32(φ.hi >> (64 - 1 - β))

	if r < δi {
		if r != 0 || !exact || mant%2 == 0 {
			s, zeros := trimZeros(s)
			return s, -k0 + 1 + zeros
		}
		s--
		r = p10κ * 10
	} else if r == δi {
		parity, exact := dboxParity(uint64(mant*2-1), φ, β)
		if parity || (exact && mant%2 == 0) {
			s, zeros := trimZeros(s)
			return s, -k0 + 1 + zeros
		}
	}

	// Algorithm 5.4 (page 18).
	D := r + p10κ/2 - δi/2
	t, ρ := D/p10κ, D%p10κ
	yru := 10*s + uint64(t)
	if ρ == 0 {
		parity, exact := dboxParity(mant*2, φ, β)
		if parity != ((D-p10κ/2)%2 != 0) || exact && yru%2 != 0 {
			yru--
		}
	}
	return yru, -k0
}

// dboxPow gets the precomputed value of φ̃̃k for float64.
func dboxPow(k, e int) (φ u128, β int) {
	φ, e1 := pow10(k)
	if k < 0 || k > 55 {
		φ.lo++
	}
	return φ, e + e1 - 1
}

// dboxMulPow computes the integer part of u*φ (the upper 128 of 192 bits) and whether the
// fraction is 0 (section 5.2.1).
func dboxMulPow(u uint64, φ u128) (intPart uint64, isInt bool) {
	hi, lo := bits.Mul64(u, φ.hi)
	t, _ := bits.Mul64(u, φ.lo)
	sum := lo + t
	if sum < lo {
		hi++
	}
	return hi, sum == 0
}

// dboxParity computes only the parity of the integer part of mant2*φ and whether its
// fraction is 0 (section 5.2.1).
func dboxParity(mant2 uint64, φ u128, β int) (parity bool, isInt bool) {
	high := mant2 * φ.hi
	hl, ll := bits.Mul64(mant2, φ.lo)
	rhi, rlo := high+hl, ll
	parity = ((rhi >> (64 - β)) & 1) != 0
	isInt = ((rhi << β) | (rlo >> (64 - β))) == 0
	return parity, isInt
}

// trimZeros returns x without its trailing decimal zeros and how many there were.
func trimZeros(x uint64) (uint64, int) {
	const (
		maxUint64 = 1<<64 - 1
		div1e8m   = 0xc767074b22e90e21
		div1e8le  = maxUint64 / 100000000
		div1e4m   = 0xd288ce703afb7e91
		div1e4le  = maxUint64 / 10000
		div1e2m   = 0x8f5c28f5c28f5c29
		div1e2le  = maxUint64 / 100
		div1e1m   = 0xcccccccccccccccd
		div1e1le  = maxUint64 / 10
	)
	p := 0
	for d := bits.RotateLeft64(x*div1e8m, -8); d <= div1e8le; d = bits.RotateLeft64(x*div1e8m, -8) {
		x = d
		p += 8
	}
	if d := bits.RotateLeft64(x*div1e4m, -4); d <= div1e4le {
		x = d
		p += 4
	}
	if d := bits.RotateLeft64(x*div1e2m, -2); d <= div1e2le {
		x = d
		p += 2
	}
	if d := bits.RotateLeft64(x*div1e1m, -1); d <= div1e1le {
		x = d
		p++
	}
	return x, p
}

// digitPairs is "00" to "99".
const digitPairs = "00010203040506070809" +
	"10111213141516171819" +
	"20212223242526272829" +
	"30313233343536373839" +
	"40414243444546474849" +
	"50515253545556575859" +
	"60616263646566676869" +
	"70717273747576777879" +
	"80818283848586878889" +
	"90919293949596979899"

// digitPairs16 are "00" to "99" as little-endian 16-bit words, to store two digits at once.
var digitPairs16 = func() (t [100]uint16) {
	for i := range t {
		t[i] = uint16(digitPairs[2*i]) | uint16(digitPairs[2*i+1])<<8
	}
	return t
}()

// appendShortest appends strconv.AppendFloat(b, v, 'g', -1, 64) for a finite, non-zero v
// given as its bits: the shortest digits, in 'e' form ("d.ddde±dd") when the decimal
// exponent is below -4 or at least 6, else in 'f' form, as strconv's fmtE and fmtF write
// them at the shortest precision.
func appendShortest(b []byte, fbits uint64) []byte {
	if fbits>>63 != 0 {
		b = append(b, '-')
	}
	m, e := shortestDecimal(fbits &^ (1 << 63))
	// The digits from the right: eight at a time in 32-bit arithmetic while more follow,
	// then two at a time, each pair stored as one 16-bit word.
	var buf [24]byte
	i := len(buf)
	for m >= 1e8 && i >= 8 {
		q := m / 1e8
		lo := uint32(m - q*1e8)
		hi4, lo4 := lo/1e4, lo%1e4
		binary.LittleEndian.PutUint16(buf[i-2:], digitPairs16[lo4%100])
		binary.LittleEndian.PutUint16(buf[i-4:], digitPairs16[lo4/100])
		binary.LittleEndian.PutUint16(buf[i-6:], digitPairs16[hi4%100])
		binary.LittleEndian.PutUint16(buf[i-8:], digitPairs16[hi4/100])
		i -= 8
		m = q
	}
	lo := uint32(m) // below 1e8 (m < 2^64 < 1e20 has at most 20 digits; i >= 8 holds)
	for lo >= 100 && i >= 2 {
		q := lo / 100
		binary.LittleEndian.PutUint16(buf[i-2:], digitPairs16[lo-q*100])
		i -= 2
		lo = q
	}
	if lo >= 10 {
		i -= 2
		binary.LittleEndian.PutUint16(buf[i:], digitPairs16[lo])
	} else {
		i--
		buf[i] = byte('0' + lo)
	}
	d := buf[i:]
	nd := len(d)
	dp := nd + e // the point follows the dp-th digit
	if x := dp - 1; x < -4 || x >= 6 {
		b = append(b, d[0])
		if nd > 1 {
			b = append(append(b, '.'), d[1:]...)
		}
		sign := byte('+')
		if x < 0 {
			sign, x = '-', -x
		}
		b = append(b, 'e', sign)
		if x >= 100 {
			b = append(b, byte('0'+x/100))
			x %= 100
		}
		return append(b, digitPairs[2*x], digitPairs[2*x+1])
	}
	switch {
	case dp <= 0: // 0.000ddd
		b = append(b, "0.0000"[:2-dp]...)
		return append(b, d...)
	case dp >= nd: // ddd000
		b = append(b, d...)
		for range dp - nd {
			b = append(b, '0')
		}
		return b
	}
	b = append(b, d[:dp]...)
	return append(append(b, '.'), d[dp:]...)
}
