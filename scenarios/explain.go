package scenarios

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/countysim/countysim/sim"
	"go.yaml.in/yaml/v3"
)

// MarshalExplained is Marshal with every field explained by comments taken from its declaration
// in sim (sim.Params): its meaning above it, and after its value what is allowed, its unit and
// its Chinese name. Parse reads it back to the same scenario; Hash and run manifests keep using
// Marshal.
func MarshalExplained(s *Scenario) ([]byte, error) {
	data, err := Marshal(s)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("scenario %s: %w", s.Name, err)
	}
	params := map[string]sim.Param{}
	for _, p := range sim.Params() {
		params[p.Path] = p
	}
	if len(doc.Content) == 1 {
		explain(doc.Content[0], "", params)
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, fmt.Errorf("scenario %s: %w", s.Name, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("scenario %s: %w", s.Name, err)
	}
	return buf.Bytes(), nil
}

// explain comments the fields of mapping n, whose path is path ("[]" for a list item).
func explain(n *yaml.Node, path string, params map[string]sim.Param) {
	switch n.Kind {
	case yaml.SequenceNode:
		for _, item := range n.Content {
			explain(item, path+"[]", params)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, val := n.Content[i], n.Content[i+1]
			p := key.Value
			if path != "" {
				p = path + "." + key.Value
			}
			if prm, ok := params[p]; ok {
				if prm.Meaning != "" {
					key.HeadComment = wrap(prm.Meaning, 92)
				}
				note := prm.AllowedText()
				if prm.Unit != "" {
					note += " [" + prm.Unit + "]"
				}
				if prm.Zh != "" {
					note += " " + prm.Zh
				}
				if val.Kind == yaml.ScalarNode || len(val.Content) == 0 {
					val.LineComment = note
				} else {
					key.LineComment = note
				}
			}
			explain(val, p, params)
		}
	}
}

// wrap breaks text into comment lines of at most width characters.
func wrap(text string, width int) string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return strings.Join(append(lines, line), "\n")
}
