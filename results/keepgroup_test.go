package results

import "testing"

func TestKeepGroupPatterns(t *testing.T) {
	cases := []struct {
		name     string
		patterns []string
		want     bool
	}{
		{"prefecture:Henan-P01", nil, true},
		{"prefecture:Henan-P01", []string{"step:*"}, false},
		{"prefecture:Henan-P01", []string{"step:*", "prefecture:*"}, true},
		{"step:3", []string{"step:3"}, true},
		{"step:2", []string{"step:3"}, false},
		{"pilot", []string{"cohort:*"}, true}, // plotted groups are always kept
	}
	for _, c := range cases {
		if got := keepGroup(c.name, c.patterns); got != c.want {
			t.Errorf("keepGroup(%q, %v) = %v, want %v", c.name, c.patterns, got, c.want)
		}
	}
}
