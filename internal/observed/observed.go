// Package observed reads data files of observed figures (date or step, platform, metric,
// value_millions, source): what a fit compares its model with and what a run's plots show as
// the record. Problems are located in the file (file:line:column: column name: message).
package observed

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/msgsim/msgsim/internal/strict"
)

// requiredColumns is what a data file's header must hold (date may be step instead).
var requiredColumns = []string{"date", "platform", "metric", "value_millions"}

// dateLayout is how dates are written in data files.
const dateLayout = "2006-01-02"

// ReadError is a data file that could not be read at all; Problem says why, without the path.
type ReadError struct {
	Path, Problem string
}

func (e *ReadError) Error() string { return "cannot read " + e.Path + ": " + e.Problem }

// File is a data file being read row by row.
type File struct {
	Path string
	// HasDates says whether rows are placed by a date column (else by a step column).
	HasDates  bool
	header    []string
	cols      map[string]int
	r         *csv.Reader
	rep       *strict.Reporter
	platforms []string            // in file order
	metrics   map[string][]string // platform -> its metrics, in file order
}

// Row is one data row of the file.
type Row struct {
	Line             int
	Platform, Metric string
	rec              []string
	cols             []int // the column of each field of rec
}

// When is where a row lies in time: a date or a step.
type When struct {
	IsDate bool
	Date   time.Time
	Text   string // the date as written
	Step   int
}

// Open reads the data file at path and checks its header; kind says what the file is for in
// read errors ("fit data"). A file that cannot be read gives a *ReadError; a header that is
// not a data file's gives located errors.
func Open(kind, path string) (*File, error) {
	raw, err := ReadFile(kind, path)
	if err != nil {
		return nil, err
	}
	return Parse(raw, path)
}

// ReadFile reads a data file's text within the size limit of CSV files; a *ReadError says
// why it could not.
func ReadFile(kind, path string) ([]byte, error) {
	raw, err := strict.ReadFile(kind, path, strict.MaxCSVBytes)
	if err != nil {
		var fe *strict.FileError
		if errors.As(err, &fe) {
			return nil, &ReadError{Path: path, Problem: fe.Problem}
		}
		return nil, &ReadError{Path: path, Problem: err.Error()}
	}
	return raw, nil
}

// Parse reads a data file's text, named path in messages, and checks its header.
func Parse(raw []byte, path string) (*File, error) {
	raw = bytes.TrimPrefix(raw, []byte("\ufeff"))
	f := &File{Path: path, rep: &strict.Reporter{File: path, Lines: strings.Split(string(raw), "\n")}, metrics: map[string][]string{}}
	f.r = csv.NewReader(bytes.NewReader(raw))
	f.r.FieldsPerRecord = -1
	f.r.Comment = '#'
	header, err := f.r.Read()
	if err == io.EOF {
		return nil, &strict.FieldError{File: path, Msg: "the file is empty; data needs a header line date,platform,metric,value_millions,source"}
	}
	if err != nil {
		return nil, f.csvError(err)
	}
	f.header = header
	headerLine, _ := f.r.FieldPos(0)
	f.cols = map[string]int{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		if first, dup := f.cols[name]; dup {
			_, col := f.r.FieldPos(i)
			f.report(headerLine, col, name, "appears twice in the header (columns %d and %d); which one holds the data?", first+1, i+1)
		}
		f.cols[name] = i
	}
	_, hasDate := f.cols["date"]
	_, hasStep := f.cols["step"]
	var missing []string
	for _, c := range requiredColumns {
		if _, ok := f.cols[c]; !ok && !(c == "date" && hasStep) {
			missing = append(missing, c)
		}
	}
	switch {
	case hasDate && hasStep:
		f.report(headerLine, 1, "", "has both a date and a step column; keep one (dates are placed on steps by start and step_days)")
	case len(missing) > 0:
		f.report(headerLine, 1, "", "the header needs columns date (or step), platform, metric, value_millions; missing: %s (got: %s)", strings.Join(missing, ", "), strings.Join(header, ","))
	}
	if err := f.rep.Err(); err != nil {
		return nil, err
	}
	f.HasDates = hasDate
	return f, nil
}

// Next returns the next row with as many fields as the header, reporting the others; io.EOF
// at the end. A CSV syntax error ends the reading with every problem found so far.
func (f *File) Next() (Row, error) {
	for {
		rec, err := f.r.Read()
		if err == io.EOF {
			return Row{}, io.EOF
		}
		if err != nil {
			var all strict.Errors
			if e := f.rep.Err(); e != nil {
				all = e.(strict.Errors)
			}
			if e, ok := f.csvError(err).(*strict.FieldError); ok {
				all = append(all, e)
			}
			return Row{}, all
		}
		line, _ := f.r.FieldPos(0)
		if len(rec) != len(f.header) {
			f.report(line, 1, "", "has %d fields, the header has %d (%s)", len(rec), len(f.header), strings.Join(f.header, ","))
			continue
		}
		row := Row{Line: line, rec: rec, cols: make([]int, len(rec))}
		for i := range rec {
			_, row.cols[i] = f.r.FieldPos(i)
		}
		row.Platform, _ = f.field(row, "platform")
		row.Metric, _ = f.field(row, "metric")
		if !slices.Contains(f.platforms, row.Platform) {
			f.platforms = append(f.platforms, row.Platform)
		}
		if !slices.Contains(f.metrics[row.Platform], row.Metric) {
			f.metrics[row.Platform] = append(f.metrics[row.Platform], row.Metric)
		}
		return row, nil
	}
}

// field is a row's trimmed value in the named column and its column number.
func (f *File) field(row Row, name string) (string, int) {
	i := f.cols[name]
	return strings.TrimSpace(row.rec[i]), row.cols[i]
}

// When parses the row's date or step, reporting a malformed one.
func (f *File) When(row Row) (When, bool) {
	if f.HasDates {
		s, col := f.field(row, "date")
		t, err := time.Parse(dateLayout, s)
		if err != nil {
			f.report(row.Line, col, "date", "must be a date YYYY-MM-DD, got %q", s)
			return When{}, false
		}
		return When{IsDate: true, Date: t, Text: s}, true
	}
	s, col := f.field(row, "step")
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		f.report(row.Line, col, "step", "must be a whole number >= 0, got %q", s)
		return When{}, false
	}
	return When{Step: n, Text: s}, true
}

// Value parses the row's value in millions, reporting a missing, malformed or negative one;
// use says what the row is for ("a fitted row").
func (f *File) Value(row Row, use string) (float64, bool) {
	s, col := f.field(row, "value_millions")
	x, err := strconv.ParseFloat(s, 64)
	switch {
	case s == "":
		f.report(row.Line, col, "value_millions", "is empty; %s needs a value", use)
	case err != nil && !errors.Is(err, strconv.ErrRange):
		f.report(row.Line, col, "value_millions", "must be a number (millions), got %q", s)
	case math.IsNaN(x) || math.IsInf(x, 0):
		f.report(row.Line, col, "value_millions", "must be a finite number, got %q", s)
	case x < 0:
		f.report(row.Line, col, "value_millions", "must be >= 0, got %s", s)
	default:
		return x, true
	}
	return 0, false
}

// ReportWhen locates a problem at the row's date or step.
func (f *File) ReportWhen(row Row, format string, args ...any) {
	column := "step"
	if f.HasDates {
		column = "date"
	}
	_, col := f.field(row, column)
	f.report(row.Line, col, column, format, args...)
}

// Err is every problem reported so far, or nil.
func (f *File) Err() error { return f.rep.Err() }

// NoRows says, when no row read so far has the platform and metric, which platforms or
// metrics the file has instead; "" when some row has them.
func (f *File) NoRows(platform, metric string) string {
	metrics := f.metrics[platform]
	switch {
	case slices.Contains(metrics, metric):
		return ""
	case len(metrics) > 0:
		return fmt.Sprintf("no row of %s has platform %s and metric %s (metrics for %s there: %s)", f.Path, platform, metric, platform, strings.Join(metrics, ", "))
	}
	return fmt.Sprintf("no row of %s has platform %s (platforms there: %s)", f.Path, platform, strings.Join(f.platforms, ", "))
}

func (f *File) report(line, col int, column, format string, args ...any) {
	f.rep.Report(strict.Position{Line: line, Column: col, Field: column}, format, args...)
}

// csvError turns a CSV syntax error into a located one.
func (f *File) csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return f.rep.Locate(strict.Position{Line: pe.Line, Column: pe.Column}, "invalid CSV: %s", pe.Err.Error())
	}
	return &strict.FieldError{File: f.Path, Msg: err.Error()}
}
