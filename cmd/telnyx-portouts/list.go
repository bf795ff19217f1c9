package main

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
)

var listCmd = &command{
	name:    "list",
	args:    "[--status S]... [--country CC] [--carrier NAME] [--since DATE] [--until DATE] [--limit N]",
	summary: "list port-outs (pending ones unless --status says otherwise)",
	about: `List port-out requests, oldest first. Without --status only pending ones are
listed: the review queue. --since and --until compare the date Telnyx received
the request; a date means that whole day in UTC.`,
	example: `  telnyx-portouts --fake list
  telnyx-portouts list --status authorized --status ported --since 2026-11-01 --output json | jq -r .id`,
	run: runList,
}

// maxPageSize is the largest page the API serves.
const maxPageSize = 250

// pageSize checks a --limit of n and returns the page size to ask for: n,
// at most maxPageSize; maxPageSize when n is 0 (no limit).
func pageSize(n int) (int, error) {
	switch {
	case n < 0:
		return 0, usagef("--limit %d is negative", n)
	case n == 0:
		return maxPageSize, nil
	}
	return min(n, maxPageSize), nil
}

var countryCode = regexp.MustCompile(`^[A-Z]{2}$`)

func runList(ctx context.Context, a *app, c *command, args []string) error {
	fs := a.flagSet(c.name)
	var statuses listFlag
	fs.Var(&statuses, "status", "only this `STATUS` (repeat, or separate with commas): pending, authorized, ported, rejected, rejected-pending, canceled, or all (default pending)")
	country := fs.String("country", "", "only port-outs whose numbers are in this `CC` (two letters, such as US or CA)")
	carrier := fs.String("carrier", "", "only port-outs to this gaining carrier `NAME`")
	since := &timeFlag{}
	until := &timeFlag{}
	fs.Var(since, "since", "only port-outs received on or after `DATE` (2006-01-02 or RFC 3339)")
	fs.Var(until, "until", "only port-outs received on or before `DATE` (a date includes that whole day)")
	limit := fs.Int("limit", 0, "show at most `N` port-outs (0: all); a note on stderr says when more match")
	pos, err := a.parse(c, fs, args)
	if err != nil {
		return err
	}
	if err := noArgs(pos); err != nil {
		return err
	}

	var filter telnyx.PortoutListFilter
	if len(statuses) == 0 {
		statuses = listFlag{string(telnyx.PortoutStatusPending)}
	}
	st, err := parseStatuses(statuses)
	if err != nil {
		return err
	}
	if len(st) == 1 {
		filter.Status = st[0]
	} else {
		filter.StatusIn = st
	}
	if cc := strings.ToUpper(strings.TrimSpace(*country)); cc != "" {
		if !countryCode.MatchString(cc) {
			return usagef("--country %q: want two letters, such as US", *country)
		}
		filter.CountryCode = cc
	}
	filter.CarrierName = strings.TrimSpace(*carrier)
	if err := checkRange(since, until); err != nil {
		return err
	}
	filter.InsertedAt = telnyx.DateRange{Gte: since.first(), Lte: until.last()}
	size, err := pageSize(*limit)
	if err != nil {
		return err
	}

	client, err := a.getClient()
	if err != nil {
		return err
	}
	params := &telnyx.PortoutListParams{Filter: filter, Page: telnyx.PageParams{Size: size}}
	page, err := client.Portouts.List(ctx, params)
	if err != nil {
		return err
	}
	l := &limitedList[telnyx.Portout]{a: a, limit: *limit, noun: "port-outs", header: portoutHeader, row: portoutRow}
	for page != nil {
		for i := range page.Data {
			if !l.add(&page.Data[i]) {
				break
			}
		}
		if l.full() {
			l.more = l.more || page.HasNextPage()
			break
		}
		if page, err = page.NextPage(ctx); err != nil {
			return err
		}
	}
	total := 0
	if page != nil {
		total = page.Meta.TotalResults
	}
	l.end(total)
	return nil
}

// limitedList prints the items of a listing as they come, up to a --limit:
// as JSON lines at once, or as one table at the end. A note on stderr says
// when nothing matched, or when more matched than were shown.
type limitedList[T any] struct {
	a      *app
	limit  int    // 0: no limit
	noun   string // the items, plural: "port-outs"
	header []string
	row    func(*T) []string

	rows  [][]string
	shown int
	more  bool // an item was left out
}

// full reports whether the limit has been reached.
func (l *limitedList[T]) full() bool { return l.limit > 0 && l.shown == l.limit }

// add shows v, or reports false when the limit has been reached: v and
// what follows it are left out.
func (l *limitedList[T]) add(v *T) bool {
	if l.full() {
		l.more = true
		return false
	}
	l.shown++
	if l.a.jsonOut() {
		l.a.out.json(v)
	} else {
		l.rows = append(l.rows, l.row(v))
	}
	return true
}

// end prints the table and the notes. total is how many items the API
// counted, 0 when it does not say.
func (l *limitedList[T]) end(total int) {
	if !l.a.jsonOut() {
		if l.shown == 0 {
			l.a.msg.printf("No %s match.\n", l.noun)
		} else {
			l.a.out.table(l.header, l.rows)
		}
	}
	if l.more {
		of := ""
		if total > l.shown {
			of = " of " + strconv.Itoa(total)
		}
		l.a.msg.printf("Showing %d%s %s: more match; raise --limit to see them.\n", l.shown, of, l.noun)
	}
}

var portoutHeader = []string{"ID", "STATUS", "PHONE NUMBERS", "END USER", "GAINING CARRIER", "FOC DATE", "RECEIVED"}

func portoutRow(p *telnyx.Portout) []string {
	foc := p.FocDate
	if foc.IsZero() {
		foc = p.RequestedFocDate
	}
	focText := date(foc)
	if p.FocDate.IsZero() && focText != "" {
		focText += " (requested)"
	}
	return []string{p.ID, string(p.Status), numbersBrief(p.PhoneNumbers), p.EndUserName, p.CarrierName, focText, date(receivedAt(p))}
}

// receivedAt is when Telnyx received the request.
func receivedAt(p *telnyx.Portout) time.Time {
	if !p.InsertedAt.IsZero() {
		return p.InsertedAt
	}
	return p.CreatedAt
}

// numbersBrief shows up to three numbers and says how many more there are:
// shortened, but never silently. show lists them all.
func numbersBrief(n []string) string {
	const keep = 3
	if len(n) <= keep {
		return numbers(n)
	}
	return numbers(n[:keep-1]) + " and " + strconv.Itoa(len(n)-keep+1) + " more"
}
