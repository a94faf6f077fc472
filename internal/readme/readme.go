// Package readme keeps README.md's figures tied to the commands that produce them. Figures
// that a command computes sit between markers,
//
//	<!-- begin: NAME -->...<!-- end -->
//
// inline or around whole lines, and are rewritten by `go run ./internal/tools/readmegen`,
// which runs the commands. Every other figure-like number in README's prose must be on the
// allow-list, Allowed, with where it comes from; the package's test checks both.
package readme

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// Block is one marked region of README: its name and its content between the markers.
type Block struct {
	Name    string
	Content string
	Line    int // of the begin marker, from 1
	start   int // byte offsets of the content
	end     int
}

var (
	beginRE  = regexp.MustCompile(`^<!-- begin: ([^ ]*) -->$`)
	markerRE = regexp.MustCompile(`<!-- (begin|end)\b[^>]*-->`)
	nameRE   = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

// Blocks finds the marked blocks of text, in order. Every begin needs a name made of
// lower-case words joined by '-', used once, and an end before the next begin.
func Blocks(text string) ([]Block, error) {
	var blocks []Block
	var open *Block
	seen := map[string]int{}
	for _, loc := range markerRE.FindAllStringIndex(text, -1) {
		marker := text[loc[0]:loc[1]]
		line := 1 + strings.Count(text[:loc[0]], "\n")
		switch {
		case marker == "<!-- end -->":
			if open == nil {
				return nil, fmt.Errorf("line %d: <!-- end --> without a <!-- begin: NAME --> before it", line)
			}
			open.end = loc[0]
			open.Content = text[open.start:open.end]
			blocks = append(blocks, *open)
			open = nil
		case beginRE.MatchString(marker):
			name := beginRE.FindStringSubmatch(marker)[1]
			if open != nil {
				return nil, fmt.Errorf("line %d: block %q begins before block %q (line %d) ends", line, name, open.Name, open.Line)
			}
			if !nameRE.MatchString(name) {
				return nil, fmt.Errorf("line %d: block name %q: use lower-case letters and digits in words joined by '-'", line, name)
			}
			if first, ok := seen[name]; ok {
				return nil, fmt.Errorf("line %d: block %q is already used on line %d", line, name, first)
			}
			seen[name] = line
			open = &Block{Name: name, Line: line, start: loc[1]}
		default:
			return nil, fmt.Errorf("line %d: malformed marker %q: write <!-- begin: NAME --> or <!-- end -->", line, marker)
		}
	}
	if open != nil {
		return nil, fmt.Errorf("line %d: block %q has no <!-- end -->", open.Line, open.Name)
	}
	return blocks, nil
}

// Replace rewrites every block's content with values[name]. Each block needs a value and
// each value a block, so a renamed or deleted block is noticed, not skipped.
func Replace(text string, values map[string]string) (string, error) {
	blocks, err := Blocks(text)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	last := 0
	used := map[string]bool{}
	for _, bl := range blocks {
		v, ok := values[bl.Name]
		if !ok {
			return "", fmt.Errorf("line %d: no value for block %q", bl.Line, bl.Name)
		}
		used[bl.Name] = true
		b.WriteString(text[last:bl.start])
		b.WriteString(v)
		last = bl.end
	}
	b.WriteString(text[last:])
	for _, name := range slices.Sorted(maps.Keys(values)) {
		if !used[name] {
			return "", fmt.Errorf("no <!-- begin: %s --> block in the text for its value", name)
		}
	}
	return b.String(), nil
}

// Figure is a figure-like number found in prose.
type Figure struct {
	Text string // as written, without a leading '~': "3,584", "1.5", "10%", "1e7"
	Line int
}

// figureRE matches a number: digits with ',' or '.' groups, an optional exponent, an
// optional '%'. Digits glued to a letter, digit, '.' or '_' before them (int64, p5, v0.17,
// SplitMix64) are names, not figures.
var figureRE = regexp.MustCompile(`[0-9]+(?:[.,][0-9]+)*(?:e[0-9]+)?%?`)

// Figures lists the figure-like numbers of text's prose: outside marked blocks, fenced and
// indented code, inline code, HTML comments and link targets. A lone digit (0-9, no '%' or
// decimals) is a count in words' clothing ("2 factors", "1 error") and is not listed.
func Figures(text string) []Figure {
	prose := blank(text)
	var out []Figure
	for _, loc := range figureRE.FindAllStringIndex(prose, -1) {
		if loc[0] > 0 && gluedBefore(prose[loc[0]-1]) {
			continue
		}
		if loc[1] < len(prose) && gluedAfter(prose[loc[1]]) {
			continue
		}
		tok := strings.TrimRight(prose[loc[0]:loc[1]], ".,")
		if len(tok) == 1 {
			continue
		}
		out = append(out, Figure{Text: tok, Line: 1 + strings.Count(prose[:loc[0]], "\n")})
	}
	return out
}

func gluedBefore(c byte) bool {
	return c == '_' || c == '.' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// gluedAfter: units stay figures ("45M", "5s"); only an identifier's '_' joins them to a name.
func gluedAfter(c byte) bool { return c == '_' }

var (
	fenceRE   = regexp.MustCompile("(?ms)^```.*?^```[^\n]*$")
	indentRE  = regexp.MustCompile(`(?m)^(?:    |\t)[^\n]*$`)
	codeRE    = regexp.MustCompile("`[^`\n]*`")
	commentRE = regexp.MustCompile(`(?s)<!--.*?-->`)
	targetRE  = regexp.MustCompile(`\]\([^)\n]*\)`)
	blockRE   = regexp.MustCompile(`(?s)<!-- begin: [^ ]* -->.*?<!-- end -->`)
)

// blank replaces what is not prose with spaces, keeping newlines so that line numbers hold.
func blank(text string) string {
	b := []byte(text)
	// Code first, on the text as written: once a block is blanked, the line it began looks
	// indented.
	for _, re := range []*regexp.Regexp{fenceRE, indentRE, blockRE, codeRE, commentRE, targetRE} {
		for _, loc := range re.FindAllIndex(b, -1) {
			for i := loc[0]; i < loc[1]; i++ {
				if b[i] != '\n' {
					b[i] = ' '
				}
			}
		}
	}
	return string(b)
}
