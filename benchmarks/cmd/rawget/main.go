// Command rawget fetches one port-out with net/http and encoding/json only:
// the baseline for scripts/binsize.sh.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"time"
)

type portout struct {
	ID      string    `json:"id"`
	Status  string    `json:"status"`
	FocDate time.Time `json:"foc_date"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: rawget PORTOUT_ID")
		os.Exit(2)
	}
	base := os.Getenv("TELNYX_BASE_URL")
	if base == "" {
		base = "https://api.telnyx.com/v2/"
	}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, base+"portouts/"+url.PathEscape(os.Args[1]), nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	req.Header.Set("Authorization", "Bearer "+os.Getenv("TELNYX_API_KEY"))
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintln(os.Stderr, "status", resp.Status)
		os.Exit(1)
	}
	var out struct {
		Data portout `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(out.Data.ID, out.Data.Status, out.Data.FocDate)
}
