package results

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/countysim/countysim/provenance"
)

// Seeds above 2^53 must survive readers whose JSON numbers are doubles: manifests write them
// as strings, and still read the bare numbers of earlier manifests.
func TestJSONSeedsAreStrings(t *testing.T) {
	const big = 18446744073709551615 // 2^64 - 1; as a double it would read 18446744073709551616
	var h0 BatchHeader
	h0.MasterSeed, h0.Seeds = provenance.SeedOf(big), JSONSeeds([]uint64{9007199254740993, 0})
	b, err := json.Marshal(h0)
	if err != nil {
		t.Fatal(err)
	}
	if s := string(b); !strings.Contains(s, `"master_seed":"18446744073709551615"`) || !strings.Contains(s, `"seeds":["9007199254740993","0"]`) {
		t.Errorf("seeds are not strings: %s", s)
	}
	var h BatchHeader
	if err := json.Unmarshal(b, &h); err != nil || h.MasterSeed == nil || *h.MasterSeed != big || h.Seeds[0] != 9007199254740993 {
		t.Errorf("round trip: %v %+v", err, h)
	}
	// A manifest written before seeds became strings.
	var old Manifest
	if err := json.Unmarshal([]byte(`{"seed": 9007199254740993}`), &old); err != nil || old.Seed == nil || *old.Seed != 9007199254740993 {
		t.Errorf("old numeric seed: %v %v", err, old.Seed)
	}
	for _, bad := range []string{`{"seed": -1}`, `{"seed": "x"}`, `{"seed": 1.5}`, `{"seed": "18446744073709551616"}`} {
		if err := json.Unmarshal([]byte(bad), &old); err == nil || !strings.Contains(err.Error(), "not a whole number") {
			t.Errorf("%s: %v", bad, err)
		}
	}
}
