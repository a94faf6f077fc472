package scenarios

import (
	"math"
	"reflect"
	"slices"
	"strconv"

	"github.com/msgsim/msgsim/internal/strict"
)

// Field is one field of a loaded scenario as the path model describes it, with its value:
// what a control generated from the model needs (msgsim explore's sliders and selects). Its
// path is one that --set takes.
type Field struct {
	Path  string
	Kind  PathKind
	Words []string // the words of an enumerated field; false and true for a yes-or-no field
	// Step marks a point on the run's timeline (steps, launch, at, until): a step in
	// [0, steps], or a date when the scenario has a start.
	Step bool
	// Min and Max are the fixed range validation holds a number to, infinite on an open
	// side; both infinite for fields without one.
	Min, Max float64
	// Used says whether the variant in force uses the field (the schema's for tags): a
	// preinstall has no p, an erdos_renyi graph no m.
	Used bool
	// Value is the field's value in the scenario: a float64, int, uint64, string, bool or
	// []int; a step or date as the step, or the date as written (YYYY-MM-DD).
	Value any
}

// Fields lists every field of the scenario that --set may name, in the order of the schema,
// platforms and interventions in file order, with their values after defaults and overrides.
func (s *Scenario) Fields() []Field {
	var out []Field
	fileModel().eachLeaf(reflect.ValueOf(s.File), "", func(leaf, parent *field, section reflect.Value, path string) {
		out = append(out, leaf.describe(parent, section, path))
	})
	return out
}

// eachLeaf calls visit with every leaf under the section or list f, whose value is v: the
// leaf, the section holding it (model and value) and its path. Items of lists are those v holds.
func (f *field) eachLeaf(v reflect.Value, path string, visit func(leaf, parent *field, section reflect.Value, path string)) {
	switch {
	case f.list != nil:
		for i := range v.Len() {
			key := strconv.Itoa(i)
			if f.list.named {
				key = f.list.nameOf(v.Index(i))
			}
			if f.list.scalar {
				// Each item is one number, the item struct's field the item model names.
				visit(f.item, f, v.Index(i), strict.Join(path, key))
				continue
			}
			f.item.eachLeaf(v.Index(i), strict.Join(path, key), visit)
		}
	case f.section():
		for _, c := range f.fields {
			if c.leaf() {
				visit(c, f, v, strict.Join(path, c.name))
			} else {
				c.eachLeaf(v.Field(c.index), strict.Join(path, c.name), visit)
			}
		}
	}
}

// leaf reports whether f holds a value rather than fields or items.
func (f *field) leaf() bool { return f.list == nil && !f.section() }

// describe is the leaf f of the section parent, whose value is section.
func (f *field) describe(parent *field, section reflect.Value, path string) Field {
	v := section.Field(f.index)
	out := Field{Path: path, Kind: f.kind, Words: Words(path), Min: math.Inf(-1), Max: math.Inf(1), Used: true, Value: v.Interface()}
	if f.span != nil {
		out.Min, out.Max = f.span[0], f.span[1]
	}
	if v.Kind() == reflect.Uint64 {
		out.Min = 0
	}
	if f.typ == stepOrDateType {
		at := v.Interface().(StepOrDate)
		out.Step, out.Value = true, at.Step
		if !at.Date.IsZero() {
			out.Value = at.Date.Format("2006-01-02")
		}
	}
	for selector, variants := range f.uses {
		chosen := section.Field(parent.child(selector).index).String()
		out.Used = out.Used && slices.Contains(variants, chosen)
	}
	return out
}
