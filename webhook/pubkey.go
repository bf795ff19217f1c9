package webhook

import (
	"errors"
	"math/big"
)

// Why NewVerifier looks inside the key
//
// crypto/ed25519.Verify accepts any 32 bytes as a public key, and it checks
// signatures without multiplying by the cofactor 8. With a public key A of
// small order (a point of order 1, 2, 4 or 8), the check [S]B = R + [k]A no
// longer depends on a secret: the signature R = identity, S = 0 verifies
// every message when A is the identity, and about one message in the order
// of A otherwise (one in four for the key of 32 zero bytes, a point of
// order 4). A verifier built on such a key would accept forged deliveries,
// so NewVerifier refuses it. It also refuses bytes that are not the
// canonical encoding of a point on the curve: Verify would reject every
// signature with them, so they can only be a mistake.
//
// The check uses the standard library only (math/big; speed does not matter
// for a key read once, and a public key holds no secret to leak through
// timing):
//
//   - Small order: the eight points of order dividing 8 have the y
//     coordinates 1 (the identity), p-1 (order 2), 0 (two points of
//     order 4) and ±y8 (four points of order 8). The key's y, reduced mod p
//     with the sign bit of x ignored, is compared with these five values,
//     which covers the 14 byte strings Go decodes to such a point: both sign
//     bits, and the non-canonical y = p and y = p+1.
//   - Validity: the key is decoded as RFC 8032, section 5.1.3 says, without
//     any signature: y must be below p, x² = (y²-1)/(d·y²+1) must have a
//     square root mod p, and x = 0 must not come with the sign bit set.

// fieldP is the prime 2^255 - 19 of the field the curve is defined over.
var fieldP = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19))

// curveD is the constant d = -121665/121666 mod p of the Ed25519 curve
// -x² + y² = 1 + d·x²·y².
var curveD = func() *big.Int {
	d := new(big.Int).ModInverse(big.NewInt(121666), fieldP)
	d.Mul(d, big.NewInt(-121665))
	return d.Mod(d, fieldP)
}()

// smallOrderY holds the y coordinates of the points of order 1, 2, 4 and 8.
// y8 solves d·y⁴ + 2·y² - 1 = 0 (a point whose double has y = 0, that is,
// a point of order 8); the tests derive it again from the curve equation.
var smallOrderY = func() []*big.Int {
	y8, ok := new(big.Int).SetString("55188659117513257062467267217118295137698188065244968500265048394206261417927", 10)
	if !ok {
		panic("webhook: bad constant y8")
	}
	return []*big.Int{
		big.NewInt(0),
		big.NewInt(1),
		new(big.Int).Sub(fieldP, big.NewInt(1)),
		y8,
		new(big.Int).Sub(fieldP, y8),
	}
}()

// Reasons checkPublicKey gives, wrapped with ErrInvalidPublicKey by
// NewVerifier.
var (
	errSmallOrder   = errors.New("a point of small order, with which one forged signature verifies many bodies; it cannot be a Telnyx key")
	errNonCanonical = errors.New("not a canonical point encoding (y is not below 2^255-19)")
	errNotOnCurve   = errors.New("not a point on the Ed25519 curve")
)

// checkPublicKey reports why the 32 bytes raw are not usable as an Ed25519
// public key, or nil when they are.
func checkPublicKey(raw []byte) error {
	y, xNegative := splitPoint(raw)
	reduced := new(big.Int).Mod(y, fieldP)
	for _, s := range smallOrderY {
		if reduced.Cmp(s) == 0 {
			return errSmallOrder
		}
	}
	if _, err := decodeX(y, xNegative); err != nil {
		return err
	}
	return nil
}

// splitPoint reads an encoded point: y is the little-endian number in the
// low 255 bits, and the top bit is the sign (the low bit) of x.
func splitPoint(raw []byte) (y *big.Int, xNegative bool) {
	be := make([]byte, len(raw))
	for i, b := range raw {
		be[len(raw)-1-i] = b
	}
	xNegative = be[0]&0x80 != 0
	be[0] &= 0x7f
	return new(big.Int).SetBytes(be), xNegative
}

// decodeX recovers x from y and its sign as RFC 8032, section 5.1.3 does,
// failing where that decoding fails.
func decodeX(y *big.Int, xNegative bool) (*big.Int, error) {
	if y.Cmp(fieldP) >= 0 {
		return nil, errNonCanonical
	}
	y2 := new(big.Int).Mul(y, y)
	y2.Mod(y2, fieldP)
	u := new(big.Int).Sub(y2, big.NewInt(1)) // y² - 1
	v := new(big.Int).Mul(curveD, y2)        // d·y² + 1, never 0 as d is not a square
	v.Add(v, big.NewInt(1))
	v.ModInverse(v, fieldP)
	x2 := u.Mul(u, v)
	x2.Mod(x2, fieldP)
	x := new(big.Int).ModSqrt(x2, fieldP)
	if x == nil {
		return nil, errNotOnCurve
	}
	if x.Sign() == 0 && xNegative {
		return nil, errNotOnCurve // "negative zero" is not an encoding of x = 0
	}
	if (x.Bit(0) == 1) != xNegative {
		x.Sub(fieldP, x)
	}
	return x, nil
}
