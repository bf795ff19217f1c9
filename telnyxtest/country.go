package telnyxtest

import "strings"

// callingCodes maps E.164 calling codes to ISO 3166 country codes, for the
// countries port-outs most often involve. +1 is handled apart.
var callingCodes = map[string]string{
	"7": "RU", "20": "EG", "27": "ZA", "30": "GR", "31": "NL", "32": "BE", "33": "FR", "34": "ES",
	"36": "HU", "39": "IT", "40": "RO", "41": "CH", "43": "AT", "44": "GB", "45": "DK", "46": "SE",
	"47": "NO", "48": "PL", "49": "DE", "51": "PE", "52": "MX", "53": "CU", "54": "AR", "55": "BR",
	"56": "CL", "57": "CO", "58": "VE", "60": "MY", "61": "AU", "62": "ID", "63": "PH", "64": "NZ",
	"65": "SG", "66": "TH", "81": "JP", "82": "KR", "84": "VN", "86": "CN", "90": "TR", "91": "IN",
	"92": "PK", "351": "PT", "352": "LU", "353": "IE", "354": "IS", "356": "MT", "357": "CY",
	"358": "FI", "359": "BG", "370": "LT", "371": "LV", "372": "EE", "380": "UA", "385": "HR",
	"386": "SI", "420": "CZ", "421": "SK", "852": "HK", "886": "TW", "971": "AE", "972": "IL",
}

// canadianAreaCodes are the North American area codes assigned to Canada.
var canadianAreaCodes = map[string]bool{}

func init() {
	for _, c := range strings.Fields(`204 226 236 249 250 257 263 273 289 306 343 354 365 367 368 382
		387 403 416 418 428 431 437 438 450 460 468 474 506 514 519 548 579 581 584 587 604 613 639
		647 672 683 705 709 742 753 778 780 782 807 819 825 867 873 879 902 905`) {
		canadianAreaCodes[c] = true
	}
}

// countryOf returns the country of an E.164 number ("+13125550142" → "US"),
// or "" when the calling code is not in the table.
func countryOf(number string) string {
	digits, ok := strings.CutPrefix(strings.TrimSpace(number), "+")
	if !ok || digits == "" {
		return ""
	}
	if digits[0] == '1' {
		if len(digits) >= 4 && canadianAreaCodes[digits[1:4]] {
			return "CA"
		}
		return "US"
	}
	for n := 3; n >= 1; n-- {
		if len(digits) >= n {
			if c, ok := callingCodes[digits[:n]]; ok {
				return c
			}
		}
	}
	return ""
}
