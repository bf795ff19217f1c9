// Command export-report saves a CSV export of port-out requests to a file.
// Telnyx builds the export in the background, which can take minutes; the
// command reports how long it has waited and the report's status on stderr
// meanwhile, and writes the file only once the whole CSV has arrived.
//
//	export TELNYX_API_KEY=KEY...
//	go run ./examples/export-report -status pending,authorized -since 2025-06-01 -out pending.csv
//
// The CSV goes to a temporary file beside -out that is renamed into place
// when the download is complete, so a failed or interrupted export (Ctrl-C)
// never leaves a partial CSV behind and never touches an earlier file of the
// same name. The file is readable by its owner only, as it holds customer
// data. With -out - the CSV goes to standard output instead.
//
// TELNYX_BASE_URL, when set, points the client at another server, such as
// a local mock of the API.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/a54710f5/telnyx-go/examples/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, connect)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// connect builds the client from TELNYX_API_KEY and TELNYX_BASE_URL.
func connect() (*telnyx.Client, error) {
	return telnyx.NewClient(telnyx.WithUserAgent("telnyx-go-export-report"))
}

// exitCode prints err, if any, and returns the process's exit status.
func exitCode(err error, stderr io.Writer) int {
	return cli.ExitCode("export-report", err, stderr, nil)
}

// config is what the command line asks for.
type config struct {
	out     string
	filters telnyx.PortoutReportFilters
	timeout time.Duration
}

var statuses = []telnyx.PortoutStatus{
	telnyx.PortoutStatusPending, telnyx.PortoutStatusAuthorized, telnyx.PortoutStatusPorted,
	telnyx.PortoutStatusRejected, telnyx.PortoutStatusRejectedPending, telnyx.PortoutStatusCanceled,
}

func parseArgs(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("export-report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: export-report [flags]")
		fmt.Fprintln(stderr, "Saves a CSV export of your port-out requests. Needs TELNYX_API_KEY.")
		fs.PrintDefaults()
	}
	names := make([]string, len(statuses))
	for i, s := range statuses {
		names[i] = string(s)
	}
	out := fs.String("out", "portouts.csv", "file to write the CSV to; - for standard output")
	status := fs.String("status", "", "only port-outs in these statuses, separated by commas: "+strings.Join(names, ", "))
	since := fs.String("since", "", "only port-outs created after this date (2006-01-02) or time (RFC 3339)")
	until := fs.String("until", "", "only port-outs created before this date (2006-01-02) or time (RFC 3339)")
	endUser := fs.String("end-user", "", "only port-outs for this end user name (any case)")
	phones := fs.String("phones", "", "only port-outs holding any of these E.164 numbers, separated by commas")
	refs := fs.String("refs", "", "only port-outs with any of these customer references, separated by commas")
	timeout := fs.Duration("timeout", 15*time.Minute, "give up if the export is not done after this long")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return config{}, err
		}
		return config{}, cli.Shown(err)
	}
	if fs.NArg() > 0 {
		return config{}, cli.Usagef("unexpected argument %q", fs.Arg(0))
	}
	if strings.TrimSpace(*out) == "" {
		return config{}, cli.Usagef("-out must name a file, or - for standard output")
	}
	if *timeout <= 0 {
		return config{}, cli.Usagef("-timeout must be positive")
	}
	cfg := config{
		out:     *out,
		timeout: *timeout,
		filters: telnyx.PortoutReportFilters{
			EndUserName:          strings.TrimSpace(*endUser),
			PhoneNumbersOverlaps: split(*phones),
			CustomerReferenceIn:  split(*refs),
		},
	}
	for _, s := range split(*status) {
		st := telnyx.PortoutStatus(s)
		if !st.Valid() {
			return config{}, cli.Usagef("-status: %q is not a status; use %s", s, strings.Join(names, ", "))
		}
		cfg.filters.StatusIn = append(cfg.filters.StatusIn, st)
	}
	var err error
	if cfg.filters.CreatedAtGt, err = parseTime("since", *since); err != nil {
		return config{}, err
	}
	if cfg.filters.CreatedAtLt, err = parseTime("until", *until); err != nil {
		return config{}, err
	}
	if gt, lt := cfg.filters.CreatedAtGt, cfg.filters.CreatedAtLt; !gt.IsZero() && !lt.IsZero() && !gt.Before(lt) {
		return config{}, cli.Usagef("-since must be before -until")
	}
	return cfg, nil
}

// run exports the port-outs that args select. connect supplies the client
// once the arguments are known to be good.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, connect func() (*telnyx.Client, error)) error {
	cfg, err := parseArgs(args, stderr)
	if err != nil {
		return err
	}
	client, err := connect()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()

	dest, err := openDest(cfg.out, stdout)
	if err != nil {
		return err
	}
	defer dest.discard()

	progress := telnyx.WithWaitProgress(func(r *telnyx.PortoutReport, elapsed time.Duration) {
		fmt.Fprintf(stderr, "report %s: %s (%s)\n", r.ID, r.Status, elapsed.Round(time.Second))
	})
	count := &csvCounter{w: dest.w}
	report, err := client.Portouts.Reports.Export(ctx, cfg.filters, count, progress)
	if err != nil {
		switch {
		case errors.Is(err, context.Canceled):
			err = fmt.Errorf("interrupted: %w", err)
		case errors.Is(err, context.DeadlineExceeded):
			err = fmt.Errorf("not done within -timeout %s: %w", cfg.timeout, err)
		}
		if dest.temp != nil {
			return fmt.Errorf("%w; %s was not written", err, cfg.out)
		}
		return err
	}
	if err := dest.commit(); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wrote %s (%d bytes) to %s from report %s\n",
		plural(count.rows(), "port-out"), count.bytes, dest.name, report.ID)
	return nil
}

// dest is where the CSV goes: standard output, or a temporary file that
// commit renames to the path asked for.
type dest struct {
	w    io.Writer
	name string   // for messages
	path string   // the final path; "" for standard output
	temp *os.File // nil for standard output
}

func openDest(out string, stdout io.Writer) (*dest, error) {
	if out == "-" {
		return &dest{w: stdout, name: "standard output"}, nil
	}
	if fi, err := os.Stat(out); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("-out %s is a directory", out)
	}
	f, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*.partial")
	if err != nil {
		return nil, fmt.Errorf("-out %s: %w", out, err)
	}
	return &dest{w: f, name: out, path: out, temp: f}, nil
}

// commit moves the complete file into place.
func (d *dest) commit() error {
	if d.temp == nil {
		return nil
	}
	f := d.temp
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), d.path); err != nil {
		return err
	}
	d.temp = nil
	return nil
}

// discard removes the temporary file unless commit has moved it.
func (d *dest) discard() {
	if d.temp != nil {
		_ = d.temp.Close()
		_ = os.Remove(d.temp.Name())
		d.temp = nil
	}
}

// csvCounter passes bytes through and counts the records they hold. A
// newline ends a record unless it is inside a quoted field; quotes inside a
// field are doubled, which leaves the quoting state as it was.
type csvCounter struct {
	w       io.Writer
	bytes   int64
	records int
	quoted  bool
	last    byte
}

func (c *csvCounter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	for _, b := range p[:n] {
		switch {
		case b == '"':
			c.quoted = !c.quoted
		case b == '\n' && !c.quoted:
			c.records++
		}
	}
	if n > 0 {
		c.last = p[n-1]
	}
	c.bytes += int64(n)
	return n, err
}

// rows is the number of records after the header.
func (c *csvCounter) rows() int {
	n := c.records
	if c.bytes > 0 && c.last != '\n' {
		n++ // a last record without its newline
	}
	return max(n-1, 0)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func split(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func parseTime(name, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339, time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, cli.Usagef("-%s: %q is neither a date (2006-01-02) nor an RFC 3339 time", name, s)
}
