// Command attach-loa uploads a letter of authorization, and optionally an
// invoice, and links them to a port-out request in one step.
//
//	export TELNYX_API_KEY=KEY...
//	go run ./examples/attach-loa -portout 0ccc7b54-4df3-4bca-a65a-3da1ecc777f0 -loa loa.pdf -invoice invoice.pdf
//
// Both files must be PDFs; they are checked before anything is sent and
// streamed from disk, not read into memory. If an upload or the final link
// fails, the documents already uploaded are listed with their IDs: Telnyx
// deletes an upload that is linked to nothing 30 minutes after it arrives,
// so link them within that time or run the command again.
//
// TELNYX_BASE_URL, when set, points the client at another server, such as
// a local mock of the API.
package main

import (
	"bytes"
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
	return telnyx.NewClient(telnyx.WithUserAgent("telnyx-go-attach-loa"))
}

// exitCode prints err, if any, and returns the process's exit status.
func exitCode(err error, stderr io.Writer) int {
	return cli.ExitCode("attach-loa", err, stderr, nil)
}

// config is what the command line asks for.
type config struct {
	portoutID string
	loa       string
	invoice   string // optional
}

func parseArgs(args []string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("attach-loa", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: attach-loa -portout ID -loa FILE.pdf [-invoice FILE.pdf]")
		fmt.Fprintln(stderr, "Uploads the files and links them to the port-out request. Needs TELNYX_API_KEY.")
		fs.PrintDefaults()
	}
	var cfg config
	fs.StringVar(&cfg.portoutID, "portout", "", "ID of the port-out request (required)")
	fs.StringVar(&cfg.loa, "loa", "", "letter of authorization, a PDF (required)")
	fs.StringVar(&cfg.invoice, "invoice", "", "a recent invoice, a PDF (optional)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return config{}, err
		}
		return config{}, cli.Shown(err)
	}
	cfg.portoutID = strings.TrimSpace(cfg.portoutID)
	switch {
	case fs.NArg() > 0:
		return config{}, cli.Usagef("unexpected argument %q", fs.Arg(0))
	case cfg.portoutID == "":
		return config{}, cli.Usagef("-portout is required")
	case cfg.loa == "":
		return config{}, cli.Usagef("-loa is required")
	}
	return cfg, nil
}

// run uploads and links the files that args name. connect supplies the
// client once the arguments and files are known to be good.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, connect func() (*telnyx.Client, error)) error {
	cfg, err := parseArgs(args, stderr)
	if err != nil {
		return err
	}
	var files []telnyx.SupportingFile
	paths := map[telnyx.SupportingDocumentType]string{}
	defer func() {
		for _, f := range files {
			_ = f.File.(*os.File).Close() // opened read-only: nothing is lost
		}
	}()
	for _, f := range []struct {
		typ  telnyx.SupportingDocumentType
		path string
	}{{telnyx.SupportingDocumentLOA, cfg.loa}, {telnyx.SupportingDocumentInvoice, cfg.invoice}} {
		if f.path == "" {
			continue
		}
		file, err := openPDF(f.path)
		if err != nil {
			return err
		}
		files = append(files, telnyx.SupportingFile{Type: f.typ, Filename: filepath.Base(f.path), File: file})
		paths[f.typ] = f.path
	}

	client, err := connect()
	if err != nil {
		return err
	}
	linked, err := client.Portouts.SupportingDocuments.Attach(ctx, cfg.portoutID, files)
	var ae *telnyx.AttachError
	if errors.As(err, &ae) && len(ae.Uploaded) > 0 {
		fmt.Fprintf(stderr, "Uploaded but not linked to port-out %s (Telnyx deletes them 30 minutes after upload):\n", cfg.portoutID)
		for _, u := range ae.Uploaded {
			fmt.Fprintf(stderr, "  %-8s %s  %s\n", u.Type, u.DocumentID, paths[u.Type])
		}
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("interrupted: %w", err)
		}
		return err
	}
	for _, d := range linked {
		fmt.Fprintf(stdout, "linked %s %s as document %s to port-out %s\n", d.Type, paths[d.Type], d.DocumentID, d.PortoutID)
	}
	return nil
}

// openPDF opens a regular, non-empty file that starts like a PDF, and
// leaves it positioned at its start.
func openPDF(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	switch {
	case err != nil:
	case !fi.Mode().IsRegular():
		err = fmt.Errorf("%s is not a regular file", path)
	case fi.Size() == 0:
		err = fmt.Errorf("%s is empty", path)
	}
	if err == nil {
		magic := make([]byte, 5)
		if _, rerr := io.ReadFull(f, magic); rerr != nil || !bytes.Equal(magic, []byte("%PDF-")) {
			err = fmt.Errorf("%s is not a PDF", path)
		} else if _, serr := f.Seek(0, io.SeekStart); serr != nil {
			err = serr
		}
	}
	if err != nil {
		_ = f.Close() // opened read-only: nothing is lost
		return nil, err
	}
	return f, nil
}
