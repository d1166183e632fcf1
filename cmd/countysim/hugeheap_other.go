//go:build !linux

package main

// hugeHeap does nothing here: the huge pages it asks for are Linux's (hugeheap_linux.go).
func hugeHeap() {}
