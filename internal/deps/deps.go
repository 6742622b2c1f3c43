// Package deps pins the module's planned dependencies while the packages
// that use them are being written, so concurrent work does not race on
// go.mod. Delete it once every dependency is imported for real.
package deps

import (
	_ "code.dny.dev/ssrf"
	_ "codeberg.org/readeck/go-readability/v2"
	_ "github.com/PuerkitoBio/goquery"
	_ "github.com/coregx/ahocorasick"
	_ "github.com/google/go-cmp/cmp"
	_ "github.com/mmcdole/gofeed"
	_ "github.com/spf13/cobra"
	_ "github.com/temoto/robotstxt"
	_ "github.com/wneessen/go-mail"
	_ "go.etcd.io/bbolt"
	_ "go.yaml.in/yaml/v3"
	_ "golang.org/x/net/html"
	_ "golang.org/x/term"
	_ "golang.org/x/text/unicode/norm"
	_ "golang.org/x/time/rate"
)
