package scenarios

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Problem is one thing wrong with a scenario: where it is (file, line and column; Line is 0
// when the problem has no place in a file, as for --set overrides), the field path as written
// in YAML (dotted, with [i] for list items) and what is wrong, with what is allowed: Msg in
// English, and Text, the same message with its parts (the bad value, what is allowed) apart,
// to say it in another language (In). A Problem made outside this package may have no Text:
// then Msg is said in every language.
type Problem struct {
	File string
	Line int
	Col  int
	Path string
	Msg  string
	Text Text
}

// String formats the problem as file:line:col: path: message, leaving out what is unknown.
func (p Problem) String() string { return p.In(nil) }

// In formats the problem like String with its message said by tr (nil: English). The place
// (file:line:col: path: ) is the same in every language: file names, field paths and values
// stay as written.
func (p Problem) In(tr Translator) string {
	if tr != nil && p.Text.Format != "" {
		return Printable(p.place() + p.Text.In(tr))
	}
	return Printable(p.place() + p.Msg)
}

// text is the problem's message as a Text: its own, or its English for a Problem made
// outside this package.
func (p Problem) text() Text {
	if p.Text.Format != "" {
		return p.Text
	}
	return text("%s", p.Msg)
}

// place is the problem's place as it prefixes the message: file:line:col: path: , leaving
// out what is unknown.
func (p Problem) place() string {
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
	return b.String()
}

// problem makes a Problem with the message t.
func problem(file string, line, col int, path string, t Text) Problem {
	return Problem{File: file, Line: line, Col: col, Path: path, Msg: t.String(), Text: t}
}

// Text is a message that can be said in more than one language. Format is the English, a fmt
// format that is also the key of its translations; Args are what it names. An argument is
// printed as it is (a field path, a file name, a number, a quoted value, a key as written)
// unless it is a Text of its own or Words: those are said in the reader's language too.
type Text struct {
	Format string
	Args   []any
}

// text makes a Text. Every format passed to it (directly, or through the decoder's add) needs
// a translation: lang's TestEveryErrorHasChinese reads them from this package's source.
func text(format string, args ...any) Text { return Text{Format: format, Args: args} }

// Words is English prose made outside this package (what sim allows, the YAML parser's
// complaint, the system's reason a file cannot be read): said in the reader's language when
// the translator knows it, else as it is.
type Words string

// Translator returns the reader's language for an English format or Words, and whether it
// has one.
type Translator func(english string) (string, bool)

// String says the text in English.
func (t Text) String() string { return t.In(nil) }

// In says the text with tr (nil: English). A Text whose format tr does not know is said in
// English whole, its arguments too, so that no sentence mixes two languages.
func (t Text) In(tr Translator) string {
	format := t.Format
	if tr != nil {
		if f, ok := tr(format); ok {
			format = f
		} else {
			tr = nil
		}
	}
	args := make([]any, len(t.Args))
	for i, a := range t.Args {
		switch a := a.(type) {
		case Text:
			args[i] = a.In(tr)
		case Words:
			args[i] = string(a)
			if tr != nil {
				if s, ok := tr(string(a)); ok {
					args[i] = s
				}
			}
		default:
			args[i] = a
		}
	}
	return fmt.Sprintf(format, args...)
}

// Error is an error whose message is a Text: Error gives the English, In the message in
// another language. Err, if not nil, is the cause (errors.Is and As see it).
type Error struct {
	Text Text
	Err  error
}

func (e *Error) Error() string { return e.Text.String() }

// In says the error with tr (nil: English).
func (e *Error) In(tr Translator) string { return e.Text.In(tr) }

func (e *Error) Unwrap() error { return e.Err }

// errorf makes an *Error of the message format with args.
func errorf(format string, args ...any) *Error { return &Error{Text: text(format, args...)} }

// textOf returns err's message as a Text: its own for an *Error, else its English as it is.
func textOf(err error) Text {
	var e *Error
	if errors.As(err, &e) && e.Error() == err.Error() {
		return e.Text
	}
	return text("%v", err.Error())
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
// problem per line, in the form file:line:col: path: message; In says the messages in another
// language. Lang is the language the scenario file asks for (its lang: field, "en" or "zh";
// of a file that cannot be decoded, its top-level lang: line), "" when it asks for none or the
// file could not be read: a --lang flag or the locale decides then.
type LoadError struct {
	Problems []Problem
	Lang     string
}

// Error lists the problems, one per line.
func (e *LoadError) Error() string { return e.In(nil) }

// In lists the problems like Error, their messages said by tr (nil: English).
func (e *LoadError) In(tr Translator) string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.In(tr)
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
