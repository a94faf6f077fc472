package output

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"io"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// sweepTable has every kind of column and the awkward values: NaN (null), ±Inf, -0,
// subnormals, extreme ints, empty and quoted strings, non-ASCII; and names with dots,
// underscores and both "a.b" and "a_b", in an order that is not alphabetical.
func sweepTable() Table {
	nan := math.NaN()
	tenth := 0.1 // a variable, so that tenth+0.2 is float64 arithmetic, not an exact constant
	return Table{Columns: []Column{
		{Name: "run", Ints: []int64{0, 1, 2, 3, 4}},
		{Name: "seed", Ints: []int64{math.MinInt64, -1, 0, 42, math.MaxInt64}},
		{Name: "final_share.laiwang", Floats: []float64{0.25, nan, 1, tenth + 0.2, nan}},
		{Name: "platforms.laiwang.appeal", Floats: []float64{math.Inf(1), math.Inf(-1), math.Copysign(0, -1), 5e-324, math.MaxFloat64}},
		{Name: "winner", Strings: []string{"laiwang", "", "we,chat", `say "hi"`, "微信"}},
		{Name: "a.b", Floats: []float64{nan, nan, nan, nan, nan}},
		{Name: "a_b", Strings: []string{"x", "y", " lead", "line\nbreak", "z"}},
		{Name: "Alpha", Ints: []int64{5, 4, 3, 2, 1}},
	}}
}

func writeParquetBytes(t testing.TB, tab Table) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteParquet(&buf, tab); err != nil {
		t.Fatalf("WriteParquet: %v", err)
	}
	return buf.Bytes()
}

func openParquet(t testing.TB, b []byte) *parquet.File {
	t.Helper()
	f, err := parquet.OpenFile(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("OpenFile: %v", err)
	}
	return f
}

// readParquetRows reads every row back with parquet-go's generic row reader.
func readParquetRows(t testing.TB, b []byte) []parquet.Row {
	t.Helper()
	r := parquet.NewReader(bytes.NewReader(b))
	defer r.Close()
	rows := make([]parquet.Row, 0, r.NumRows())
	buf := make([]parquet.Row, 1024)
	for {
		n, err := r.ReadRows(buf)
		for _, row := range buf[:n] {
			rows = append(rows, row.Clone())
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("ReadRows: %v", err)
		}
	}
	return rows
}

// checkParquetSchema walks the footer schema: a root with one leaf per column, in
// order, named verbatim, of the expected physical and logical type and repetition.
func checkParquetSchema(t *testing.T, f *parquet.File, tab Table) {
	t.Helper()
	md := f.Metadata()
	elems := md.Schema
	if len(elems) != 1+len(tab.Columns) {
		t.Fatalf("%d schema elements, want %d", len(elems), 1+len(tab.Columns))
	}
	if n, _ := elems[0].NumChildren.Get(); elems[0].Name != "msgsim" || int(n) != len(tab.Columns) {
		t.Errorf("root element %q with %d children, want \"msgsim\" with %d", elems[0].Name, n, len(tab.Columns))
	}
	for i, c := range tab.Columns {
		e := elems[1+i]
		typ, _ := e.Type.Get()
		rep, _ := e.RepetitionType.Get()
		logical := e.LogicalType.String()
		var wantType format.Type
		wantRep, wantLogical := format.Required, ""
		switch {
		case c.Floats != nil:
			wantType, wantRep = format.Double, format.Optional
		case c.Ints != nil:
			wantType, wantLogical = format.Int64, "INT(64,true)"
		default:
			wantType, wantLogical = format.ByteArray, "STRING"
		}
		if e.Name != c.Name || typ != wantType || rep != wantRep || logical != wantLogical {
			t.Errorf("schema element %d = %q %v %v %q, want %q %v %v %q",
				i+1, e.Name, typ, rep, logical, c.Name, wantType, wantRep, wantLogical)
		}
		if _, isGroup := e.NumChildren.Get(); isGroup {
			t.Errorf("column %q is a group, want a leaf", c.Name)
		}
	}
	// The same through the parsed schema: top-level fields in table order, and each
	// column found by its whole name as a one-element path (no splitting at dots).
	fields := f.Schema().Fields()
	for i, c := range tab.Columns {
		if i >= len(fields) || fields[i].Name() != c.Name || !fields[i].Leaf() {
			t.Errorf("schema field %d is not the leaf %q", i, c.Name)
		}
		if leaf, ok := f.Schema().Lookup(c.Name); !ok || leaf.ColumnIndex != i {
			t.Errorf("Lookup(%q) = %v, %v; want column %d", c.Name, leaf.ColumnIndex, ok, i)
		}
	}
	for g, rg := range md.RowGroups {
		for i, cc := range rg.Columns {
			if got := cc.MetaData.PathInSchema; len(got) != 1 || got[0] != tab.Columns[i].Name {
				t.Errorf("row group %d column %d path %q, want [%q]", g, i, got, tab.Columns[i].Name)
			}
			if cc.MetaData.Codec != format.Zstd {
				t.Errorf("row group %d column %q codec %v, want ZSTD", g, tab.Columns[i].Name, cc.MetaData.Codec)
			}
		}
	}
}

// checkParquetValues compares every cell read back with the table, bit for bit for
// floats, NaN <-> null.
func checkParquetValues(t *testing.T, rows []parquet.Row, tab Table) {
	t.Helper()
	if len(rows) != tab.Len() {
		t.Fatalf("read %d rows, want %d", len(rows), tab.Len())
	}
	errs := 0
	for r, row := range rows {
		if len(row) != len(tab.Columns) {
			t.Fatalf("row %d has %d values, want %d", r, len(row), len(tab.Columns))
		}
		for i, c := range tab.Columns {
			v := row[i]
			if v.Column() != i {
				t.Fatalf("row %d value %d belongs to column %d", r, i, v.Column())
			}
			var ok bool
			var want string
			switch {
			case c.Floats != nil:
				x := c.Floats[r]
				if math.IsNaN(x) {
					ok, want = v.IsNull(), "null"
				} else {
					ok = !v.IsNull() && v.Kind() == parquet.Double && math.Float64bits(v.Double()) == math.Float64bits(x)
					want = strconv.FormatFloat(x, 'g', -1, 64)
				}
			case c.Ints != nil:
				ok = !v.IsNull() && v.Kind() == parquet.Int64 && v.Int64() == c.Ints[r]
				want = strconv.FormatInt(c.Ints[r], 10)
			default:
				ok = !v.IsNull() && v.Kind() == parquet.ByteArray && string(v.ByteArray()) == c.Strings[r]
				want = strconv.Quote(c.Strings[r])
			}
			if !ok {
				t.Errorf("row %d column %q = %v, want %s", r, c.Name, v, want)
				if errs++; errs > 10 {
					t.FailNow()
				}
			}
		}
	}
}

func TestParquetRoundTrip(t *testing.T) {
	tab := sweepTable()
	b := writeParquetBytes(t, tab)
	f := openParquet(t, b)
	if f.NumRows() != 5 || len(f.RowGroups()) != 1 {
		t.Errorf("%d rows in %d row groups, want 5 in 1", f.NumRows(), len(f.RowGroups()))
	}
	checkParquetSchema(t, f, tab)
	checkParquetValues(t, readParquetRows(t, b), tab)
}

// The schema node prints and reflects in column order too.
func TestParquetSchemaNode(t *testing.T) {
	schema := parquetSchemaOf(sweepTable())
	want := `message msgsim {
	required int64 run (INT(64,true));
	required int64 seed (INT(64,true));
	optional double final_share.laiwang;
	optional double platforms.laiwang.appeal;
	required binary winner (STRING);
	optional double a.b;
	required binary a_b (STRING);
	required int64 Alpha (INT(64,true));
}`
	if got := schema.String(); got != want {
		t.Errorf("schema:\n%s\nwant:\n%s", got, want)
	}
	typ := schema.GoType()
	if typ.NumField() != 8 || typ.Field(2).Name != "C2" || typ.Field(2).Type.String() != "*float64" || typ.Field(4).Type.String() != "[]uint8" {
		t.Errorf("GoType %v", typ)
	}
}

// A table longer than ParquetRowGroupRows is cut into row groups of that many rows.
func TestParquetRowGroups(t *testing.T) {
	n := 2*ParquetRowGroupRows + 1234
	run, share, name := make([]int64, n), make([]float64, n), make([]string, n)
	for i := range n {
		run[i] = int64(i)
		share[i] = float64(i) / 7
		if i%5 == 0 {
			share[i] = math.NaN()
		}
		name[i] = "p" + strconv.Itoa(i%3)
	}
	tab := Table{Columns: []Column{{Name: "run", Ints: run}, {Name: "share.x", Floats: share}, {Name: "platform", Strings: name}}}
	b := writeParquetBytes(t, tab)
	f := openParquet(t, b)
	var sizes []int64
	for _, rg := range f.RowGroups() {
		sizes = append(sizes, rg.NumRows())
	}
	if want := []int64{ParquetRowGroupRows, ParquetRowGroupRows, 1234}; !equalInt64s(sizes, want) {
		t.Errorf("row groups of %v rows, want %v", sizes, want)
	}
	checkParquetSchema(t, f, tab)
	checkParquetValues(t, readParquetRows(t, b), tab)
}

func equalInt64s(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Zero rows is a valid file: the schema and no row groups.
func TestParquetEmptyTable(t *testing.T) {
	tab := Table{Columns: []Column{{Name: "x.y", Floats: []float64{}}, {Name: "n", Ints: []int64{}}, {Name: "s", Strings: []string{}}}}
	b := writeParquetBytes(t, tab)
	f := openParquet(t, b)
	if f.NumRows() != 0 || len(f.RowGroups()) != 0 {
		t.Errorf("%d rows in %d row groups, want none", f.NumRows(), len(f.RowGroups()))
	}
	checkParquetSchema(t, f, tab)
	if rows := readParquetRows(t, b); len(rows) != 0 {
		t.Errorf("read %d rows, want 0", len(rows))
	}
}

// The footer carries nothing that changes from run to run: no key/value metadata, no
// encryption, and created_by names only the library and its version.
func TestParquetMetadataIsStable(t *testing.T) {
	md := openParquet(t, writeParquetBytes(t, sweepTable())).Metadata()
	if len(md.KeyValueMetadata) != 0 {
		t.Errorf("key/value metadata %v, want none", md.KeyValueMetadata)
	}
	if md.EncryptionAlgorithm.Value != nil || md.FooterSigningKeyMetadata != nil {
		t.Error("file has encryption metadata")
	}
	if !strings.HasPrefix(md.CreatedBy, "github.com/parquet-go/parquet-go") {
		t.Errorf("created_by %q, want parquet-go's", md.CreatedBy)
	}
	t.Logf("created_by %q, format version %d", md.CreatedBy, md.Version)
	for _, e := range md.Schema {
		if e.FieldID != 0 {
			t.Errorf("schema element %q has field id %d", e.Name, e.FieldID)
		}
	}
}

// parquetHashEnv makes the test binary print the SHA-256 of sweepTable's file and exit;
// TestParquetDeterministic runs it in a second process to compare.
const parquetHashEnv = "MSGSIM_PARQUET_HASH_CHILD"

func TestParquetDeterministic(t *testing.T) {
	if os.Getenv(parquetHashEnv) == "1" {
		sum := sha256.Sum256(writeParquetBytes(t, sweepTable()))
		os.Stdout.WriteString("hash=" + hex.EncodeToString(sum[:]) + "\n")
		return
	}
	a := writeParquetBytes(t, sweepTable())
	b := writeParquetBytes(t, sweepTable())
	if !bytes.Equal(a, b) {
		t.Fatal("two writes of the same table differ")
	}
	// A copy of the table (fresh backing arrays) gives the same bytes too.
	tab := sweepTable()
	for i, c := range tab.Columns {
		tab.Columns[i].Floats = append([]float64(nil), c.Floats...)
		tab.Columns[i].Ints = append([]int64(nil), c.Ints...)
		tab.Columns[i].Strings = append([]string(nil), c.Strings...)
		if c.Floats == nil {
			tab.Columns[i].Floats = nil
		}
		if c.Ints == nil {
			tab.Columns[i].Ints = nil
		}
		if c.Strings == nil {
			tab.Columns[i].Strings = nil
		}
	}
	if !bytes.Equal(a, writeParquetBytes(t, tab)) {
		t.Fatal("a copy of the table gives different bytes")
	}
	// Hash seeds and pools are per process: a second process must agree as well.
	cmd := exec.Command(os.Args[0], "-test.run=^TestParquetDeterministic$", "-test.count=1")
	cmd.Env = append(os.Environ(), parquetHashEnv+"=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("child process: %v\n%s", err, out)
	}
	sum := sha256.Sum256(a)
	if want := "hash=" + hex.EncodeToString(sum[:]); !strings.Contains(string(out), want) {
		t.Errorf("child process wrote a different file: %q, want %s", out, want)
	}
}

// bigTable is 1M rows × 5 columns shaped like a sweep result in long format.
func bigTable() Table {
	const n = 1_000_000
	rep, step := make([]int64, n), make([]int64, n)
	platform := make([]string, n)
	share, appeal := make([]float64, n), make([]float64, n)
	names := []string{"laiwang", "wechat", "weibo"}
	for i := range n {
		rep[i] = int64(i / 3000)
		step[i] = int64(i / 3 % 1000)
		platform[i] = names[i%3]
		share[i] = math.Round(1e6*(0.5+0.5*math.Sin(float64(i)/997))) / 1e6
		appeal[i] = float64(i%3+1) * 0.25
		if i%97 == 0 {
			appeal[i] = math.NaN()
		}
	}
	return Table{Columns: []Column{
		{Name: "replicate", Ints: rep},
		{Name: "step", Ints: step},
		{Name: "platform", Strings: platform},
		{Name: "final_share.laiwang", Floats: share},
		{Name: "platforms.laiwang.appeal", Floats: appeal},
	}}
}

func TestParquetLargeTable(t *testing.T) {
	if testing.Short() {
		t.Skip("1M rows")
	}
	tab := bigTable()
	var pq, csvBuf bytes.Buffer
	// Speed is measured by BenchmarkWriteParquet, never by a timed test.
	if err := WriteParquet(&pq, tab); err != nil {
		t.Fatal(err)
	}
	if err := WriteTableCSV(&csvBuf, tab); err != nil {
		t.Fatal(err)
	}
	t.Logf("1M rows x 5 columns: Parquet %d bytes, CSV %d bytes (Parquet is %.1f%% of CSV)",
		pq.Len(), csvBuf.Len(), 100*float64(pq.Len())/float64(csvBuf.Len()))
	if pq.Len()*3 > csvBuf.Len() {
		t.Errorf("Parquet %d bytes is not much smaller than CSV %d bytes", pq.Len(), csvBuf.Len())
	}
	f := openParquet(t, pq.Bytes())
	if f.NumRows() != int64(tab.Len()) || len(f.RowGroups()) != (tab.Len()+ParquetRowGroupRows-1)/ParquetRowGroupRows {
		t.Errorf("%d rows in %d row groups", f.NumRows(), len(f.RowGroups()))
	}
	checkParquetSchema(t, f, tab)
	checkParquetValues(t, readParquetRows(t, pq.Bytes()), tab)
}

// BenchmarkWriteParquet writes the 1M-row table of TestParquetLargeTable ("well under a second").
func BenchmarkWriteParquet(b *testing.B) {
	tab := bigTable()
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := WriteParquet(&buf, tab); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/file")
}

func TestWriteTableCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTableCSV(&buf, sweepTable()); err != nil {
		t.Fatal(err)
	}
	want := "run,seed,final_share.laiwang,platforms.laiwang.appeal,winner,a.b,a_b,Alpha\n" +
		"0,-9223372036854775808,0.25,+Inf,laiwang,,x,5\n" +
		"1,-1,,-Inf,,,y,4\n" +
		"2,0,1,-0,\"we,chat\",,\" lead\",3\n" +
		"3,42,0.30000000000000004,5e-324,\"say \"\"hi\"\"\",,\"line\nbreak\",2\n" +
		"4,9223372036854775807,,1.7976931348623157e+308,微信,,z,1\n"
	if got := buf.String(); got != want {
		t.Errorf("CSV:\n%s\nwant:\n%s", got, want)
	}
	// It reads back with encoding/csv, and the numbers parse back to the same bits.
	recs, err := csv.NewReader(strings.NewReader(want)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if recs[5][4] != "微信" || recs[4][6] != "line\nbreak" || recs[3][6] != " lead" || recs[4][4] != `say "hi"` {
		t.Errorf("strings read back as %q", recs)
	}
	for r, x := range sweepTable().Columns[3].Floats {
		if y, err := strconv.ParseFloat(recs[r+1][3], 64); err != nil || math.Float64bits(x) != math.Float64bits(y) {
			t.Errorf("row %d: %q parses to %v (%v), want %v", r, recs[r+1][3], y, err, x)
		}
	}
}

func TestWriteTableCSVEmpty(t *testing.T) {
	var buf bytes.Buffer
	tab := Table{Columns: []Column{{Name: "x", Floats: []float64{}}, {Name: "y z", Strings: []string{}}}}
	if err := WriteTableCSV(&buf, tab); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != "x,y z\n" {
		t.Errorf("CSV %q, want %q", got, "x,y z\n")
	}
}

func TestTableErrors(t *testing.T) {
	f := []float64{1, 2}
	cases := []struct {
		name string
		tab  Table
		want string
	}{
		{"no columns", Table{}, "table has no columns"},
		{"empty name", Table{Columns: []Column{{Name: "a", Floats: f}, {Name: "", Floats: f}}},
			"table column 1 has an empty name"},
		{"duplicate", Table{Columns: []Column{{Name: "a.b", Floats: f}, {Name: "a_b", Floats: f}, {Name: "a.b", Ints: []int64{1, 2}}}},
			`table has two columns named "a.b" (columns 0 and 2)`},
		{"no slice", Table{Columns: []Column{{Name: "a", Floats: f}, {Name: "b"}}},
			`table column "b" holds no data (set one of Floats, Ints or Strings)`},
		{"two slices", Table{Columns: []Column{{Name: "a", Floats: f, Strings: []string{"x", "y"}}}},
			`table column "a" sets more than one of Floats, Ints and Strings`},
		{"three slices", Table{Columns: []Column{{Name: "a", Floats: f, Ints: []int64{}, Strings: []string{}}}},
			`table column "a" sets more than one of Floats, Ints and Strings`},
		{"short", Table{Columns: []Column{{Name: "a", Floats: f}, {Name: "b", Ints: []int64{1, 2}}, {Name: "c", Strings: []string{"x"}}}},
			`table column "c" has 1 rows, column "a" has 2`},
		{"long", Table{Columns: []Column{{Name: "a", Ints: []int64{}}, {Name: "b", Floats: f}}},
			`table column "b" has 2 rows, column "a" has 0`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, w := range []struct {
				format string
				write  func(io.Writer, Table) error
			}{{"Parquet", WriteParquet}, {"CSV", WriteTableCSV}} {
				var buf bytes.Buffer
				err := w.write(&buf, c.tab)
				if err == nil || err.Error() != c.want {
					t.Errorf("%s: error %v, want %q", w.format, err, c.want)
				}
				if buf.Len() != 0 {
					t.Errorf("%s: wrote %d bytes for an invalid table", w.format, buf.Len())
				}
			}
		})
	}
}

func TestTableLen(t *testing.T) {
	if n := (Table{}).Len(); n != 0 {
		t.Errorf("empty table Len %d", n)
	}
	if n := sweepTable().Len(); n != 5 {
		t.Errorf("Len %d, want 5", n)
	}
	if n := (Table{Columns: []Column{{Name: "s", Strings: []string{"a", "b"}}}}).Len(); n != 2 {
		t.Errorf("Len %d, want 2", n)
	}
}

type failAfter struct{ n int }

var errParquetSink = errors.New("disk full")

func (w *failAfter) Write(p []byte) (int, error) {
	if w.n < len(p) {
		k := w.n
		w.n = 0
		return k, errParquetSink
	}
	w.n -= len(p)
	return len(p), nil
}

// Write errors come back, wrapped, from both writers.
func TestTableWriteErrors(t *testing.T) {
	for _, n := range []int{0, 10, 100} {
		if err := WriteParquet(&failAfter{n}, sweepTable()); !errors.Is(err, errParquetSink) {
			t.Errorf("Parquet, failing after %d bytes: error %v", n, err)
		}
		if err := WriteTableCSV(&failAfter{n}, sweepTable()); !errors.Is(err, errParquetSink) {
			t.Errorf("CSV, failing after %d bytes: error %v", n, err)
		}
	}
}
