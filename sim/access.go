package sim

import "fmt"

// Value returns county i's value of the named metric for the month just simulated (see
// Metrics for names and units). It returns an error for an unknown metric or county index.
func (m *Model) Value(i int, metric string) (float64, error) {
	k := MetricIndex(metric)
	if k < 0 {
		return 0, fmt.Errorf("unknown metric %q", metric)
	}
	if i < 0 || i >= len(m.Counties) {
		return 0, fmt.Errorf("county %d out of range (the model has %d counties)", i, len(m.Counties))
	}
	return m.values[i*NumMetrics+k], nil
}

// CountyByName returns the index of the county with the given name, or -1.
func (m *Model) CountyByName(name string) int {
	for i := range m.Counties {
		if m.Counties[i].Name == name {
			return i
		}
	}
	return -1
}
