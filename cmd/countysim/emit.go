package main

import (
	"io"

	"github.com/spf13/pflag"

	"github.com/countysim/countysim/scenarios"
)

func registerEmitFlags(fs *pflag.FlagSet) {}

func emitJobs(exp *scenarios.Experiment, path, kind string, shards int, out string, stdout io.Writer) error {
	return usageErr("--emit %s: not available yet", kind)
}
