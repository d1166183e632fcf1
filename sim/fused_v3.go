//go:build amd64.v3

package sim

// fusedBuild is true in a build for GOAMD64=v3 or above, where the compiler fuses the model's
// multiply-adds (README, Reproducibility): the town loop's Go code then has other bits than
// its vector kernel, which does not fuse, so such a build runs the Go code (haveTownsVec).
const fusedBuild = true
