//go:build !amd64

package sim

// haveExp4 is false where there is no vector Exp: expSlice calls Exp for each argument.
var haveExp4 = false

// exp4 is never called where haveExp4 is false; it leaves x to Exp.
func exp4(x *[4]float64) bool { return false }

// exp4n is never called where haveExp4 is false; it leaves x to Exp.
func exp4n(x *float64, n int) int { return 0 }

// exp1 is never called where haveExp4 is false; it is Exp's Go code.
func exp1(x float64) float64 { return expGo(x) }

// log4 is never called where haveExp4 is false; it leaves x to math.Log.
func log4(x *[4]float64) bool { return false }
