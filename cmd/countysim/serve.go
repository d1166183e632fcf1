package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/countysim/countysim/serve"
)

func cmdServe(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", "[flags]", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on, host:port (another host than loopback makes the page reachable from other machines)")
	maxRuns := fs.Int("max-runs", 4, "runs served at once; more are refused until one ends")
	perClient := fs.Int("max-per-client", 0, "runs one browser (or, without its cookie, one IP address) may hold at once (default: half of --max-runs)")
	allowHosts := fs.StringSlice("allow-host", nil, "on an address other machines reach: more host names the page may be asked for by (a DNS name of this machine); its IP addresses and host name are always allowed")
	if err := parseFlags(fs, args); err != nil || fs.Lookup("help").Changed {
		return err
	}
	if fs.NArg() > 0 {
		return usageErr("expected no arguments, got %v", fs.Args())
	}
	if *maxRuns < 1 || *maxRuns > 1000 {
		return usageErr("--max-runs: bad value %d (allowed: 1 to 1000)", *maxRuns)
	}
	if *perClient < 0 || *perClient > *maxRuns {
		return usageErr("--max-per-client: bad value %d (allowed: 1 to --max-runs, %d; or 0, the default: half of --max-runs)", *perClient, *maxRuns)
	}
	if _, _, err := net.SplitHostPort(*addr); err != nil {
		return usageErr("--addr: bad value %q (allowed: host:port, e.g. 127.0.0.1:8080): %v", *addr, err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return usageErr("--addr %s: cannot listen: %v", *addr, err)
	}
	opt := serve.Options{MaxRuns: *maxRuns, MaxPerClient: *perClient}
	if serve.Loopback(*addr) {
		opt.Hosts = serve.LoopbackHosts
	} else {
		// The page answers only to names of this machine, so that a web site whose name
		// resolves to it (DNS rebinding) cannot drive it from a visitor's browser.
		opt.Hosts = reachableHosts(ln.Addr(), *allowHosts)
		fmt.Fprintf(stderr, "countysim serve: warning: listening on %s, which other machines can reach; the page has no login; it answers to %s (more with --allow-host)\n", ln.Addr(), strings.Join(opt.Hosts, ", "))
	}
	s := serve.New(opt)
	srv := serve.NewHTTPServer(*addr, s)
	where := "http://" + ln.Addr().String() + "/"
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		where = fmt.Sprintf("http://localhost:%d/ and on this machine's network addresses", tcp.Port)
	}
	fmt.Fprintf(stdout, "countysim: serving the teaching page at %s (Ctrl-C to stop)\n", where)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		s.Close()
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = srv.Shutdown(shutdown)
	s.Close()
	if serr := <-done; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	if err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	fmt.Fprintln(stdout, "countysim: stopped")
	return nil
}

// reachableHosts are the host names a server listening on addr (not loopback) answers to:
// the loopback names, the address it listens on (every interface's for an unspecified one),
// this machine's host name (also with .local), and the names given with --allow-host.
func reachableHosts(addr net.Addr, extra []string) []string {
	hosts := slices.Clone(serve.LoopbackHosts)
	if tcp, ok := addr.(*net.TCPAddr); ok {
		if tcp.IP.IsUnspecified() {
			if as, err := net.InterfaceAddrs(); err == nil {
				for _, a := range as {
					if n, ok := a.(*net.IPNet); ok {
						hosts = append(hosts, n.IP.String())
					}
				}
			}
		} else {
			hosts = append(hosts, tcp.IP.String())
		}
	}
	if h, err := os.Hostname(); err == nil && h != "" {
		h = strings.ToLower(h)
		hosts = append(hosts, h, h+".local")
	}
	for _, h := range extra {
		if h = strings.TrimSpace(h); h != "" {
			hosts = append(hosts, strings.ToLower(h))
		}
	}
	slices.Sort(hosts)
	return slices.Compact(hosts)
}
