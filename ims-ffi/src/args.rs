//! What a C caller passes: strings and buffers as pointer + length, and
//! pointers to write results to. Everything is checked before use — NULL,
//! a length beyond [`MAX_INPUT`], text that is not UTF-8 — and turned into
//! a specific status. What cannot be checked (that `len` bytes really are
//! readable at `ptr`, that an output pointer points at writable memory) is
//! the caller's promise, stated once in the header.

use std::ptr::NonNull;

use ims_core::Error;

/// The longest string or buffer any call accepts: 256 MiB. A longer length
/// is a length that lies (or an input no till sends), refused before any
/// byte is read.
pub const IMS_MAX_INPUT: usize = 256 << 20;

/// A borrowed string: `len` bytes of UTF-8 at `ptr`, no NUL needed. In an
/// optional field, `ptr == NULL` (with `len == 0`) means absent.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ims_str {
    /// The first byte (may be NULL only where the field is optional).
    pub ptr: *const u8,
    /// Its length in bytes.
    pub len: usize,
}

/// A buffer argument: `len` bytes at `ptr`. NULL is allowed only with
/// `len == 0`.
pub(crate) fn bytes<'a>(ptr: *const u8, len: usize, what: &'static str) -> Result<&'a [u8], Error> {
    if len > IMS_MAX_INPUT {
        return Err(Error::LimitExceeded { what, max: IMS_MAX_INPUT as u64 });
    }
    if ptr.is_null() {
        return if len == 0 { Ok(&[]) } else { Err(Error::NullArgument { what }) };
    }
    // SAFETY: `ptr` is not NULL and `len` is at most IMS_MAX_INPUT (so below
    // isize::MAX); that `len` bytes at `ptr` are readable and unchanged for
    // the call is the caller's promise (header: "Ownership and memory").
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

impl ims_str {
    /// A required string.
    pub(crate) fn text<'a>(&self, what: &'static str) -> Result<&'a str, Error> {
        if self.ptr.is_null() {
            return Err(Error::NullArgument { what });
        }
        let b = bytes(self.ptr, self.len, what)?;
        utf8(b).map_err(|at| Error::InvalidUtf8 { what, at })
    }

    /// An optional string field: NULL is absent.
    pub(crate) fn opt<'a>(&self, what: &'static str) -> Result<Option<&'a str>, Error> {
        if self.ptr.is_null() && self.len == 0 {
            return Ok(None);
        }
        self.text(what).map(Some)
    }
}

/// `b` as text, or the offset of its first byte that is not UTF-8.
/// Codes are short and nearly always ASCII: eight bytes at a time decide
/// that in a few instructions where `from_utf8` walks a short input byte by
/// byte (a sixth of a stock lookup's cost before this).
fn utf8(b: &[u8]) -> Result<&str, u64> {
    let mut words = b.chunks_exact(8);
    let high = words.by_ref().fold(0u64, |acc, w| acc | u64::from_ne_bytes(w.try_into().unwrap_or_default()));
    let high = high | words.remainder().iter().fold(0u64, |acc, &x| acc | u64::from(x));
    if high & 0x8080_8080_8080_8080 == 0 {
        // SAFETY: every byte is below 0x80, and ASCII is UTF-8.
        return Ok(unsafe { std::str::from_utf8_unchecked(b) });
    }
    std::str::from_utf8(b).map_err(|e| e.valid_up_to() as u64)
}

/// A required `const T*` argument (a struct the caller filled in).
pub(crate) fn input<'a, T>(p: *const T, what: &'static str) -> Result<&'a T, Error> {
    if p.is_null() {
        return Err(Error::NullArgument { what });
    }
    if !p.is_aligned() {
        return Err(Error::NullArgument { what: "a misaligned pointer" });
    }
    // SAFETY: not NULL and aligned; that it points at a valid `T` for the
    // call is the caller's promise.
    Ok(unsafe { &*p })
}

/// A required array argument of `n` structs.
pub(crate) fn array<'a, T>(p: *const T, n: usize, what: &'static str) -> Result<&'a [T], Error> {
    let max = IMS_MAX_INPUT / std::mem::size_of::<T>().max(1);
    if n > max {
        return Err(Error::LimitExceeded { what, max: max as u64 });
    }
    if n == 0 {
        return Ok(&[]);
    }
    if p.is_null() {
        return Err(Error::NullArgument { what });
    }
    if !p.is_aligned() {
        return Err(Error::NullArgument { what: "a misaligned pointer" });
    }
    // SAFETY: not NULL, aligned, and `n * size_of::<T>()` is at most
    // IMS_MAX_INPUT; that `n` valid `T`s are there is the caller's promise.
    Ok(unsafe { std::slice::from_raw_parts(p, n) })
}

/// An optional output array of `n` elements (NULL: not wanted).
pub(crate) fn array_out<'a, T>(p: *mut T, n: usize) -> Result<Option<&'a mut [T]>, Error> {
    if p.is_null() || n == 0 {
        return Ok(None);
    }
    if !p.is_aligned() {
        return Err(Error::NullArgument { what: "a misaligned pointer" });
    }
    // SAFETY: not NULL and aligned; `n` was bounded by the input array's
    // check; that `n` writable elements are there is the caller's promise.
    // The elements are plain integers, so whatever bytes were there are
    // valid values of `T` to overwrite.
    Ok(Some(unsafe { std::slice::from_raw_parts_mut(p, n) }))
}

/// An output pointer, checked before the call does any work (so a NULL
/// one leaves the state unchanged).
pub(crate) struct Out<T>(NonNull<T>);

impl<T> Out<T> {
    /// A required output.
    pub(crate) fn new(p: *mut T, what: &'static str) -> Result<Out<T>, Error> {
        match NonNull::new(p) {
            Some(nn) if p.is_aligned() => Ok(Out(nn)),
            Some(_) => Err(Error::NullArgument { what: "a misaligned pointer" }),
            None => Err(Error::NullArgument { what }),
        }
    }

    /// An optional output: NULL means "not wanted".
    pub(crate) fn opt(p: *mut T) -> Result<Option<Out<T>>, Error> {
        if p.is_null() {
            return Ok(None);
        }
        Out::new(p, "output").map(Some)
    }

    /// Stores the result in an optional output.
    pub(crate) fn put_opt(out: Option<Out<T>>, v: T) {
        if let Some(o) = out {
            o.put(v);
        }
    }

    /// Stores the result.
    pub(crate) fn put(self, v: T) {
        // SAFETY: not NULL and aligned (checked in `new`); that it points at
        // writable memory for a `T` is the caller's promise. `write` does not
        // drop the old bytes, which may be uninitialised.
        unsafe { self.0.as_ptr().write(v) }
    }
}

#[cfg(test)]
mod tests {
    use super::utf8;

    #[test]
    fn utf8_agrees_with_the_standard_library() {
        let samples: &[&[u8]] = &[
            b"",
            b"SKU-00001",
            b"S1/TILL",
            b"exactly8",
            b"sixteen bytes ok",
            "Kaffee Crème 500 g".as_bytes(),
            "日本".as_bytes(),
            b"\xff",
            b"SKU-0000\xc3",
            b"SKU-00001234567\x80",
            b"ab\xe2\x82",
            b"\xed\xa0\x80 surrogate",
        ];
        for s in samples {
            let want = std::str::from_utf8(s).map_err(|e| e.valid_up_to() as u64);
            assert_eq!(utf8(s), want, "{s:?}");
        }
    }
}
