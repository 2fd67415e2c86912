//! GS1 identifiers, pure: GTIN-8/12/13/14 with their check digit, and the
//! SGTIN-96 EPC binary encoding of RFID tags (GS1 EPC Tag Data Standard,
//! §14.5.1: header `0x30`, filter 3 bits, partition 3 bits, company prefix
//! and indicator/item reference 44 bits split by the partition table,
//! serial 38 bits).

use serde::Serialize;

use crate::error::Error;

/// The GS1 check digit of the digits before it (mod 10, weights 3 and 1
/// alternating from the right).
pub fn check_digit(digits: &[u8]) -> u8 {
    let sum: u32 = digits.iter().rev().enumerate().map(|(i, d)| u32::from(*d) * if i % 2 == 0 { 3 } else { 1 }).sum();
    ((10 - sum % 10) % 10) as u8
}

/// Validates a GTIN-8, -12, -13 or -14 and returns it as GTIN-14 (left
/// padded with zeros): the one key every form of the same code shares.
pub fn normalize_gtin(barcode: &str) -> Result<String, Error> {
    let bad = |reason| Error::InvalidBarcode { barcode: barcode.chars().take(64).collect(), reason };
    if !barcode.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad("only digits are allowed"));
    }
    if !matches!(barcode.len(), 8 | 12 | 13 | 14) {
        return Err(bad("a GTIN has 8, 12, 13 or 14 digits"));
    }
    let digits: Vec<u8> = barcode.bytes().map(|b| b - b'0').collect();
    let (body, check) = digits.split_at(digits.len() - 1);
    let expected = check_digit(body);
    if check[0] != expected {
        return Err(Error::BarcodeCheckDigit { barcode: barcode.into(), expected });
    }
    Ok(format!("{barcode:0>14}"))
}

/// A decoded SGTIN-96 EPC.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Sgtin {
    /// The EPC as 24 upper-case hex characters.
    pub epc: String,
    /// Filter value (0–7: 1 point of sale item, 2 full case, ...).
    pub filter: u8,
    /// Partition value (0–6): how the 44 bits split.
    pub partition: u8,
    /// GS1 company prefix, zero-padded to its digit count.
    pub company_prefix: String,
    /// Indicator digit followed by the item reference, zero-padded.
    pub item_reference: String,
    /// The GTIN-14 (with its computed check digit).
    pub gtin: String,
    /// Serial number (decimal, no leading zeros).
    pub serial: u64,
    /// The pure identity URI, `urn:epc:id:sgtin:CP.IR.SERIAL`.
    pub uri: String,
    /// The tag URI, `urn:epc:tag:sgtin-96:F.CP.IR.SERIAL`.
    pub tag_uri: String,
}

/// Partition table of SGTIN-96 (TDS table 14-2): partition → (company
/// prefix bits, digits, item reference bits, digits).
const PARTITIONS: [(u32, usize, u32, usize); 7] =
    [(40, 12, 4, 1), (37, 11, 7, 2), (34, 10, 10, 3), (30, 9, 14, 4), (27, 8, 17, 5), (24, 7, 20, 6), (20, 6, 24, 7)];

/// Decodes an SGTIN-96 EPC given as 24 hex characters (an optional `0x`
/// prefix and either case accepted).
pub fn decode_epc(epc: &str) -> Result<Sgtin, Error> {
    let bad = |reason| Error::InvalidEpc { epc: epc.chars().take(64).collect(), reason };
    let hex = epc.strip_prefix("0x").or_else(|| epc.strip_prefix("0X")).unwrap_or(epc);
    if hex.len() != 24 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad("an SGTIN-96 is 24 hex characters"));
    }
    let v = u128::from_str_radix(hex, 16).map_err(|_| bad("an SGTIN-96 is 24 hex characters"))?;
    let bits = |from: u32, len: u32| -> u128 { (v >> (96 - from - len)) & ((1u128 << len) - 1) };
    if bits(0, 8) != 0x30 {
        return Err(bad("header is not 0x30 (SGTIN-96)"));
    }
    let filter = bits(8, 3) as u8;
    let partition = bits(11, 3) as u8;
    let Some(&(cp_bits, cp_digits, ir_bits, ir_digits)) = PARTITIONS.get(partition as usize) else {
        return Err(bad("partition value 7 is reserved"));
    };
    let cp = bits(14, cp_bits);
    let ir = bits(14 + cp_bits, ir_bits);
    let serial = bits(58, 38) as u64;
    if cp >= 10u128.pow(cp_digits as u32) {
        return Err(bad("company prefix has more digits than its partition allows"));
    }
    if ir >= 10u128.pow(ir_digits as u32) {
        return Err(bad("item reference has more digits than its partition allows"));
    }
    let company_prefix = format!("{cp:0>cp_digits$}");
    let item_reference = format!("{ir:0>ir_digits$}");
    // GTIN-14 = indicator (first digit of the item reference field) +
    // company prefix + rest of the item reference + check digit.
    let body = format!("{}{}{}", &item_reference[..1], company_prefix, &item_reference[1..]);
    let digits: Vec<u8> = body.bytes().map(|b| b - b'0').collect();
    let gtin = format!("{body}{}", check_digit(&digits));
    Ok(Sgtin {
        epc: hex.to_ascii_uppercase(),
        filter,
        partition,
        uri: format!("urn:epc:id:sgtin:{company_prefix}.{item_reference}.{serial}"),
        tag_uri: format!("urn:epc:tag:sgtin-96:{filter}.{company_prefix}.{item_reference}.{serial}"),
        company_prefix,
        item_reference,
        gtin,
        serial,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digits_of_known_codes() {
        // GS1's own examples: EAN-13 4006381333931, UPC-A 036000291452, EAN-8 96385074.
        assert_eq!(normalize_gtin("4006381333931").unwrap(), "04006381333931");
        assert_eq!(normalize_gtin("036000291452").unwrap(), "00036000291452");
        assert_eq!(normalize_gtin("96385074").unwrap(), "00000096385074");
        assert_eq!(normalize_gtin("80614141123458").unwrap(), "80614141123458");
        assert!(matches!(normalize_gtin("4006381333932"), Err(Error::BarcodeCheckDigit { expected: 1, .. })));
        assert!(matches!(normalize_gtin("400638133393"), Err(Error::BarcodeCheckDigit { .. })));
        assert!(matches!(normalize_gtin("40063813339"), Err(Error::InvalidBarcode { .. })));
        assert!(matches!(normalize_gtin("40063813339a"), Err(Error::InvalidBarcode { .. })));
    }

    #[test]
    fn tds_sgtin96_example() {
        // GS1 EPC Tag Data Standard, the SGTIN-96 decoding example (§E):
        // urn:epc:tag:sgtin-96:3.0614141.812345.6789 → (01)80614141123458(21)6789.
        let s = decode_epc("3074257BF7194E4000001A85").unwrap();
        assert_eq!((s.filter, s.partition), (3, 5));
        assert_eq!(s.company_prefix, "0614141");
        assert_eq!(s.item_reference, "812345");
        assert_eq!(s.serial, 6789);
        assert_eq!(s.gtin, "80614141123458");
        assert_eq!(s.uri, "urn:epc:id:sgtin:0614141.812345.6789");
        assert_eq!(s.tag_uri, "urn:epc:tag:sgtin-96:3.0614141.812345.6789");
        assert_eq!(decode_epc("0x3074257bf7194e4000001a85").unwrap(), s);
    }

    #[test]
    fn malformed_epcs() {
        for e in ["", "3074257BF7194E4000001A8", "3074257BF7194E4000001A85FF", "3074257BF7194E4000001AXY"] {
            assert!(matches!(decode_epc(e), Err(Error::InvalidEpc { .. })), "{e}");
        }
        // Header of an SSCC-96 (0x31).
        assert!(matches!(decode_epc("3174257BF7194E4000001A85"), Err(Error::InvalidEpc { .. })));
        // Partition 7: 0x30, filter 3 (011), partition 111.
        assert!(matches!(decode_epc("307C257BF7194E4000001A85"), Err(Error::InvalidEpc { .. })));
    }
}
