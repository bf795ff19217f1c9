package webhook

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// testNow is the injected clock of most tests: a whole second, so that
// tolerance boundaries fall exactly on signed timestamps.
var testNow = time.Unix(1700000000, 0)

// fixedKey is derived from a constant seed so that committed fuzz corpus
// files carrying real signatures stay valid. It is a test key only.
var fixedKey = func() ed25519.PrivateKey {
	seed := sha256.Sum256([]byte("telnyx-go webhook test key"))
	return ed25519.NewKeyFromSeed(seed[:])
}()

func newKey(t testing.TB) (string, ed25519.PrivateKey) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	return base64.StdEncoding.EncodeToString(pub), priv
}

func pubKey(priv ed25519.PrivateKey) string {
	return base64.StdEncoding.EncodeToString(priv.Public().(ed25519.PublicKey))
}

// sign returns the base64 signature Telnyx would send for ts and body.
func sign(priv ed25519.PrivateKey, ts string, body []byte) string {
	msg := append([]byte(ts+"|"), body...)
	return base64.StdEncoding.EncodeToString(ed25519.Sign(priv, msg))
}

// signedHeader returns the headers of a delivery signed at ts.
func signedHeader(priv ed25519.PrivateKey, ts time.Time, body []byte) http.Header {
	s := strconv.FormatInt(ts.Unix(), 10)
	h := http.Header{}
	h.Set(TimestampHeader, s)
	h.Set(SignatureHeader, sign(priv, s, body))
	return h
}

func newTestVerifier(t testing.TB, pub string, opts ...VerifierOption) *Verifier {
	t.Helper()
	v, err := NewVerifier(pub, append([]VerifierOption{WithClock(func() time.Time { return testNow })}, opts...)...)
	require.NoError(t, err)
	return v
}
