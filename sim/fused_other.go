//go:build !amd64.v3

package sim

// fusedBuild is false below GOAMD64=v3: the compiler does not fuse multiply-adds (fused_v3.go).
const fusedBuild = false
