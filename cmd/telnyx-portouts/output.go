package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"
	"unicode"
	"unicode/utf8"
)

// printer writes to one stream and remembers the first write error, so that
// a full disk or a closed pipe turns into exit status 1 instead of being
// lost.
type printer struct {
	mu  sync.Mutex // listen prints from the server's goroutines
	w   io.Writer
	err error
}

func (p *printer) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil {
		return 0, p.err
	}
	n, err := p.w.Write(b)
	if err != nil {
		p.err = err
	}
	return n, err
}

// failed returns the first write error.
func (p *printer) failed() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

func (p *printer) printf(format string, args ...any) {
	_, _ = fmt.Fprintf(p, format, args...)
}

// json writes v as one line of JSON.
func (p *printer) json(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		p.mu.Lock()
		if p.err == nil {
			p.err = fmt.Errorf("encoding JSON: %w", err)
		}
		p.mu.Unlock()
		return
	}
	_, _ = p.Write(append(b, '\n'))
}

// table writes rows under header, columns aligned. Every cell goes through
// cell, so what the API sends cannot break the layout or reach the terminal
// as control sequences.
func (p *printer) table(header []string, rows [][]string) {
	tw := tabwriter.NewWriter(p, 0, 0, 2, ' ', 0)
	writeRow(tw, header)
	for _, r := range rows {
		writeRow(tw, r)
	}
	_ = tw.Flush()
}

// fields writes label/value pairs as two aligned columns.
func (p *printer) fields(pairs [][2]string) {
	tw := tabwriter.NewWriter(p, 0, 0, 2, ' ', 0)
	for _, kv := range pairs {
		writeRow(tw, []string{kv[0], kv[1]})
	}
	_ = tw.Flush()
}

func writeRow(w io.Writer, cells []string) {
	clean := make([]string, len(cells))
	for i, c := range cells {
		clean[i] = cell(c)
	}
	_, _ = io.WriteString(w, strings.TrimRight(strings.Join(clean, "\t"), "\t")+"\n")
}

// cell makes s fit one table cell: white space that would break the line or
// the columns becomes a space, other control characters are shown escaped
// (\x1b), and an empty value is shown as "-". Nothing is cut short.
func cell(s string) string {
	if s == "" {
		return "-"
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case unicode.IsControl(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

// oneLine is cell for a message: one line, no control characters.
func oneLine(s string) string {
	return strings.Join(strings.Fields(cell(s)), " ")
}

// date shows the UTC calendar date of t, or "" (shown as "-") for the zero
// time.
func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// stamp shows t in UTC to the second, for events, where the time of day
// matters.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateTime)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// numbers shows every phone number; there is no shortening.
func numbers(n []string) string { return strings.Join(n, ", ") }

// streamTable writes rows one at a time, as they arrive, with column widths
// fixed up front: a tabwriter cannot align what it has not seen yet. A wider
// value pushes the rest of its row to the right; nothing is cut.
type streamTable struct {
	p      *printer
	widths []int
}

func (t *streamTable) row(cells []string) {
	var b strings.Builder
	for i, c := range cells {
		c = cell(c)
		if i == len(cells)-1 || i >= len(t.widths) {
			b.WriteString(c)
			break
		}
		b.WriteString(c)
		if pad := t.widths[i] - utf8.RuneCountInString(c); pad > 0 {
			b.WriteString(strings.Repeat(" ", pad))
		}
		b.WriteString("  ")
	}
	t.p.printf("%s\n", strings.TrimRight(b.String(), " "))
}
