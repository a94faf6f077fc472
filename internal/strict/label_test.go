package strict

import "testing"

func TestPrintable(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"plain text, 微信":           "plain text, 微信",
		"two\nlines\tand a tab":    "two\nlines\tand a tab",
		"\x1b]0;title\a\x1b[2J":    `\x1b]0;title\a\x1b[2J`,
		"carriage\rreturn \u0085":  `carriage\rreturn \u0085`,
		"bad \xff byte, \ufffd ok": `bad \xff byte, ` + "\ufffd ok",
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}
