package output

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/msgsim/msgsim/model"
)

// csvRuns is two replicates of two platforms over steps 0 and 1. Replicate 0 starts with
// nobody using anything (share 0 for both platforms); in replicate 1, X loses all its users.
func csvRuns() []*model.Series {
	return []*model.Series{
		{
			Platforms: []string{"X", "Y"}, Agents: 5, Steps: 1,
			Users:       []int64{0, 0, 1, 2},
			Registered:  []int64{1, 0, 2, 3},
			NewUsers:    []int64{0, 0, 1, 2},
			Leavers:     []int64{0, 0, 0, 0},
			MultiHomers: []int64{0, 0, 1, 1},
			Adopters:    []int64{0, 2},
		},
		{
			Platforms: []string{"X", "Y"}, Agents: 5, Steps: 1,
			Users:       []int64{3, 1, 0, 4},
			Registered:  []int64{3, 1, 3, 5},
			NewUsers:    []int64{3, 1, 0, 3},
			Leavers:     []int64{0, 0, 3, 0},
			MultiHomers: []int64{1, 1, 0, 0},
			Adopters:    []int64{3, 4},
		},
	}
}

const seriesHeaderLine = "replicate,step,platform,users,registered,share,new_users,leavers,multi_homers,adopters\n"

func TestWriteSeriesCSV(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		runs []*model.Series
		want string
	}{
		{"two replicates", csvRuns(), seriesHeaderLine +
			"0,0,X,0,1,0.000000,0,0,0,0\n" +
			"0,0,Y,0,0,0.000000,0,0,0,0\n" +
			"0,1,X,1,2,0.333333,1,0,1,2\n" +
			"0,1,Y,2,3,0.666667,2,0,1,2\n" +
			"1,0,X,3,3,0.750000,3,0,1,3\n" +
			"1,0,Y,1,1,0.250000,1,0,1,3\n" +
			"1,1,X,0,3,0.000000,0,3,0,4\n" +
			"1,1,Y,4,5,1.000000,3,0,0,4\n"},
		{"second replicate alone is numbered 0", csvRuns()[1:], seriesHeaderLine +
			"0,0,X,3,3,0.750000,3,0,1,3\n" +
			"0,0,Y,1,1,0.250000,1,0,1,3\n" +
			"0,1,X,0,3,0.000000,0,3,0,4\n" +
			"0,1,Y,4,5,1.000000,3,0,0,4\n"},
		{"no replicates", nil, seriesHeaderLine},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := WriteSeriesCSV(&buf, tc.runs, TableOptions{}); err != nil {
				t.Fatalf("WriteSeriesCSV: %v", err)
			}
			if got := buf.String(); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
	if got := strings.Join(SeriesHeader, ",") + "\n"; got != seriesHeaderLine {
		t.Errorf("SeriesHeader = %q, want %q", got, seriesHeaderLine)
	}
}

// TestWriteSeriesCSVLarge writes more than the 64 KiB write buffer and checks that every row
// arrives, in order, with the right number of fields, and that a second write is identical.
func TestWriteSeriesCSVLarge(t *testing.T) {
	t.Parallel()
	const steps, np = 2000, 3
	s := &model.Series{
		Platforms: []string{"Alpha", "Beta", "Gamma"}, Agents: 1_000_000, Steps: steps,
		Users: make([]int64, (steps+1)*np), Registered: make([]int64, (steps+1)*np),
		NewUsers: make([]int64, (steps+1)*np), Leavers: make([]int64, (steps+1)*np),
		MultiHomers: make([]int64, (steps+1)*np), Adopters: make([]int64, steps+1),
	}
	for i := range s.Users {
		s.Users[i] = int64(i * 37)
		s.Registered[i] = int64(i * 41)
	}
	runs := []*model.Series{s, s}
	var a, b bytes.Buffer
	if err := WriteSeriesCSV(&a, runs, TableOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := WriteSeriesCSV(&b, runs, TableOptions{}); err != nil {
		t.Fatal(err)
	}
	if a.Len() <= 1<<16 {
		t.Fatalf("output is only %d bytes; the test needs more than the buffer", a.Len())
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two writes of the same runs differ")
	}
	rows, err := csv.NewReader(bytes.NewReader(a.Bytes())).ReadAll()
	if err != nil {
		t.Fatalf("output is not valid CSV: %v", err)
	}
	if want := 1 + 2*(steps+1)*np; len(rows) != want {
		t.Fatalf("got %d rows, want %d", len(rows), want)
	}
	last := strings.Join(rows[len(rows)-1], ",")
	i := s.At(steps, 2)
	// Step 2000 holds entries 6000..6002: Gamma's share is 6002/(6000+6001+6002).
	wantLast := "1,2000,Gamma," + strconv.Itoa(i*37) + "," + strconv.Itoa(i*41) + ",0.333389,0,0,0,0"
	if last != wantLast {
		t.Errorf("last row = %q, want %q", last, wantLast)
	}
}

const bandsHeaderLine = "step,platform,users_mean,users_p5,users_p95,registered_mean,registered_p5,registered_p95,share_mean,share_p5,share_p95\n"

// bandsRuns is three replicates of X and Y over steps 0 and 1; nobody uses anything at
// step 0.
func bandsRuns() []*model.Series {
	return []*model.Series{bandsRun(10, 10, 1, 15), bandsRun(20, 20, 2, 25), bandsRun(60, 20, 3, 35)}
}

// bandsRun is one replicate of X and Y: nobody at step 0, the given users at step 1 (nobody
// multi-homes), X registered xReg0 and xReg1, Y registered as many as it has users.
func bandsRun(xUsers, yUsers, xReg0, xReg1 int64) *model.Series {
	return &model.Series{
		Platforms: []string{"X", "Y"}, Agents: 100, Steps: 1,
		Users:       []int64{0, 0, xUsers, yUsers},
		Registered:  []int64{xReg0, 0, xReg1, yUsers},
		NewUsers:    make([]int64, 4),
		Leavers:     make([]int64, 4),
		MultiHomers: make([]int64, 4),
		Adopters:    []int64{0, xUsers + yUsers},
	}
}

func TestWriteBandsCSV(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		runs []*model.Series
		want string
	}{
		{
			// Step 0: nobody uses anything, so the shares are undefined: empty cells.
			// Step 1, X: users 10, 20, 60; registered 15, 25, 35; shares 0.5, 0.5, 0.75.
			// Y: users 10, 20, 20; shares 0.5, 0.5, 0.25.
			name: "three replicates", runs: bandsRuns(),
			want: bandsHeaderLine +
				"0,X,0.000000,0.000000,0.000000,2.000000,1.000000,3.000000,,,\n" +
				"0,Y,0.000000,0.000000,0.000000,0.000000,0.000000,0.000000,,,\n" +
				"1,X,30.000000,10.000000,60.000000,25.000000,15.000000,35.000000,0.583333,0.500000,0.750000\n" +
				"1,Y,16.666667,10.000000,20.000000,16.666667,10.000000,20.000000,0.416667,0.250000,0.500000\n",
		},
		{
			// One replicate: no band, so p5 and p95 repeat the value.
			name: "single replicate", runs: bandsRuns()[2:],
			want: bandsHeaderLine +
				"0,X,0.000000,0.000000,0.000000,3.000000,3.000000,3.000000,,,\n" +
				"0,Y,0.000000,0.000000,0.000000,0.000000,0.000000,0.000000,,,\n" +
				"1,X,60.000000,60.000000,60.000000,35.000000,35.000000,35.000000,0.750000,0.750000,0.750000\n" +
				"1,Y,20.000000,20.000000,20.000000,20.000000,20.000000,20.000000,0.250000,0.250000,0.250000\n",
		},
		{
			// The second replicate has nobody at step 1: its users count as 0, but its
			// undefined share is left out, so the share band is that of the first alone.
			name: "share of nobody in one replicate", runs: []*model.Series{bandsRun(10, 10, 1, 15), bandsRun(0, 0, 4, 5)},
			want: bandsHeaderLine +
				"0,X,0.000000,0.000000,0.000000,2.500000,1.000000,4.000000,,,\n" +
				"0,Y,0.000000,0.000000,0.000000,0.000000,0.000000,0.000000,,,\n" +
				"1,X,5.000000,0.000000,10.000000,10.000000,5.000000,15.000000,0.500000,0.500000,0.500000\n" +
				"1,Y,5.000000,0.000000,10.000000,5.000000,0.000000,10.000000,0.500000,0.500000,0.500000\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := WriteBandsCSV(&buf, tc.runs, TableOptions{}); err != nil {
				t.Fatalf("WriteBandsCSV: %v", err)
			}
			got := buf.String()
			if !strings.HasPrefix(got, bandsHeaderLine) {
				t.Errorf("header = %q, want %q", strings.SplitN(got, "\n", 2)[0], strings.TrimSuffix(bandsHeaderLine, "\n"))
			}
			if got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

var errBroken = errors.New("broken pipe")

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errBroken }

func TestWriteCSVErrors(t *testing.T) {
	t.Parallel()
	for name, write := range map[string]func() error{
		"series": func() error { return WriteSeriesCSV(failingWriter{}, csvRuns(), TableOptions{}) },
		"bands":  func() error { return WriteBandsCSV(failingWriter{}, bandsRuns(), TableOptions{}) },
	} {
		if err := write(); !errors.Is(err, errBroken) {
			t.Errorf("%s: error = %v, want %v", name, err, errBroken)
		}
	}
}

// With a calendar the tables gain a date column after step; with a scale, people columns.
func TestTableOptionsAddDatesAndPeople(t *testing.T) {
	t.Parallel()
	tb := TableOptions{Dates: []string{"2011-01-21", "2011-01-28"}, Scale: 1000}
	var series, bands bytes.Buffer
	if err := WriteSeriesCSV(&series, csvRuns()[1:], tb); err != nil {
		t.Fatal(err)
	}
	wantSeries := "replicate,step,date,platform,users,registered,share,new_users,leavers,multi_homers,adopters,users_people,registered_people\n" +
		"0,0,2011-01-21,X,3,3,0.750000,3,0,1,3,3000,3000\n" +
		"0,0,2011-01-21,Y,1,1,0.250000,1,0,1,3,1000,1000\n" +
		"0,1,2011-01-28,X,0,3,0.000000,0,3,0,4,0,3000\n" +
		"0,1,2011-01-28,Y,4,5,1.000000,3,0,0,4,4000,5000\n"
	if got := series.String(); got != wantSeries {
		t.Errorf("series:\n%s\nwant:\n%s", got, wantSeries)
	}
	if err := WriteBandsCSV(&bands, bandsRuns()[2:], tb); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(bands.String(), "\n")
	wantHeader := "step,date,platform,users_mean,users_p5,users_p95,registered_mean,registered_p5,registered_p95,share_mean,share_p5,share_p95," +
		"users_people_mean,users_people_p5,users_people_p95,registered_people_mean,registered_people_p5,registered_people_p95"
	wantRow := "1,2011-01-28,X,60.000000,60.000000,60.000000,35.000000,35.000000,35.000000,0.750000,0.750000,0.750000," +
		"60000.000000,60000.000000,60000.000000,35000.000000,35000.000000,35000.000000"
	if lines[0] != wantHeader || lines[3] != wantRow {
		t.Errorf("bands header and step 1 of X:\n%s\n%s\nwant:\n%s\n%s", lines[0], lines[3], wantHeader, wantRow)
	}
}
