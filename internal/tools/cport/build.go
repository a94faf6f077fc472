package main

import (
	"embed"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// sources are cport.c and the headers it includes.
//
//go:embed c
var sources embed.FS

// build compiles cport.c with gcc into the executable out, for this machine's CPU when native
// is set, for markets of exactly platforms platforms when it is above 0 (cport.c's
// PLATFORMS), and returns what gcc printed (warnings: -Wall -Wextra). -ffp-contract=off
// because Go does not fuse a*b+c on amd64: a fused C would round differently and draw differently.
func build(out string, native bool, platforms int) (warnings []byte, err error) {
	dir, err := os.MkdirTemp("", "cport")
	if err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	defer os.RemoveAll(dir)
	if err := os.CopyFS(dir, sources); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	src := filepath.Join(dir, "c", "cport.c")
	args := []string{"-std=c11", "-O2", "-ffp-contract=off", "-fopenmp", "-Wall", "-Wextra"}
	if native {
		args = append(args, "-march=native")
	}
	if platforms > 0 {
		args = append(args, fmt.Sprintf("-DPLATFORMS=%d", platforms))
	}
	args = append(args, src, "-o", out, "-lm")
	output, err := exec.Command("gcc", args...).CombinedOutput()
	if err != nil {
		return output, fmt.Errorf("build: gcc %v: %w\n%s", args, err, output)
	}
	return output, nil
}
