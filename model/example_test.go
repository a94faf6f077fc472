package model_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/msgsim/msgsim/model"
)

// market is an incumbent messenger and an entrant launched at step 10 with more appeal, on a
// random contact graph of 2,000 people, for a year of weekly steps. Using both costs more than
// either is worth alone, so the market tips to one of them.
func market() *model.Config {
	cfg := model.Defaults()
	cfg.Agents, cfg.Steps = 2000, 52
	cfg.Graph = model.GraphSpec{Kind: model.GraphErdosRenyi, MeanDegree: 8}
	cfg.Decision.MultiHomingCost = 1
	incumbent, entrant := model.DefaultPlatform("incumbent"), model.DefaultPlatform("entrant")
	incumbent.P, incumbent.Q = 0.02, 0.3
	entrant.Launch, entrant.Appeal, entrant.P, entrant.Q = 10, 0.4, 0.02, 0.3
	cfg.Platforms = []model.Platform{incumbent, entrant}
	return &cfg
}

// Run simulates a Config once; the series depends only on the config and the seed, never on
// the number of workers.
func ExampleRun() {
	series, err := model.Run(context.Background(), market(), model.RunOptions{Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	last := series.Steps
	for j, name := range series.Platforms {
		fmt.Printf("%s: %d users, share %.2f\n", name, series.Users[series.At(last, j)], series.Share(last, j))
	}
	// Output:
	// incumbent: 1 users, share 0.00
	// entrant: 1997 users, share 1.00
}

// RunEnsemble runs replicates, each under its own seed derived from the master seed, and
// returns their series in replicate order: here chance decides which way the market tips.
func ExampleRunEnsemble() {
	runs, err := model.RunEnsemble(context.Background(), market(), model.EnsembleOptions{Seed: 1, Replicates: 8})
	if err != nil {
		log.Fatal(err)
	}
	for r, series := range runs {
		fmt.Printf("replicate %d (seed %#x): entrant share %.2f\n", r, model.ReplicateSeed(1, r), series.Share(series.Steps, 1))
	}
	// Output:
	// replicate 0 (seed 0x992836a678e7cb10): entrant share 0.00
	// replicate 1 (seed 0x439a3a9aadce3e2b): entrant share 1.00
	// replicate 2 (seed 0x6434a56321274ec6): entrant share 1.00
	// replicate 3 (seed 0xac5d66f497f41fd7): entrant share 1.00
	// replicate 4 (seed 0x32ac6aef22d29299): entrant share 1.00
	// replicate 5 (seed 0xf17738250e95b33b): entrant share 0.01
	// replicate 6 (seed 0xca77cb44a9b35bfe): entrant share 1.00
	// replicate 7 (seed 0x21129c16f4dddab0): entrant share 0.00
}

// A Simulation is a run driven step by step, for callers that watch it as it goes.
func ExampleSimulation() {
	sim, err := model.NewSimulation(market(), 1, 0)
	if err != nil {
		log.Fatal(err)
	}
	for sim.Advance() {
		if step := sim.Step(); step%13 == 0 {
			s := sim.Series()
			fmt.Printf("step %d: incumbent %d, entrant %d\n", step, s.Users[s.At(step, 0)], s.Users[s.At(step, 1)])
		}
	}
	// Output:
	// step 13: incumbent 1049, entrant 153
	// step 26: incumbent 1270, entrant 711
	// step 39: incumbent 23, entrant 1959
	// step 52: incumbent 1, entrant 1997
}

// SetPhaseTimer times each part of a step, as msgsim bench reports it; Movers counts the
// agents whose decision changed their set.
func ExampleSimulation_SetPhaseTimer() {
	sim, err := model.NewSimulation(market(), 1, 2)
	if err != nil {
		log.Fatal(err)
	}
	sim.SetPhaseTimer(true)
	for sim.Step() < 12 {
		sim.Advance()
	}
	times := sim.PhaseTimes()
	var total time.Duration
	for _, p := range model.Phases {
		total += times[p]
	}
	fmt.Printf("step %d: %d agents moved; phases %v timed, %v in all\n", sim.Step(), sim.Movers(), model.Phases, total > 0)
	// Output:
	// step 12: 235 agents moved; phases [events decide counts tally] timed, true in all
}

// Moves lists what a revising agent weighs: here an agent using the incumbent, knowing the
// entrant, which is worth more to it (utilities 0.5 and 0.9, leaving the incumbent costs
// 0.2, using both 0.3 more).
func ExampleMoves() {
	var sets [2*model.MaxPlatforms + 1]uint8
	var gains [2*model.MaxPlatforms + 1]float64
	value := [model.MaxPlatforms]float64{0.5, 0.9}
	leave := [model.MaxPlatforms]float64{0.2, 0}
	n := model.Moves(0b01, 0b11, 0b11, 2, &value, &leave, 0.3, &sets, &gains)
	for o := range n {
		fmt.Printf("to %02b: gain %+.1f\n", sets[o], gains[o])
	}
	fmt.Printf("the threshold rule picks %02b\n", model.BestMove(&sets, &gains, n, 1))
	// Output:
	// to 01: gain +0.0
	// to 00: gain -0.7
	// to 11: gain +0.6
	// to 10: gain +0.2
	// the threshold rule picks 11
}
