package output

import (
	"bytes"
	"strings"
	"testing"
)

// TestWindowedActiveColumns: with an active window, series.csv and bands.csv end with the
// windowed actives (each replicate's, then their mean and band); without one they keep
// their columns (TestWriteSeriesCSV).
func TestWindowedActiveColumns(t *testing.T) {
	t.Parallel()
	runs := csvRuns()
	runs[0].ActiveWindow, runs[0].WindowedActive = 3, []int64{0, 0, 2, 2}
	runs[1].ActiveWindow, runs[1].WindowedActive = 3, []int64{3, 1, 3, 4}
	var series bytes.Buffer
	if err := WriteSeriesCSV(&series, runs, TableOptions{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(series.String(), "\n")
	if want := strings.TrimSuffix(seriesHeaderLine, "\n") + ",windowed_active"; lines[0] != want {
		t.Errorf("series header %q, want %q", lines[0], want)
	}
	if want := "1,1,X,0,3,0.000000,0,3,0,4,3"; lines[7] != want {
		t.Errorf("series row %q, want %q", lines[7], want)
	}
	var bands bytes.Buffer
	if err := WriteBandsCSV(&bands, runs, TableOptions{}); err != nil {
		t.Fatal(err)
	}
	lines = strings.Split(bands.String(), "\n")
	if !strings.HasSuffix(lines[0], ",share_p95,windowed_active_mean,windowed_active_p5,windowed_active_p95") {
		t.Errorf("bands header %q lacks the windowed columns", lines[0])
	}
	if !strings.HasPrefix(lines[3], "1,X,") || !strings.HasSuffix(lines[3], ",2.500000,2.000000,3.000000") {
		t.Errorf("bands row %q: want step 1 of X ending with the windowed mean 2.5 and band 2-3, as the registered columns", lines[3])
	}
	for _, run := range runs {
		run.ActiveWindow, run.WindowedActive = 0, nil
	}
	bands.Reset()
	if err := WriteBandsCSV(&bands, runs, TableOptions{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(bands.String(), "windowed") {
		t.Error("bands.csv has windowed columns without an active window")
	}
}
