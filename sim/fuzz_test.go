package sim

import (
	"bytes"
	"math"
	"testing"
)

// FuzzRestore checks that Restore never panics on any bytes (a state file from disk, maybe
// cut short or corrupted) and either refuses them with an error or returns a model whose next
// month runs or fails with an error, never a panic; the state as saved restores into a model
// whose next month is the saved model's, value for value. Seeds: a small model's state at two
// months, and cut and flipped copies.
func FuzzRestore(f *testing.F) {
	cfg := small(6)
	cfg.World.Provinces = []ProvinceSpec{{Name: "F", Prefectures: 2, Counties: 4, Towns: 12}}
	m, err := New(cfg)
	if err != nil {
		f.Fatal(err)
	}
	for range 2 {
		if err := m.Step(); err != nil {
			f.Fatal(err)
		}
	}
	data, err := m.MarshalState()
	if err != nil {
		f.Fatal(err)
	}
	if err := m.Step(); err != nil {
		f.Fatal(err)
	}
	next := append([]float64(nil), m.Values()...) // the saved model's next month
	f.Add(data)
	f.Add(data[:len(data)/2])
	flipped := append([]byte(nil), data...)
	flipped[len(flipped)/3] ^= 0xff
	f.Add(flipped)
	f.Fuzz(func(t *testing.T, b []byte) {
		saved := bytes.Equal(b, data)
		r, err := Restore(b, cfg)
		if err != nil {
			if saved {
				t.Fatalf("the saved state is refused: %v", err)
			}
			return
		}
		if r.Done() {
			return
		}
		err = r.Step()
		if saved {
			if err != nil {
				t.Fatalf("the restored model's next month: %v", err)
			}
			for i, v := range r.Values() {
				if math.Float64bits(v) != math.Float64bits(next[i]) {
					t.Fatalf("value %d of the restored model's next month is %v, the saved model's %v", i, v, next[i])
				}
			}
		}
	})
}
