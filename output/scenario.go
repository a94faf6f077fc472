package output

import (
	"io"

	"github.com/msgsim/msgsim/scenarios"
)

// SaveScenario writes sc into the staged directory as name, under header (comment lines, or
// nothing), with the files it names beside it: its record's data file as
// scenarios.RecordCopy. A saved scenario then runs as it is from there, whether a run saved
// it (scenario.yaml) or a fit (fitted.yaml).
func SaveScenario(stage *Staging, name string, sc *scenarios.Scenario, header []byte) error {
	doc, err := sc.YAMLAt(stage.Dir())
	if err != nil {
		return err
	}
	if err := stage.Create(name, func(w io.Writer) error {
		if _, err := w.Write(header); err != nil {
			return err
		}
		_, err := w.Write(doc)
		return err
	}); err != nil {
		return err
	}
	if sc.Record == nil {
		return nil
	}
	return stage.Create(scenarios.RecordCopy, func(w io.Writer) error { _, err := w.Write(sc.Record.Data); return err })
}
