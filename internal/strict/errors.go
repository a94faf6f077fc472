package strict

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v4"
)

// FieldError is one problem in a scenario, located in its file (or in a --set override).
type FieldError struct {
	File   string // file name as given, or "" for an override
	Line   int    // 1-based; 0 when unknown
	Column int
	Path   string // dotted path of the field, e.g. platforms.laiwang.appeal
	Origin string // for an override: where it came from and the KEY=VALUE, e.g. "--set seed=3"
	Msg    string
	Source string // the offending source line, for a caret display
}

// Error is "FILE:LINE:COLUMN: PATH: MESSAGE", or "ORIGIN: PATH: MESSAGE" for an override.
func (e *FieldError) Error() string {
	var b strings.Builder
	switch {
	case e.Origin != "":
		fmt.Fprintf(&b, "%s: ", e.Origin)
	case e.Line > 0:
		fmt.Fprintf(&b, "%s:%d:%d: ", e.File, e.Line, e.Column)
	case e.File != "":
		fmt.Fprintf(&b, "%s: ", e.File)
	}
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Snippet returns the offending line with a caret under the column, or "" when unknown.
func (e *FieldError) Snippet() string {
	if e.Source == "" || e.Column < 1 {
		return ""
	}
	// A long line is cut to a window around the column, so a huge value cannot flood the terminal.
	const width = 100
	line, col := e.Source, e.Column-1
	if len(line) > width {
		from := max(0, min(col-width/2, len(line)-width))
		line = line[from : from+width]
		col -= from
		if from > 0 {
			line, col = "..."+line, col+3
		}
		if from+width < len(e.Source) {
			line += "..."
		}
	}
	prefix := fmt.Sprintf("%5d | ", e.Line)
	return prefix + line + "\n" + strings.Repeat(" ", len(prefix)-2) + "| " + strings.Repeat(" ", min(col, len(line))) + "^"
}

// Errors is every problem found in one scenario, in file order.
type Errors []*FieldError

// Error is every problem's message, a line each.
func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// maxErrors caps how many problems one load reports: past that they are usually echoes.
const maxErrors = 20

// Reporter collects located errors for one document. Overrides maps the nodes that --set
// (or a sweep or fit) supplied to their origin, so that their errors name it, not a line.
type Reporter struct {
	File      string
	Lines     []string
	Overrides map[*yaml.Node]string
	errs      Errors
}

// Position locates a problem in a YAML or CSV file. Line and Column are 1-based, 0 when
// unknown; Field is what the message is about: a YAML field's dotted path or a CSV column.
type Position struct {
	Line, Column int
	Field        string
}

// At records a problem with the field at path, located at node n of the YAML document (nil
// when unknown), or attributed to the override that supplied n.
func (r *Reporter) At(n *yaml.Node, path, format string, args ...any) {
	if n == nil {
		r.Report(Position{Field: path}, format, args...)
		return
	}
	if origin, ok := r.Overrides[n]; ok {
		if len(r.errs) < maxErrors {
			r.errs = append(r.errs, &FieldError{File: r.File, Path: path, Origin: origin, Msg: fmt.Sprintf(format, args...)})
		}
		return
	}
	r.Report(Position{Line: n.Line, Column: n.Column, Field: path}, format, args...)
}

// Report records a problem at pos, in a YAML or a CSV file alike.
func (r *Reporter) Report(pos Position, format string, args ...any) {
	if len(r.errs) < maxErrors {
		r.errs = append(r.errs, r.Locate(pos, format, args...))
	}
}

// Locate builds the error for a problem at pos, with the source line for the caret display,
// without recording it.
func (r *Reporter) Locate(pos Position, format string, args ...any) *FieldError {
	e := &FieldError{File: r.File, Line: pos.Line, Column: pos.Column, Path: pos.Field, Msg: fmt.Sprintf(format, args...)}
	if pos.Line >= 1 && pos.Line <= len(r.Lines) {
		e.Source = strings.TrimRight(r.Lines[pos.Line-1], "\r")
	}
	return e
}

// Err returns the problems recorded so far, sorted by position, or nil.
func (r *Reporter) Err() error {
	if len(r.errs) == 0 {
		return nil
	}
	slices.SortStableFunc(r.errs, func(a, b *FieldError) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Column - b.Column
	})
	return r.errs
}

// suggest returns the candidates closest to word (edit distance at most 2, or a shared prefix).
func suggest(word string, candidates []string) []string {
	var out []string
	for _, c := range candidates {
		if d := EditDistance(word, c); d <= 2 || (len(word) >= 3 && strings.HasPrefix(c, word)) {
			out = append(out, c)
		}
	}
	return out
}

// DidYouMean formats suggestions as a clause, or "" when there are none.
func DidYouMean(word string, candidates []string) string {
	s := suggest(word, candidates)
	if len(s) == 0 {
		return ""
	}
	return fmt.Sprintf("; did you mean %s?", QuoteList(s, " or "))
}

// QuoteList quotes each item and joins them with sep: "a" or "b".
func QuoteList(items []string, sep string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, sep)
}

// EditDistance is the Levenshtein distance between a and b.
func EditDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
