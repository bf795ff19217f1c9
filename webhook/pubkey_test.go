package webhook

import (
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"math/big"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testP is 2^255 - 19, computed here on its own rather than taken from the
// code under test.
var testP = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19))

// testD is -121665/121666 mod p, the d of the Ed25519 curve
// -x² + y² = 1 + d·x²·y².
var testD = func() *big.Int {
	d := new(big.Int).ModInverse(big.NewInt(121666), testP)
	d.Mul(d, big.NewInt(-121665))
	return d.Mod(d, testP)
}()

// smallOrderYs derives the y coordinates of the eight points of order 1, 2,
// 4 and 8 from the curve equation: y = 1 (the identity), y = -1 (order 2),
// y = 0 (the two points of order 4), and ±y8 (the four points of order 8,
// whose doubles have y = 0, so that x² = -y², which with the curve equation
// gives d·y⁴ + 2·y² - 1 = 0, hence y² = (-1 + sqrt(1+d)) / d).
func smallOrderYs(t *testing.T) []*big.Int {
	t.Helper()
	root := new(big.Int).ModSqrt(new(big.Int).Add(testD, big.NewInt(1)), testP)
	require.NotNil(t, root)
	y2 := new(big.Int).Sub(root, big.NewInt(1))
	y2.Mul(y2, new(big.Int).ModInverse(testD, testP))
	y2.Mod(y2, testP)
	y8 := new(big.Int).ModSqrt(y2, testP)
	if y8 == nil { // the other root of the quadratic in y²
		y2.Sub(new(big.Int).Neg(root), big.NewInt(1))
		y2.Mul(y2, new(big.Int).ModInverse(testD, testP))
		y2.Mod(y2, testP)
		y8 = new(big.Int).ModSqrt(y2, testP)
	}
	require.NotNil(t, y8)
	return []*big.Int{
		big.NewInt(0),
		big.NewInt(1),
		new(big.Int).Sub(testP, big.NewInt(1)),
		y8,
		new(big.Int).Sub(testP, y8),
	}
}

// encodePoint writes y little-endian in 32 bytes with the sign of x in the
// top bit, as RFC 8032 encodes points. y may be up to 2^255 - 1, which
// gives the non-canonical encodings of y - p.
func encodePoint(y *big.Int, xNegative bool) []byte {
	be := y.FillBytes(make([]byte, 32))
	out := make([]byte, 32)
	for i := range be {
		out[i] = be[31-i]
	}
	if xNegative {
		out[31] |= 0x80
	}
	return out
}

type keyEncoding struct {
	name string
	raw  []byte
}

// smallOrderEncodings lists every 32-byte string that Go's crypto/ed25519
// decodes to a point of small order: each small-order y and, for y = 0 and
// y = 1, also y + p (which still fits in 255 bits), each with either sign
// bit. That is 14 strings for the 8 points.
func smallOrderEncodings(t *testing.T) []keyEncoding {
	t.Helper()
	ys := smallOrderYs(t)
	names := []string{"y=0 (order 4)", "y=1 (identity)", "y=-1 (order 2)", "y=y8 (order 8)", "y=-y8 (order 8)"}
	type yName struct {
		y    *big.Int
		name string
	}
	var all []yName
	for i, y := range ys {
		all = append(all, yName{y, names[i]})
	}
	all = append(all,
		yName{new(big.Int).Add(testP, ys[0]), "y=p, non-canonical 0 (order 4)"},
		yName{new(big.Int).Add(testP, ys[1]), "y=p+1, non-canonical identity"},
	)
	var out []keyEncoding
	for _, yn := range all {
		for _, neg := range []bool{false, true} {
			out = append(out, keyEncoding{name: fmt.Sprintf("%s, x sign %t", yn.name, neg), raw: encodePoint(yn.y, neg)})
		}
	}
	return out
}

// forgedSignature is R = the identity point, S = 0. Verification computes
// [S]B - [k]A = -[k]A; for a public key A of order n it equals R whenever n
// divides k = SHA-512(R || A || message), which happens for every message
// when A is the identity and for about one message in n otherwise.
func forgedSignature() string {
	sig := make([]byte, ed25519.SignatureSize)
	sig[0] = 1 // the identity point encodes as y = 1
	return base64.StdEncoding.EncodeToString(sig)
}

// TestNewVerifierRefusesSmallOrderKeys fails if a key of small order is
// accepted. Before NewVerifier checked the point, it was, and then one fixed
// signature verified arbitrary bodies: all of them for the identity key,
// about one in four for the key of 32 zero bytes (a point of order 4).
func TestNewVerifierRefusesSmallOrderKeys(t *testing.T) {
	t.Parallel()
	ts := strconv.FormatInt(testNow.Unix(), 10)
	for _, enc := range smallOrderEncodings(t) {
		t.Run(enc.name, func(t *testing.T) {
			t.Parallel()
			v, err := NewVerifier(base64.StdEncoding.EncodeToString(enc.raw), WithClock(func() time.Time { return testNow }))
			if err == nil {
				const bodies = 64
				forged := 0
				for i := range bodies {
					body := fmt.Appendf(nil, `{"data":{"id":"%d","event_type":"portout.status_changed"}}`, i)
					if v.Verify(body, http.Header{TimestampHeader: {ts}, SignatureHeader: {forgedSignature()}}) == nil {
						forged++
					}
				}
				t.Fatalf("NewVerifier accepted the small-order key %x; with it one fixed signature verified %d of %d arbitrary bodies",
					enc.raw, forged, bodies)
			}
			assert.Nil(t, v)
			assert.ErrorIs(t, err, ErrInvalidPublicKey)
			assert.Contains(t, err.Error(), "small order")
		})
	}
}

// point is an affine point of the curve, for the order checks below.
type point struct{ x, y *big.Int }

// add is the complete Edwards addition law for a = -1:
// x3 = (x1·y2 + y1·x2) / (1 + d·x1·x2·y1·y2), y3 = (y1·y2 + x1·x2) / (1 - d·x1·x2·y1·y2).
func add(a, b point) point {
	mod := func(z *big.Int) *big.Int { return z.Mod(z, testP) }
	t := mod(new(big.Int).Mul(testD, mod(new(big.Int).Mul(mod(new(big.Int).Mul(a.x, b.x)), mod(new(big.Int).Mul(a.y, b.y))))))
	xn := mod(new(big.Int).Add(new(big.Int).Mul(a.x, b.y), new(big.Int).Mul(a.y, b.x)))
	yn := mod(new(big.Int).Add(new(big.Int).Mul(a.y, b.y), new(big.Int).Mul(a.x, b.x)))
	xd := new(big.Int).ModInverse(mod(new(big.Int).Add(big.NewInt(1), t)), testP)
	yd := new(big.Int).ModInverse(mod(new(big.Int).Sub(big.NewInt(1), t)), testP)
	return point{mod(xn.Mul(xn, xd)), mod(yn.Mul(yn, yd))}
}

// order returns the order of p when it is at most 8, else 0.
func order(p point) int {
	q := p
	for n := 1; n <= 8; n++ {
		if q.x.Sign() == 0 && q.y.Cmp(big.NewInt(1)) == 0 {
			return n
		}
		q = add(q, p)
	}
	return 0
}

func decodeForTest(t *testing.T, raw []byte) point {
	t.Helper()
	y, neg := splitPoint(raw)
	x, err := decodeX(y, neg)
	require.NoError(t, err, "%x", raw)
	return point{x, y}
}

// TestSmallOrderYIsTheTorsion checks the constants of pubkey.go against the
// curve: the y values it lists are those derived here, the canonical
// encodings with them decode to exactly eight distinct points of order 1,
// 2, 4 and 8 (the whole subgroup of small order), and real keys do not have
// small order.
func TestSmallOrderYIsTheTorsion(t *testing.T) {
	t.Parallel()
	derived := smallOrderYs(t)
	require.Len(t, smallOrderY, len(derived))
	for i := range derived {
		assert.Zero(t, derived[i].Cmp(smallOrderY[i]), "smallOrderY[%d] = %v, derived %v", i, smallOrderY[i], derived[i])
	}

	orders := map[string]int{}
	for _, y := range derived {
		for _, neg := range []bool{false, true} {
			raw := encodePoint(y, neg)
			if y.Cmp(big.NewInt(1)) == 0 || y.Cmp(new(big.Int).Sub(testP, big.NewInt(1))) == 0 {
				if neg {
					continue // x = 0 has no negative encoding
				}
			}
			orders[fmt.Sprintf("%x", raw)] = order(decodeForTest(t, raw))
		}
	}
	require.Len(t, orders, 8, "the subgroup of small order has eight points")
	count := map[int]int{}
	for _, o := range orders {
		count[o]++
	}
	assert.Equal(t, map[int]int{1: 1, 2: 1, 4: 2, 8: 4}, count)

	for range 16 {
		pub, _, err := ed25519.GenerateKey(nil)
		require.NoError(t, err)
		assert.Zero(t, order(decodeForTest(t, pub)), "a real key has large order")
		assert.NoError(t, checkPublicKey(pub))
	}
}

func TestNewVerifierRefusesInvalidPoints(t *testing.T) {
	t.Parallel()
	// The smallest y for which (y²-1)/(d·y²+1) has no square root: no x
	// makes a point with it.
	var offCurve *big.Int
	for y := int64(2); offCurve == nil; y++ {
		yy := big.NewInt(y * y)
		u := new(big.Int).Sub(yy, big.NewInt(1))
		v := new(big.Int).Add(new(big.Int).Mul(testD, yy), big.NewInt(1))
		x2 := new(big.Int).Mul(u, new(big.Int).ModInverse(v, testP))
		if new(big.Int).ModSqrt(x2.Mod(x2, testP), testP) == nil {
			offCurve = big.NewInt(y)
		}
	}
	// y = p + 2 fits in 255 bits; 2 is not a small-order y.
	nonCanonical := new(big.Int).Add(testP, big.NewInt(2))
	// All ones in the low 255 bits: y = 2^255 - 1 = p + 18.
	allOnes := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(1))

	tests := []struct {
		name string
		raw  []byte
		want string
	}{
		{name: "off the curve", raw: encodePoint(offCurve, false), want: "not a point on the Ed25519 curve"},
		{name: "off the curve, sign set", raw: encodePoint(offCurve, true), want: "not a point on the Ed25519 curve"},
		{name: "y = p + 2", raw: encodePoint(nonCanonical, false), want: "not a canonical point encoding"},
		{name: "y = 2^255 - 1", raw: encodePoint(allOnes, true), want: "not a canonical point encoding"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v, err := NewVerifier(base64.StdEncoding.EncodeToString(tc.raw))
			require.Error(t, err)
			assert.Nil(t, v)
			assert.ErrorIs(t, err, ErrInvalidPublicKey)
			assert.Contains(t, err.Error(), tc.want)
			assert.Contains(t, err.Error(), "telnyx: webhook: invalid public key: ")
		})
	}
}

func TestNewVerifierAcceptsGeneratedKeys(t *testing.T) {
	t.Parallel()
	for range 64 {
		pub, priv := newKey(t)
		v, err := NewVerifier(pub)
		require.NoError(t, err, pub)
		body := []byte(`{}`)
		assert.NoError(t, v.Verify(body, signedHeader(priv, time.Now(), body)))
	}
}

// TestDecodeXNegativeZero covers the RFC 8032 rule that checkPublicKey
// never reaches, as the only points with x = 0 have small order.
func TestDecodeXNegativeZero(t *testing.T) {
	t.Parallel()
	_, err := decodeX(big.NewInt(1), true)
	assert.ErrorIs(t, err, errNotOnCurve)
	x, err := decodeX(big.NewInt(1), false)
	require.NoError(t, err)
	assert.Zero(t, x.Sign())
}
