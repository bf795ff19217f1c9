package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/telnyxtest"
)

// Exit statuses.
const (
	exitOK      = 0
	exitFailure = 1 // the API refused, the network failed, or a file could not be written
	exitUsage   = 2 // the command line was wrong; nothing was sent
)

const progName = "telnyx-portouts"

// app holds what one run of the command needs: its streams, the global
// flags, the client once built, and the hooks that tests replace.
type app struct {
	stdin  io.Reader
	stdout io.Writer
	out    *printer // stdout, with its first write error remembered
	msg    *printer // stderr: progress, notes and errors

	// Global flags.
	apiKey  string
	baseURL string
	output  string
	timeout time.Duration
	verbose bool
	dryRun  bool
	fake    bool

	// Hooks, replaced by tests.
	getenv    func(string) string
	wait      func(ctx context.Context, d time.Duration) error    // between --follow polls
	listen    func(addr string) (net.Listener, error)             // for the listen command
	connect   func(opts ...telnyx.Option) (*telnyx.Client, error) // nil: from the global flags
	fakeReady func(*telnyxtest.Server)                            // told about the --fake server

	current string // the command being run, for messages ("documents list")
	client  *telnyx.Client
	fakeSrv *telnyxtest.Server
	clock   *demoClock
	dry     *dryRecorder
}

// run is the whole program: it parses args, runs the command they name and
// returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := newApp(stdin, stdout, stderr)
	return a.main(ctx, args)
}

func newApp(stdin io.Reader, stdout, stderr io.Writer) *app {
	return &app{
		stdin:  stdin,
		stdout: stdout,
		out:    &printer{w: stdout},
		msg:    &printer{w: stderr},
		output: "table",
		getenv: os.Getenv,
		wait:   sleep,
		listen: func(addr string) (net.Listener, error) {
			var lc net.ListenConfig
			return lc.Listen(context.Background(), "tcp", addr)
		},
	}
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// command is one subcommand.
type command struct {
	name      string
	args      string // what follows the name in the usage line
	summary   string // one line for the command list
	about     string // a paragraph for the command's own help
	example   string
	canDryRun bool
	run       func(ctx context.Context, a *app, c *command, args []string) error
}

var commands []*command

func init() {
	commands = []*command{
		listCmd, showCmd, authorizeCmd, rejectCmd, commentCmd, eventsCmd,
		exportCmd, attachCmd, documentsCmd, listenCmd, versionCmd,
	}
}

// lookup finds the command called name in list, or nil.
func lookup(list []*command, name string) *command {
	for _, c := range list {
		if c.name == name {
			return c
		}
	}
	return nil
}

// main runs the command line and turns its outcome into an exit status.
func (a *app) main(ctx context.Context, args []string) int {
	defer a.close()
	fs := a.flagSet(progName)
	rest, err := parseInterleaved(fs, args, true)
	if err == nil && len(rest) == 0 {
		err = usagef("no command given")
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			a.rootHelp(a.stdout)
			return exitOK
		}
		return a.fail(nil, err)
	}
	c := lookup(commands, rest[0])
	if c == nil {
		return a.fail(nil, usagef("unknown command %q", rest[0]))
	}
	if err := c.run(ctx, a, c, rest[1:]); err != nil {
		return a.fail(c, err)
	}
	if err := a.out.failed(); err != nil {
		return a.fail(c, fmt.Errorf("writing the output: %w", err))
	}
	return exitOK
}

// close releases the --fake server, if one was started.
func (a *app) close() {
	if a.fakeSrv != nil {
		a.fakeSrv.Close()
	}
}

// fail reports err on stderr in one line and returns the exit status.
func (a *app) fail(c *command, err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	name := progName
	switch {
	case a.current != "":
		name += " " + a.current
	case c != nil:
		name += " " + c.name
	}
	var ue *usageError
	var ip *telnyx.InvalidParamsError
	switch {
	case errors.As(err, &ue):
		a.msg.printf("%s: %s\n", name, oneLine(ue.msg))
		a.msg.printf("Run '%s -h' for usage.\n", name)
		return exitUsage
	case errors.As(err, &ip):
		// The SDK refused an argument before sending anything.
		a.msg.printf("%s: %s\n", name, oneLine(ip.Error()))
		return exitUsage
	}
	a.msg.printf("%s: %s\n", name, describe(err))
	return exitFailure
}

// usageError is a mistake in the command line, found before any request.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// describe renders err as one line. An API error shows its status, the
// API's error code and detail, and the request ID to quote to Telnyx
// support.
func describe(err error) string {
	var prefix string
	var ae *telnyx.AttachError
	if errors.As(err, &ae) && len(ae.Uploaded) > 0 {
		ids := make([]string, len(ae.Uploaded))
		for i, u := range ae.Uploaded {
			ids[i] = u.DocumentID + " (" + string(u.Type) + ")"
		}
		prefix = "uploaded but not linked (Telnyx deletes them 30 minutes after upload): " + strings.Join(ids, ", ") + "; "
	}
	var re *telnyx.ReportError
	if errors.As(err, &re) {
		prefix += fmt.Sprintf("report %s ended %q: ", re.ReportID, re.Status)
	}
	var api *telnyx.APIError
	if !errors.As(err, &api) {
		if errors.Is(err, context.Canceled) {
			return oneLine(prefix + "interrupted")
		}
		return oneLine(prefix + err.Error())
	}
	var b strings.Builder
	b.WriteString(prefix)
	fmt.Fprintf(&b, "API error %d", api.StatusCode)
	if api.Method != "" {
		fmt.Fprintf(&b, " on %s %s", api.Method, api.Path)
	}
	if len(api.Errors) > 0 {
		d := api.Errors[0]
		if d.Code != "" {
			fmt.Fprintf(&b, ": code %s", d.Code)
		}
		text := d.Detail
		if text == "" {
			text = d.Title
		}
		if text != "" {
			b.WriteString(": " + text)
		}
		if d.Source.Pointer != "" || d.Source.Parameter != "" {
			fmt.Fprintf(&b, " (source %s%s)", d.Source.Pointer, d.Source.Parameter)
		}
		if n := len(api.Errors) - 1; n > 0 {
			fmt.Fprintf(&b, " (and %d more)", n)
		}
	}
	if api.RequestID != "" {
		fmt.Fprintf(&b, " [request ID %s]", api.RequestID)
	} else {
		b.WriteString(" [no request ID]")
	}
	return oneLine(b.String())
}
