package observe

import (
	"context"
	"fmt"

	"github.com/countysim/countysim/sim"
)

// Forkable is an Observer that can be copied as it stands, to go on observing a model forked
// off the one it watched (sim.Model.Fork): a Track, a Panel.
type Forkable[O any] interface {
	Observer
	Clone() (O, error)
}

// RunForked runs cfg with seed as RunWith does, then each of cfs with the same seed and
// options, and returns the observers of all of them. A run of cfs[i] shares its first months
// with the run of cfg (sim.BranchPoint: a counterfactual is the same until its reform
// starts), so it is forked off cfg's run at the last month they share, model and observer,
// and only the months after it are simulated; a config that differs from cfg from the first
// month runs from the start. Either way each observer is the same, bit for bit, as RunWith's
// for its config (TestRunForkedIsRunWith).
func RunForked[O Forkable[O]](ctx context.Context, cfg sim.Config, seed uint64, opt sim.Options, start func(*sim.Model) (O, error), cfs []sim.Config) (o O, others []O, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	cfg.Seed = seed
	type fork struct {
		cfg sim.Config
		at  int // the branch point, -1 for none
		m   *sim.Model
		o   O
	}
	forks := make([]fork, len(cfs))
	for i, c := range cfs {
		c.Seed = seed
		forks[i] = fork{cfg: c, at: -1}
		if at, ok := sim.BranchPoint(cfg, c); ok {
			forks[i].at = at
		}
	}
	m, err := sim.NewWith(cfg, opt)
	if err != nil {
		return o, nil, err
	}
	if o, err = start(m); err != nil {
		return o, nil, err
	}
	// take forks the model and the observer for the configs that part from cfg's run now.
	take := func(m *sim.Model) error {
		for i := range forks {
			f := &forks[i]
			if f.at != m.Month() {
				continue
			}
			var err error
			if f.m, err = m.Fork(f.cfg, opt); err != nil {
				return &ForkedRunError{Index: i, Err: err}
			}
			if f.o, err = o.Clone(); err != nil {
				return err
			}
		}
		return nil
	}
	if err := take(m); err != nil {
		return o, nil, err
	}
	err = m.Run(func(m *sim.Model) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := o.Observe(m); err != nil {
			return err
		}
		return take(m)
	})
	if err != nil {
		return o, nil, err
	}
	others = make([]O, len(forks))
	for i := range forks {
		f := &forks[i]
		if f.m == nil {
			if others[i], err = RunWith(ctx, f.cfg, seed, opt, start); err != nil {
				return o, nil, &ForkedRunError{Index: i, Err: err}
			}
			continue
		}
		if err := Continue(ctx, f.m, f.o); err != nil {
			return o, nil, &ForkedRunError{Index: i, Err: err}
		}
		others[i] = f.o
		f.m = nil // each fork's model is let go once run
	}
	return o, others, nil
}

// ForkedRunError is the failure of the run of RunForked's cfs[Index].
type ForkedRunError struct {
	Index int
	Err   error
}

func (e *ForkedRunError) Error() string { return e.Err.Error() }
func (e *ForkedRunError) Unwrap() error { return e.Err }
