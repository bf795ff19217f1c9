// Command export-report saves a CSV report of the port-outs created in the
// last 30 days. Telnyx builds the report first, which can take minutes.
//
//	TELNYX_API_KEY=KEY... go run ./examples/export-report portouts.csv
package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
)

func main() {
	flag.Parse()
	path := cmp.Or(flag.Arg(0), "portouts.csv")
	client, err := telnyx.NewClient() // reads TELNYX_API_KEY and TELNYX_BASE_URL
	if err != nil {
		log.Fatal(err)
	}
	if err := run(context.Background(), client, os.Stderr, path); err != nil {
		log.Fatal(err)
	}
}

// run writes the report to path, which is left as it was unless the whole
// CSV arrived: Export writes into a temporary file, renamed only on success.
func run(ctx context.Context, client *telnyx.Client, progress io.Writer, path string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() { _ = os.Remove(tmp.Name()) }() // once renamed, there is nothing to remove

	filters := telnyx.PortoutReportFilters{CreatedAtGt: time.Now().AddDate(0, 0, -30)}
	report, err := client.Portouts.Reports.Export(ctx, filters, tmp,
		telnyx.WithWaitProgress(func(r *telnyx.PortoutReport, elapsed time.Duration) {
			fmt.Fprintf(progress, "%s: report %s is %s\n", elapsed.Round(time.Second), r.ID, r.Status)
		}))
	if err != nil {
		_ = tmp.Close() // err says what went wrong; the file is removed anyway
		return err      // a *telnyx.ReportError if Telnyx failed to build the report
	}
	if err := tmp.Close(); err != nil { // a failed Close can mean a lost write
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	fmt.Fprintf(progress, "saved report %s to %s\n", report.ID, path)
	return nil
}
