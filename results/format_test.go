package results

import (
	"math"
	"testing"
)

func TestFormatFloat(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{0, "0"}, {math.Copysign(0, -1), "0"}, {1, "1"}, {0.1, "0.1"}, {1.0 / 3, "0.3333333333333333"},
		{-2.5e-7, "-2.5e-07"}, {123456789, "1.23456789e+08"}, {math.NaN(), ""},
		{math.Inf(1), "Inf"}, {math.Inf(-1), "-Inf"},
	}
	for _, tc := range tests {
		if got := formatFloat(tc.v); got != tc.want {
			t.Errorf("formatFloat(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}
