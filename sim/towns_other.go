//go:build !amd64

package sim

// haveTownsVec is false where there is no vector town loop.
var haveTownsVec = false

// townsVec is never called where haveTownsVec is false; it leaves every town to the Go loop.
func townsVec(a *townVecCall) {}
