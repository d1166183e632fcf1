package sim

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

//go:generate go run ../internal/paramgen -sim . -readme ../README.md -model ../docs/MODEL.md

// The parameters of a scenario are declared once, on the fields of Config and the types it
// holds (config.go): the Go doc comment is the field's meaning in English, and the struct tags
// carry the rest:
//
//	yaml:"key"         the scenario key (the path is the keys from Config down, dotted)
//	range:"lo,hi"      the values allowed, inclusive; checked by Validate (a bound may name a
//	                   constant of rangeConsts)
//	zero:"what"        with range: 0 is allowed too and means what ("apportion")
//	oneof:"a,b,c"      the values a text field may take; checked by Validate
//	allowed:"words"    what is allowed, in words: the message of a range check, or the only
//	                   description of a field whose rules are hand-written in Validate
//	rule:"words"       a cross-field rule Validate checks by hand, shown after the range
//	unit:"unit"        the unit of a number ("share", "month" for a date, "months" for a span)
//	zh:"名称"           the Chinese name (the page's Chinese label of a lever)
//	lever:"group,..."  the page shows the field as a control in that group; options step=S
//	                   (slider step), min=M (slider minimum, if not the range's)
//	label:"words"      the page's English label of a lever
//	source:"words"     where the default comes from, or "assumption: why"
//
// From these, Params lists every parameter, Validate checks the ranges and choices (the
// cross-field rules are written by hand in defaults.go), the README's field table and Appendix A
// of docs/MODEL.md are generated (go generate ./sim; a test in internal/paramgen fails when
// they are stale), `countysim scenarios show --explain` comments the full form, and the page's
// levers and their labels are built (serve/levers.go). The meanings are copied from the doc
// comments into zz_params.go by the same go generate.

// rangeConsts are the named constants a range tag may use as a bound.
var rangeConsts = map[string]float64{
	"maxDelay":          maxDelay,
	"minTownsPerCounty": minTownsPerCounty,
	"maxTownsPerCounty": maxTownsPerCounty,
}

// Param is one scenario parameter as declared on Config's fields (see the tags above).
type Param struct {
	// Path is the scenario path, dotted, with [] for "every item of the list":
	// "pmc.cohorts[].step1".
	Path string
	// Field is the Go path from Config: "PMC.Cohorts[].Step1".
	Field string
	// Kind is "number", "integer", "bool", "text", "choice", "text list" or "list" (of
	// mappings, whose fields follow as parameters of their own).
	Kind string
	// Default is the value in DefaultConfig. For a field inside a list it is a []any with the
	// field's value in each item of the default list (empty when that list is).
	Default any
	// HasRange reports whether Min and Max bound the value (range tag).
	HasRange bool
	Min, Max float64
	// Zero, when not empty, allows 0 outside the range and says what it means.
	Zero string
	// Choices are the values a "choice" parameter may take (oneof tag).
	Choices []string
	// Allowed is what the value may be, in words: the message Validate gives, or the
	// description of rules written by hand.
	Allowed string
	// Rule is a cross-field rule checked by hand in Validate, in words ("" if none).
	Rule string
	// Unit is the unit of a number ("" for the others).
	Unit string
	// Meaning is the field's doc comment, in English.
	Meaning string
	// Source is where the default comes from: a reference, "assumption" (with its reason), or
	// "" for a setting with nothing to source (a date, a switch the scenario sets).
	Source string
	// Zh is the Chinese name.
	Zh string
	// Lever, when not nil, makes the field a control on the page.
	Lever *Lever
}

// Lever is how the page shows a parameter: its group, English label (the Chinese one is the
// parameter's Zh) and, for a slider, its step and minimum.
type Lever struct {
	Group string
	Label string
	// Step is the slider step (0: no slider, a number box only).
	Step float64
	// Min is the slider's minimum when HasMin (else the range's).
	HasMin bool
	Min    float64
}

// AllowedText is what the parameter may be, in words, with its cross-field rule: the README's
// "allowed" column.
func (p Param) AllowedText() string {
	var s string
	switch {
	case p.HasRange || p.Allowed != "":
		s = p.Allowed
		if s == "" {
			s = p.rangeText()
		}
	case p.Kind == "choice":
		s = choiceText(p.Choices)
	case p.Kind == "bool":
		s = "true or false"
	default:
		s = p.Kind
	}
	if p.Rule != "" {
		s += "; " + p.Rule
	}
	return s
}

// rangeText is the message of a failed range check.
func (p Param) rangeText() string {
	s := fmt.Sprintf("a number from %g to %g", p.Min, p.Max)
	if p.Kind == "integer" {
		s = fmt.Sprintf("a whole number from %d to %d", int(p.Min), int(p.Max))
	}
	if p.Zero != "" {
		s = "0 (" + p.Zero + ") or " + s
	}
	return s
}

// choiceText lists choices as "a", "b" or "c".
func choiceText(cs []string) string {
	q := make([]string, len(cs))
	for i, c := range cs {
		q[i] = strconv.Quote(c)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

var (
	paramsOnce sync.Once
	params     []Param
	checks     map[reflect.Type][]fieldCheck
)

// fieldCheck is what Validate does with one field of a struct type: check its value against
// its Param, or go down into a struct or into every item of a list of structs.
type fieldCheck struct {
	index int
	key   string
	param *Param // nil for a struct or a list of structs without a check of its own
	down  bool   // a struct, or a list of structs
}

// Params returns every parameter of a scenario, in the order of Config's fields. It panics if
// a tag in config.go is malformed (a test calls it).
func Params() []Param {
	paramsOnce.Do(buildParams)
	return params
}

func buildParams() {
	checks = map[reflect.Type][]fieldCheck{}
	def := reflect.ValueOf(DefaultConfig())
	collect(reflect.TypeOf(Config{}), []reflect.Value{def}, false, "", "")
}

// collect appends the parameters of struct type t under the given paths, and records the
// checks of t. vs are t's values in the default config: one, or one per item of a list (inList).
func collect(t reflect.Type, vs []reflect.Value, inList bool, path, field string) {
	_, seen := checks[t]
	var fcs []fieldCheck
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		key := strings.Split(f.Tag.Get("yaml"), ",")[0]
		if key == "" || key == "-" {
			continue
		}
		p := join(path, key, ".")
		fp := join(field, f.Name, ".")
		fvs := make([]reflect.Value, len(vs))
		for k, v := range vs {
			fvs[k] = v.Field(i)
		}
		ft := f.Type
		switch {
		case ft.Kind() == reflect.Struct:
			fcs = append(fcs, fieldCheck{index: i, key: key, down: true})
			collect(ft, fvs, inList, p, fp)
			continue
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			params = append(params, newParam(t, f, p, fp, "list", defaultOf(fvs, inList)))
			fcs = append(fcs, fieldCheck{index: i, key: key, down: true})
			var items []reflect.Value
			for _, l := range fvs {
				for k := 0; k < l.Len(); k++ {
					items = append(items, l.Index(k))
				}
			}
			collect(ft.Elem(), items, true, p+"[]", fp+"[]")
			continue
		}
		prm := newParam(t, f, p, fp, kindOf(f), defaultOf(fvs, inList))
		params = append(params, prm)
		if prm.HasRange || prm.Kind == "choice" {
			cp := prm
			fcs = append(fcs, fieldCheck{index: i, key: key, param: &cp})
		}
	}
	if !seen {
		checks[t] = fcs
	}
}

// defaultOf is a field's default from its values vs: the value, or in a list the values.
func defaultOf(vs []reflect.Value, inList bool) any {
	if !inList {
		return vs[0].Interface()
	}
	out := make([]any, len(vs))
	for k, v := range vs {
		out[k] = v.Interface()
	}
	return out
}

func join(a, b, sep string) string {
	if a == "" {
		return b
	}
	return a + sep + b
}

func kindOf(f reflect.StructField) string {
	switch f.Type.Kind() {
	case reflect.Float64:
		return "number"
	case reflect.Int, reflect.Uint64:
		return "integer"
	case reflect.Bool:
		return "bool"
	case reflect.String:
		if f.Tag.Get("oneof") != "" {
			return "choice"
		}
		return "text"
	case reflect.Slice:
		if f.Type.Elem().Kind() == reflect.String {
			return "text list"
		}
	}
	panic(fmt.Sprintf("sim: field %s has type %s, which Params does not know", f.Name, f.Type))
}

// newParam reads the tags of field f of struct type owner.
func newParam(owner reflect.Type, f reflect.StructField, path, field, kind string, def any) Param {
	tag := f.Tag
	p := Param{
		Path: path, Field: field, Kind: kind,
		Zero: tag.Get("zero"), Allowed: tag.Get("allowed"), Rule: tag.Get("rule"),
		Unit: tag.Get("unit"), Zh: tag.Get("zh"), Source: tag.Get("source"), Default: def,
		Meaning: fieldDocs[owner.Name()+"."+f.Name],
	}
	if r := tag.Get("range"); r != "" {
		lo, hi, ok := strings.Cut(r, ",")
		if !ok || (kind != "number" && kind != "integer") {
			panic(fmt.Sprintf("sim: %s: range tag %q must be \"lo,hi\" on a number", path, r))
		}
		p.HasRange, p.Min, p.Max = true, bound(path, lo), bound(path, hi)
	}
	if c := tag.Get("oneof"); c != "" {
		p.Choices = strings.Split(c, ",")
	}
	if l, ok := tag.Lookup("lever"); ok {
		opts := strings.Split(l, ",")
		lv := &Lever{Group: opts[0], Label: tag.Get("label")}
		for _, o := range opts[1:] {
			k, val, _ := strings.Cut(o, "=")
			switch k {
			case "step":
				lv.Step = bound(path, val)
			case "min":
				lv.HasMin, lv.Min = true, bound(path, val)
			default:
				panic(fmt.Sprintf("sim: %s: unknown lever option %q", path, o))
			}
		}
		p.Lever = lv
	}
	return p
}

func bound(path, s string) float64 {
	if v, ok := rangeConsts[s]; ok {
		return v
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		panic(fmt.Sprintf("sim: %s: bad number %q in a tag", path, s))
	}
	return v
}

// checkDeclared reports every field whose value is outside its declared range or choices, in
// the order of the fields.
func (c *Config) checkDeclared(add func(path string, v any, allowed string)) {
	Params()
	checkStruct(reflect.ValueOf(c).Elem(), "", add)
}

func checkStruct(v reflect.Value, path string, add func(path string, v any, allowed string)) {
	for _, fc := range checks[v.Type()] {
		fv := v.Field(fc.index)
		p := join(path, fc.key, ".")
		switch {
		case fc.param != nil:
			fc.param.check(p, fv, add)
		case fv.Kind() == reflect.Struct:
			checkStruct(fv, p, add)
		case fv.Kind() == reflect.Slice:
			for i := 0; i < fv.Len(); i++ {
				checkStruct(fv.Index(i), fmt.Sprintf("%s[%d]", p, i), add)
			}
		}
	}
}

// check reports v at path when it is outside the parameter's range or choices.
func (p *Param) check(path string, v reflect.Value, add func(path string, v any, allowed string)) {
	if p.Kind == "choice" {
		s := v.String()
		for _, c := range p.Choices {
			if s == c {
				return
			}
		}
		add(path, strconv.Quote(s), choiceText(p.Choices))
		return
	}
	var x float64
	switch v.Kind() {
	case reflect.Float64:
		x = v.Float()
	case reflect.Int:
		x = float64(v.Int())
	case reflect.Uint64:
		x = float64(v.Uint())
	}
	if (math.IsNaN(x) || x < p.Min || x > p.Max) && !(p.Zero != "" && x == 0) {
		msg := p.Allowed
		if msg == "" {
			msg = p.rangeText()
		}
		add(path, v.Interface(), msg)
	}
}

// Lookup returns the value at a scenario path with list indices ("pmc.cohorts[0].share"), and
// false when the path names no field or an item the list does not have. Text, choices
// included, is a plain string.
func (c *Config) Lookup(path string) (any, bool) {
	v := reflect.ValueOf(c).Elem()
	for _, part := range strings.Split(path, ".") {
		key, idx := part, -1
		if i := strings.IndexByte(part, '['); i >= 0 && strings.HasSuffix(part, "]") {
			n, err := strconv.Atoi(part[i+1 : len(part)-1])
			if err != nil || n < 0 {
				return nil, false
			}
			key, idx = part[:i], n
		}
		if v.Kind() != reflect.Struct {
			return nil, false
		}
		found := false
		for i := 0; i < v.NumField(); i++ {
			if strings.Split(v.Type().Field(i).Tag.Get("yaml"), ",")[0] == key {
				v, found = v.Field(i), true
				break
			}
		}
		if !found {
			return nil, false
		}
		if idx >= 0 {
			if v.Kind() != reflect.Slice || idx >= v.Len() {
				return nil, false
			}
			v = v.Index(idx)
		}
	}
	if v.Kind() == reflect.String { // a choice (PMCMode, ...) reads as the text of the file
		return v.String(), true
	}
	return v.Interface(), true
}
