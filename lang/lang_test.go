package lang

import (
	"strings"
	"testing"
)

func TestParseLang(t *testing.T) {
	for in, want := range map[string]Lang{"": English, "en": English, "zh": Chinese, "zh_CN.UTF-8": Chinese, "zh-TW": Chinese, "en_GB.UTF-8": English, "C.UTF-8": English} {
		if got, err := ParseLang(in); err != nil || got != want {
			t.Errorf("ParseLang(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseLang("fr"); err == nil || !strings.Contains(err.Error(), `"fr"`) || !strings.Contains(err.Error(), `"zh"`) {
		t.Errorf("ParseLang(fr) error %v, want one naming the bad value and the allowed ones", err)
	}
	env := map[string]string{"LANG": "zh_CN.UTF-8"}
	if got := LangFromEnv(func(k string) string { return env[k] }); got != Chinese {
		t.Errorf("LANG=zh_CN: %q, want zh", got)
	}
	env["LC_ALL"] = "en_US.UTF-8"
	if got := LangFromEnv(func(k string) string { return env[k] }); got != English {
		t.Errorf("LC_ALL=en_US over LANG=zh_CN: %q, want en", got)
	}
}

func TestThousands(t *testing.T) {
	for _, c := range []struct {
		v    float64
		dec  int
		want string
	}{{1234567.891, 2, "1,234,567.89"}, {-1234, 0, "-1,234"}, {-0.001, 1, "0.0"}, {999, 0, "999"}} {
		if got := Thousands(c.v, c.dec); got != c.want {
			t.Errorf("Thousands(%v, %d) = %q, want %q", c.v, c.dec, got, c.want)
		}
	}
	if d := Decimals(0.0123, 3); d != 4 {
		t.Errorf("Decimals(0.0123, 3) = %d, want 4", d)
	}
}

// TestMetricNameOfALog: an outcome in logs (ln_NAME) is named ln(中文名) in Chinese, and keeps
// its code in English or when the metric is unknown.
func TestMetricNameOfALog(t *testing.T) {
	for _, tc := range []struct {
		l          Lang
		name, want string
	}{
		{Chinese, "ln_gdp_per_capita", "ln(人均地区生产总值)"},
		{Chinese, "gdp_per_capita", "人均地区生产总值"},
		{English, "ln_gdp_per_capita", "ln_gdp_per_capita"},
		{Chinese, "ln_no_such_metric", "ln_no_such_metric"},
	} {
		if got := tc.l.MetricName(tc.name); got != tc.want {
			t.Errorf("%s.MetricName(%q) = %q, want %q", tc.l, tc.name, got, tc.want)
		}
	}
}
