package main

import (
	"strings"
	"testing"

	"github.com/countysim/countysim/lang"
	"github.com/countysim/countysim/scenarios"
)

// TestIdleReform: a reform none of whose levers acts within the months simulated is named,
// with the month it first acts; one that acts in the last month, and no reform, are not.
func TestIdleReform(t *testing.T) {
	for _, tc := range []struct {
		name   string
		months int
		want   string // "" for no note
	}{
		{"pmc-three-step", 24, "first acts in month 25"},
		{"pmc-three-step", 25, ""},
		{"baseline", 24, ""},
	} {
		s, err := scenarios.Resolve(tc.name)
		if err != nil {
			t.Fatal(err)
		}
		s.Config.Months = tc.months
		got, err := idleReform(lang.English, s)
		if err != nil {
			t.Fatal(err)
		}
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s, %d months: %q, want %q", tc.name, tc.months, got, tc.want)
		}
		if zh, _ := idleReform(lang.Chinese, s); (got == "") != (zh == "") || strings.Contains(zh, "reform") {
			t.Errorf("%s, %d months: Chinese %q", tc.name, tc.months, zh)
		}
	}
}
