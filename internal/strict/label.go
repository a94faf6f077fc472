package strict

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// MaxLabelBytes bounds the short texts a file gives that msgsim prints and plots: scenario,
// sweep and fit names, platform names, time units.
const MaxLabelBytes = 64

// Label checks a short text that will be printed to terminals and drawn on plots: at most
// MaxLabelBytes without control characters (the YAML parser has already refused what is not
// UTF-8), which could move the cursor, clear the
// screen or retitle the terminal when printed.
func (d *Decoder) Label(path, s string) {
	if len(s) > MaxLabelBytes {
		d.Fail(path, "must be at most %d bytes long, got %d", MaxLabelBytes, len(s))
		return
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			d.Fail(path, "must not contain control characters (tabs, line breaks, escape sequences), got %q", s)
			return
		}
	}
}

// Printable returns s with control characters other than line breaks and tabs written as Go
// escapes (\x1b, \r), so that a message quoting hostile input cannot drive the terminal.
func Printable(s string) string {
	clean := true
	for _, r := range s {
		if r != '\n' && r != '\t' && (unicode.IsControl(r) || r == utf8.RuneError) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	b := make([]byte, 0, len(s)+16)
	for i, w := 0, 0; i < len(s); i += w {
		r, n := utf8.DecodeRuneInString(s[i:])
		w = n
		switch {
		case r == utf8.RuneError && n == 1:
			b = fmt.Appendf(b, `\x%02x`, s[i])
		case r != '\n' && r != '\t' && unicode.IsControl(r):
			q := fmt.Sprintf("%+q", string(r))
			b = append(b, q[1:len(q)-1]...)
		default:
			b = append(b, s[i:i+n]...)
		}
	}
	return string(b)
}
