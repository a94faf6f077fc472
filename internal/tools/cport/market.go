package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/msgsim/msgsim/internal/streams"
	"github.com/msgsim/msgsim/model"
)

// magic opens a market file; the version changes with the layout.
const magic = "CPORTv1\n"

// choiceExpEntries is the size of model's choiceExpTable (choiceExpSize + 2); cport.c checks
// the file carries as many entries as its CHOICE_EXP_SIZE + 2.
const choiceExpEntries = 4096 + 2

// writeMarket writes what cport.c needs to run cfg with seed: the graph model.NewSimulation
// builds (so the C port runs the very graph `msgsim bench --seed` does), the stream purposes
// and the parameters. Layout, little-endian:
//
//	magic (8 bytes)
//	uint64 agents, directed edges, seed, decide purpose, threshold purpose, platforms
//	float64 temperature, revision rate, multi-homing cost, threshold min, threshold max
//	per platform: int64 launch; float64 appeal, p, q, network weight, churn, switching cost,
//	              investment rate
//	uint64 entries, then float64 e^(-37 i/4096) for i in [0, entries), as Go's math.Exp
//	       gives it (model/fastexp.go's choiceExpTable; glibc's exp differs in the last bit
//	       on 559 of them, which would change logit choices)
//	int64 offsets[agents+1], int32 neighbours[directed edges] (the CSR)
//
// The rule is not in the file: one file serves both rules, as one seed does in msgsim bench.
func writeMarket(w io.Writer, cfg *model.Config, seed uint64) error {
	if err := portable(cfg); err != nil {
		return err
	}
	sim, err := model.NewSimulation(cfg, seed, 1)
	if err != nil {
		return err
	}
	g := sim.Graph()
	dec := cfg.Decision
	header := []uint64{uint64(cfg.Agents), uint64(len(g.Neighbors)), seed, streams.Decide, streams.Threshold, uint64(len(cfg.Platforms))}
	for _, x := range []float64{dec.Temperature, dec.RevisionRate, dec.MultiHomingCost, cfg.Threshold.Min, cfg.Threshold.Max} {
		header = append(header, math.Float64bits(x))
	}
	for _, p := range cfg.Platforms {
		header = append(header, uint64(p.Launch))
		for _, x := range []float64{p.Appeal, p.P, p.Q, p.NetworkWeight, p.Churn, p.SwitchingCost, p.InvestmentRate} {
			header = append(header, math.Float64bits(x))
		}
	}
	header = append(header, choiceExpEntries)
	for i := range choiceExpEntries {
		header = append(header, math.Float64bits(math.Exp(-37*float64(i)/4096)))
	}
	buf := binary.LittleEndian.AppendUint64([]byte(magic), header[0])
	for _, x := range header[1:] {
		buf = binary.LittleEndian.AppendUint64(buf, x)
	}
	if _, err := w.Write(buf); err != nil {
		return err
	}
	// The CSR in chunks, never a second copy of the whole graph (400 MB of rows at 1e7).
	buf = buf[:0]
	flush := func(force bool) error {
		if len(buf) < 1<<20 && !force {
			return nil
		}
		_, err := w.Write(buf)
		buf = buf[:0]
		return err
	}
	for i := range g.NumNodes() + 1 {
		buf = binary.LittleEndian.AppendUint64(buf, uint64(g.Offset(i)))
		if err := flush(false); err != nil {
			return err
		}
	}
	for _, v := range g.Neighbors {
		buf = binary.LittleEndian.AppendUint32(buf, uint32(v))
		if err := flush(false); err != nil {
			return err
		}
	}
	return flush(true)
}

// portable refuses a config that uses what cport.c leaves out: the port covers the
// benchmark market (model.BenchmarkConfig) and the launches, churn and revision rates of its
// platforms, nothing more.
func portable(cfg *model.Config) error {
	var errs []error
	need := func(ok bool, what string) {
		if !ok {
			errs = append(errs, errors.New(what))
		}
	}
	dec := cfg.Decision
	need(dec.Rule == model.RuleThreshold || dec.Rule == model.RuleLogit, "the rule must be threshold or logit")
	need(dec.Update == model.Synchronous, "the update must be synchronous")
	need(dec.Benefit == model.BenefitFraction, "the benefit must be fraction")
	need(dec.Contagion == model.ContagionFraction, "the contagion must be fraction")
	need(cfg.Threshold.Kind == model.DistUniform, "the threshold must be uniform")
	need(cfg.Graph.Kind != model.GraphComplete && len(cfg.Layers) == 0, "one generated or given graph, not complete, no layers")
	need(len(cfg.Events) == 0 && len(cfg.Segments) == 0 && !cfg.Market.Growing() && cfg.ActiveWindow <= 1,
		"no events, segments, growing market or active window")
	if len(errs) > 0 {
		return fmt.Errorf("the C port cannot run this market: %w", errors.Join(errs...))
	}
	return nil
}
