package main

import (
	"context"
	"strconv"
	"strings"

	telnyx "github.com/a54710f5/telnyx-go"
)

var showCmd = &command{
	name:    "show",
	args:    "ID",
	summary: "show a port-out: details, comments, supporting documents, eligible rejection codes",
	about: `Show everything a reviewer needs about one port-out request: its details, the
comments on it, the supporting documents linked to it and the rejection codes
it may be rejected with (a code marked "needs reason" needs --reason text).`,
	example: `  telnyx-portouts --fake show ` + demoAcme + `
  telnyx-portouts show ID --output json | jq '.rejection_codes[] | select(.reason_required)'`,
	run: runShow,
}

// portoutDetails is what show prints in JSON mode: one object.
type portoutDetails struct {
	Portout             *telnyx.Portout                    `json:"portout"`
	Comments            []telnyx.PortoutComment            `json:"comments"`
	SupportingDocuments []telnyx.PortoutSupportingDocument `json:"supporting_documents"`
	RejectionCodes      []telnyx.PortoutRejectionCode      `json:"rejection_codes"`
}

func runShow(ctx context.Context, a *app, c *command, args []string) error {
	fs := a.flagSet(c.name)
	id, err := a.parseID(c, fs, args, "port-out ID")
	if err != nil {
		return err
	}
	client, err := a.getClient()
	if err != nil {
		return err
	}
	var d portoutDetails
	if d.Portout, err = client.Portouts.Get(ctx, id); err != nil {
		return err
	}
	if d.Comments, err = client.Portouts.Comments.List(ctx, id); err != nil {
		return err
	}
	if d.SupportingDocuments, err = client.Portouts.SupportingDocuments.List(ctx, id); err != nil {
		return err
	}
	if d.RejectionCodes, err = client.Portouts.ListRejectionCodes(ctx, id, nil); err != nil {
		return err
	}
	// Empty lists are [] in JSON, never null.
	d.Comments = nonNil(d.Comments)
	d.SupportingDocuments = nonNil(d.SupportingDocuments)
	d.RejectionCodes = nonNil(d.RejectionCodes)
	if a.jsonOut() {
		a.out.json(d)
		return nil
	}
	printDetails(a.out, &d)
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func printDetails(p *printer, d *portoutDetails) {
	po := d.Portout
	rejection := ""
	if po.RejectionCode != 0 {
		rejection = strconv.Itoa(po.RejectionCode)
	}
	place := strings.Join(nonEmpty(po.City, po.State, po.Zip), ", ")
	p.fields([][2]string{
		{"ID", po.ID},
		{"Status", string(po.Status)},
		{"Phone numbers", numbers(po.PhoneNumbers)},
		{"End user", po.EndUserName},
		{"Authorized by", po.AuthorizedName},
		{"Service address", strings.Join(nonEmpty(po.ServiceAddress, place), ", ")},
		{"Gaining carrier", po.CarrierName},
		{"SPID", po.SPID},
		{"PON", po.PON},
		{"Requested FOC", date(po.RequestedFocDate)},
		{"FOC date", date(po.FocDate)},
		{"Host messaging", yesNo(po.HostMessaging)},
		{"Reason", po.Reason},
		{"Rejection code", rejection},
		{"Support key", po.SupportKey},
		{"Received", date(receivedAt(po))},
		{"Updated", date(po.UpdatedAt)},
	})

	p.printf("\nComments (%d)\n", len(d.Comments))
	if len(d.Comments) > 0 {
		rows := make([][]string, len(d.Comments))
		for i, cm := range d.Comments {
			rows[i] = []string{date(cm.CreatedAt), author(cm.UserID), cm.Body}
		}
		p.table([]string{"DATE", "BY", "COMMENT"}, rows)
	}

	p.printf("\nSupporting documents (%d)\n", len(d.SupportingDocuments))
	if len(d.SupportingDocuments) > 0 {
		p.table(supportingHeader, supportingRows(d.SupportingDocuments))
	}

	p.printf("\nEligible rejection codes (%d)\n", len(d.RejectionCodes))
	if len(d.RejectionCodes) > 0 {
		rows := make([][]string, len(d.RejectionCodes))
		for i, rc := range d.RejectionCodes {
			need := ""
			if rc.ReasonRequired {
				need = "needs reason"
			}
			rows[i] = []string{strconv.Itoa(rc.Code), rc.Description, need}
		}
		p.table([]string{"CODE", "DESCRIPTION", "NOTE"}, rows)
	}
}

var supportingHeader = []string{"TYPE", "DOCUMENT ID", "LINKED"}

func supportingRows(docs []telnyx.PortoutSupportingDocument) [][]string {
	rows := make([][]string, len(docs))
	for i, sd := range docs {
		rows[i] = []string{string(sd.Type), sd.DocumentID, date(sd.CreatedAt)}
	}
	return rows
}

// author names who wrote a comment: Telnyx support writes with no user ID.
func author(userID string) string {
	if userID == "" {
		return "Telnyx"
	}
	return userID
}

func nonEmpty(s ...string) []string {
	out := s[:0:0]
	for _, v := range s {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}
