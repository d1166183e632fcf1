package serve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestLoad drives the real http.Server on loopback with 50 clients for 10 seconds (2 with
// -short), each starting teaching-preset runs of 24 months and reading their streams. The
// server holds at most MaxRuns runs, so most requests get 429, which a client answers by
// backing off; any other failure fails the test. After shutdown no goroutine is left behind.
func TestLoad(t *testing.T) {
	const clients = 50
	length := 10 * time.Second
	if testing.Short() {
		length = 2 * time.Second
	}
	before := runtime.NumGoroutine()

	s := New(Options{})
	srv := NewHTTPServer("127.0.0.1:0", s)
	ln, err := net.Listen("tcp", srv.Addr)
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	base := "http://" + ln.Addr().String()
	tr := &http.Transport{MaxIdleConnsPerHost: clients}
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}

	var (
		mu       sync.Mutex
		ok, busy int
		failures []string
	)
	fail := func(format string, a ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(failures) < 10 {
			failures = append(failures, fmt.Sprintf(format, a...))
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), length)
	defer cancel()
	var wg sync.WaitGroup
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cookie := fmt.Sprintf("%s=%032x", clientCookie, c) // each client is a browser
			for ctx.Err() == nil {
				req, _ := http.NewRequest(http.MethodPost, base+"/api/run",
					strings.NewReader(`{"base":"pmc-three-step","preset":"teaching","sets":{"months":24}}`))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Cookie", cookie)
				res, err := client.Do(req)
				if err != nil {
					fail("POST: %v", err)
					return
				}
				var c created
				err = json.NewDecoder(res.Body).Decode(&c)
				res.Body.Close()
				switch {
				case res.StatusCode == http.StatusTooManyRequests:
					mu.Lock()
					busy++
					mu.Unlock()
					time.Sleep(time.Duration(20+rand.IntN(80)) * time.Millisecond)
					continue
				case res.StatusCode != http.StatusCreated || err != nil:
					fail("POST: status %d, %v", res.StatusCode, err)
					return
				}
				res, err = client.Get(base + c.Stream)
				if err != nil {
					fail("GET stream: %v", err)
					return
				}
				body, err := io.ReadAll(res.Body)
				res.Body.Close()
				if err != nil || res.StatusCode != http.StatusOK {
					fail("GET stream: status %d, %v", res.StatusCode, err)
					return
				}
				if n := strings.Count(string(body), `"t":"month"`); n != 24 || !strings.HasSuffix(string(body), "{\"t\":\"end\"}\n") {
					fail("stream: %d months, want 24 and an end record", n)
					return
				}
				mu.Lock()
				ok++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	t.Logf("%d clients for %v: %d runs streamed, %d refused with 429", clients, length, ok, busy)
	if len(failures) > 0 {
		t.Errorf("unexpected failures:\n%s", strings.Join(failures, "\n"))
	}
	if ok == 0 {
		t.Errorf("no run completed")
	}
	if n := s.Runs(); n != 0 {
		t.Errorf("%d runs still held after every stream ended", n)
	}

	shutdown, stop := context.WithTimeout(context.Background(), 5*time.Second)
	defer stop()
	if err := srv.Shutdown(shutdown); err != nil {
		t.Errorf("shutdown: %v", err)
	}
	s.Close()
	tr.CloseIdleConnections()
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		t.Errorf("serve: %v", err)
	}
	deadline := time.Now().Add(5 * time.Second)
	after := runtime.NumGoroutine()
	for after > before+2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		after = runtime.NumGoroutine()
	}
	if after > before+2 {
		buf := make([]byte, 1<<16)
		t.Errorf("goroutines: %d before, %d after shutdown\n%s", before, after, buf[:runtime.Stack(buf, true)])
	}
}
