package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
)

var exportCmd = &command{
	name:    "export",
	args:    "[--status S]... [--since DATE] [--until DATE] [--out FILE]",
	summary: "export port-outs as CSV (progress on stderr)",
	about: `Export port-outs as CSV through a Telnyx report: create it, wait until it is
ready (progress on stderr) and download it. With --out the CSV goes to a
temporary file beside FILE, renamed to FILE only once complete, so FILE is
never left half written; the file is readable by its owner only, as it holds
customer data. Without --out the CSV goes to stdout. --since and --until
compare the creation date; a date means that whole day in UTC.`,
	example: `  telnyx-portouts --fake export --status pending --out pending.csv
  telnyx-portouts export --since 2026-11-01 --until 2026-11-30 > november.csv`,
	run: runExport,
}

func runExport(ctx context.Context, a *app, c *command, args []string) error {
	fs := a.flagSet(c.name)
	var statuses listFlag
	fs.Var(&statuses, "status", "only this `STATUS` (repeat, or separate with commas); default: all")
	since := &timeFlag{}
	until := &timeFlag{}
	fs.Var(since, "since", "only port-outs created on or after `DATE` (2006-01-02 or RFC 3339)")
	fs.Var(until, "until", "only port-outs created on or before `DATE` (a date includes that whole day)")
	out := fs.String("out", "", "write the CSV to `FILE` (all or nothing) instead of stdout")
	pos, err := a.parse(c, fs, args)
	if err != nil {
		return err
	}
	if err := noArgs(pos); err != nil {
		return err
	}
	st, err := parseStatuses(statuses)
	if err != nil {
		return err
	}
	if err := checkRange(since, until); err != nil {
		return err
	}
	// The API's bounds are exclusive (created_at__gt, __lt): widen each by
	// a millisecond, the API's precision, so that both ends are included.
	filters := telnyx.PortoutReportFilters{StatusIn: st}
	if !since.t.IsZero() {
		filters.CreatedAtGt = since.first().Add(-time.Millisecond)
	}
	if !until.t.IsZero() {
		filters.CreatedAtLt = until.last().Add(time.Second)
		if !until.day {
			filters.CreatedAtLt = until.last().Add(time.Millisecond)
		}
	}
	if *out != "" {
		if err := checkOutPath(*out); err != nil {
			return err
		}
	}
	client, err := a.getClient()
	if err != nil {
		return err
	}
	progress := telnyx.WithWaitProgress(func(r *telnyx.PortoutReport, elapsed time.Duration) {
		a.msg.printf("report %s: %s after %s\n", r.ID, r.Status, elapsed.Round(time.Second))
	})
	if *out == "" {
		cw := &countingWriter{w: a.out}
		r, err := client.Portouts.Reports.Export(ctx, filters, cw, progress)
		if err != nil {
			return err
		}
		a.msg.printf("Wrote %d bytes of CSV (report %s, document %s).\n", cw.n, r.ID, r.DocumentID)
		return nil
	}
	r, n, err := exportToFile(ctx, client, filters, *out, progress)
	if err != nil {
		return err
	}
	if a.jsonOut() {
		a.out.json(struct {
			File   string                `json:"file"`
			Bytes  int64                 `json:"bytes"`
			Report *telnyx.PortoutReport `json:"report"`
		}{*out, n, r})
		return nil
	}
	a.out.printf("Wrote %s (%d bytes; report %s, document %s).\n", *out, n, r.ID, r.DocumentID)
	return nil
}

// checkOutPath refuses, before any request, a --out that cannot be
// written: a directory, or a file in a directory that does not exist.
func checkOutPath(path string) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return usagef("--out %s is a directory", path)
	}
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	if err != nil || !fi.IsDir() {
		return usagef("--out %s: directory %s does not exist", path, dir)
	}
	return nil
}

// exportToFile streams the export into a temporary file in path's
// directory and renames it to path only when everything went well; on any
// failure the temporary file is removed and path is left as it was.
func exportToFile(ctx context.Context, client *telnyx.Client, filters telnyx.PortoutReportFilters, path string, opts ...telnyx.Option) (r *telnyx.PortoutReport, n int64, err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.partial")
	if err != nil {
		return nil, 0, err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	cw := &countingWriter{w: tmp}
	if r, err = client.Portouts.Reports.Export(ctx, filters, cw, opts...); err != nil {
		return nil, 0, err
	}
	if err = tmp.Sync(); err != nil {
		return nil, 0, fmt.Errorf("writing %s: %w", tmp.Name(), err)
	}
	if err = tmp.Close(); err != nil {
		return nil, 0, fmt.Errorf("writing %s: %w", tmp.Name(), err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return nil, 0, err
	}
	return r, cw.n, nil
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	if err == nil && n < len(b) {
		err = io.ErrShortWrite
	}
	return n, err
}
