package main

import (
	"context"
	"os"
	"path/filepath"

	telnyx "github.com/a54710f5/telnyx-go"
)

var attachCmd = &command{
	name:    "attach",
	args:    "ID --loa FILE [--invoice FILE]",
	summary: "upload an LOA (and invoice) and link them to a port-out",
	about: `Upload supporting documents and link them to a port-out in one step: a letter
of authorization (--loa) and, optionally, an invoice (--invoice). Each flag may
be repeated, up to 10 files in all. Files are opened before anything is sent.
If linking fails after an upload, the error lists the uploaded document IDs:
Telnyx deletes unlinked uploads after 30 minutes.`,
	example:   `  telnyx-portouts --fake attach ` + demoAcme + ` --loa loa.pdf --invoice invoice.pdf`,
	canDryRun: true,
	run:       runAttach,
}

// maxAttach is the most supporting documents one call links.
const maxAttach = 10

func runAttach(ctx context.Context, a *app, c *command, args []string) error {
	fs := a.flagSet(c.name)
	var loas, invoices listFlag
	fs.Var(&loas, "loa", "a letter of authorization `FILE` (required; may be repeated)")
	fs.Var(&invoices, "invoice", "an invoice `FILE` (may be repeated)")
	id, err := a.parseID(c, fs, args, "port-out ID")
	if err != nil {
		return err
	}
	switch n := len(loas) + len(invoices); {
	case len(loas) == 0:
		return usagef("--loa FILE is required")
	case n > maxAttach:
		return usagef("%d files: at most %d can be attached at once", n, maxAttach)
	}
	var files []telnyx.SupportingFile
	var opened []*os.File
	defer func() {
		for _, f := range opened {
			_ = f.Close()
		}
	}()
	add := func(typ telnyx.SupportingDocumentType, paths []string) error {
		for _, p := range paths {
			f, err := openRegular(p)
			if err != nil {
				return err
			}
			opened = append(opened, f)
			files = append(files, telnyx.SupportingFile{Type: typ, Filename: filepath.Base(p), File: f})
		}
		return nil
	}
	if err := add(telnyx.SupportingDocumentLOA, loas); err != nil {
		return err
	}
	if err := add(telnyx.SupportingDocumentInvoice, invoices); err != nil {
		return err
	}
	client, err := a.getClient()
	if err != nil {
		return err
	}
	linked, err := client.Portouts.SupportingDocuments.Attach(ctx, id, files)
	if err != nil {
		return err
	}
	answered := make([]any, len(linked))
	for i := range linked {
		answered[i] = &linked[i]
	}
	a.changed(func() {
		a.out.printf("Linked %d document(s) to port-out %s.\n", len(linked), id)
		a.out.table(supportingHeader, supportingRows(linked))
	}, answered...)
	return nil
}

// openRegular opens a file to upload; a missing or unreadable file, or a
// directory, is a usage error, found before any request.
func openRegular(path string) (*os.File, error) {
	f, err := os.Open(path) //nolint:gosec // G304: opening the file the user named is the point
	if err != nil {
		return nil, usagef("%v", err)
	}
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		_ = f.Close()
		return nil, usagef("%s is not a regular file", path)
	}
	return f, nil
}
