package telnyxtest

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"strconv"
	"time"

	"github.com/a54710f5/telnyx-go/webhook"
)

// WebhookSigner signs webhook bodies as Telnyx does, for users' own tests:
// a webhook handler can be fed deliveries that a webhook.Verifier made
// from PublicKey accepts, without a Server. The Server signs its own
// deliveries with one (see Server.SignWebhook). Create it with
// NewWebhookSigner; a WebhookSigner is safe for concurrent use.
type WebhookSigner struct {
	priv ed25519.PrivateKey
}

// NewWebhookSigner returns a signer with a fresh Ed25519 key pair.
func NewWebhookSigner() *WebhookSigner {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic("telnyxtest: NewWebhookSigner: generate key: " + err.Error())
	}
	return &WebhookSigner{priv: priv}
}

// PublicKey returns the signer's Ed25519 public key in standard base64, as
// the Telnyx portal shows an account's key: pass it to webhook.NewVerifier.
func (s *WebhookSigner) PublicKey() string {
	return base64.StdEncoding.EncodeToString(s.key().Public().(ed25519.PublicKey))
}

// Sign returns the headers Telnyx would send with body at the time at:
// telnyx-timestamp, at as Unix seconds in decimal, and
// telnyx-signature-ed25519, the base64 Ed25519 signature of
// timestamp + "|" + body. Sign a body exactly as it will be sent; a
// receiver verifies the raw bytes. Each call returns a new header.
func (s *WebhookSigner) Sign(body []byte, at time.Time) http.Header {
	priv := s.key()
	ts := strconv.FormatInt(at.Unix(), 10)
	msg := make([]byte, 0, len(ts)+1+len(body))
	msg = append(msg, ts...)
	msg = append(msg, '|')
	msg = append(msg, body...)
	h := make(http.Header, 2)
	h.Set(webhook.TimestampHeader, ts)
	h.Set(webhook.SignatureHeader, base64.StdEncoding.EncodeToString(ed25519.Sign(priv, msg)))
	return h
}

// key returns the private key, panicking with a clear message for a
// WebhookSigner that NewWebhookSigner did not make.
func (s *WebhookSigner) key() ed25519.PrivateKey {
	if s == nil || len(s.priv) != ed25519.PrivateKeySize {
		panic("telnyxtest: WebhookSigner not created by NewWebhookSigner")
	}
	return s.priv
}

// SignWebhook returns the headers for a delivery of body signed now, by the
// server's clock (WithClock), with the server's own key, the one
// WebhookPublicKey returns and its deliveries are signed with. Use it to
// post a body of the test's choosing to a handler as if the server had
// sent it.
func (s *Server) SignWebhook(body []byte) http.Header {
	return s.signer.Sign(body, s.now())
}
