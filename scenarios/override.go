package scenarios

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/msgsim/msgsim/internal/strict"
)

// Override is one "dotted.path=value" assignment and where it came from, for messages: "--set"
// on the command line (the default), or e.g. "sweep factor".
type Override struct {
	Assignment string
	Origin     string
}

func (o Override) label() string {
	origin := o.Origin
	if origin == "" {
		origin = "--set"
	}
	return origin + " " + o.Assignment
}

// applyOverride sets one field, given as "dotted.path=value", in the document before it is
// decoded, so an override is validated exactly like the file (and its errors name the
// override). The value is YAML: 0.4, true, [1, 2], "text". Paths follow the file:
// platforms.NAME.FIELD, interventions.INDEX.FIELD, graph.kind, seed.
func applyOverride(root *yaml.Node, o Override, rep *strict.Reporter) error {
	arg := o.Assignment
	origin := o.label()
	key, value, ok := strings.Cut(arg, "=")
	if !ok || strings.TrimSpace(key) == "" {
		return &strict.FieldError{Origin: origin, Msg: "expected KEY=VALUE, e.g. --set platforms.laiwang.appeal=0.4"}
	}
	var parsed yaml.Node
	if err := yaml.Unmarshal([]byte(value), &parsed); err != nil {
		return &strict.FieldError{Origin: origin, Path: key, Msg: fmt.Sprintf("value %q is not valid YAML", value)}
	}
	valueNode := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: ""}
	if len(parsed.Content) > 0 {
		valueNode = parsed.Content[0]
	}
	markOverride(valueNode, origin, rep)
	segments := strings.Split(key, ".")
	node, m := root, fileModel()
	for i, seg := range segments {
		path := strings.Join(segments[:i+1], ".")
		last := i == len(segments)-1
		switch {
		case m.list != nil:
			if m.list.scalar && last && strict.Resolve(node).Kind == yaml.MappingNode {
				// An item that is one number: set (or add) it.
				setMappingValue(strict.Resolve(node), seg, valueNode)
				return nil
			}
			child := m.itemNode(node, seg)
			if child == nil && m.list.open && !last && strict.Resolve(node).Kind == yaml.MappingNode {
				// An item the file lacks, such as a segment's override of a platform it does
				// not mention yet: validation checks its name.
				child = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
				markOverride(child, origin, rep)
				setMappingValue(strict.Resolve(node), seg, child)
			}
			if child == nil {
				return &strict.FieldError{Origin: origin, Path: path, Msg: noItem(m, node, seg)}
			}
			if last {
				return &strict.FieldError{Origin: origin, Path: path, Msg: fmt.Sprintf("set one field of %s %s, e.g. %s.%s", article(m.list.noun), m.list.noun, path, m.list.example)}
			}
			node, m = child, m.item
		case m.section():
			f := m.child(seg)
			if f == nil {
				fields := m.keys()
				return &strict.FieldError{Origin: origin, Path: path, Msg: fmt.Sprintf("unknown field %q%s (valid fields: %s)", seg, strict.DidYouMean(seg, fields), strings.Join(fields, ", "))}
			}
			if node.Kind != yaml.MappingNode {
				return &strict.FieldError{Origin: origin, Path: path, Msg: "cannot set a field inside " + strings.Join(segments[:i], ".") + ": it is not a mapping in the file"}
			}
			child := mappingValue(node, seg)
			if last {
				setMappingValue(node, seg, valueNode)
				dropOtherVariantFields(node, m, seg, valueNode, rep)
				return nil
			}
			if child == nil {
				child = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
				if f.list != nil && !f.list.named {
					child = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
				}
				setMappingValue(node, seg, child)
			}
			node, m = child, f
		default:
			return &strict.FieldError{Origin: origin, Path: path, Msg: fmt.Sprintf("%s is a single value; it has no field %q", strings.Join(segments[:i], "."), seg)}
		}
	}
	return nil
}

// noItem says that a list has no item seg, and which it has.
func noItem(m *field, node *yaml.Node, seg string) string {
	keys := m.itemKeys(node)
	switch {
	case m.list.named && len(keys) == 0:
		return fmt.Sprintf("the scenario has no %ss: --set changes the fields of those the file defines", m.list.noun)
	case m.list.named:
		return fmt.Sprintf("no %s %q%s (%ss: %s)", m.list.noun, seg, strict.DidYouMean(seg, keys), m.list.noun, strings.Join(keys, ", "))
	case len(keys) == 0:
		return fmt.Sprintf("the scenario has no %ss to change", m.list.noun)
	}
	return fmt.Sprintf("no %s %q: use an index from 0 to %d", m.list.noun, seg, len(keys)-1)
}

// article is "a" or "an" before noun.
func article(noun string) string {
	if strings.ContainsRune("aeiou", rune(noun[0])) {
		return "an"
	}
	return "a"
}

// dropOtherVariantFields removes, after an override of a field that picks a variant of its
// section (graph.kind, threshold.distribution, an intervention's kind or target), the fields
// the base gave for other variants: --set graph.kind=complete on a barabasi_albert scenario
// drops its m instead of refusing it. Fields set by an override themselves stay, and are
// refused; an unknown value drops nothing, as its own error is the one to read.
func dropOtherVariantFields(mapping *yaml.Node, section *field, selector string, value *yaml.Node, rep *strict.Reporter) {
	if sel := section.child(selector); value.Kind != yaml.ScalarNode || !slices.Contains(sel.enum, value.Value) {
		return
	}
	kept := mapping.Content[:0]
	for k := 0; k+1 < len(mapping.Content); k += 2 {
		key, val := mapping.Content[k], mapping.Content[k+1]
		var users []string
		variantOnly := false
		if f := section.child(key.Value); f != nil {
			users, variantOnly = f.uses[selector]
		}
		_, overridden := rep.Overrides[strict.Resolve(val)]
		if variantOnly && !slices.Contains(users, value.Value) && !overridden {
			continue
		}
		kept = append(kept, key, val)
	}
	mapping.Content = kept
}

func markOverride(n *yaml.Node, arg string, rep *strict.Reporter) {
	rep.Overrides[n] = arg
	for _, c := range n.Content {
		markOverride(c, arg, rep)
	}
}

func mappingKeys(n *yaml.Node) []string {
	n = strict.Resolve(n)
	var keys []string
	for k := 0; n.Kind == yaml.MappingNode && k+1 < len(n.Content); k += 2 {
		keys = append(keys, n.Content[k].Value)
	}
	return keys
}

func mappingValue(n *yaml.Node, key string) *yaml.Node {
	n = strict.Resolve(n)
	for k := 0; n.Kind == yaml.MappingNode && k+1 < len(n.Content); k += 2 {
		if n.Content[k].Value == key {
			return strict.Resolve(n.Content[k+1])
		}
	}
	return nil
}

func setMappingValue(n *yaml.Node, key string, value *yaml.Node) {
	for k := 0; k+1 < len(n.Content); k += 2 {
		if n.Content[k].Value == key {
			n.Content[k+1] = value
			return
		}
	}
	n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, value)
}
