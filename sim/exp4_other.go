//go:build !amd64

package sim

// haveExp4 is false where there is no vector Exp: expSlice calls Exp for each argument.
var haveExp4 = false

func exp4(x *[4]float64) bool { return false }

func exp1(x float64) float64 { return expGo(x) }
