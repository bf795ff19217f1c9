package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	telnyx "github.com/a54710f5/telnyx-go"
)

var authorizeCmd = &command{
	name:    "authorize",
	args:    "ID [--host-messaging] [--note TEXT]",
	summary: "authorize a pending port-out",
	about: `Authorize a pending port-out request, letting the numbers move to the gaining
carrier. With --dry-run, print the request instead of sending it.`,
	example:   `  telnyx-portouts --fake authorize ` + demoAcme + ` --note "LOA checked"`,
	canDryRun: true,
	run:       runAuthorize,
}

var rejectCmd = &command{
	name:    "reject",
	args:    "ID --reason TEXT [--code N]",
	summary: "reject a pending port-out (--code is checked, not sent)",
	about: `Reject a pending port-out request with a reason.

--code N is checked against the codes the port-out may be rejected with
(see 'show'): a code that is not eligible, or one that needs a reason when
--reason is missing, is refused and nothing is changed (exit status 1, since
the check needs the API). The API takes no rejection code, so the code is not
sent; with --code and no --reason, the code's description is sent as the
reason. --dry-run still reads the eligible codes, and sends no change.`,
	example: `  telnyx-portouts --fake reject ` + demoBakery + ` --code 1001
  telnyx-portouts reject ID --code 1010 --reason "Account number 4471 is not on this account"`,
	canDryRun: true,
	run:       runReject,
}

var commentCmd = &command{
	name:    "comment",
	args:    "ID TEXT",
	summary: "add a comment to a port-out (TEXT - reads stdin)",
	about:   `Add a comment to a port-out request. Quote TEXT; "-" reads it from stdin.`,
	example: `  telnyx-portouts --fake comment ` + demoAcme + ` "Called the customer; LOA confirmed."
  echo "Waiting for the invoice" | telnyx-portouts comment ID -`,
	canDryRun: true,
	run:       runComment,
}

func runAuthorize(ctx context.Context, a *app, c *command, args []string) error {
	fs := a.flagSet(c.name)
	hostMessaging := fs.Bool("host-messaging", false, "keep messaging for the numbers hosted with Telnyx")
	note := fs.String("note", "", "a note sent with the authorization (its reason)")
	id, err := a.parseID(c, fs, args, "port-out ID")
	if err != nil {
		return err
	}
	client, err := a.getClient()
	if err != nil {
		return err
	}
	p, err := client.Portouts.Authorize(ctx, id, telnyx.PortoutAuthorizeParams{
		Reason:        strings.TrimSpace(*note),
		HostMessaging: *hostMessaging,
	})
	if err != nil {
		return err
	}
	a.changed(func() { a.out.printf("Port-out %s is now %s.\n", p.ID, p.Status) }, p)
	return nil
}

func runReject(ctx context.Context, a *app, c *command, args []string) error {
	fs := a.flagSet(c.name)
	reasonFlag := fs.String("reason", "", "why the port-out is rejected (required, unless --code has a description to send)")
	var code intFlag
	fs.Var(&code, "code", "check that rejection code `N` is eligible (see 'show'); it is not sent")
	id, err := a.parseID(c, fs, args, "port-out ID")
	if err != nil {
		return err
	}
	reason := strings.TrimSpace(*reasonFlag)
	switch {
	case code.set && code.v <= 0:
		return usagef("--code %d: rejection codes are positive", code.v)
	case !code.set && reason == "":
		return usagef("--reason is required (or --code, whose description is then sent)")
	}
	client, err := a.getClient()
	if err != nil {
		return err
	}
	if code.set {
		if reason, err = checkCode(ctx, client, id, code.v, reason); err != nil {
			return err
		}
	}
	p, err := client.Portouts.Reject(ctx, id, reason)
	if err != nil {
		return err
	}
	a.changed(func() { a.out.printf("Port-out %s is now %s.\n", p.ID, p.Status) }, p)
	return nil
}

// checkCode fetches the codes the port-out may be rejected with and checks
// code against them. It returns the reason to send: the given one, or the
// code's description when none was given and the code needs none.
func checkCode(ctx context.Context, client *telnyx.Client, id string, code int, reason string) (string, error) {
	codes, err := client.Portouts.ListRejectionCodes(ctx, id, nil)
	if err != nil {
		return "", err
	}
	i := slices.IndexFunc(codes, func(rc telnyx.PortoutRejectionCode) bool { return rc.Code == code })
	if i < 0 {
		eligible := make([]string, len(codes))
		for j, rc := range codes {
			eligible[j] = strconv.Itoa(rc.Code)
		}
		list := "none"
		if len(eligible) > 0 {
			list = strings.Join(eligible, ", ")
		}
		return "", refusedf("rejection code %d is not eligible for port-out %s (eligible: %s); nothing was changed", code, id, list)
	}
	rc := codes[i]
	switch {
	case reason != "":
		return reason, nil
	case rc.ReasonRequired:
		return "", refusedf("rejection code %d (%s) needs a reason: add --reason TEXT; nothing was changed", code, rc.Description)
	case strings.TrimSpace(rc.Description) == "":
		return "", refusedf("rejection code %d has no description to send: add --reason TEXT; nothing was changed", code)
	}
	return rc.Description, nil
}

// refusedf reports an action refused once the API's answers were known:
// exit status 1, as deciding needed a request.
func refusedf(format string, args ...any) error {
	return fmt.Errorf(format, args...)
}

func runComment(ctx context.Context, a *app, c *command, args []string) error {
	fs := a.flagSet(c.name)
	pos, err := a.parse(c, fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) < 2:
		return usagef("want a port-out ID and the comment TEXT")
	case len(pos) > 2:
		return usagef("unexpected argument %q: quote the comment TEXT", pos[2])
	}
	id, err := needID(pos[:1], "port-out ID")
	if err != nil {
		return err
	}
	text := pos[1]
	if text == "-" {
		b, err := io.ReadAll(io.LimitReader(a.stdin, 1<<20))
		if err != nil {
			return usagef("reading the comment from stdin: %v", err)
		}
		text = string(b)
	}
	if text = strings.TrimSpace(text); text == "" {
		return usagef("the comment is empty")
	}
	client, err := a.getClient()
	if err != nil {
		return err
	}
	cm, err := client.Portouts.Comments.Create(ctx, id, telnyx.PortoutCommentCreateParams{Body: text})
	if err != nil {
		return err
	}
	a.changed(func() { a.out.printf("Comment %s added to port-out %s.\n", cm.ID, id) }, cm)
	return nil
}

// changed prints the outcome of a change: with --dry-run the request that
// was not sent; with --output json each object the API answered, one per
// line; otherwise what human prints for people.
func (a *app) changed(human func(), answered ...any) {
	switch {
	case a.dry != nil:
		a.dry.report(a)
	case a.jsonOut():
		for _, v := range answered {
			a.out.json(v)
		}
	default:
		human()
	}
}
