package scenarios

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v4"

	"github.com/msgsim/msgsim/internal/strict"
	"github.com/msgsim/msgsim/model"
)

// PathKind is the kind of value a scenario field holds.
type PathKind int

// Path kinds.
const (
	PathNumber  PathKind = iota // a real number
	PathInteger                 // a whole number (agents, seed), or a step or date (steps, launch, at, until)
	PathText                    // a word (graph.kind, decision.rule, ...), or true/false (committed)
	PathList                    // a list (graph.blocks, nodes)
)

// The path model: one tree, built once from the File type, that every walk over scenario
// fields goes through: --set overrides (applyOverride), Paths and CheckPath (sweep factors,
// calibration parameters, did-you-mean suggestions, shell completion), Value (a field's
// value by path) and the JSON Schema. Sections are structs; lists of items are declared once
// in listSpecs; every other field is a leaf whose PathKind follows from its Go type.

// listSpec declares a list of items in a scenario: named (a mapping from each item's name
// to its fields, as platforms) or indexed (a sequence, as interventions). Segments and
// layers get an entry here, and nothing else to be walked, set, listed or decoded.
type listSpec struct {
	named   bool
	open    bool                            // --set may add an item the file lacks (a named list)
	scalar  bool                            // each item is one number, its struct's second field (a named list)
	noun    string                          // one item: "platform"
	example string                          // a field to set, for hints: "appeal=0.4"
	shape   string                          // what the list must be, for the wrong-shape message
	max     int                             // most items a file may give
	tooMany func(count int) string          // the message for more than max
	item    func(name string) any           // a pointer to a new item holding its defaults
	nameOf  func(item reflect.Value) string // a named item's name
}

// listSpecs maps each list type of File to its declaration.
var listSpecs = map[reflect.Type]*listSpec{
	reflect.TypeFor[PlatformList](): {
		named: true, noun: "platform", example: "appeal=0.4",
		shape:   "must be a mapping from platform name to its fields (e.g. wechat: {appeal: 0.5})",
		max:     model.MaxPlatforms,
		tooMany: func(n int) string { return fmt.Sprintf("needs 1 to %d platforms, got %d", model.MaxPlatforms, n) },
		item:    func(name string) any { p := defaultPlatform(name); return &p },
		nameOf:  func(v reflect.Value) string { return v.Interface().(PlatformFile).Name },
	},
	reflect.TypeFor[MarketSchedule](): {
		noun: "point", example: "people=400e6",
		shape: "must be a list of points ('- {at: 2011-06-30, people: 318e6}' items)",
		max:   MaxMarketPoints,
		tooMany: func(n int) string {
			return fmt.Sprintf("has %d points, more than the %d a schedule may have", n, MaxMarketPoints)
		},
		item: func(string) any { return &MarketPoint{} },
	},
	reflect.TypeFor[InterventionList](): {
		noun: "intervention", example: "share=0.1",
		shape: "must be a list of interventions ('- kind: preinstall' items)",
		max:   MaxInterventions,
		tooMany: func(n int) string {
			return fmt.Sprintf("has %d interventions, more than the %d a scenario may have", n, MaxInterventions)
		},
		item: func(string) any { iv := defaultIntervention(); return &iv },
	},
	reflect.TypeFor[RecordSeriesList](): {
		noun: "record series", example: "series=windowed_active",
		shape: "must be a list of mappings ('- {platform: wechat, metric: registered, series: registered}' items)",
		max:   maxRecordSeries,
		tooMany: func(n int) string {
			return fmt.Sprintf("has %d series, more than the %d a record may have", n, maxRecordSeries)
		},
		item: func(string) any { return &RecordSeries{} },
	},
	reflect.TypeFor[SegmentList](): {
		named: true, noun: "segment", example: "share=0.2",
		shape: "must be a mapping from segment name to its fields (e.g. vendors: {share: 0.01})",
		max:   model.MaxSegments,
		tooMany: func(n int) string {
			return fmt.Sprintf("has %d segments, more than the %d a scenario may have", n, model.MaxSegments)
		},
		item:   func(name string) any { g := defaultSegment(name); return &g },
		nameOf: func(v reflect.Value) string { return v.Interface().(SegmentFile).Name },
	},
	reflect.TypeFor[LayerList](): {
		named: true, noun: "layer", example: "kind=barabasi_albert",
		shape: "must be a mapping from layer name to its graph (e.g. friends: {kind: barabasi_albert, m: 5})",
		max:   model.MaxLayers,
		tooMany: func(n int) string {
			return fmt.Sprintf("has %d layers, more than the %d a scenario may have", n, model.MaxLayers)
		},
		item:   func(name string) any { g := defaultLayer(name); return &g },
		nameOf: func(v reflect.Value) string { return v.Interface().(GraphFile).Name },
	},
	reflect.TypeFor[LayerWeightList](): {
		named: true, open: true, scalar: true, noun: "layer weight", example: "",
		shape:   "must be a mapping from layer name to the platform's weight on it (e.g. commerce: 0.5)",
		max:     model.MaxLayers,
		tooMany: func(n int) string { return fmt.Sprintf("needs at most %d layers, got %d", model.MaxLayers, n) },
		item:    func(name string) any { return &LayerWeight{Name: name} },
		nameOf:  func(v reflect.Value) string { return v.Interface().(LayerWeight).Name },
	},
	reflect.TypeFor[SegmentPlatformList](): {
		named: true, open: true, noun: "platform", example: "network_weight=2",
		shape:   "must be a mapping from platform name to the fields the segment changes (e.g. wechat: {network_weight: 2})",
		max:     model.MaxPlatforms,
		tooMany: func(n int) string { return fmt.Sprintf("needs at most %d platforms, got %d", model.MaxPlatforms, n) },
		item:    func(name string) any { return &SegmentPlatformFile{Name: name} },
		nameOf:  func(v reflect.Value) string { return v.Interface().(SegmentPlatformFile).Name },
	},
}

// enums gives, by section type and key, the words an enumerated field takes: validation,
// --set's variant handling, the JSON Schema and shell completion all read them here.
var enums = map[reflect.Type]map[string][]string{
	reflect.TypeFor[File]():      {"step": calendarUnits()},
	reflect.TypeFor[GraphFile](): {"kind": model.Names(model.GraphKinds)},
	reflect.TypeFor[DecisionFile](): {
		"rule": model.Names(model.Rules), "update": model.Names(model.Updates),
		"benefit": model.Names(model.Benefits), "contagion": model.Names(model.Contagions),
	},
	reflect.TypeFor[ThresholdFile](): {"distribution": model.Names(model.DistributionKinds)},
	reflect.TypeFor[MarketFile]():    {"order": model.Names(model.EntryOrders)},
	reflect.TypeFor[Intervention]():  {"kind": interventionKinds, "target": model.Names(model.Targets)},
	reflect.TypeFor[RecordSeries]():  {"series": RecordSeriesNames},
	reflect.TypeFor[SegmentFile]():   {"assign": model.Names(model.Targets)},
}

// interventionKinds are the model's event kinds, and block: a ban by another name.
var interventionKinds = append(model.Names(model.EventKinds), "block")

// ranges gives, by section type and key, the fixed range validation holds a number to, as
// {min, max} with infinities for an open side (msgsim explore's sliders read them through
// Fields; a test holds them to validate.go's checks). Ranges that depend on other fields,
// such as graph.m or a step, are not here.
var ranges = map[reflect.Type]map[string][2]float64{
	reflect.TypeFor[GraphFile](): {"mean_degree": {0, inf}, "beta": {0, 1}, "p_in": {0, 1}, "p_out": {0, 1}},
	reflect.TypeFor[DecisionFile](): {
		"temperature": {model.MinTemperature, model.MaxTemperature}, "revision_rate": {0, 1},
		"multihoming_cost": {0, model.MaxUtility},
	},
	reflect.TypeFor[ThresholdFile](): {
		"value": utilities, "min": utilities, "max": utilities, "mean": utilities, "sd": {0, model.MaxUtility},
	},
	reflect.TypeFor[PlatformFile](): {
		"appeal": utilities, "p": {0, inf}, "q": {0, inf}, "network_weight": {0, model.MaxUtility},
		"switching_cost": {0, model.MaxUtility}, "investment_rate": {0, 1}, "churn": {0, 1},
	},
	reflect.TypeFor[Intervention](): {"share": {0, 1}, "p": {0, inf}, "appeal_change": utilities, "network_weight_factor": {0, 1}},
}

var (
	inf       = math.Inf(1)
	utilities = [2]float64{-model.MaxUtility, model.MaxUtility}
)

// field is one node of the path model: a section (fields), a list (list, item) or a leaf.
type field struct {
	name  string // YAML key; "" for the root and for list items
	typ   reflect.Type
	index int      // Go field index in the parent section
	kind  PathKind // for leaves
	enum  []string // the words an enumerated leaf takes
	// uses names, by selector (a field of the same section), the variants that use this
	// field; a field missing from it is used by every variant.
	uses   map[string][]string
	fields []*field // a section's fields, in declaration order
	list   *listSpec
	item   *field // a list's item section

	span *[2]float64 // a number's fixed range, from ranges; nil when it has none
}

// fileModel is the path model of File.
var fileModel = sync.OnceValue(func() *field { return modelOf("", reflect.TypeFor[File](), 0) })

func modelOf(name string, t reflect.Type, index int) *field {
	f := &field{name: name, typ: t, index: index}
	if spec, ok := listSpecs[t]; ok {
		f.list, f.item = spec, modelOf("", t.Elem(), 0)
		if spec.scalar {
			f.item = modelOf("", t.Elem().Field(1).Type, 1)
		}
		return f
	}
	switch t.Kind() {
	case reflect.Struct:
		if t == stepOrDateType {
			f.kind = PathInteger // or a date, which the value decodes itself
			return f
		}
		for i := range t.NumField() {
			if key := strict.YAMLName(t.Field(i)); key != "" {
				c := modelOf(key, t.Field(i).Type, i)
				c.enum, c.uses = enums[t][key], usesOf(t.Field(i).Tag.Get("for"))
				if r, ok := ranges[t][key]; ok {
					c.span = &r
				}
				f.fields = append(f.fields, c)
			}
		}
	case reflect.Slice:
		f.kind = PathList
	case reflect.Int, reflect.Uint64:
		f.kind = PathInteger
	case reflect.Float64:
		f.kind = PathNumber
	default: // string, bool
		f.kind = PathText
	}
	return f
}

// usesOf parses a for tag: "kind=seed,preinstall target=block".
func usesOf(tag string) map[string][]string {
	if tag == "" {
		return nil
	}
	uses := map[string][]string{}
	for _, clause := range strings.Fields(tag) {
		selector, variants, _ := strings.Cut(clause, "=")
		uses[selector] = strings.Split(variants, ",")
	}
	return uses
}

func (f *field) section() bool { return f.typ.Kind() == reflect.Struct && f.typ != stepOrDateType }

// child returns a section's field by YAML key.
func (f *field) child(key string) *field {
	for _, c := range f.fields {
		if c.name == key {
			return c
		}
	}
	return nil
}

// lookup returns the model's field at a dotted path, where any key of a list stands for its
// items (platforms.NAME.appeal, interventions.3.kind), or nil when there is none.
func lookup(path string) *field {
	m := fileModel()
	for seg := range strings.SplitSeq(path, ".") {
		switch {
		case m.list != nil:
			m = m.item
		case m.section():
			if m = m.child(seg); m == nil {
				return nil
			}
		default:
			return nil
		}
	}
	return m
}

// keys lists a section's YAML keys.
func (f *field) keys() []string {
	keys := make([]string, len(f.fields))
	for i, c := range f.fields {
		keys[i] = c.name
	}
	return keys
}

// itemKeys lists a list's items as a document holds them: names, or indices 0, 1, ...
func (f *field) itemKeys(n *yaml.Node) []string {
	n = strict.Resolve(n)
	if n == nil {
		return nil
	}
	if f.list.named {
		return mappingKeys(n)
	}
	var keys []string
	for i := 0; n.Kind == yaml.SequenceNode && i < len(n.Content); i++ {
		keys = append(keys, strconv.Itoa(i))
	}
	return keys
}

// itemNode returns the item of a list node by key (a name, or an index), or nil.
func (f *field) itemNode(n *yaml.Node, key string) *yaml.Node {
	n = strict.Resolve(n)
	if f.list.named {
		return mappingValue(n, key)
	}
	i, err := strconv.Atoi(key)
	if err != nil || n == nil || n.Kind != yaml.SequenceNode || i < 0 || i >= len(n.Content) {
		return nil
	}
	return strict.Resolve(n.Content[i])
}

// walk calls visit for every leaf under f, with the items of lists that the document node n
// holds (n may be nil: a missing section still has its fields).
func (f *field) walk(prefix string, n *yaml.Node, visit func(path string, leaf *field)) {
	switch {
	case f.list != nil:
		for _, key := range f.itemKeys(n) {
			f.item.walk(strict.Join(prefix, key), f.itemNode(n, key), visit)
		}
	case f.section():
		for _, c := range f.fields {
			var child *yaml.Node
			if n != nil {
				child = mappingValue(n, c.name)
			}
			c.walk(strict.Join(prefix, c.name), child, visit)
		}
	default:
		visit(prefix, f)
	}
}

// Paths lists every field that an override or a sweep factor may name in this scenario, with
// its kind: the schema's fields, under each platform and intervention the file defines.
func (b *Base) Paths() (map[string]PathKind, error) {
	root, err := parseDocument(b.data, b.name)
	if err != nil {
		return nil, err
	}
	paths := map[string]PathKind{}
	fileModel().walk("", root, func(path string, leaf *field) { paths[path] = leaf.kind })
	return paths, nil
}

// CheckPath returns the kind of a field path, or an error naming the closest valid paths.
func (b *Base) CheckPath(path string) (PathKind, error) {
	paths, err := b.Paths()
	if err != nil {
		return 0, err
	}
	if kind, ok := paths[path]; ok {
		return kind, nil
	}
	return 0, fmt.Errorf("no field %q in scenario %s; closest: %s", path, b.name, strings.Join(closestPaths(path, paths, 3), ", "))
}

// closestPaths returns the n valid paths nearest to path by edit distance, nearest first.
func closestPaths(path string, paths map[string]PathKind, n int) []string {
	all := make([]string, 0, len(paths))
	for p := range paths {
		all = append(all, p)
	}
	slices.SortFunc(all, func(a, b string) int {
		if d := strict.EditDistance(path, a) - strict.EditDistance(path, b); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	return all[:min(n, len(all))]
}

// Words returns the words an enumerated field takes (graph.kind, interventions.0.target),
// false and true for a yes-or-no field (charts.log_scale), or nil for a field that is
// neither or does not exist.
func Words(path string) []string {
	f := lookup(path)
	switch {
	case f == nil:
		return nil
	case f.typ.Kind() == reflect.Bool:
		return []string{"false", "true"}
	}
	return f.enum
}

// Value reads a numeric field of a decoded scenario by its dotted path (as --set names it).
func Value(f File, path string) (float64, bool) {
	m, v := fileModel(), reflect.ValueOf(f)
	for seg := range strings.SplitSeq(path, ".") {
		switch {
		case m.list != nil:
			i := -1
			for j := range v.Len() {
				if m.list.named && m.list.nameOf(v.Index(j)) == seg || !m.list.named && strconv.Itoa(j) == seg {
					i = j
					break
				}
			}
			if i < 0 {
				return 0, false
			}
			if v = v.Index(i); m.list.scalar {
				v = v.Field(1)
			}
			m = m.item
		case m.section():
			c := m.child(seg)
			if c == nil {
				return 0, false
			}
			m, v = c, v.Field(c.index)
		default:
			return 0, false
		}
	}
	if v.Type() == stepOrDateType {
		return float64(v.Interface().(StepOrDate).Step), true
	}
	switch v.Kind() {
	case reflect.Int:
		return float64(v.Int()), true
	case reflect.Uint64:
		return float64(v.Uint()), true
	case reflect.Float64:
		return v.Float(), true
	}
	return 0, false
}

// decodeList decodes a declared list (see listSpecs) into the slice at dst: every item starts
// from its defaults, and its node is registered under its path for later checks.
func decodeList(d *strict.Decoder, n *yaml.Node, path string, dst reflect.Value) {
	spec := listSpecs[dst.Type()]
	kind := yaml.SequenceNode
	if spec.named {
		kind = yaml.MappingNode
	}
	count := len(n.Content)
	if spec.named {
		count /= 2
	}
	switch {
	case n.Kind != kind:
		d.At(n, path, "%s, got %s", spec.shape, strict.Describe(n))
		return
	case count > spec.max:
		// Refused before decoding: a file may hold millions of them.
		d.At(n, path, "%s", spec.tooMany(count))
		return
	}
	seen := map[string]bool{}
	for i := range count {
		key, itemNode := strconv.Itoa(i), n.Content[i]
		if spec.named {
			keyNode := strict.Resolve(n.Content[2*i])
			key, itemNode = keyNode.Value, n.Content[2*i+1]
			if seen[key] {
				d.At(keyNode, strict.Join(path, key), "%s %q appears twice", spec.noun, key)
				continue
			}
			seen[key] = true
		}
		item := reflect.ValueOf(spec.item(key)).Elem()
		itemPath := strict.Join(path, key)
		itemNode = strict.Resolve(itemNode)
		d.Nodes[itemPath] = itemNode
		switch {
		case spec.scalar:
			d.Decode(itemNode, item.Field(1), itemPath)
		case !(spec.named && itemNode.Kind == yaml.ScalarNode && itemNode.Tag == "!!null"):
			// "laiwang:" with no fields takes every default.
			d.DecodeStruct(itemNode, item, itemPath)
		}
		dst.Set(reflect.Append(dst, item))
	}
}

// DecodeCustom decodes platforms by their declaration in listSpecs.
func (pl *PlatformList) DecodeCustom(d *strict.Decoder, n *yaml.Node, path string) {
	decodeList(d, n, path, reflect.ValueOf(pl).Elem())
}

// DecodeCustom decodes interventions by their declaration in listSpecs.
func (il *InterventionList) DecodeCustom(d *strict.Decoder, n *yaml.Node, path string) {
	decodeList(d, n, path, reflect.ValueOf(il).Elem())
}

// DecodeCustom decodes a record's series by their declaration in listSpecs.
func (rl *RecordSeriesList) DecodeCustom(d *strict.Decoder, n *yaml.Node, path string) {
	decodeList(d, n, path, reflect.ValueOf(rl).Elem())
}

// DecodeCustom decodes segments by their declaration in listSpecs.
func (sl *SegmentList) DecodeCustom(d *strict.Decoder, n *yaml.Node, path string) {
	decodeList(d, n, path, reflect.ValueOf(sl).Elem())
}

// DecodeCustom decodes a segment's platform overrides by their declaration in listSpecs.
func (pl *SegmentPlatformList) DecodeCustom(d *strict.Decoder, n *yaml.Node, path string) {
	decodeList(d, n, path, reflect.ValueOf(pl).Elem())
}

// DecodeCustom decodes layers by their declaration in listSpecs.
func (ll *LayerList) DecodeCustom(d *strict.Decoder, n *yaml.Node, path string) {
	decodeList(d, n, path, reflect.ValueOf(ll).Elem())
}

// DecodeCustom decodes a platform's layer weights by their declaration in listSpecs.
func (wl *LayerWeightList) DecodeCustom(d *strict.Decoder, n *yaml.Node, path string) {
	decodeList(d, n, path, reflect.ValueOf(wl).Elem())
}
