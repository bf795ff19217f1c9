package main

import (
	"context"
	"runtime"

	telnyx "github.com/a54710f5/telnyx-go"
)

var versionCmd = &command{
	name:    "version",
	args:    "",
	summary: "print the versions of this command, the SDK and Go",
	about:   `Print the version of telnyx-portouts (the module version it was installed at), of the telnyx-go SDK it is built on, and of Go.`,
	example: `  telnyx-portouts version
  telnyx-portouts version --output json`,
	run: runVersion,
}

func runVersion(_ context.Context, a *app, c *command, args []string) error {
	fs := a.flagSet(c.name)
	pos, err := a.parse(c, fs, args)
	if err != nil {
		return err
	}
	if err := noArgs(pos); err != nil {
		return err
	}
	if a.jsonOut() {
		a.out.json(map[string]string{
			"cli": cliVersion(), "sdk": telnyx.Version,
			"go": runtime.Version(), "os": runtime.GOOS, "arch": runtime.GOARCH,
		})
		return nil
	}
	a.out.fields([][2]string{
		{progName, cliVersion()},
		{"telnyx-go SDK", telnyx.Version},
		{"Go", runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH},
	})
	return nil
}
