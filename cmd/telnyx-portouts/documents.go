package main

import (
	"context"
	"errors"
	"flag"
	"strconv"
	"strings"

	telnyx "github.com/a54710f5/telnyx-go"
)

var documentsCmd = &command{
	name:    "documents",
	args:    "list [--filename TEXT] [--limit N] | show ID | delete ID | link ID",
	summary: "list, show, delete documents, or get a temporary download link",
	about: `Manage the documents stored with Telnyx (LOAs, invoices, report CSVs):

  list    documents, newest first
  show    one document: name, size, SHA-256, review and antivirus status
  delete  a document that supports nothing any more (--dry-run shows the request)
  link    a temporary pre-signed download URL: whoever holds it can download
          the file without an API key, so share it with care`,
	example: `  telnyx-portouts documents list --filename loa
  telnyx-portouts documents link 6a09cdc3-8948-47f0-aa62-74ac943d6c58`,
	run: runDocuments,
}

var documentsSubs = []*command{
	{name: "list", args: "[--filename TEXT] [--limit N]", about: "List documents, newest first.", example: "  telnyx-portouts documents list --filename loa --limit 20", run: runDocumentsList},
	{name: "show", args: "ID", about: "Show one document.", example: "  telnyx-portouts documents show ID --output json", run: runDocumentsShow},
	{name: "delete", args: "ID", about: "Delete a document. Telnyx refuses one that still supports a port-out.", example: "  telnyx-portouts --dry-run documents delete ID", canDryRun: true, run: runDocumentsDelete},
	{name: "link", args: "ID", about: "Print a temporary pre-signed URL to download a document without an API key.", example: "  curl -o loa.pdf \"$(telnyx-portouts documents link ID)\"", run: runDocumentsLink},
}

func runDocuments(ctx context.Context, a *app, c *command, args []string) error {
	fs := a.flagSet(c.name)
	rest, err := parseInterleaved(fs, args, true)
	if errors.Is(err, flag.ErrHelp) {
		a.commandHelp(a.stdout, c, fs)
		return err
	}
	if err != nil {
		return err
	}
	if len(rest) == 0 {
		return usagef("documents needs list, show, delete or link")
	}
	if sub := lookup(documentsSubs, rest[0]); sub != nil {
		full := *sub
		full.name = c.name + " " + sub.name
		return sub.run(ctx, a, &full, rest[1:])
	}
	return usagef("documents %q: use list, show, delete or link", rest[0])
}

func runDocumentsList(ctx context.Context, a *app, c *command, args []string) error {
	fs := a.flagSet(c.name)
	filename := fs.String("filename", "", "only documents whose file name contains `TEXT`")
	limit := fs.Int("limit", 0, "show at most `N` documents (0: all); a note on stderr says when more match")
	pos, err := a.parse(c, fs, args)
	if err != nil {
		return err
	}
	if err := noArgs(pos); err != nil {
		return err
	}
	size, err := pageSize(*limit)
	if err != nil {
		return err
	}
	client, err := a.getClient()
	if err != nil {
		return err
	}
	params := &telnyx.DocumentListParams{
		Page:   telnyx.PageParams{Size: size},
		Filter: telnyx.DocumentListFilter{FilenameContains: strings.TrimSpace(*filename)},
	}
	l := &limitedList[telnyx.Document]{a: a, limit: *limit, noun: "documents", header: documentHeader, row: documentRow}
	for d, err := range client.Documents.ListAutoPaging(ctx, params) {
		if err != nil {
			return err
		}
		if !l.add(d) {
			break
		}
	}
	l.end(0)
	return nil
}

var documentHeader = []string{"ID", "FILENAME", "BYTES", "STATUS", "AV SCAN", "CREATED"}

func documentRow(d *telnyx.Document) []string {
	return []string{d.ID, d.Filename, strconv.FormatInt(d.Size, 10), string(d.Status), string(d.AVScanStatus), date(d.CreatedAt)}
}

func runDocumentsShow(ctx context.Context, a *app, c *command, args []string) error {
	id, client, err := a.documentArgs(c, args)
	if err != nil {
		return err
	}
	d, err := client.Documents.Get(ctx, id)
	if err != nil {
		return err
	}
	if a.jsonOut() {
		a.out.json(d)
		return nil
	}
	a.out.fields([][2]string{
		{"ID", d.ID},
		{"Filename", d.Filename},
		{"Content type", d.ContentType},
		{"Bytes", strconv.FormatInt(d.Size, 10)},
		{"SHA-256", d.SHA256},
		{"Status", string(d.Status)},
		{"AV scan", string(d.AVScanStatus)},
		{"Customer reference", d.CustomerReference},
		{"Created", date(d.CreatedAt)},
		{"Updated", date(d.UpdatedAt)},
	})
	return nil
}

func runDocumentsDelete(ctx context.Context, a *app, c *command, args []string) error {
	id, client, err := a.documentArgs(c, args)
	if err != nil {
		return err
	}
	d, err := client.Documents.Delete(ctx, id)
	if err != nil {
		return err
	}
	a.changed(func() { a.out.printf("Deleted document %s.\n", id) }, d)
	return nil
}

func runDocumentsLink(ctx context.Context, a *app, c *command, args []string) error {
	id, client, err := a.documentArgs(c, args)
	if err != nil {
		return err
	}
	u, err := client.Documents.DownloadLink(ctx, id)
	if err != nil {
		return err
	}
	if a.jsonOut() {
		a.out.json(map[string]string{"id": id, "url": u.String()})
	} else {
		a.out.printf("%s\n", u)
	}
	a.msg.printf("Anyone holding this link can download the document until it expires.\n")
	return nil
}

// documentArgs parses the args of a subcommand that takes one document ID
// and returns the ID and the client.
func (a *app) documentArgs(c *command, args []string) (string, *telnyx.Client, error) {
	id, err := a.parseID(c, a.flagSet(c.name), args, "document ID")
	if err != nil {
		return "", nil, err
	}
	client, err := a.getClient()
	return id, client, err
}
