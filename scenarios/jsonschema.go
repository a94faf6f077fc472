package scenarios

import (
	"encoding/json"
	"fmt"
	"reflect"
)

// SchemaID names msgsim's scenario schema, for editors that cache schemas by id.
const SchemaID = "https://github.com/msgsim/msgsim/scenario.schema.json"

// Schema is a JSON Schema (draft 2020-12) node, as much of it as scenario files need.
type Schema struct {
	Schema               string             `json:"$schema,omitempty"`
	ID                   string             `json:"$id,omitempty"`
	Title                string             `json:"title,omitempty"`
	Description          string             `json:"description,omitempty"`
	Type                 any                `json:"type,omitempty"` // a name, or a list of names
	Enum                 []string           `json:"enum,omitempty"`
	Format               string             `json:"format,omitempty"`
	AnyOf                []*Schema          `json:"anyOf,omitempty"`
	Minimum              *float64           `json:"minimum,omitempty"`
	Properties           map[string]*Schema `json:"properties,omitempty"`
	AdditionalProperties any                `json:"additionalProperties,omitempty"` // false, or the schema of every value
	MaxProperties        int                `json:"maxProperties,omitempty"`
	Items                *Schema            `json:"items,omitempty"`
	MaxItems             int                `json:"maxItems,omitempty"`
}

// JSONSchema returns the JSON Schema of scenario files, generated from the path model, for
// editors (yaml-language-server): field names, types, the words of enumerated fields and
// the shape of lists. Ranges and cross-field rules stay msgsim validate's.
func JSONSchema() ([]byte, error) {
	data, err := json.MarshalIndent(jsonSchema(), "", "  ")
	if err != nil {
		return nil, fmt.Errorf("scenario schema: %w", err)
	}
	return append(data, '\n'), nil
}

func jsonSchema() *Schema {
	s := fileModel().schema()
	s.Schema = "https://json-schema.org/draft/2020-12/schema"
	s.ID = SchemaID
	s.Title = "msgsim scenario"
	s.Description = "A scenario file of msgsim: see msgsim scenarios NAME for examples and msgsim validate FILE for every rule."
	return s
}

// schema is the JSON Schema of the model's field f.
func (f *field) schema() *Schema {
	switch {
	case f.list != nil && f.list.scalar:
		return &Schema{Type: "object", AdditionalProperties: f.item.schema(), MaxProperties: f.list.max}
	case f.list != nil && f.list.named:
		item := f.item.schema()
		item.Type = []string{"object", "null"} // "laiwang:" with no fields takes every default
		return &Schema{Type: "object", AdditionalProperties: item, MaxProperties: f.list.max}
	case f.list != nil:
		return &Schema{Type: "array", Items: f.item.schema(), MaxItems: f.list.max}
	case f.section():
		s := &Schema{Type: "object", AdditionalProperties: false, Properties: map[string]*Schema{}}
		for _, c := range f.fields {
			s.Properties[c.name] = c.schema()
		}
		return s
	case f.kind == PathList:
		return &Schema{Type: "array", Items: leafSchema(f.typ.Elem(), nil)}
	}
	return leafSchema(f.typ, f.enum)
}

// leafSchema is the schema of a single value of Go type t.
func leafSchema(t reflect.Type, enum []string) *Schema {
	if t == stepOrDateType {
		return &Schema{AnyOf: []*Schema{{Type: "integer"}, {Type: "string", Format: "date"}}}
	}
	switch t.Kind() {
	case reflect.Int:
		return &Schema{Type: "integer"}
	case reflect.Uint64:
		zero := 0.0
		return &Schema{Type: "integer", Minimum: &zero}
	case reflect.Float64:
		return &Schema{Type: "number"}
	case reflect.Bool:
		return &Schema{Type: "boolean"}
	}
	return &Schema{Type: "string", Enum: enum}
}
