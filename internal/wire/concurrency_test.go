package wire

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConcurrentTables builds the tables of new types from many goroutines
// at once, while others decode and encode the same page, and values are
// interned: run with -race.
func TestConcurrentTables(t *testing.T) {
	t.Parallel()
	const workers = 8
	const types = 16
	// Types made at run time, so that no other test has built them.
	made := make([]reflect.Type, types)
	for i := range made {
		made[i] = reflect.StructOf([]reflect.StructField{
			{Name: "ID", Type: reflect.TypeFor[string](), Tag: `json:"id"`},
			{Name: "N", Type: reflect.TypeFor[int](), Tag: reflect.StructTag(fmt.Sprintf(`json:"g%d.n"`, i))},
			{Name: "Kids", Type: reflect.TypeFor[[]inner](), Tag: `json:"kids"`},
			{Name: "Extra", Type: reflect.TypeFor[map[string]json.RawMessage](), Tag: `json:"-"`},
		})
	}
	page := benchPage(variedPortoutJSON)
	var want testPage
	require.NoError(t, json.Unmarshal(page, &want))

	var wg sync.WaitGroup
	errs := make(chan error, workers*types*2)
	for w := range workers {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := range types {
				typ := made[(i+w)%types]
				v := reflect.New(typ)
				in := fmt.Sprintf(`{"id":"x%d","g%d":{"n":%d},"kids":[{"a":"k"}],"other":%d}`, w, (i+w)%types, i, w)
				if err := Unmarshal([]byte(in), v.Interface()); err != nil {
					errs <- err
					continue
				}
				if got := v.Elem().Field(1).Int(); got != int64(i) {
					errs <- fmt.Errorf("%v: n is %d, want %d", typ, got, i)
				}
				if _, err := Marshal(v.Interface()); err != nil {
					errs <- err
				}
			}
		}()
		go func() {
			defer wg.Done()
			var p testPage
			if err := Unmarshal(page, &p); err != nil {
				errs <- err
				return
			}
			if !assert.Equal(t, want, p) {
				errs <- fmt.Errorf("worker %d decoded a different page", w)
			}
			type color string
			Intern[color](color(fmt.Sprint("c", w)))
			var c []color
			if err := Unmarshal([]byte(`["c1","c2"]`), &c); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
