package main

import (
	"flag"
	"io"
	"slices"
)

// rootHelp prints the command list.
func (a *app) rootHelp(w io.Writer) {
	p := &printer{w: w}
	p.printf("Usage: %s [global flags] COMMAND [flags] [args]\n\n", progName)
	p.printf("Review Telnyx port-out requests. Global flags go before or after the command.\n\nCommands:\n")
	rows := make([][]string, 0, len(commands))
	for _, c := range commands {
		rows = append(rows, []string{"  " + c.name, c.summary})
	}
	tabOut(p, rows)
	p.printf("\nGlobal flags:\n")
	fs := a.flagSet(progName)
	tabOut(p, flagRows(fs, func(string) bool { return true }))
	p.printf("\nExit status: 0 on success; 1 when the API refuses, the network fails or the output cannot be written; 2 for a usage error (nothing sent).\n")
	p.printf("Try it without an account: %s --fake list\n", progName)
	p.printf("Run '%s COMMAND -h' for a command's flags and an example.\n", progName)
}

// commandHelp prints one command's usage, its own flags and an example.
func (a *app) commandHelp(w io.Writer, c *command, fs *flag.FlagSet) {
	p := &printer{w: w}
	p.printf("Usage: %s %s %s\n\n%s\n", progName, c.name, c.args, c.about)
	rows := flagRows(fs, func(name string) bool { return !slices.Contains(globalNames, name) })
	if len(rows) > 0 {
		p.printf("\nFlags:\n")
		tabOut(p, rows)
	}
	p.printf("\nExample:\n%s\n", c.example)
	p.printf("\nGlobal flags (--output, --fake, --dry-run...): see '%s -h'.\n", progName)
}

func flagRows(fs *flag.FlagSet, keep func(string) bool) [][]string {
	var rows [][]string
	fs.VisitAll(func(f *flag.Flag) {
		if !keep(f.Name) {
			return
		}
		arg, usage := flag.UnquoteUsage(f)
		name := "  --" + f.Name
		if arg != "" {
			name += " " + arg
		}
		switch f.DefValue {
		case "", "0", "0s", "false":
		default:
			usage += " (default " + f.DefValue + ")"
		}
		rows = append(rows, []string{name, usage})
	})
	return rows
}

// tabOut aligns help rows without the "-" that table cells show for empty
// values.
func tabOut(p *printer, rows [][]string) {
	width := 0
	for _, r := range rows {
		width = max(width, len(r[0]))
	}
	for _, r := range rows {
		p.printf("%-*s  %s\n", width, r[0], r[1])
	}
}
