// The schedtrace demo (schedtrace.cpp) written in Go, to compare the two schedulers'
// SCHED lines:
//
//	GOMAXPROCS=2 GODEBUG=schedtrace=1000 go run main.go
//	GOMAXPROCS=2 GODEBUG=schedtrace=1000,scheddetail=1 go run main.go
//	GOMAXPROCS=2 GMPDEBUG=schedtrace=1000 gmpscope run schedtrace --procs 2
//
// About 2.5 seconds (-ms to change it) of: 3 CPU-bound crunchers, a ticker sleeping
// 100 ms at a time, a goroutine blocked in nanosleep(2) 50 ms at a time, one waiting
// on a channel and one waiting for a Mutex until the end.
package main

import (
	"flag"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// crunch is a loop that calls nothing: since Go 1.14 only a signal (async
// preemption) can stop it.
//
//go:noinline
func crunch(iters int) int {
	x := 0
	for i := 0; i < iters; i++ {
		x = x*31 + i
	}
	return x
}

func main() {
	runMs := flag.Int("ms", 2500, "how long to run, in milliseconds")
	flag.Parse()

	var stop atomic.Bool
	var rounds, ticks, syscalls atomic.Int64
	var wg sync.WaitGroup
	never := make(chan int)
	var held sync.Mutex
	held.Lock() // main holds it until the end

	wg.Add(7)
	for i := 0; i < 3; i++ {
		go func() { // cruncher
			defer wg.Done()
			for !stop.Load() {
				crunch(2_000_000)
				rounds.Add(1)
			}
		}()
	}
	go func() { // ticker
		defer wg.Done()
		for !stop.Load() {
			time.Sleep(100 * time.Millisecond)
			ticks.Add(1)
		}
	}()
	go func() { // syscaller
		defer wg.Done()
		for !stop.Load() {
			ts := syscall.NsecToTimespec(int64(50 * time.Millisecond))
			syscall.Nanosleep(&ts, nil)
			syscalls.Add(1)
		}
	}()
	go func() { // waiter
		defer wg.Done()
		<-never
	}()
	go func() { // locker
		defer wg.Done()
		held.Lock()
		held.Unlock()
	}()

	time.Sleep(time.Duration(*runMs) * time.Millisecond)
	stop.Store(true)
	close(never)
	held.Unlock()
	wg.Wait()
	fmt.Printf("ran %d ms: %d crunch rounds, %d ticks, %d syscalls; %d Ps\n",
		*runMs, rounds.Load(), ticks.Load(), syscalls.Load(), runtime.GOMAXPROCS(0))
}
