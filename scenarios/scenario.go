package scenarios

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/countysim/countysim/sim"
	"go.yaml.in/yaml/v3"
)

// Scenario is one runnable set-up: a name, a plain-words description, the province preset it
// started from (if any), the full model configuration, and where it came from.
type Scenario struct {
	Name        string
	Description string
	Preset      string
	// Lang is the language of the outputs the file asks for, "en" or "zh" ("": the locale's);
	// a --lang flag overrides it.
	Lang   string
	Config sim.Config
	// Source is the file path, or "builtin:NAME" for a built-in scenario.
	Source string
	// CountiesFile is the counties file the world took county values from (nil: none). The
	// values are in Config; this records where they came from.
	CountiesFile *CountiesFile
}

// Default is the built-in scenario used when none is named: the three-step pilot path.
const Default = "pmc-three-step"

//go:embed builtin/*.yaml
var builtinFS embed.FS

// Load reads and parses the scenario file at path.
func Load(path string) (*Scenario, error) {
	data, err := ReadFile("scenario", path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse reads a scenario from YAML. Fields the data leaves out keep their defaults: the config
// starts from sim.DefaultConfig, then the preset (if any) sets the world, then every field in
// the data overrides (a list replaces the default list whole). name is the file name used in
// messages. Every problem found is returned in one *LoadError, sorted by line.
func Parse(name string, data []byte) (*Scenario, error) {
	return parse(name, data, true)
}

// ParseNoFiles is Parse for a scenario sent from elsewhere (the teaching page's server): it
// reads no file, so a world.counties_file is a problem at its line rather than a file opened
// on this machine.
func ParseNoFiles(name string, data []byte) (*Scenario, error) {
	return parse(name, data, false)
}

// parse is Parse, reading world.counties_file only when files is true.
func parse(name string, data []byte, files bool) (*Scenario, error) {
	root, problems := readYAML(name, data)
	if len(problems) > 0 {
		// A file that cannot be decoded (not UTF-8, a syntax error) is still told in the
		// language its lang: line asks for.
		err := errorOrNil(problems)
		err.(*LoadError).Lang = rawLang(data)
		return nil, err
	}
	if root == nil {
		return nil, errorOrNil([]Problem{problem(name, 1, 1, "",
			text("the file is empty (or only ~): it would run the defaults unnoticed; write at least a name and the fields to change, or run the built-in %s", Default))})
	}
	d := newDecoder(name)
	doc := document{Config: sim.DefaultConfig()}
	cfKey, cfVal := takeCountiesFile(root)
	if cfKey != nil && !files {
		d.add(cfKey, "world."+countiesFileKey, "a scenario sent here may not name a file (this server reads none); "+
			"give the counties' values in world.provinces[].county_list, or run the scenario with its counties file on your own machine (countysim run FILE)")
		cfKey = nil
	}
	if root != nil {
		// The preset sets the world first, wherever its key stands, so that world fields in
		// the file override it.
		if p := presetNode(root); p != nil {
			if w, err := Preset(p.Value); err == nil {
				doc.World = w
			}
		}
		d.value("", root, root, reflect.ValueOf(&doc).Elem())
		d.realCounties(&doc, cfKey, cfVal)
	}
	if doc.Preset != "" && !slices.Contains(Presets(), doc.Preset) {
		d.add(d.at["preset"], "preset", "unknown preset %q (allowed: %s)", doc.Preset, strings.Join(Presets(), ", "))
	}
	for _, fe := range doc.Config.Validate() {
		if !d.consequence(fe.Path) {
			d.addText(d.place(fe.Path), fe.Path, badValue(fe))
		}
	}
	d.openingSpending(&doc)
	if doc.Lang != "" && doc.Lang != "en" && doc.Lang != "zh" {
		d.add(d.at["lang"], "lang", "unknown language %q (allowed: en, zh)", doc.Lang)
	}
	if doc.Name == "" && name != "" {
		doc.Name = FileName(name)
	} else if err := CheckName(doc.Name); err != nil {
		d.addText(d.at["name"], "name", textOf(err))
	}
	if err := errorOrNil(d.problems); err != nil {
		if doc.Lang == "en" || doc.Lang == "zh" {
			err.(*LoadError).Lang = doc.Lang
		}
		return nil, err
	}
	return &Scenario{Name: doc.Name, Description: doc.Description, Preset: doc.Preset, Lang: doc.Lang, Config: doc.Config, Source: name, CountiesFile: d.counties}, nil
}

// rawLang returns the language a file's top-level lang: line asks for, "en" or "zh", read from
// its bytes without decoding them ("" when there is none): for the messages of a file that
// cannot be decoded (not UTF-8 text, a YAML syntax error), which its decoded lang: field cannot
// decide. The line is ASCII, so it reads the same in a file saved as GBK. The first such line
// with either value counts.
func rawLang(data []byte) string {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	for _, line := range bytes.Split(data, []byte("\n")) {
		rest, ok := bytes.CutPrefix(line, []byte("lang:"))
		if !ok {
			continue
		}
		if i := bytes.Index(rest, []byte(" #")); i >= 0 {
			rest = rest[:i]
		}
		v := string(bytes.TrimSpace(rest))
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			v = v[1 : len(v)-1]
		}
		if v == "en" || v == "zh" {
			return v
		}
	}
	return ""
}

// MaxNameLen caps a scenario or experiment name, in bytes.
const MaxNameLen = 100

// CheckName checks a scenario or experiment name, which becomes a folder or file name: it must
// be one path element that stays inside its folder and prints as itself. Refused: an empty
// name, "." and "..", a slash or backslash, a leading dot or dash, control and invisible
// formatting characters (terminal escapes, bidirectional overrides), markup, quotes and shell
// characters, invalid UTF-8, and more than MaxNameLen bytes. Letters of any script, digits,
// spaces and . _ - + ( ) are allowed.
func CheckName(name string) error {
	allowed := text("allowed: letters, digits, spaces and . _ - + ( ), not starting with . or -, up to 100 bytes of UTF-8: 100 Latin letters or 33 Chinese characters")
	switch {
	case name == "":
		return errorf("bad value \"\" (%s)", allowed)
	case len(name) > MaxNameLen:
		return errorf("bad value of %d bytes (%s)", len(name), allowed)
	case !utf8.ValidString(name):
		return errorf("bad value %q: not UTF-8 (%s)", name, allowed)
	case strings.ContainsAny(name, `/\`):
		return errorf("bad value %q: a slash would put the output outside its folder (%s)", name, allowed)
	case name[0] == '.' || name[0] == '-':
		return errorf("bad value %q: a leading . or - makes a hidden file, a parent folder or a flag (%s)", name, allowed)
	case strings.TrimSpace(name) != name:
		return errorf("bad value %q: leading or trailing space (%s)", name, allowed)
	}
	for _, r := range name {
		switch {
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError:
			return errorf("bad value %q: control or formatting character %U (%s)", name, r, allowed)
		case !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) && !strings.ContainsRune(" ._-+()", r):
			// Markup, quotes and shell characters would reach reports, file names and job
			// scripts as they are.
			return errorf("bad value %q: character %q (%s)", name, r, allowed)
		}
	}
	return nil
}

// FileName turns a file path into a name that passes CheckName: the file's base name without
// its extension, with slashes, control characters and a leading dot or dash replaced by _.
func FileName(path string) string {
	n := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	n = strings.Map(func(r rune) rune {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) && !strings.ContainsRune(" ._-+()", r) || r == utf8.RuneError {
			return '_'
		}
		return r
	}, strings.ToValidUTF8(n, "_"))
	n = strings.TrimSpace(n)
	if len(n) > MaxNameLen {
		n = strings.ToValidUTF8(n[:MaxNameLen], "")
	}
	if n == "" || n[0] == '.' || n[0] == '-' {
		n = "_" + n
	}
	return n
}

// consequence reports whether a Validate error at path only follows from a problem already
// reported: the field's own value was rejected, or the field was left out of a mapping that
// has an unknown key (most likely its misspelling).
func (d *decoder) consequence(path string) bool {
	_, set := d.at[path]
	return d.flagged[path] || (!set && d.misspelt[parent(path)])
}

// presetNode returns the value of the top-level preset key if it is a plain scalar.
func presetNode(root *yaml.Node) *yaml.Node {
	if root.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if k, v := root.Content[i], resolveAlias(root.Content[i+1]); k.Value == "preset" && v.Kind == yaml.ScalarNode {
			return v
		}
	}
	return nil
}

// place finds the node to report a problem with a field path at: the node that set the field,
// else its nearest parent in the file (the preset for world fields it set), else nil (line 1).
func (d *decoder) place(path string) *yaml.Node {
	for p := path; p != ""; p = parent(p) {
		if n, ok := d.at[p]; ok {
			return n
		}
		if p == "world" {
			if n, ok := d.at["preset"]; ok {
				return n
			}
		}
	}
	return nil
}

// parent strips the last element of a field path: "a.b[2]" -> "a.b" -> "a" -> "".
func parent(path string) string {
	if strings.HasSuffix(path, "]") {
		if i := strings.LastIndexByte(path, '['); i >= 0 {
			return path[:i]
		}
	}
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[:i]
	}
	return ""
}

// openingSpending reports a county-list spending the model's opening accounts cannot reach
// (sim.CheckOpening: below what the county's own revenue brings), at the counties file's cell
// that gave it, or at the field. It builds the world to its opening, so it runs only when a
// county gives a spending and nothing else is wrong.
func (d *decoder) openingSpending(doc *document) {
	if len(d.problems) > 0 || !slices.ContainsFunc(doc.World.Provinces, func(p sim.ProvinceSpec) bool {
		return slices.ContainsFunc(p.CountyList, func(c sim.CountySpec) bool { return c.Spending > 0 })
	}) {
		return
	}
	for _, fe := range sim.CheckOpening(doc.Config) {
		if at, ok := d.fromFile[fe.Path]; ok {
			d.problems = append(d.problems, problem(at.file, at.line, 0, "world."+countiesFileKey, at.in(badValue(fe))))
			d.flagged["world."+countiesFileKey] = true
			continue
		}
		d.addText(d.place(fe.Path), fe.Path, badValue(fe))
	}
}

// badValue is the message of a field sim refuses: its value and what is allowed, in sim's
// words. A value given as text (quoted, or sim's own words such as "shares summing to 1.2")
// is Words: a translator leaves a quoted value as it is.
func badValue(fe sim.FieldError) Text {
	v := fe.Value
	if s, ok := v.(string); ok {
		v = Words(s)
	}
	return text("bad value %v (allowed: %s)", v, Words(fe.Allowed))
}

// Builtins returns the names of the built-in scenarios, sorted.
func Builtins() []string {
	entries, err := builtinFS.ReadDir("builtin")
	if err != nil {
		panic(err) // the directory is embedded at build time
	}
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	slices.Sort(out)
	return out
}

// Builtin returns the named built-in scenario.
func Builtin(name string) (*Scenario, error) {
	if !slices.Contains(Builtins(), name) {
		return nil, errorf("unknown built-in scenario %q (built-ins: %s)", name, strings.Join(Builtins(), ", "))
	}
	file := "builtin/" + name + ".yaml"
	data, err := builtinFS.ReadFile(file)
	if err != nil {
		return nil, err
	}
	s, err := Parse(file, data)
	if err != nil {
		return nil, err
	}
	s.Source = "builtin:" + name
	return s, nil
}

// Resolve returns the scenario an argument names: a built-in name, or a file path (one with a
// .yaml or .yml extension or a directory part, or any existing file). An empty argument gives
// the Default built-in.
func Resolve(arg string) (*Scenario, error) {
	if arg == "" {
		arg = Default
	}
	if slices.Contains(Builtins(), arg) {
		return Builtin(arg)
	}
	ext := strings.ToLower(filepath.Ext(arg))
	if ext == ".yaml" || ext == ".yml" || strings.ContainsRune(arg, '/') || strings.ContainsRune(arg, filepath.Separator) {
		return Load(arg)
	}
	if st, err := os.Stat(arg); err == nil && (st.Mode().IsRegular() || st.IsDir()) {
		return Load(arg) // a folder is told it is a folder, not an unknown scenario
	}
	if n := nearest(arg, Builtins()); n != "" {
		return nil, errorf("unknown scenario %q (did you mean %q?): not a built-in (%s) and no such file", arg, n, strings.Join(Builtins(), ", "))
	}
	return nil, errorf("unknown scenario %q: not a built-in (%s) and no such file", arg, strings.Join(Builtins(), ", "))
}

const marshalHeader = `# countysim scenario, full form: every field is written out, defaults included.
# Edit any value and load the file again; fields left out of a scenario file take these defaults.
`

// Marshal writes the scenario as YAML with every field set, in the order of the struct fields,
// under a header comment. Parse(Marshal(s)) gives back the same scenario.
func Marshal(s *Scenario) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(marshalHeader)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	doc := document{Name: s.Name, Description: s.Description, Preset: s.Preset, Lang: s.Lang, Config: s.Config}
	if err := encodeDocument(enc, &buf, doc); err != nil {
		return nil, fmt.Errorf("scenario %s: %w", s.Name, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("scenario %s: %w", s.Name, err)
	}
	return buf.Bytes(), nil
}

// Hash returns the hex SHA-256 of the scenario's Marshal output: equal hashes mean equal
// scenarios, which is what a run manifest records.
func Hash(s *Scenario) string {
	data, err := Marshal(s)
	if err != nil {
		// Marshal fails only on values YAML cannot hold, which no sim.Config field is.
		panic(err)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
