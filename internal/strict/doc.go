// Package strict reads msgsim's input files strictly and reports every problem located:
// scenario, sweep and fit YAML, and fit data CSV.
//
// A YAML file of one Kind is parsed within a size limit (ReadFile, MaxYAMLBytes; OpenRegular
// refuses directories, devices and pipes), checked to be one document holding one mapping
// (ParseDocument), and decoded over its defaults by a Decoder: unknown and repeated keys,
// wrong types and non-finite numbers are errors naming the field's dotted path and what is
// allowed, with a "did you mean" (DidYouMean). The Decoder records each field's node, so that
// the file's own validator locates its range and cross-field checks at the value the file
// gave (Fail, Has), or at the nearest parent for a field the file leaves out.
//
// Problems are collected by a Reporter, at a YAML node or at a Position (line, column and
// field or CSV column), and returned together as Errors of FieldError, sorted by position,
// each with the source line for a caret display (Snippet). Texts that will be printed are
// checked (Label) or escaped (Printable), so that a file cannot drive the terminal.
package strict
