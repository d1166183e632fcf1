package serve

import "testing"

func TestStreamMetaCarriesCodesAndMap(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	c := startRun(t, ts, `{"base":"henan-2014","preset":"henan","sets":{"months":12}}`)
	md, _, _ := readStream(t, ts.URL+c.Stream)
	if len(md.CountyCodes) != 109 || md.CountyCodes[0] != "410122" || md.PrefectureCodes[0] != "410100" {
		t.Fatalf("codes: %d counties, first %v, prefectures %v", len(md.CountyCodes), md.CountyCodes[:1], md.PrefectureCodes[:1])
	}
	if md.Map == nil || len(md.Map.Counties) != 109 || len(md.Map.Rings) < 18 || md.Map.Width <= 0 || md.Map.Radius <= 0 {
		t.Fatalf("map %+v", md.Map)
	}
	for i, p := range md.Map.Counties {
		if p[0] < 0 || p[0] > md.Map.Width || p[1] < 0 || p[1] > 1 {
			t.Errorf("county %d at %v, outside the box", i, p)
		}
	}
	// A drawn world has no map.
	c = startRun(t, ts, `{"preset":"teaching","sets":{"months":12}}`)
	md, _, _ = readStream(t, ts.URL+c.Stream)
	if md.Map != nil || md.CountyCodes[0] != "" {
		t.Errorf("teaching: map %v, code %q", md.Map != nil, md.CountyCodes[0])
	}
}
