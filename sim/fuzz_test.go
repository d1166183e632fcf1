package sim

import "testing"

// FuzzRestore checks that Restore never panics on any bytes (a state file from disk, maybe
// cut short or corrupted) and either refuses them with an error or returns a model that can
// take a month. Seeds: a small model's state at two months, and cut and flipped copies.
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
	f.Add(data)
	f.Add(data[:len(data)/2])
	flipped := append([]byte(nil), data...)
	flipped[len(flipped)/3] ^= 0xff
	f.Add(flipped)
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := Restore(b, cfg)
		if err != nil {
			return
		}
		if !r.Done() {
			_ = r.Step()
		}
	})
}
