package scenarios

import (
	"reflect"
	"strings"
	"testing"
)

func TestRecordPlacesFigures(t *testing.T) {
	t.Parallel()
	// Weekly steps from 2011-01-21: 2011-02-15 is day 25, in step 3; the figure of
	// 2012-01-20 lies past the 10 steps and is left out, not refused.
	sc, err := Parse([]byte(base+`start: 2011-01-21
record:
  file: record_dates.csv
  series:
    - {platform: wechat, metric: registered, series: registered}
`), "case.yaml", "testdata", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Figure{
		{Line: 2, Date: "2011-01-21", Step: 0, Platform: 0, Metric: "registered", Series: "registered", Millions: 0},
		{Line: 3, Date: "2011-02-15", Step: 3, Platform: 0, Metric: "registered", Series: "registered", Millions: 0.5},
	}
	if !reflect.DeepEqual(sc.Record.Figures, want) {
		t.Errorf("figures %+v, want %+v", sc.Record.Figures, want)
	}
	outside := []Figure{{Line: 5, Date: "2012-01-20", Step: 52, Platform: 0, Metric: "registered", Series: "registered", Millions: 40}}
	if !reflect.DeepEqual(sc.Record.Outside, outside) {
		t.Errorf("outside %+v, want %+v", sc.Record.Outside, outside)
	}
	if sc.Record.Path != "testdata/record_dates.csv" || !strings.HasPrefix(string(sc.Record.Data), "date,platform") {
		t.Errorf("path %q, data %.20q", sc.Record.Path, sc.Record.Data)
	}

	// A file of steps needs no calendar; step 10 is the last of the run, 20 past it.
	sc, err = Parse([]byte(base+"record: {file: record_steps.csv, series: [{platform: wechat, metric: mau, series: windowed_active}, {platform: wechat, metric: registered, series: registered}]}\n"), "case.yaml", "testdata", nil)
	if err != nil {
		t.Fatal(err)
	}
	var steps []int
	for _, f := range sc.Record.Figures {
		steps = append(steps, f.Step)
	}
	if !reflect.DeepEqual(steps, []int{0, 4, 8}) || len(sc.Record.Outside) != 1 || sc.Record.Outside[0].Step != 20 {
		t.Errorf("steps %v, outside %+v", steps, sc.Record.Outside)
	}
	if sc.Record.Figures[2].Series != "windowed_active" {
		t.Errorf("mau compared with %q", sc.Record.Figures[2].Series)
	}
}

func TestRecordOfAShippedScenario(t *testing.T) {
	t.Parallel()
	// A shipped scenario's record is shipped beside it, and a saved copy names RecordCopy.
	sc, err := Parse([]byte(strings.Replace(base, "steps: 10", "steps: 2012-12-31", 1)+"start: 2011-01-21\nrecord: {file: data/china_messengers_2011_2015.csv, series: [{platform: wechat, metric: registered, series: registered}]}\n"), "embedded:mine", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Record.Path != "embedded:data/china_messengers_2011_2015.csv" || len(sc.Record.Figures) != 4 || len(sc.Record.Outside) != 1 {
		t.Errorf("path %q, %d figures, %d outside", sc.Record.Path, len(sc.Record.Figures), len(sc.Record.Outside))
	}
	doc, err := sc.YAMLAt(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), "file: record.csv") {
		t.Errorf("saved scenario does not name %s:\n%s", RecordCopy, doc)
	}
	if names := ShippedNames(); !reflect.DeepEqual(names, []string{"bass_meanfield", "communities", "laiwang_vs_wechat", "networks_vs_meanfield", "preinstall_duel"}) {
		t.Errorf("shipped names %v: the record's directory is no scenario", names)
	}
}
