package targets

import "testing"

// TestFmtNum: three significant digits, whole numbers from 100 (38.16 was shown to four).
func TestFmtNum(t *testing.T) {
	for v, want := range map[float64]string{
		0: "0", 38.16: "38.2", 50.36: "50.4", 9.994: "9.99", 9.996: "10.0", 99.96: "100", 123.4: "123",
		1.234: "1.23", 0.1234: "0.123", 0.001234: "0.0012", -38.16: "-38.2",
	} {
		if got := FmtNum(v); got != want {
			t.Errorf("FmtNum(%g) = %q, want %q", v, got, want)
		}
	}
}
