package webhook

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewVerifier(t *testing.T) {
	t.Parallel()
	pub := fixedKey.Public().(ed25519.PublicKey)
	std := base64.StdEncoding.EncodeToString(pub)

	tests := []struct {
		name    string
		key     string
		opts    []VerifierOption
		wantErr string // substring; "" means success
	}{
		{name: "standard padded", key: std},
		{name: "standard unpadded", key: base64.RawStdEncoding.EncodeToString(pub)},
		{name: "URL-safe padded", key: base64.URLEncoding.EncodeToString(pub)},
		{name: "URL-safe unpadded", key: base64.RawURLEncoding.EncodeToString(pub)},
		{name: "surrounding white space", key: "  " + std + "\n"},
		{name: "nil option ignored", key: std, opts: []VerifierOption{nil}},
		{name: "empty", key: "", wantErr: "invalid public key"},
		{name: "blank", key: "   ", wantErr: "invalid public key"},
		{name: "not base64", key: "not a key!", wantErr: "invalid public key"},
		{name: "31 bytes", key: base64.StdEncoding.EncodeToString(pub[:31]), wantErr: "invalid public key"},
		{name: "33 bytes", key: base64.StdEncoding.EncodeToString(append(pub[:32:32], 0)), wantErr: "invalid public key"},
		{name: "private key", key: base64.StdEncoding.EncodeToString(fixedKey), wantErr: "invalid public key"},
		{name: "hex instead of base64", key: hex.EncodeToString(pub), wantErr: "invalid public key"},
		{name: "huge", key: strings.Repeat("A", 1<<16), wantErr: "invalid public key"},
		{name: "zero tolerance", key: std, opts: []VerifierOption{WithTolerance(0)}, wantErr: "WithTolerance"},
		{name: "negative tolerance", key: std, opts: []VerifierOption{WithTolerance(-time.Second)}, wantErr: "WithTolerance"},
		{name: "nil clock", key: std, opts: []VerifierOption{WithClock(nil)}, wantErr: "WithClock"},
		{name: "first bad option reported", key: std, opts: []VerifierOption{WithClock(nil), WithTolerance(0)}, wantErr: "WithClock"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v, err := NewVerifier(tc.key, tc.opts...)
			if tc.wantErr == "" {
				require.NoError(t, err)
				require.NotNil(t, v)
				assert.Equal(t, pub, v.key)
				assert.Equal(t, DefaultTolerance, v.tolerance)
				return
			}
			require.Error(t, err)
			assert.Nil(t, v)
			assert.Contains(t, err.Error(), tc.wantErr)
			assert.True(t, strings.HasPrefix(err.Error(), "telnyx: "), err.Error())
			if tc.wantErr == "invalid public key" {
				assert.ErrorIs(t, err, ErrInvalidPublicKey)
			}
		})
	}
}

func TestVerify(t *testing.T) {
	t.Parallel()
	priv := fixedKey
	_, otherKey := newKey(t)
	body := []byte(`{"event_type":"portout.new_comment","payload":{"comment":"hi"}}`)
	now := strconv.FormatInt(testNow.Unix(), 10)
	at := func(d time.Duration) string { return strconv.FormatInt(testNow.Add(d).Unix(), 10) }
	hdr := func(ts, sig string) http.Header {
		return http.Header{TimestampHeader: {ts}, SignatureHeader: {sig}}
	}
	sig := func(ts string, b []byte) string { return sign(priv, ts, b) }
	rawSig := ed25519.Sign(priv, append([]byte(now+"|"), body...))

	flipped := append([]byte(nil), body...)
	flipped[10] ^= 0x01

	tests := []struct {
		name   string
		body   []byte
		header http.Header
		opts   []VerifierOption
		want   error // nil means accepted
	}{
		{name: "valid", body: body, header: hdr(now, sig(now, body))},
		{name: "valid empty body", body: nil, header: hdr(now, sig(now, nil))},
		{name: "lower-case header keys", body: body, header: http.Header{
			"telnyx-timestamp": {now}, "telnyx-signature-ed25519": {sig(now, body)},
		}},
		{name: "white space around values", body: body, header: hdr(" "+now+"\t", " "+sig(now, body)+" ")},
		{name: "unpadded signature", body: body, header: hdr(now, base64.RawStdEncoding.EncodeToString(rawSig))},
		{name: "URL-safe signature", body: body, header: hdr(now, base64.URLEncoding.EncodeToString(rawSig))},
		{name: "at past tolerance edge", body: body, header: hdr(at(-5*time.Minute), sig(at(-5*time.Minute), body))},
		{name: "at future tolerance edge", body: body, header: hdr(at(5*time.Minute), sig(at(5*time.Minute), body))},
		{name: "wider tolerance", body: body, header: hdr(at(-time.Hour), sig(at(-time.Hour), body)),
			opts: []VerifierOption{WithTolerance(time.Hour)}},

		{name: "flipped body byte", body: flipped, header: hdr(now, sig(now, body)), want: ErrInvalidSignature},
		{name: "appended body byte", body: append(append([]byte(nil), body...), ' '), header: hdr(now, sig(now, body)), want: ErrInvalidSignature},
		{name: "wrong key", body: body, header: hdr(now, sign(otherKey, now, body)), want: ErrInvalidSignature},
		{name: "signature of another timestamp", body: body, header: hdr(at(time.Second), sig(now, body)), want: ErrInvalidSignature},
		{name: "timestamp with leading zero", body: body, header: hdr("0"+now, sig(now, body)), want: ErrInvalidSignature},
		{name: "signature without separator", body: body, header: hdr(now, base64.StdEncoding.EncodeToString(
			ed25519.Sign(priv, append([]byte(now), body...)))), want: ErrInvalidSignature},
		{name: "zero signature", body: body, header: hdr(now, base64.StdEncoding.EncodeToString(make([]byte, 64))), want: ErrInvalidSignature},

		{name: "stale", body: body, header: hdr(at(-5*time.Minute-time.Second), sig(at(-5*time.Minute-time.Second), body)), want: ErrTimestampOutOfTolerance},
		{name: "future", body: body, header: hdr(at(5*time.Minute+time.Second), sig(at(5*time.Minute+time.Second), body)), want: ErrTimestampOutOfTolerance},
		{name: "narrower tolerance", body: body, header: hdr(at(-2*time.Second), sig(at(-2*time.Second), body)),
			opts: []VerifierOption{WithTolerance(time.Second)}, want: ErrTimestampOutOfTolerance},
		{name: "epoch", body: body, header: hdr("0", sig("0", body)), want: ErrTimestampOutOfTolerance},
		{name: "max int64", body: body, header: hdr("9223372036854775807", sig("9223372036854775807", body)), want: ErrTimestampOutOfTolerance},
		{name: "stale and unsigned", body: body, header: hdr("0", sig(now, body)), want: ErrInvalidSignature},

		{name: "no headers", body: body, header: nil, want: ErrMissingHeader},
		{name: "missing signature", body: body, header: http.Header{TimestampHeader: {now}}, want: ErrMissingHeader},
		{name: "missing timestamp", body: body, header: http.Header{SignatureHeader: {sig(now, body)}}, want: ErrMissingHeader},
		{name: "empty signature", body: body, header: hdr(now, ""), want: ErrMissingHeader},
		{name: "blank timestamp", body: body, header: hdr("  ", sig(now, body)), want: ErrMissingHeader},
		{name: "signature key without values", body: body, header: http.Header{TimestampHeader: {now}, SignatureHeader: {}}, want: ErrMissingHeader},

		{name: "signature not base64", body: body, header: hdr(now, "***"), want: ErrMalformedHeader},
		{name: "signature 63 bytes", body: body, header: hdr(now, base64.StdEncoding.EncodeToString(rawSig[:63])), want: ErrMalformedHeader},
		{name: "signature 65 bytes", body: body, header: hdr(now, base64.StdEncoding.EncodeToString(append(rawSig[:64:64], 0))), want: ErrMalformedHeader},
		{name: "signature hex", body: body, header: hdr(now, hex.EncodeToString(rawSig)), want: ErrMalformedHeader},
		{name: "signature repeated", body: body, header: http.Header{TimestampHeader: {now}, SignatureHeader: {sig(now, body), sig(now, body)}}, want: ErrMalformedHeader},
		{name: "timestamp repeated", body: body, header: http.Header{TimestampHeader: {now, now}, SignatureHeader: {sig(now, body)}}, want: ErrMalformedHeader},
		{name: "timestamp not numeric", body: body, header: hdr("yesterday", sig("yesterday", body)), want: ErrMalformedHeader},
		{name: "timestamp fractional", body: body, header: hdr(now+".5", sig(now+".5", body)), want: ErrMalformedHeader},
		{name: "timestamp negative", body: body, header: hdr("-1", sig("-1", body)), want: ErrMalformedHeader},
		{name: "timestamp with plus sign", body: body, header: hdr("+"+now, sig("+"+now, body)), want: ErrMalformedHeader},
		{name: "timestamp beyond int64", body: body, header: hdr("99999999999999999999", sig("99999999999999999999", body)), want: ErrMalformedHeader},
		{name: "timestamp RFC 3339", body: body, header: hdr(testNow.UTC().Format(time.RFC3339), sig(testNow.UTC().Format(time.RFC3339), body)), want: ErrMalformedHeader},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := newTestVerifier(t, pubKey(priv), tc.opts...)
			err := v.Verify(tc.body, tc.header)
			if tc.want == nil {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.want)
			for _, other := range []error{ErrMissingHeader, ErrMalformedHeader, ErrInvalidSignature, ErrTimestampOutOfTolerance} {
				if !errors.Is(other, tc.want) {
					assert.NotErrorIs(t, err, other)
				}
			}
			assert.True(t, strings.HasPrefix(err.Error(), "telnyx: webhook: "), err.Error())
		})
	}
}

func TestVerifyErrorNamesHeaderNotValue(t *testing.T) {
	t.Parallel()
	v := newTestVerifier(t, pubKey(fixedKey))
	err := v.Verify(nil, http.Header{TimestampHeader: {"secret-looking-value"}, SignatureHeader: {sign(fixedKey, "1", nil)}})
	require.ErrorIs(t, err, ErrMalformedHeader)
	assert.Contains(t, err.Error(), "telnyx-timestamp")
	assert.NotContains(t, err.Error(), "secret-looking-value")

	err = v.Verify(nil, http.Header{TimestampHeader: {"1"}})
	require.ErrorIs(t, err, ErrMissingHeader)
	assert.Contains(t, err.Error(), "telnyx-signature-ed25519")
}

func TestVerifyUsesClockOnEveryCall(t *testing.T) {
	t.Parallel()
	now := testNow
	v, err := NewVerifier(pubKey(fixedKey), WithClock(func() time.Time { return now }))
	require.NoError(t, err)
	h := signedHeader(fixedKey, testNow, []byte("{}"))

	require.NoError(t, v.Verify([]byte("{}"), h))
	now = testNow.Add(5*time.Minute + 1)
	assert.ErrorIs(t, v.Verify([]byte("{}"), h), ErrTimestampOutOfTolerance)
	now = testNow.Add(-5*time.Minute - 1)
	assert.ErrorIs(t, v.Verify([]byte("{}"), h), ErrTimestampOutOfTolerance)
}

func TestVerifyDefaultClock(t *testing.T) {
	t.Parallel()
	pub, priv := newKey(t)
	v, err := NewVerifier(pub)
	require.NoError(t, err)
	body := []byte(`{}`)
	assert.NoError(t, v.Verify(body, signedHeader(priv, time.Now(), body)))
	assert.ErrorIs(t, v.Verify(body, signedHeader(priv, time.Now().Add(-time.Hour), body)), ErrTimestampOutOfTolerance)
}

func TestVerifyUnusableVerifier(t *testing.T) {
	t.Parallel()
	body := []byte("{}")
	h := signedHeader(fixedKey, testNow, body)
	tests := []struct {
		name string
		v    *Verifier
	}{
		{name: "nil", v: nil},
		{name: "zero value", v: &Verifier{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var err error
			require.NotPanics(t, func() { err = tc.v.Verify(body, h) })
			require.Error(t, err)
			assert.Contains(t, err.Error(), "NewVerifier")
			_, err = tc.v.ParseEvent(body, h)
			assert.Error(t, err)
		})
	}
}

func TestFarApart(t *testing.T) {
	t.Parallel()
	const maxI, minI = int64(^uint64(0) >> 1), -int64(^uint64(0)>>1) - 1
	tests := []struct {
		name        string
		a, b, limit int64
		want        bool
	}{
		{name: "equal", a: 5, b: 5, limit: 0, want: false},
		{name: "within", a: 10, b: 7, limit: 3, want: false},
		{name: "beyond", a: 10, b: 6, limit: 3, want: true},
		{name: "beyond negative", a: 6, b: 10, limit: 3, want: true},
		{name: "across zero within", a: -1, b: 1, limit: 2, want: false},
		{name: "across zero beyond", a: -2, b: 1, limit: 2, want: true},
		{name: "max minus min", a: maxI, b: minI, limit: 1000, want: true},
		{name: "min minus max", a: minI, b: maxI, limit: 1000, want: true},
		{name: "min minus one", a: minI, b: 1, limit: 1000, want: true},
		{name: "both max", a: maxI, b: maxI, limit: 0, want: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, farApart(tc.a, tc.b, tc.limit))
		})
	}
}

func TestWithinToleranceExtremeClock(t *testing.T) {
	t.Parallel()
	for _, now := range []time.Time{{}, time.Unix(1<<62, 0), time.Unix(-1<<62, 0)} {
		v := &Verifier{key: fixedKey.Public().(ed25519.PublicKey), tolerance: DefaultTolerance, now: func() time.Time { return now }}
		assert.False(t, v.withinTolerance(testNow.Unix()), now)
		assert.False(t, v.withinTolerance(1<<63-1), now)
	}
}
