package lang

import "fmt"

// zhBatchErrors holds the Chinese of the scenario decoder's messages added with the batch
// fixes: a number written in quotes, a whole number beyond its field's type (a seed of 2^64,
// 1e300 runs), kept apart from zh_errors.go so that these messages stay together. init merges
// them into zhErrors.
var zhBatchErrors = map[string]string{
	"%s (allowed: %s, written without quotes)": "%s（允许：%s，不加引号）",
	"bad value %s: too large (allowed: %s)":    "取值%s过大（允许：%s）",
	"bad value %s: too small (allowed: %s)":    "取值%s过小（允许：%s）",
	"a whole number from %s to %s":             "%s至%s的整数",
}

func init() {
	for k, v := range zhBatchErrors {
		if old, ok := zhErrors[k]; ok && old != v {
			panic(fmt.Sprintf("lang: error %q is translated both %q and %q", k, old, v))
		}
		zhErrors[k] = v
	}
}
