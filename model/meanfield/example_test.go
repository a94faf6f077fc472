package meanfield_test

import (
	"fmt"
	"log"

	"github.com/msgsim/msgsim/model"
	"github.com/msgsim/msgsim/model/meanfield"
)

// Solve gives the complete-graph limit of a Config in milliseconds: here Bass's model with
// Bass's consumer-durable rates per year, p = 0.03 and q = 0.38, in yearly steps.
func ExampleSolve() {
	cfg := model.Defaults()
	cfg.Agents, cfg.Steps = 1000000, 20
	cfg.Decision.Rule = model.RuleBass
	product := model.DefaultPlatform("product")
	product.P, product.Q = 0.03, 0.38
	cfg.Platforms = []model.Platform{product}
	twin, err := meanfield.Solve(&cfg)
	if err != nil {
		log.Fatal(err)
	}
	for _, year := range []int{5, 10, 15, 20} {
		fmt.Printf("year %2d: %.1f%% have adopted\n", year, 100*twin.Users[twin.At(year, 0)])
	}
	// Output:
	// year  5: 26.1% have adopted
	// year 10: 73.0% have adopted
	// year 15: 95.3% have adopted
	// year 20: 99.4% have adopted
}
