package scenarios

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Problem is one thing wrong with a scenario: where it is (file, line and column; Line is 0
// when the problem has no place in a file, as for --set overrides), the field path as written
// in YAML (dotted, with [i] for list items) and what is wrong, with what is allowed.
type Problem struct {
	File string
	Line int
	Col  int
	Path string
	Msg  string
}

// String formats the problem as file:line:col: path: message, leaving out what is unknown.
func (p Problem) String() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d", p.Line)
			if p.Col > 0 {
				fmt.Fprintf(&b, ":%d", p.Col)
			}
		}
		b.WriteString(": ")
	}
	if p.Path != "" {
		b.WriteString(p.Path)
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return Printable(b.String())
}

// Printable escapes control and invisible formatting characters (terminal escape sequences,
// bidirectional overrides, newlines) as \x1b, \u202e and the like, so that text taken from a
// file prints as what it is and cannot move the cursor or recolour a terminal.
func Printable(s string) string {
	if !strings.ContainsFunc(s, unprintable) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			b.WriteString(`\ufffd`)
		case r < 0x80 && unprintable(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unprintable(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func unprintable(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }

// LoadError is every problem found in a scenario, sorted by line. Its Error method prints one
// problem per line, in the form file:line:col: path: message.
type LoadError struct {
	Problems []Problem
}

// Error lists the problems, one per line.
func (e *LoadError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// errorOrNil sorts the problems by position and wraps them, or returns nil when there are none.
func errorOrNil(ps []Problem) error {
	if len(ps) == 0 {
		return nil
	}
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Line != ps[j].Line {
			return ps[i].Line < ps[j].Line
		}
		return ps[i].Col < ps[j].Col
	})
	return &LoadError{Problems: ps}
}
