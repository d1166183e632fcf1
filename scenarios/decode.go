package scenarios

import (
	"bytes"
	"encoding"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/countysim/countysim/sim"
	"go.yaml.in/yaml/v3"
)

// document is the top level of a scenario file: the scenario's own keys, then every field of
// sim.Config by its yaml tag.
type document struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Preset      string `yaml:"preset"`
	Lang        string `yaml:"lang,omitempty"`
	sim.Config  `yaml:",inline"`
}

// maxNodes bounds the values one scenario or experiment may hold once aliases are expanded, so
// that a small file full of aliases (a "billion laughs" bomb) cannot make loading take
// unbounded time and memory. The largest built-in scenario, the national preset written out in
// full, holds a few thousand values. The bound is checked on the parsed tree before any value is
// decoded, counting each alias as the size of what it points to.
const maxNodes = 20_000

// maxProblems bounds the problems one file or value reports: past it, one more says there are
// more (a file of thousands of unknown keys is not answered with thousands of messages).
const maxProblems = 100

// MaxFileBytes caps the size of a scenario or experiment file (1 MiB): the largest built-in
// scenario written out in full is under 100 KB.
const MaxFileBytes = 1 << 20

// listKeysUpTo is the largest key set an unknown-key message lists in full.
const listKeysUpTo = 12

// decoder walks a YAML node tree alongside the reflect type of the target, checks every key and
// type, assigns what is valid and records one Problem per fault. It remembers the node that set
// each field path, so that problems found later (by sim.Config.Validate) can be placed.
type decoder struct {
	counties *CountiesFile // the counties file the world took values from (nil: none)
	file     string
	noPos    bool // values given on the command line: problems carry no line
	problems []Problem
	at       map[string]*yaml.Node // the node that set each field path
	flagged  map[string]bool       // field paths with a problem
	misspelt map[string]bool       // paths of mappings with an unknown key
	// fromFile is where the counties file set a county-list field (path -> file, line and
	// column), to report a problem found later at its cell.
	fromFile map[string]cellAt
	budget   int
	// allowed is what fields outside the scenario format (an experiment's) may be, by path
	// (list indices as []), for the messages of a wrong type or a value out of range.
	allowed map[string]string
}

func newDecoder(file string) *decoder {
	return &decoder{file: file, at: map[string]*yaml.Node{}, flagged: map[string]bool{}, misspelt: map[string]bool{}, fromFile: map[string]cellAt{}, budget: maxNodes}
}

// add records a problem with the field at path, at pos, with the message format and args (see
// text).
func (d *decoder) add(pos *yaml.Node, path, format string, args ...any) {
	d.addText(pos, path, text(format, args...))
}

// addText records a problem with the field at path, at pos, with the message t.
func (d *decoder) addText(pos *yaml.Node, path string, t Text) {
	d.flagged[path] = true
	if len(d.problems) >= maxProblems {
		if len(d.problems) == maxProblems { // said once, at the last problem's place
			last := d.problems[maxProblems-1]
			d.problems = append(d.problems, problem(d.file, last.Line, last.Col, last.Path,
				text("more problems than %d; fix these first", maxProblems)))
		}
		return
	}
	line, col := 0, 0
	if !d.noPos {
		line, col = 1, 1
		if pos != nil && pos.Line > 0 {
			line, col = pos.Line, pos.Column
		}
	}
	d.problems = append(d.problems, problem(d.file, line, col, path, t))
}

// readYAML parses data into its single document's root node (nil for an empty document). A
// syntax error becomes a Problem at the line of the fault.
func readYAML(file string, data []byte) (root *yaml.Node, problems []Problem) {
	defer func() {
		// The parser is third-party code; a panic in it is reported like any other fault.
		if r := recover(); r != nil {
			root, problems = nil, []Problem{problem(file, 1, 1, "", text("cannot read YAML: %v", fmt.Sprint(r)))}
		}
	}()
	if p := NotUTF8(file, data); p != nil {
		return nil, []Problem{*p}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, []Problem{syntaxProblem(file, data, err)}
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, []Problem{syntaxProblem(file, data, err)}
	default:
		return nil, []Problem{problem(file, max(next.Line, 1), max(next.Column, 1), "",
			text("a scenario file holds one YAML document; remove this second one (or the '---' before it)"))}
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	root = doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
		return nil, nil
	}
	var where *yaml.Node
	if n := expandedSize(root, map[*yaml.Node]int{}, maxNodes+1, &where); n > maxNodes {
		line, col := 1, 1
		if where != nil && where.Line > 0 {
			line, col = where.Line, where.Column
		}
		return nil, []Problem{problem(file, line, col, "",
			text("too many values: more than %d once aliases are expanded (allowed: at most %d; write the values out instead of nesting aliases)", maxNodes, maxNodes))}
	}
	return root, nil
}

// expandedSize counts the values under n with every alias counted as the size of its target,
// stopping at limit. Sizes are memoised per node, so the count costs one visit per node of the
// file however deep the aliases nest; a node that contains itself counts as limit. where is
// set to the node at which the count first reached limit.
func expandedSize(n *yaml.Node, memo map[*yaml.Node]int, limit int, where **yaml.Node) int {
	if n == nil {
		return 0
	}
	if v, ok := memo[n]; ok {
		if v < 0 {
			return limit // a cycle
		}
		return v
	}
	memo[n] = -1
	total := 1
	if n.Kind == yaml.AliasNode {
		total = expandedSize(n.Alias, memo, limit, where)
	}
	for _, c := range n.Content {
		total += expandedSize(c, memo, limit, where)
		if total >= limit {
			if *where == nil {
				*where = c
			}
			total = limit
			break
		}
	}
	memo[n] = total
	return total
}

// ReadFile reads at most MaxFileBytes of a file of the given kind (scenario, experiment,
// calibration): a folder, a longer file or an endless device is an error that says so.
func ReadFile(kind, path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{Text: readError(kind, path, err), Err: err}
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, errorf("%s %s: is a folder, not a file", Words(kind), path)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, &Error{Text: readError(kind, path, err), Err: err}
	}
	if len(data) > MaxFileBytes {
		return nil, errorf("%s %s: larger than %d bytes (allowed: at most %d bytes, 1 MiB)", Words(kind), path, MaxFileBytes, MaxFileBytes)
	}
	return data, nil
}

// readError is the message of a file of the given kind that cannot be read: "scenario FILE:
// open FILE: REASON".
func readError(kind, path string, err error) Text {
	if op, p, reason, ok := pathError(err); ok {
		return text("%s %s: %s %s: %s", Words(kind), path, op, p, reason)
	}
	return text("%s %s: %v", Words(kind), path, err.Error())
}

// pathError splits the system's error of a file operation into the operation, the path and
// the reason, as Words (a translator may know "no such file or directory"); ok is false for
// another error.
func pathError(err error) (op, path string, reason Words, ok bool) {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Error() == err.Error() {
		return pe.Op, pe.Path, Words(pe.Err.Error()), true
	}
	return "", "", "", false
}

var yamlLine = regexp.MustCompile(`(?s)^yaml: line (\d+): (.*)$`)

// syntaxProblem turns a yaml parse error into a Problem. The yaml package reports the line of
// the construct it was parsing (a whole mapping, say), which can be far above the fault, counts
// lines from 0 for its parser errors, and gives no line for an unknown alias. So the line is
// narrowed to the first line, from the reported one on, at which the document's start already
// fails with the same message.
func syntaxProblem(file string, data []byte, err error) Problem {
	msg, line := strings.TrimPrefix(err.Error(), "yaml: "), 1
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		msg = m[2]
		if n, convErr := strconv.Atoi(m[1]); convErr == nil && n > 0 {
			line = n
		}
		if isParserError(msg) {
			line++
		}
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	line = min(line, len(lines))
	prefix := len(bytes.Join(lines[:line-1], nil))
	parsed := 0
	for k := line; k <= len(lines) && k < line+maxRescan && parsed < maxRescanBytes; k++ {
		prefix += len(lines[k-1])
		parsed += prefix
		if e := parseAll(data[:prefix]); e != nil && strings.HasSuffix(e.Error(), msg) {
			line = k
			break
		}
	}
	t := text("YAML syntax: %s", Words(msg))
	at := lines[line-1]
	if bytes.IndexByte(at[:len(at)-len(bytes.TrimLeft(at, " \t"))], '\t') >= 0 {
		t = text("%s (the line is indented with a tab: YAML indents with spaces only)", t)
	}
	// A Chinese input method types the full-width colon, which YAML does not take for ':'; the
	// parser then fails on a later line.
	for k := line; k >= 1 && k > line-3; k-- {
		if key, _, ok := bytes.Cut(lines[k-1], []byte("：")); ok && !bytes.ContainsAny(key, ":#\"'") {
			line = k
			t = text("%s (this line has a full-width colon '：'; YAML needs the ASCII colon ':' and a space)", t)
			break
		}
	}
	return problem(file, line, 0, "", t)
}

// maxRescan bounds how many lines syntaxProblem re-parses to find a fault's line, and
// maxRescanBytes the bytes it re-parses in all, so that a large file with a late fault (or a
// request to the teaching page) costs a bounded time.
const (
	maxRescan      = 200
	maxRescanBytes = 2 << 20
)

// parseAll parses every document in data and returns the first error.
func parseAll(data []byte) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
}

// isParserError tells the yaml package's parser errors (which it reports with 0-based lines)
// from its scanner errors.
func isParserError(msg string) bool {
	for _, prefix := range []string{"did not find expected", "found duplicate %", "found incompatible YAML document", "found undefined tag handle"} {
		if strings.HasPrefix(msg, prefix) {
			return true
		}
	}
	return false
}

// value checks n against v's type and assigns it. pos is the node problems are reported at: the
// key of a mapping entry, or the item of a list.
func (d *decoder) value(path string, pos, n *yaml.Node, v reflect.Value) {
	if !d.spend(pos, path) {
		return
	}
	n = resolveAlias(n)
	if path != "" {
		d.at[path] = pos
	}
	if v.CanAddr() {
		switch v.Addr().Interface().(type) {
		case yaml.Unmarshaler, encoding.TextUnmarshaler:
			d.decodeWith(path, pos, n, v)
			return
		}
	}
	switch v.Kind() {
	case reflect.Pointer:
		// An optional value (an experiment factor's min and max): no value leaves it unset,
		// a scalar is checked as the value it points to.
		switch {
		case isNull(n):
			v.Set(reflect.Zero(v.Type()))
		case scalarKind(v.Type().Elem().Kind()):
			p := reflect.New(v.Type().Elem())
			d.scalar(path, pos, n, p.Elem())
			v.Set(p)
		default:
			d.decodeWith(path, pos, n, v)
		}
	case reflect.Struct:
		d.mapping(path, pos, n, v)
	case reflect.Slice:
		d.sequence(path, pos, n, v)
	case reflect.Bool, reflect.String, reflect.Float32, reflect.Float64,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		d.scalar(path, pos, n, v)
	case reflect.Map:
		if v.Type().Key().Kind() == reflect.String && v.Type().Elem().Kind() == reflect.String {
			d.stringMap(path, pos, n, v)
			return
		}
		d.decodeWith(path, pos, n, v)
	default:
		d.decodeWith(path, pos, n, v)
	}
}

// stringMap reads a mapping of single values (an experiment's set: path: value), recording
// where each entry stands so that a problem with it is reported at its line.
func (d *decoder) stringMap(path string, pos, n *yaml.Node, v reflect.Value) {
	if n.Kind != yaml.MappingNode {
		d.add(pos, path, "expected a mapping of path: value, got %s", describe(n))
		return
	}
	m := reflect.MakeMapWithSize(v.Type(), len(n.Content)/2)
	for _, e := range d.entries(path, n) {
		p := path + "." + e.key.Value
		d.at[p] = e.key
		val := resolveAlias(e.val)
		if val.Kind != yaml.ScalarNode {
			d.add(val, p, "expected a single value, got %s (write each field as a dotted path, such as devolution.social: 0.5, and a list as quoted YAML)", describe(val))
			continue
		}
		m.SetMapIndex(reflect.ValueOf(e.key.Value).Convert(v.Type().Key()), reflect.ValueOf(val.Value).Convert(v.Type().Elem()))
	}
	v.Set(m)
}

// spend counts one more value against maxNodes and reports false, with one problem, once the
// budget is gone.
func (d *decoder) spend(pos *yaml.Node, path string) bool {
	d.budget--
	if d.budget == -1 {
		d.add(pos, path, "too many values (more than %d once aliases are expanded)", maxNodes)
	}
	return d.budget >= 0
}

// decodeWith hands a value of a kind the walker does not check itself (a map, a pointer, a
// type with its own unmarshaler) to the yaml package's decoder.
func (d *decoder) decodeWith(path string, pos, n *yaml.Node, v reflect.Value) {
	ptr := reflect.New(v.Type())
	if err := n.Decode(ptr.Interface()); err != nil {
		d.add(pos, path, "bad value %s: %s (allowed: %s)", describe(n), Words(yamlReason(err)), expected(v.Type()))
		return
	}
	v.Set(ptr.Elem())
}

// yamlReason is the yaml package's error on one line, without its "yaml: " and "unmarshal
// errors:" heads and the line numbers the message's place already gives.
func yamlReason(err error) string {
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		rs := make([]string, len(te.Errors))
		for i, e := range te.Errors {
			rs[i] = yamlLinePrefix.ReplaceAllString(e, "")
		}
		return strings.Join(rs, "; ")
	}
	return strings.Join(strings.Fields(strings.TrimPrefix(err.Error(), "yaml: ")), " ")
}

var yamlLinePrefix = regexp.MustCompile(`^line \d+: `)

// scalarKind reports whether the walker checks values of kind k itself (scalar).
func scalarKind(k reflect.Kind) bool {
	switch k {
	case reflect.Bool, reflect.String, reflect.Float32, reflect.Float64,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

func (d *decoder) wrongType(path string, pos, n *yaml.Node, t reflect.Type) {
	msg := text("wrong type: expected %s, got %s", expected(t), describe(n))
	var a any = expected(t)
	if at := d.allowedAt(path); at != "" {
		a = Words(at)
	}
	switch {
	case quotedNumber(n, t):
		// "1" in quotes is text in YAML: say so, or the message reads as if 1 were refused.
		msg = text("%s (allowed: %s, written without quotes)", msg, a)
	case d.allowedAt(path) != "":
		msg = text("%s (allowed: %s)", msg, a)
	}
	d.addText(pos, path, msg)
}

// quotedNumber reports whether n is a number in quotes (text) where type t takes a number.
func quotedNumber(n *yaml.Node, t reflect.Type) bool {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		return false
	}
	switch t.Kind() {
	case reflect.Float32, reflect.Float64:
		_, err := strconv.ParseFloat(strings.TrimSpace(n.Value), 64)
		return err == nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		_, err := strconv.ParseInt(strings.TrimSpace(n.Value), 10, 64)
		return err == nil
	}
	return false
}

// allowedAt is what a config field at path may be, as the README's field table says it, or
// what the decoder was told a field outside the scenario format may be ("" for neither); list
// indices are read as any item.
func (d *decoder) allowedAt(path string) string {
	p := listIndex.ReplaceAllString(path, "[]")
	if a, ok := d.allowed[p]; ok {
		return a
	}
	for _, prm := range sim.Params() {
		if prm.Path == p {
			return prm.AllowedText()
		}
	}
	return ""
}

// outOfRange is the problem of a whole number beyond the range of its field's type (int or
// uint64), such as a seed of 2^64 or 1e300 runs; ok is false when n is no such number. The
// range said is the field's own when declared, else the type's.
func (d *decoder) outOfRange(path string, n *yaml.Node, t reflect.Type) (msg Text, ok bool) {
	if tag := n.ShortTag(); tag != "!!int" && tag != "!!float" {
		return Text{}, false
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
	if err != nil && !math.IsInf(f, 0) || math.IsNaN(f) || f != math.Trunc(f) {
		return Text{}, false
	}
	var lo, hi string
	var big, small bool
	switch t.Kind() {
	case reflect.Int, reflect.Int64:
		lo, hi = strconv.Itoa(math.MinInt64), strconv.Itoa(math.MaxInt64)
		big, small = f >= math.MaxInt64, f < math.MinInt64
	case reflect.Uint64:
		lo, hi = "0", strconv.FormatUint(math.MaxUint64, 10)
		big = f >= math.MaxUint64
	default:
		return Text{}, false
	}
	var allowed any = text("a whole number from %s to %s", lo, hi)
	if a := d.allowedAt(path); strings.Contains(a, " to ") {
		allowed = Words(a)
	}
	switch {
	case big:
		return text("bad value %s: too large (allowed: %s)", describe(n), allowed), true
	case small:
		return text("bad value %s: too small (allowed: %s)", describe(n), allowed), true
	}
	return Text{}, false
}

var listIndex = regexp.MustCompile(`\[\d+\]`)

func (d *decoder) scalar(path string, pos, n *yaml.Node, v reflect.Value) {
	tag := n.ShortTag()
	if n.Kind != yaml.ScalarNode || tag == "!!null" {
		d.wrongType(path, pos, n, v.Type())
		return
	}
	ok := false
	switch v.Kind() {
	case reflect.String:
		v.SetString(n.Value)
		return
	case reflect.Bool:
		var b bool
		if ok = tag == "!!bool" && n.Decode(&b) == nil; ok {
			v.SetBool(b)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		var i int64
		if ok = tag == "!!int" && n.Decode(&i) == nil && !v.OverflowInt(i); ok {
			v.SetInt(i)
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		var u uint64
		if ok = tag == "!!int" && n.Decode(&u) == nil && !v.OverflowUint(u); ok {
			v.SetUint(u)
		}
	case reflect.Float32, reflect.Float64:
		var f float64
		if ok = (tag == "!!int" || tag == "!!float") && n.Decode(&f) == nil && !v.OverflowFloat(f); ok {
			v.SetFloat(f)
		}
	}
	if !ok {
		if t, out := d.outOfRange(path, n, v.Type()); out {
			d.addText(pos, path, t)
			return
		}
		d.wrongType(path, pos, n, v.Type())
	}
}

func (d *decoder) sequence(path string, pos, n *yaml.Node, v reflect.Value) {
	if isNull(n) {
		v.Set(reflect.Zero(v.Type()))
		return
	}
	if n.Kind != yaml.SequenceNode {
		d.wrongType(path, pos, n, v.Type())
		return
	}
	if len(n.Content) == 0 {
		v.Set(reflect.Zero(v.Type())) // nil, as in the defaults, so that round trips are exact
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		d.value(fmt.Sprintf("%s[%d]", path, i), item, item, s.Index(i))
	}
	v.Set(s)
}

// entry is one key-value pair of a mapping; merged marks pairs brought in by a "<<" merge key,
// which the mapping's own keys may override.
type entry struct {
	key, val *yaml.Node
	merged   bool
}

// entries lists a mapping's pairs, those merged in with "<<" first, so that the mapping's own
// keys, assigned later, override them as YAML specifies.
func (d *decoder) entries(path string, n *yaml.Node) []entry {
	var merged, own []entry
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.ShortTag() != "!!merge" {
			own = append(own, entry{key: k, val: val})
			continue
		}
		srcs := []*yaml.Node{val}
		if r := resolveAlias(val); r.Kind == yaml.SequenceNode {
			srcs = nil
			// In a list of merged mappings the earlier ones win, so they are applied last.
			for j := len(r.Content) - 1; j >= 0; j-- {
				srcs = append(srcs, r.Content[j])
			}
		}
		for _, src := range srcs {
			if !d.spend(k, path) {
				return append(merged, own...)
			}
			m := resolveAlias(src)
			if m.Kind != yaml.MappingNode {
				d.add(k, path, "a merge key (<<) takes a mapping or a list of mappings, got %s", describe(m))
				continue
			}
			for _, e := range d.entries(path, m) {
				if !d.spend(k, path) { // each merged entry counts, as each is decoded
					return append(merged, own...)
				}
				e.merged = true
				merged = append(merged, e)
			}
		}
	}
	return append(merged, own...)
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func (d *decoder) mapping(path string, pos, n *yaml.Node, v reflect.Value) {
	if n.Kind != yaml.MappingNode {
		d.wrongType(path, pos, n, v.Type())
		return
	}
	fs := fieldsOf(v.Type())
	seen := map[string]*yaml.Node{}
	for _, e := range d.entries(path, n) {
		if e.key.Kind != yaml.ScalarNode {
			d.add(e.key, path, "a key must be a plain name, got %s", describe(e.key))
			continue
		}
		name := e.key.Value
		child := join(path, name)
		if !e.merged {
			if first, dup := seen[name]; dup {
				d.add(e.key, child, "duplicate key %q (first at line %d, again at line %d); keep one", name, first.Line, e.key.Line)
				continue
			}
			seen[name] = e.key
		}
		f, ok := lookup(fs, name)
		if !ok {
			d.addText(e.key, child, unknownKey(path, name, fs))
			d.misspelt[path] = true
			continue
		}
		d.value(child, e.key, e.val, v.FieldByIndex(f.index))
	}
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// field is a struct field reachable by a YAML key.
type field struct {
	name  string
	index []int
}

var fieldCache sync.Map // reflect.Type -> []field

// fieldsOf lists the YAML keys of a struct type in declaration order, following the yaml
// package's rules: the tag's name (or the lowercased field name), "-" skipped, ",inline"
// structs flattened into their parent.
func fieldsOf(t reflect.Type) []field {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.([]field)
	}
	var fs []field
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("yaml")
		if tag == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if strings.Contains(","+opts+",", ",inline,") && f.Type.Kind() == reflect.Struct {
			for _, sub := range fieldsOf(f.Type) {
				fs = append(fs, field{name: sub.name, index: append([]int{i}, sub.index...)})
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		fs = append(fs, field{name: name, index: []int{i}})
	}
	fieldCache.Store(t, fs)
	return fs
}

func lookup(fs []field, name string) (field, bool) {
	for _, f := range fs {
		if f.name == name {
			return f, true
		}
	}
	return field{}, false
}

func names(fs []field) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.name
	}
	return out
}

// unknownKey explains an unknown key: the nearest key at this level, or failing that the place
// elsewhere in the schema where a key of that name lives, and the allowed keys if few.
func unknownKey(path, name string, fs []field) Text {
	if path == "world" && name == countiesFileKey {
		// A scenario file's own world.counties_file is taken out before decoding
		// (takeCountiesFile); it is met here where it is set as a field (--set, the teaching
		// page's settings) or hidden where takeCountiesFile does not look (a merge key).
		return text("this key names a file that is read only as a plain key of a scenario file's world: " +
			"(world:, then counties_file: FILE); it cannot be set with --set, from the teaching page or through a merge key")
	}
	msg := text("unknown key %q", name)
	keys := names(fs)
	if path == "world" {
		// world.counties_file is read apart from the config's fields (takeCountiesFile).
		keys = append(keys, countiesFileKey)
	}
	if s := nearest(name, keys); s != "" {
		msg = text("%s; did you mean %q?", msg, s)
	} else if elsewhere := schemaPaths()[name]; len(elsewhere) > 0 {
		msg = text("%s; did you mean %s?", msg, orList(elsewhere))
	} else if path == "" && nearest(name, []string{countiesFileKey}) != "" {
		msg = text("%s; did you mean world.%s?", msg, countiesFileKey)
	}
	if len(keys) <= listKeysUpTo {
		if path != "" {
			msg = text("%s (keys allowed under %s: %s)", msg, path, strings.Join(keys, ", "))
		} else {
			msg = text("%s (keys allowed here: %s)", msg, strings.Join(keys, ", "))
		}
	}
	return msg
}

// orList joins items with " or " (in Chinese 或).
func orList(items []string) Text {
	t := text("%s", items[0])
	for _, it := range items[1:] {
		t = text("%s or %s", t, it)
	}
	return t
}

var schemaPaths = sync.OnceValue(func() map[string][]string {
	out := map[string][]string{}
	var walk func(prefix string, t reflect.Type)
	walk = func(prefix string, t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			if t.Kind() == reflect.Slice {
				prefix += "[i]"
			}
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return
		}
		for _, f := range fieldsOf(t) {
			p := join(prefix, f.name)
			out[f.name] = append(out[f.name], p)
			walk(p, t.FieldByIndex(f.index).Type)
		}
	}
	walk("", reflect.TypeFor[document]())
	return out
})

// Nearest is nearest for other packages: the candidate closest to name by edit distance, or
// "" when none is a plausible typo of it (a command-line flag, say).
func Nearest(name string, candidates []string) string { return nearest(name, candidates) }

// nearest returns the candidate closest to name by edit distance (ignoring case, and '-' for
// '_'), or "" when none is close enough to be a plausible typo.
func nearest(name string, candidates []string) string {
	norm := func(s string) string { return strings.ReplaceAll(strings.ToLower(s), "-", "_") }
	a := norm(name)
	best, bestD := "", -1
	for _, c := range candidates {
		if dist := editDistance(a, norm(c)); bestD < 0 || dist < bestD {
			best, bestD = c, dist
		}
	}
	n := len([]rune(a))
	if bestD < 0 || bestD >= n || bestD > max(2, n/3) {
		return ""
	}
	return best
}

// editDistance is the optimal-string-alignment distance (Levenshtein plus adjacent
// transpositions) between a and b, by rune.
func editDistance(a, b string) int {
	s, t := []rune(a), []rune(b)
	prev2 := make([]int, len(t)+1)
	prev := make([]int, len(t)+1)
	cur := make([]int, len(t)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(s); i++ {
		cur[0] = i
		for j := 1; j <= len(t); j++ {
			cost := 1
			if s[i-1] == t[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && s[i-1] == t[j-2] && s[i-2] == t[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(t)]
}

// expected names what a value of type t looks like in YAML.
func expected(t reflect.Type) Text {
	switch t.Kind() {
	case reflect.Struct:
		fs := fieldsOf(t)
		if len(fs) <= listKeysUpTo {
			return text("a mapping (keys: %s)", strings.Join(names(fs), ", "))
		}
		return text("a mapping")
	case reflect.Slice:
		switch t.Elem().Kind() {
		case reflect.Struct:
			return text("a list of mappings")
		case reflect.String:
			return text("a list of names")
		}
		return text("a list (each %s)", expected(t.Elem()))
	case reflect.Bool:
		return text("true or false")
	case reflect.String:
		return text("text")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return text("a whole number")
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return text("a whole number, 0 or more")
	case reflect.Float32, reflect.Float64:
		return text("a number")
	}
	return text("%s", t.String())
}

// describe says what a node holds, for messages.
func describe(n *yaml.Node) Text {
	n = resolveAlias(n)
	switch n.Kind {
	case yaml.MappingNode:
		return text("a mapping")
	case yaml.SequenceNode:
		return text("a list")
	case yaml.ScalarNode:
		v := n.Value
		if r := []rune(v); len(r) > 40 {
			v = string(r[:40]) + "..."
		}
		switch n.ShortTag() {
		case "!!null":
			return text("no value")
		case "!!bool":
			return text("%s", v)
		case "!!int", "!!float":
			return text("the number %s", v)
		case "!!str":
			return text("text %q", v)
		default:
			return text("%s %q", n.ShortTag(), v)
		}
	}
	return text("nothing")
}

// NotUTF8 returns the problem of a file that is not UTF-8 text, at the line and column of its
// first byte that is not, or nil. A file saved by Excel or Notepad on Chinese Windows is often
// GBK: its Chinese names would otherwise surface as unknown names or a bare YAML error.
func NotUTF8(file string, data []byte) *Problem {
	if utf8.Valid(data) {
		return nil
	}
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			p := problem(file, line, col, "", text("the file is not UTF-8 text (byte 0x%02x here); save it as UTF-8 (a file saved on Chinese Windows is often GBK: in Excel choose \"CSV UTF-8\", in Notepad the UTF-8 encoding)", data[i]))
			return &p
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += n
	}
	return nil
}
