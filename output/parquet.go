package output

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"
)

// Table is a column-oriented table; all columns have the same length.
type Table struct {
	Columns []Column
}

// Column holds exactly one of Floats, Ints or Strings; "set" means non-nil, so an empty
// but non-nil slice is a valid zero-row column. Floats may hold NaN for missing values,
// written as Parquet nulls (float columns are always optional) and as empty CSV cells.
//
// Name is kept verbatim in both formats: dots and underscores (final_share.laiwang,
// platforms.laiwang.appeal) are part of the one top-level column name, never a nested
// path. Parquet files therefore have a flat schema whose column order is the order of
// Columns.
type Column struct {
	Name    string
	Floats  []float64
	Ints    []int64
	Strings []string
}

// ParquetRowGroupRows is the most rows WriteParquet puts in one row group: a table of
// up to 65536 rows is one row group, a longer one is split into row groups of this size.
const ParquetRowGroupRows = 1 << 16

// Len is the number of rows: the length of the first column (0 for a table without
// columns). It does not check that the other columns agree; the writers do.
func (t Table) Len() int {
	if len(t.Columns) == 0 {
		return 0
	}
	return t.Columns[0].len()
}

func (c Column) len() int {
	switch {
	case c.Floats != nil:
		return len(c.Floats)
	case c.Ints != nil:
		return len(c.Ints)
	default:
		return len(c.Strings)
	}
}

func (c Column) slicesSet() int {
	n := 0
	if c.Floats != nil {
		n++
	}
	if c.Ints != nil {
		n++
	}
	if c.Strings != nil {
		n++
	}
	return n
}

// check reports the first problem with t's shape, if any, with the messages:
//
//	table has no columns
//	table column 2 has an empty name
//	table has two columns named "x" (columns 0 and 3)
//	table column "x" holds no data (set one of Floats, Ints or Strings)
//	table column "x" sets more than one of Floats, Ints and Strings
//	table column "y" has 3 rows, column "x" has 5
//
// Column indexes count from 0. Columns are checked in order; for each, name, then
// slices, then length.
func (t Table) check() error {
	if len(t.Columns) == 0 {
		return fmt.Errorf("table has no columns")
	}
	seen := make(map[string]int, len(t.Columns))
	for i, c := range t.Columns {
		if c.Name == "" {
			return fmt.Errorf("table column %d has an empty name", i)
		}
		if j, dup := seen[c.Name]; dup {
			return fmt.Errorf("table has two columns named %q (columns %d and %d)", c.Name, j, i)
		}
		seen[c.Name] = i
		switch c.slicesSet() {
		case 0:
			return fmt.Errorf("table column %q holds no data (set one of Floats, Ints or Strings)", c.Name)
		case 1:
		default:
			return fmt.Errorf("table column %q sets more than one of Floats, Ints and Strings", c.Name)
		}
		if first := t.Columns[0]; c.len() != first.len() {
			return fmt.Errorf("table column %q has %d rows, column %q has %d", c.Name, c.len(), first.Name, first.len())
		}
	}
	return nil
}

// WriteParquet writes t as one Parquet file: a flat schema named "msgsim" with one
// column per table column, in order and named verbatim; float columns are optional
// DOUBLE (NaN -> null), int columns required INT64 (logical type INT(64, signed)),
// string columns required BYTE_ARRAY with the STRING logical type (dictionary-encoded).
// Numbers are PLAIN-encoded, for any reader. Every page is ZSTD-compressed; rows are cut
// into row groups of at most ParquetRowGroupRows.
//
// The bytes depend only on t and the parquet-go version: there are no timestamps, random
// ids or key/value metadata, so the same table gives byte-identical files. The footer's
// created_by is parquet-go's default, its module path followed, when the binary's build
// information records it, by its version.
func WriteParquet(w io.Writer, t Table) error {
	if err := t.check(); err != nil {
		return err
	}
	pw := parquet.NewWriter(w, parquetSchemaOf(t), parquet.Compression(&parquet.Zstd))
	columns := pw.ColumnWriters()
	n := t.Len()
	values := make([]parquet.Value, 0, min(n, ParquetRowGroupRows))
	for start := 0; start < n; start += ParquetRowGroupRows {
		end := min(start+ParquetRowGroupRows, n)
		for i, c := range t.Columns {
			values = appendParquetValues(values[:0], c, i, start, end)
			if _, err := columns[i].WriteRowValues(values); err != nil {
				return fmt.Errorf("parquet column %q: %w", c.Name, err)
			}
		}
		if err := pw.Flush(); err != nil {
			return fmt.Errorf("parquet row group: %w", err)
		}
	}
	if err := pw.Close(); err != nil {
		return fmt.Errorf("parquet footer: %w", err)
	}
	return nil
}

// appendParquetValues appends rows [start, end) of column c, the index-th leaf column.
func appendParquetValues(dst []parquet.Value, c Column, index, start, end int) []parquet.Value {
	switch {
	case c.Floats != nil:
		for _, x := range c.Floats[start:end] {
			if math.IsNaN(x) {
				dst = append(dst, parquet.NullValue().Level(0, 0, index))
			} else {
				dst = append(dst, parquet.DoubleValue(x).Level(0, 1, index))
			}
		}
	case c.Ints != nil:
		for _, x := range c.Ints[start:end] {
			dst = append(dst, parquet.Int64Value(x).Level(0, 0, index))
		}
	default:
		for _, s := range c.Strings[start:end] {
			dst = append(dst, parquet.ByteArrayValue([]byte(s)).Level(0, 0, index))
		}
	}
	return dst
}

// parquetSchemaOf builds the file schema of t, which must have passed check.
func parquetSchemaOf(t Table) *parquet.Schema {
	root := &parquetColumns{fields: make([]parquet.Field, len(t.Columns))}
	for i, c := range t.Columns {
		var node parquet.Node
		switch {
		case c.Floats != nil:
			node = parquet.Optional(parquet.Leaf(parquet.DoubleType))
		case c.Ints != nil:
			node = parquet.Leaf(parquet.Int64Type)
		default:
			node = parquet.Encoded(parquet.String(), &parquet.RLEDictionary)
		}
		root.fields[i] = parquetColumnField{Node: node, name: c.Name, index: i}
	}
	return parquet.NewSchema("msgsim", root)
}

// parquetColumns is the root group of a table's schema. parquet.Group returns its
// fields sorted by name; this one keeps the table's column order, which is also the
// leaf column order of the file. The embedded (empty) Group supplies the rest of the
// group behaviour: Type, ID, Required, Leaf, Encoding, Compression.
type parquetColumns struct {
	parquet.Group
	fields []parquet.Field
}

func (g *parquetColumns) Fields() []parquet.Field { return g.fields }

func (g *parquetColumns) String() string {
	var b strings.Builder
	parquet.PrintSchema(&b, "", g)
	return b.String()
}

// GoType is a struct with one field per column, in column order, named C0, C1, ... so
// that column names which are not Go identifiers (or collide once sanitised, like
// "a.b" and "a_b") need no mapping. WriteParquet does not use it.
func (g *parquetColumns) GoType() reflect.Type {
	fields := make([]reflect.StructField, len(g.fields))
	for i, f := range g.fields {
		fields[i] = reflect.StructField{Name: "C" + strconv.Itoa(i), Type: f.GoType()}
	}
	return reflect.StructOf(fields)
}

// parquetColumnField names one leaf of parquetColumns; Value finds it by position in
// the GoType struct.
type parquetColumnField struct {
	parquet.Node
	name  string
	index int
}

func (f parquetColumnField) Name() string { return f.name }

func (f parquetColumnField) Value(base reflect.Value) reflect.Value {
	for base.Kind() == reflect.Interface || base.Kind() == reflect.Pointer {
		if base.IsNil() {
			return reflect.Value{}
		}
		base = base.Elem()
	}
	if base.Kind() != reflect.Struct || f.index >= base.NumField() {
		return reflect.Value{}
	}
	return base.Field(f.index)
}

// WriteTableCSV writes t as CSV with a header of column names: floats in the shortest
// form that reads back exactly (strconv 'g', -1), NaN as an empty cell and infinities as
// +Inf and -Inf; ints in base 10; strings verbatim, quoted only when encoding/csv needs
// to. Lines end in "\n". It checks t like WriteParquet, with the same errors.
func WriteTableCSV(w io.Writer, t Table) error {
	if err := t.check(); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	record := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		record[i] = c.Name
	}
	if err := cw.Write(record); err != nil {
		return err
	}
	for r, n := 0, t.Len(); r < n; r++ {
		for i, c := range t.Columns {
			switch {
			case c.Floats != nil:
				if x := c.Floats[r]; math.IsNaN(x) {
					record[i] = ""
				} else {
					record[i] = strconv.FormatFloat(x, 'g', -1, 64)
				}
			case c.Ints != nil:
				record[i] = strconv.FormatInt(c.Ints[r], 10)
			default:
				record[i] = c.Strings[r]
			}
		}
		if err := cw.Write(record); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
