package scenarios

import (
	"reflect"
	"strings"
	"testing"
)

// TestMarshalExplained checks that the explained full form carries each field's declaration
// and reads back to the same scenario.
func TestMarshalExplained(t *testing.T) {
	s, err := Builtin(Default)
	if err != nil {
		t.Fatal(err)
	}
	out, err := MarshalExplained(s)
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{
		"  # Economic is the share of economic authority",
		"economic: 0 # a number from 0 to 1 [share] 向县下放经济管理权限",
		"delay_months: 2 # a whole number from 0 to 12 [months] 地级市拨付延迟",
		"mode: three-step # \"three-step\" or \"one-shot\" 推进方式",
		"county_names: [] # unique non-empty names, at most one per county 县名",
		"devolution:\n",
		"step2: 60 # a whole number from -1 to 600; -1 (never) or no earlier than step1 [month] 第二步（月份）",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("explained form lacks %q", want)
		}
	}
	back, err := Parse("explained.yaml", out)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Config, s.Config) || Hash(back) != Hash(s) {
		t.Error("the explained form does not read back to the same scenario")
	}
}

// TestMarshalExplainedCountyList reads back an explained world with a county list.
func TestMarshalExplainedCountyList(t *testing.T) {
	s, err := Parse("list.yaml", []byte(`world:
  provinces:
    - name: P
      prefectures: 2
      towns: 0
      county_list:
        - {name: a, prefecture: 0, towns: 4, urban: 0.3}
        - {name: b, prefecture: 1, code: "410101"}
`))
	if err != nil {
		t.Fatal(err)
	}
	out, err := MarshalExplained(s)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "urban: 0.3 # a number from 0 to 1 [share] 城镇化率") {
		t.Errorf("county list items not explained:\n%s", out)
	}
	back, err := Parse("explained.yaml", out)
	if err != nil {
		t.Fatal(err)
	}
	if Hash(back) != Hash(s) {
		t.Error("the explained form does not read back to the same scenario")
	}
}
