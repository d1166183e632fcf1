package scenarios

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/countysim/countysim/sim"
)

// Set applies one "path=value" override, as given to --set: the path is a field path as in a
// scenario file (dotted keys, [i] for list items, e.g. pmc.cohorts[0].step1) and the value is
// read as YAML into that field's type (a scalar, or a flow list or mapping such as [a, b]).
// Setting preset replaces the world with the preset's. On error s is left unchanged. Set does
// not check ranges: call Validate after the last override.
func Set(s *Scenario, assignment string) error {
	path, value, found := strings.Cut(assignment, "=")
	path = strings.TrimSpace(path)
	if !found || path == "" {
		return &LoadError{Problems: []Problem{problem("", 0, 0, path, text("cannot read %q: expected path=value, e.g. pmc.enabled=false", assignment))}}
	}
	doc := document{Name: s.Name, Description: s.Description, Preset: s.Preset, Config: s.Config}
	d := newDecoder("")
	d.noPos = true
	target, ok := d.locate(reflect.ValueOf(&doc).Elem(), path)
	if !ok {
		return errorOrNil(d.problems)
	}
	val, err := scalarNode(value)
	if err != nil {
		return &LoadError{Problems: []Problem{problem("", 0, 0, path, text("cannot read value %q: %s", value, textOf(err)))}}
	}
	d.value(path, val, val, target)
	if path == "preset" && len(d.problems) == 0 && doc.Preset != "" {
		if w, err := Preset(doc.Preset); err == nil {
			doc.World = w
		} else {
			d.add(nil, path, "unknown preset %q (allowed: %s)", doc.Preset, strings.Join(Presets(), ", "))
		}
	}
	if err := errorOrNil(d.problems); err != nil {
		return err
	}
	if doc.PMC.Selection.Method == sim.ByList {
		// Cohort counties given by short name or code become the world's names; the ones that
		// do not resolve are left for Validate to report.
		resolveCohorts(&doc.Config, func(int, int, Text) {})
	}
	s.Name, s.Description, s.Preset, s.Config = doc.Name, doc.Description, doc.Preset, doc.Config
	return nil
}

// scalarNode parses an override's value; an empty value is YAML's null.
func scalarNode(value string) (n *yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(value), &doc); err != nil {
		return nil, &Error{Text: text("%s", Words(strings.TrimPrefix(err.Error(), "yaml: ")))}
	}
	if len(doc.Content) == 0 {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}, nil
	}
	// A value is held to a file's limit on aliases (readYAML): a short text must not expand
	// into more values than a file may hold.
	var where *yaml.Node
	if n := expandedSize(doc.Content[0], map[*yaml.Node]int{}, maxNodes+1, &where); n > maxNodes {
		return nil, errorf("too many values: more than %d once aliases are expanded (allowed: at most %d)", maxNodes, maxNodes)
	}
	return doc.Content[0], nil
}

// locate walks a field path down from v and returns the field it names. Lists on the way are
// copied before an item is addressed, so that a failed Set leaves the scenario's lists intact.
func (d *decoder) locate(v reflect.Value, path string) (reflect.Value, bool) {
	cur := ""
	rest := path
	for rest != "" {
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		if strings.HasPrefix(rest, "[") {
			end := strings.IndexByte(rest, ']')
			i, err := strconv.Atoi(rest[1:max(end, 1)])
			if end < 0 || err != nil || i < 0 {
				d.add(nil, cur, "cannot read path %q: a list index is written [0], [1], ...", path)
				return v, false
			}
			if v.Kind() != reflect.Slice {
				d.add(nil, cur, "%s is %s, not a list, so it takes no [%d]", cur, expected(v.Type()), i)
				return v, false
			}
			if i >= v.Len() {
				if v.Len() == 0 {
					d.add(nil, cur+rest[:end+1], "no item %d: %s has %d item(s)", i, cur, v.Len())
				} else {
					d.add(nil, cur+rest[:end+1], "no item %d: %s has %d item(s) (0 to %d)", i, cur, v.Len(), v.Len()-1)
				}
				return v, false
			}
			clone := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
			reflect.Copy(clone, v)
			v.Set(clone)
			v = v.Index(i)
			cur += rest[:end+1]
			rest = rest[end+1:]
			continue
		}
		rest = strings.TrimPrefix(rest, ".")
		end := strings.IndexAny(rest, ".[")
		if end < 0 {
			end = len(rest)
		}
		name := rest[:end]
		rest = rest[end:]
		if v.Kind() != reflect.Struct {
			d.add(nil, cur, "%s is %s, so it has no key %q; set it whole", cur, expected(v.Type()), name)
			return v, false
		}
		fs := fieldsOf(v.Type())
		f, ok := lookup(fs, name)
		if !ok {
			d.addText(nil, join(cur, name), unknownKey(cur, name, fs))
			return v, false
		}
		v = v.FieldByIndex(f.index)
		cur = join(cur, name)
	}
	return v, true
}

// Validate checks a scenario's config (after Set overrides, say) and returns every problem in
// one *LoadError, by field path only, or nil when the scenario can run.
func Validate(s *Scenario) error {
	var ps []Problem
	if err := CheckName(s.Name); s.Name != "" && err != nil {
		ps = append(ps, problem("", 0, 0, "name", textOf(err)))
	}
	if s.Preset != "" && !slices.Contains(Presets(), s.Preset) {
		ps = append(ps, problem("", 0, 0, "preset", text("unknown preset %q (allowed: %s)", s.Preset, strings.Join(Presets(), ", "))))
	}
	for _, fe := range s.Config.Validate() {
		ps = append(ps, problem("", 0, 0, fe.Path, badValue(fe)))
	}
	return errorOrNil(ps)
}
