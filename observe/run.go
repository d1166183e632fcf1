package observe

import (
	"context"
	"fmt"

	"github.com/countysim/countysim/sim"
)

// Observer watches a run month by month: a Track, a Panel, a results.Recorder. Observe is
// called after every simulated month (Model.Run); an error stops the run.
type Observer interface{ Observe(*sim.Model) error }

// Run builds cfg with seed, attaches the observer made by start, and runs it to its horizon,
// stopping when ctx is done. A panic in the model is returned as an error, so that it names
// the run like any other failure.
func Run[O Observer](ctx context.Context, cfg sim.Config, seed uint64, start func(*sim.Model) (O, error)) (o O, err error) {
	return RunWith(ctx, cfg, seed, sim.Options{}, start)
}

// RunWith is Run with a model built with opt (sim.NewWith): a run whose observer reads a few
// metrics asks the model for those alone.
func RunWith[O Observer](ctx context.Context, cfg sim.Config, seed uint64, opt sim.Options, start func(*sim.Model) (O, error)) (o O, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	cfg.Seed = seed
	m, err := sim.NewWith(cfg, opt)
	if err != nil {
		return o, err
	}
	if o, err = start(m); err != nil {
		return o, err
	}
	return o, Continue(ctx, m, o)
}

// Continue runs m from the month it is at to its horizon, o observing every month, and stops
// when ctx is done.
func Continue[O Observer](ctx context.Context, m *sim.Model, o O) error {
	return m.Run(func(m *sim.Model) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return o.Observe(m)
	})
}
