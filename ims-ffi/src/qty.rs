//! `ims_qty`: an exact quantity as a scaled 64-bit integer (`units` ×
//! 10^-`scale`), and its decimal text. No floating point anywhere.

use std::os::raw::c_char;

use ims_core::Error;
use rust_decimal::Decimal;

use crate::args::{ims_str, Out};
use crate::call::run;
use crate::out::put_string;
use crate::status::ims_status;

/// An exact quantity: `units` × 10^-`scale` (`{150, 2}` is 1.50). Answers
/// give it in the item's smallest unit (`scale` = the item's scale);
/// inputs may use any scale up to 28 that the item can hold exactly.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ims_qty {
    /// The quantity in units of 10^-scale.
    pub units: i64,
    /// Decimal places, 0..=28.
    pub scale: u32,
}

impl ims_qty {
    /// The decimal it stands for.
    pub(crate) fn to_decimal(self) -> Result<Decimal, Error> {
        Decimal::try_from_i128_with_scale(i128::from(self.units), self.scale)
            .map_err(|_| Error::InvalidCommand { reason: format!("qty scale {}: at most 28", self.scale) })
    }

    /// A quantity in an item's smallest unit; `QUANTITY_OVERFLOW` beyond 64
    /// bits (sums over many locations are wider inside the engine).
    pub(crate) fn from_minor(minor: i128, scale: u8) -> Result<ims_qty, Error> {
        let units = i64::try_from(minor).map_err(|_| Error::QuantityOverflow)?;
        Ok(ims_qty { units, scale: u32::from(scale) })
    }

    fn from_decimal(d: Decimal) -> Result<ims_qty, Error> {
        ims_qty::from_minor(d.mantissa(), d.scale() as u8)
    }
}

/// Parses decimal text (`"12"`, `"-0.250"`) exactly into `*out`, keeping
/// its scale. `IMS_INVALID_COMMAND` for anything else (exponents, spaces,
/// more than 28 places); `IMS_QUANTITY_OVERFLOW` beyond 64 bits.
#[no_mangle]
pub extern "C" fn ims_qty_parse(text: ims_str, out: *mut ims_qty) -> ims_status {
    run("ims_qty_parse", || {
        let s = text.text("text")?;
        let out = Out::new(out, "out")?;
        let ok = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-');
        let d = ok
            .then(|| Decimal::from_str_exact(s).ok())
            .flatten()
            .ok_or_else(|| Error::InvalidCommand { reason: format!("{s:?} is not a decimal number") })?;
        out.put(ims_qty::from_decimal(d)?);
        Ok(())
    })
}

/// The quantity as decimal text into `*out` (`{150, 2}` → `"1.50"`; free
/// with `ims_string_free`), its length into `*out_len` when not NULL.
#[no_mangle]
pub extern "C" fn ims_qty_format(qty: ims_qty, out: *mut *mut c_char, out_len: *mut usize) -> ims_status {
    run("ims_qty_format", || {
        let (out, out_len) = (Out::new(out, "out")?, Out::opt(out_len)?);
        put_string(&qty.to_decimal()?.to_string(), out, out_len)
    })
}
