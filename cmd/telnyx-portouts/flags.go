package main

import (
	"errors"
	"flag"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
)

// globalNames are the flags accepted before the command and after it.
var globalNames = []string{"api-key", "base-url", "output", "timeout", "verbose", "dry-run", "fake"}

// flagSet returns a FlagSet holding the global flags, bound to a's fields
// with their current values, so that a global flag given before the command
// survives the command's own parse.
func (a *app) flagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // help and errors are printed by the caller
	fs.Usage = func() {}
	fs.StringVar(&a.apiKey, "api-key", a.apiKey, "API key (default: $TELNYX_API_KEY)")
	fs.StringVar(&a.baseURL, "base-url", a.baseURL, "API base URL (default: $TELNYX_BASE_URL, else "+telnyx.DefaultBaseURL+")")
	fs.StringVar(&a.output, "output", a.output, "output format: table (aligned, for people) or json (one object per line, for jq)")
	fs.DurationVar(&a.timeout, "timeout", a.timeout, "bound on each request attempt, such as 30s (default: none beyond the SDK's connection limits)")
	fs.BoolVar(&a.verbose, "verbose", a.verbose, "log each request attempt (SDK debug log) to stderr")
	fs.BoolVar(&a.dryRun, "dry-run", a.dryRun, "print the requests a change would send, and send none of them")
	fs.BoolVar(&a.fake, "fake", a.fake, "run against an in-process fake API seeded with demo data (no account needed)")
	return fs
}

// parse parses a command's args, allowing flags after positional
// arguments (authorize ID --note TEXT), and checks the global flags. It
// prints the command's help and returns flag.ErrHelp for -h.
func (a *app) parse(c *command, fs *flag.FlagSet, args []string) ([]string, error) {
	a.current = c.name
	pos, err := parseInterleaved(fs, args, false)
	if errors.Is(err, flag.ErrHelp) {
		a.commandHelp(a.stdout, c, fs)
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	if err := a.checkGlobals(c); err != nil {
		return nil, err
	}
	return pos, nil
}

// parseInterleaved parses flags anywhere among args and returns the
// positional arguments in order. "--" ends the flags. With stopAtFirst, it
// stops at the first positional argument and returns it with everything
// after it (the command name and the command's own args).
func parseInterleaved(fs *flag.FlagSet, args []string, stopAtFirst bool) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usagef("%s", strings.TrimPrefix(err.Error(), "flag: "))
		}
		rest := fs.Args()
		used := len(args) - len(rest)
		if used > 0 && args[used-1] == "--" && !isFlagValue(fs, args, used-1) {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 || stopAtFirst {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// isFlagValue reports whether args[i] was taken as the value of the flag
// before it ("--note --"), rather than ending the flags.
func isFlagValue(fs *flag.FlagSet, args []string, i int) bool {
	if i == 0 {
		return false
	}
	prev := args[i-1]
	if !strings.HasPrefix(prev, "-") || strings.Contains(prev, "=") {
		return false
	}
	f := fs.Lookup(strings.TrimLeft(prev, "-"))
	if f == nil {
		return false
	}
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return !ok || !b.IsBoolFlag()
}

// checkGlobals refuses global flag values that cannot work, before any
// request.
func (a *app) checkGlobals(c *command) error {
	switch {
	case a.output != "table" && a.output != "json":
		return usagef("--output %q: use table or json", a.output)
	case a.timeout < 0:
		return usagef("--timeout %v is negative", a.timeout)
	case a.fake && a.baseURL != "":
		return usagef("--fake runs its own server: leave out --base-url")
	case a.dryRun && !c.canDryRun:
		return usagef("--dry-run applies to authorize, reject, comment, attach and documents delete, not to %s", c.name)
	}
	return nil
}

func (a *app) jsonOut() bool { return a.output == "json" }

// listFlag is a flag that may be repeated; each value may also hold a
// comma-separated list.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for s := range strings.SplitSeq(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

// intFlag is an int flag that knows whether it was given.
type intFlag struct {
	v   int
	set bool
}

func (f *intFlag) String() string {
	if f == nil || !f.set {
		return ""
	}
	return strconv.Itoa(f.v)
}

func (f *intFlag) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil {
		return errors.New("not a whole number")
	}
	f.v, f.set = n, true
	return nil
}

// parseStatuses checks --status values. "all" (alone) means no filter.
func parseStatuses(vals []string) ([]telnyx.PortoutStatus, error) {
	var out []telnyx.PortoutStatus
	for _, v := range vals {
		s := telnyx.PortoutStatus(strings.ToLower(v))
		if s == "all" {
			if len(vals) > 1 {
				return nil, usagef("--status all cannot be combined with other statuses")
			}
			return nil, nil
		}
		if !slices.Contains(allStatuses, s) {
			return nil, usagef("--status %q: use %s or all", v, joinStatuses(allStatuses))
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, nil
}

var allStatuses = []telnyx.PortoutStatus{
	telnyx.PortoutStatusPending, telnyx.PortoutStatusAuthorized, telnyx.PortoutStatusPorted,
	telnyx.PortoutStatusRejected, telnyx.PortoutStatusRejectedPending, telnyx.PortoutStatusCanceled,
}

func joinStatuses(s []telnyx.PortoutStatus) string {
	parts := make([]string, len(s))
	for i, v := range s {
		parts[i] = string(v)
	}
	return strings.Join(parts, ", ")
}

// timeFlag reads a date (2006-01-02, in UTC) or an RFC 3339 time. A date
// stands for the start of that day as a lower bound (first) and for its
// end as an upper bound (last).
type timeFlag struct {
	t   time.Time
	day bool // given as a date
}

func (f *timeFlag) String() string { return "" }

func (f *timeFlag) Set(s string) error {
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		f.t, f.day = d, true
		return nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return errors.New("want a date (2006-01-02) or an RFC 3339 time (2006-01-02T15:04:05Z)")
	}
	f.t, f.day = t, false
	return nil
}

// first is the earliest instant the flag includes.
func (f *timeFlag) first() time.Time { return f.t }

// last is the latest instant the flag includes: for a date given to an
// --until flag, the last second of that day.
func (f *timeFlag) last() time.Time {
	if f.day && !f.t.IsZero() {
		return f.t.Add(24*time.Hour - time.Second)
	}
	return f.t
}

// checkRange refuses a --since after an --until.
func checkRange(since, until *timeFlag) error {
	if !since.t.IsZero() && !until.t.IsZero() && since.first().After(until.last()) {
		return usagef("--since %s is after --until %s", since.t.Format(time.RFC3339), until.last().Format(time.RFC3339))
	}
	return nil
}

// parseID parses a command's flags and returns the single positional ID it
// takes (what names it in errors).
func (a *app) parseID(c *command, fs *flag.FlagSet, args []string, what string) (string, error) {
	pos, err := a.parse(c, fs, args)
	if err != nil {
		return "", err
	}
	return needID(pos, what)
}

// needID returns the single positional ID a command takes.
func needID(pos []string, what string) (string, error) {
	switch {
	case len(pos) == 0:
		return "", usagef("missing %s", what)
	case len(pos) > 1:
		return "", usagef("unexpected argument %q after the %s", pos[1], what)
	}
	id := strings.TrimSpace(pos[0])
	if id == "" {
		return "", usagef("empty %s", what)
	}
	return id, nil
}

func noArgs(pos []string) error {
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	return nil
}
