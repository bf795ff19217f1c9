package query

import (
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These mirror the shapes of the SDK's parameter structs; the root package
// tests the real ones.
type dateRange struct {
	Gte time.Time `url:"gte,omitempty"`
	Lte time.Time `url:"lte,omitempty"`
}

type page struct {
	Number int `url:"number,omitempty"`
	Size   int `url:"size,omitempty"`
}

type filter struct {
	Status     string    `url:"status,omitempty"`
	StatusIn   []string  `url:"status_in,omitempty,comma"`
	InsertedAt dateRange `url:"inserted_at"`
	FocDate    time.Time `url:"foc_date,omitempty"`
}

type params struct {
	Page   page   `url:"page"`
	Filter filter `url:"filter"`
}

func TestValues(t *testing.T) {
	t.Parallel()
	gte := time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC)
	lte := time.Date(2024, 9, 30, 23, 59, 59, 0, time.FixedZone("", -5*3600))
	tests := []struct {
		name string
		in   any
		want url.Values
	}{
		{"nil", nil, url.Values{}},
		{"typed nil pointer", (*params)(nil), url.Values{}},
		{"zero struct", params{}, url.Values{}},
		{"zero pointer", &params{}, url.Values{}},
		{"page", params{Page: page{Number: 2, Size: 50}}, url.Values{
			"page[number]": {"2"}, "page[size]": {"50"},
		}},
		{"nested brackets and RFC 3339", &params{Filter: filter{InsertedAt: dateRange{Gte: gte, Lte: lte}}}, url.Values{
			"filter[inserted_at][gte]": {"2024-09-01T00:00:00Z"},
			"filter[inserted_at][lte]": {"2024-09-30T23:59:59-05:00"},
		}},
		{"one end of a range", params{Filter: filter{InsertedAt: dateRange{Lte: gte}}}, url.Values{
			"filter[inserted_at][lte]": {"2024-09-01T00:00:00Z"},
		}},
		{"comma list", params{Filter: filter{StatusIn: []string{"pending", "authorized"}}}, url.Values{
			"filter[status_in]": {"pending,authorized"},
		}},
		{"single item list", params{Filter: filter{StatusIn: []string{"pending"}}}, url.Values{
			"filter[status_in]": {"pending"},
		}},
		{"empty list omitted", params{Filter: filter{StatusIn: []string{}}}, url.Values{}},
		{"time field", params{Filter: filter{FocDate: gte, Status: "ported"}}, url.Values{
			"filter[foc_date]": {"2024-09-01T00:00:00Z"}, "filter[status]": {"ported"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Values(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			// What goes on the wire parses back to the same values.
			back, err := url.ParseQuery(got.Encode())
			require.NoError(t, err)
			assert.Equal(t, tt.want, back)
		})
	}
}

func TestValuesRejectsNonStruct(t *testing.T) {
	t.Parallel()
	_, err := Values(42)
	assert.Error(t, err)
}
