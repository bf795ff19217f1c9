package webhook

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	telnyx "github.com/a54710f5/telnyx-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var sentinels = []error{ErrMissingHeader, ErrMalformedHeader, ErrInvalidSignature, ErrTimestampOutOfTolerance}

// genuinelySigned is an independent statement of what Verify may accept: a
// signature that, in one of the base64 alphabets, decodes to 64 bytes that
// ed25519.Verify accepts over exactly timestamp + "|" + body, with a decimal
// timestamp within 5 minutes of testNow.
func genuinelySigned(pub ed25519.PublicKey, body []byte, ts, sig string) bool {
	ts, sig = strings.Trim(ts, " \t"), strings.Trim(sig, " \t")
	n, err := strconv.ParseUint(ts, 10, 63)
	if err != nil {
		return false
	}
	if d := time.Duration(int64(n)-testNow.Unix()) * time.Second; n > 1<<40 || d > 5*time.Minute || d < -5*time.Minute {
		return false
	}
	msg := append([]byte(ts+"|"), body...)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if s, err := enc.DecodeString(sig); err == nil && len(s) == ed25519.SignatureSize && ed25519.Verify(pub, msg, s) {
			return true
		}
	}
	return false
}

// FuzzVerify feeds arbitrary bodies and header values to Verify with a fixed
// key and clock. Verify must not panic, must fail only with one of its
// sentinels, and must accept nothing that is not genuinely signed.
func FuzzVerify(f *testing.F) {
	pub := fixedKey.Public().(ed25519.PublicKey)
	_, otherKey := newKey(f)
	now := strconv.FormatInt(testNow.Unix(), 10)
	stale := strconv.FormatInt(testNow.Add(-time.Hour).Unix(), 10)
	future := strconv.FormatInt(testNow.Add(time.Hour).Unix(), 10)
	// Just inside and just outside the tolerance, where the exact comparison
	// (not the coarse overflow guard) decides.
	edges := []time.Duration{-5 * time.Minute, 5 * time.Minute, -5*time.Minute - time.Second, 5*time.Minute + time.Second}
	for _, d := range edges {
		ts := strconv.FormatInt(testNow.Add(d).Unix(), 10)
		b := []byte(newCommentJSON)
		f.Add(b, ts, sign(fixedKey, ts, b))
	}
	for _, body := range []string{statusChangedJSON, envelope(newCommentJSON), focDateChangedJSON, unknownJSON, "", "x"} {
		b := []byte(body)
		f.Add(b, now, sign(fixedKey, now, b))                         // valid
		f.Add(append([]byte("!"), b...), now, sign(fixedKey, now, b)) // tampered body
		f.Add(b, now, sign(otherKey, now, b))                         // wrong key
		f.Add(b, stale, sign(fixedKey, stale, b))                     // stale
		f.Add(b, future, sign(fixedKey, future, b))                   // future
		f.Add(b, "", sign(fixedKey, now, b))                          // missing timestamp
		f.Add(b, now, "")                                             // missing signature
		f.Add(b, "soon", sign(fixedKey, "soon", b))                   // malformed timestamp
		f.Add(b, now, "***")                                          // malformed signature
	}

	f.Fuzz(func(t *testing.T, body []byte, ts, sig string) {
		v := newTestVerifier(t, pubKey(fixedKey))
		header := http.Header{TimestampHeader: {ts}, SignatureHeader: {sig}}
		err := v.Verify(body, header)
		if err == nil {
			if !genuinelySigned(pub, body, ts, sig) {
				t.Fatalf("accepted a delivery not genuinely signed within tolerance: body %q ts %q sig %q", body, ts, sig)
			}
			if len(body) > 0 {
				tampered := append([]byte(nil), body...)
				tampered[len(tampered)/2] ^= 0x80
				if err := v.Verify(tampered, header); !errors.Is(err, ErrInvalidSignature) {
					t.Fatalf("tampered body: got %v, want ErrInvalidSignature", err)
				}
			}
			return
		}
		matched := 0
		for _, s := range sentinels {
			if errors.Is(err, s) {
				matched++
			}
		}
		if matched != 1 {
			t.Fatalf("error %v matches %d sentinels, want exactly 1", err, matched)
		}
	})
}

// FuzzParseEvent signs arbitrary bodies with the fixed key, so that the
// decoder behind ParseEvent sees them. It checks that a body decodes only
// into a coherent event or fails with ErrMalformedBody, that the flat and
// enveloped forms agree, and that the body fails verification once any bit
// of it changes. (Unsigned deliveries in general are FuzzVerify's job.)
func FuzzParseEvent(f *testing.F) {
	for _, body := range []string{
		statusChangedJSON, newCommentJSON, focDateChangedJSON, unknownJSON,
		envelope(statusChangedJSON), envelope(newCommentJSON), envelope(focDateChangedJSON), envelope(unknownJSON),
		`{"event_type": "portout.status_changed"}`, `{"event_type": "portout.new_comment", "payload": null}`,
		`{"event_type": "portout.foc_date_changed", "payload": {"foc_date": "2021-03-19"}}`,
		`{"data": {"event_type": "x"}}`, `{"data": "x"}`, `{"data": null}`, `{}`, `null`, `[]`, ``, `"x"`,
		`{"event_type": 1}`, `{"event_type": "portout.new_comment", "payload": {"comment": 5}}`,
		`{"event_type": "portout.new_comment", "created_at": "yesterday"}`,
	} {
		f.Add([]byte(body), uint(len(body)/3))
	}

	f.Fuzz(func(t *testing.T, body []byte, flip uint) {
		v := newTestVerifier(t, pubKey(fixedKey))
		header := signedHeader(fixedKey, testNow, body)
		ev, err := v.ParseEvent(body, header)
		if err != nil {
			if ev != nil {
				t.Fatal("event returned with an error")
			}
			if !errors.Is(err, ErrMalformedBody) {
				t.Fatalf("signed body: got %v, want ErrMalformedBody", err)
			}
		} else {
			checkCoherent(t, ev)
			checkEnvelopeAgrees(t, body, ev)
		}

		if len(body) > 0 {
			tampered := append([]byte(nil), body...)
			tampered[int(flip%uint(len(body)))] ^= 1 << (flip % 8)
			if ev, err := v.ParseEvent(tampered, header); ev != nil || !errors.Is(err, ErrInvalidSignature) {
				t.Fatalf("tampered body: got %v, %v; want ErrInvalidSignature", ev, err)
			}
		}
	})
}

// checkCoherent asserts that an accepted event has a type and the payload
// type that goes with it.
func checkCoherent(t *testing.T, ev *telnyx.PortoutEvent) {
	t.Helper()
	if ev == nil || ev.EventType == "" || ev.Payload == nil {
		t.Fatalf("incoherent event %+v", ev)
	}
	var ok bool
	switch ev.EventType {
	case telnyx.PortoutEventStatusChanged:
		_, ok = ev.Payload.(*telnyx.PortoutStatusChangedPayload)
	case telnyx.PortoutEventNewComment:
		_, ok = ev.Payload.(*telnyx.PortoutNewCommentPayload)
	case telnyx.PortoutEventFocDateChanged:
		_, ok = ev.Payload.(*telnyx.PortoutFocDateChangedPayload)
	default:
		_, ok = ev.Payload.(*telnyx.UnknownPortoutEventPayload)
	}
	if !ok {
		t.Fatalf("event type %q with payload %T", ev.EventType, ev.Payload)
	}
}

// checkEnvelopeAgrees asserts that a flat event decodes the same once it is
// wrapped in an envelope.
func checkEnvelopeAgrees(t *testing.T, body []byte, ev *telnyx.PortoutEvent) {
	t.Helper()
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil {
		t.Fatalf("accepted a body that is not a JSON object: %q", body)
	}
	if _, flat := top["event_type"]; !flat {
		return
	}
	wrapped := append(append([]byte(`{"meta":{},"data":`), body...), '}')
	got, err := decodeEvent(wrapped) // what ParseEvent runs once verified; signing again would slow the fuzzer
	if err != nil {
		t.Fatalf("flat event accepted but its envelope rejected: %v", err)
	}
	if !reflect.DeepEqual(normalize(got), normalize(ev)) {
		t.Fatalf("envelope decodes to %+v, flat to %+v", got, ev)
	}
}

// normalize re-encodes an unknown payload's raw JSON compactly, since the
// envelope may hold the same value with other white space.
func normalize(ev *telnyx.PortoutEvent) *telnyx.PortoutEvent {
	c := *ev
	if p, ok := c.Payload.(*telnyx.UnknownPortoutEventPayload); ok && len(p.Raw) > 0 {
		var buf strings.Builder
		var v any
		if json.Unmarshal(p.Raw, &v) == nil {
			b, _ := json.Marshal(v)
			buf.Write(b)
		}
		c.Payload = &telnyx.UnknownPortoutEventPayload{Raw: json.RawMessage(buf.String())}
	}
	return &c
}

// TestFuzzCorpusSeeds keeps the committed FuzzVerify corpus meaningful: the
// files named valid_* must still carry real signatures of fixedKey at
// testNow, and every other file must be rejected.
func TestFuzzCorpusSeeds(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "fuzz", "FuzzVerify", "*"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	v := newTestVerifier(t, pubKey(fixedKey))
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			lines := strings.Split(strings.TrimSpace(string(data)), "\n")
			require.Len(t, lines, 4)
			require.Equal(t, "go test fuzz v1", lines[0])
			arg := func(line, prefix string) string {
				require.True(t, strings.HasPrefix(line, prefix) && strings.HasSuffix(line, ")"), line)
				s, err := strconv.Unquote(line[len(prefix) : len(line)-1])
				require.NoError(t, err)
				return s
			}
			body, ts, sig := arg(lines[1], "[]byte("), arg(lines[2], "string("), arg(lines[3], "string(")
			err = v.Verify([]byte(body), http.Header{TimestampHeader: {ts}, SignatureHeader: {sig}})
			if strings.HasPrefix(filepath.Base(file), "valid_") {
				assert.NoError(t, err)
			} else {
				assert.Error(t, err)
			}
		})
	}
}
