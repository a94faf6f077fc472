package observed

import (
	"io"
	"testing"
)

func TestRowsAndProblems(t *testing.T) {
	f, err := Parse([]byte("\ufeffdate,platform,metric,value_millions,source\n"+
		"2011-12-31,wechat,registered,50,a\n"+
		"2011-12-31,wechat,registered\n"+ // too few fields: reported, skipped
		"2013-31-03,wechat,mau,194.4,b\n"+
		"2013-06-30,wechat,mau,,c\n"), "d.csv")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for {
		row, err := f.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		when, okWhen := f.When(row)
		value, okValue := f.Value(row, "a test row")
		if okWhen && okValue {
			got = append(got, when.Text+" "+row.Platform+" "+row.Metric)
			if value != 50 || when.Date.Year() != 2011 {
				t.Errorf("row %d: value %g at %v", row.Line, value, when.Date)
			}
		}
	}
	if len(got) != 1 || got[0] != "2011-12-31 wechat registered" {
		t.Errorf("rows %v", got)
	}
	want := "d.csv:3:1: has 3 fields, the header has 5 (date,platform,metric,value_millions,source)\n" +
		"d.csv:4:1: date: must be a date YYYY-MM-DD, got \"2013-31-03\"\n" +
		"d.csv:5:23: value_millions: is empty; a test row needs a value"
	if err := f.Err(); err == nil || err.Error() != want {
		t.Errorf("problems:\n%v\nwant:\n%s", err, want)
	}
	for _, tc := range []struct{ platform, metric, want string }{
		{"wechat", "mau", ""},
		{"wechat", "dau", "no row of d.csv has platform wechat and metric dau (metrics for wechat there: registered, mau)"},
		{"laiwang", "registered", "no row of d.csv has platform laiwang (platforms there: wechat)"},
	} {
		if got := f.NoRows(tc.platform, tc.metric); got != tc.want {
			t.Errorf("NoRows(%s, %s) = %q, want %q", tc.platform, tc.metric, got, tc.want)
		}
	}
}

func TestHeaderProblems(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"", "d.csv: the file is empty; data needs a header line date,platform,metric,value_millions,source"},
		{"date,step,platform,metric,value_millions\n", "d.csv:1:1: has both a date and a step column; keep one (dates are placed on steps by start and step_days)"},
		{"step,platform,value\n", "d.csv:1:1: the header needs columns date (or step), platform, metric, value_millions; missing: metric, value_millions (got: step,platform,value)"},
	} {
		if _, err := Parse([]byte(tc.text), "d.csv"); err == nil || err.Error() != tc.want {
			t.Errorf("%q: error %v, want %s", tc.text, err, tc.want)
		}
	}
	if _, err := Open("data", "testdata/none.csv"); err == nil || err.Error() != "cannot read testdata/none.csv: file not found" {
		t.Errorf("a missing file: %v", err)
	}
}
