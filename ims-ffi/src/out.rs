//! What the door hands to C: byte buffers and NUL-terminated strings that
//! the caller owns until it gives them back with `ims_bytes_free` /
//! `ims_string_free`. Each allocation carries a small header (a tag and
//! its length) in front of the bytes the caller sees, so freeing needs only
//! the pointer, and a pointer that is not ours (or already freed, in the
//! common case) is noticed by its tag instead of corrupting the heap.

use std::alloc::{alloc, dealloc, Layout};
use std::os::raw::c_char;

use ims_core::Error;

use crate::args::Out;
use crate::call::run;
use crate::status::ims_status;

const HEADER: usize = 16;
const BYTES_TAG: u64 = 0x696d_735f_6279_7465; // "ims_byte"
const STRING_TAG: u64 = 0x696d_735f_7374_7273; // "ims_strs"
const FREED_TAG: u64 = 0x696d_735f_6672_6565; // "ims_free"

fn layout(total: usize) -> Result<Layout, Error> {
    Layout::from_size_align(total, 8).map_err(|_| Error::LimitExceeded { what: "output", max: isize::MAX as u64 })
}

/// Copies `data` into a fresh allocation (with a NUL after it when `nul`).
fn hand_out(data: &[u8], tag: u64, nul: bool) -> Result<*mut u8, Error> {
    let total = HEADER + data.len() + usize::from(nul);
    let l = layout(total)?;
    // SAFETY: the layout has a non-zero size (HEADER > 0).
    let base = unsafe { alloc(l) };
    if base.is_null() {
        return Err(Error::LimitExceeded { what: "memory for the output", max: total as u64 });
    }
    // SAFETY: `base` is a fresh, 8-aligned allocation of `total` bytes: the
    // header, then `data`, then the NUL fit exactly and do not overlap `data`.
    unsafe {
        base.cast::<u64>().write(tag);
        base.add(8).cast::<u64>().write(data.len() as u64);
        let body = base.add(HEADER);
        std::ptr::copy_nonoverlapping(data.as_ptr(), body, data.len());
        if nul {
            body.add(data.len()).write(0);
        }
        Ok(body)
    }
}

/// Takes back what [`hand_out`] gave; `false` when `p` is not ours.
fn take_back(p: *mut u8, tag: u64, nul: bool) -> bool {
    if p.is_null() {
        return true;
    }
    if (p as usize) % 8 != 0 {
        return false;
    }
    // SAFETY: `p` came from `hand_out` (the caller's promise, checked by the
    // tag as far as it can be): the 16 header bytes before it are ours.
    unsafe {
        let base = p.sub(HEADER);
        if base.cast::<u64>().read() != tag {
            return false;
        }
        let len = base.add(8).cast::<u64>().read() as usize;
        base.cast::<u64>().write(FREED_TAG);
        match layout(HEADER + len + usize::from(nul)) {
            Ok(l) => dealloc(base, l),
            Err(_) => return false,
        }
    }
    true
}

/// Hands `data` to the caller through `(out, out_len)`.
pub(crate) fn put_bytes(data: &[u8], out: Out<*mut u8>, out_len: Out<usize>) -> Result<(), Error> {
    let p = hand_out(data, BYTES_TAG, false)?;
    out.put(p);
    out_len.put(data.len());
    Ok(())
}

/// Hands `s` to the caller as a NUL-terminated string; its length (without
/// the NUL) through `out_len` when wanted.
pub(crate) fn put_string(s: &str, out: Out<*mut c_char>, out_len: Option<Out<usize>>) -> Result<(), Error> {
    let p = hand_out(s.as_bytes(), STRING_TAG, true)?;
    out.put(p.cast());
    if let Some(l) = out_len {
        l.put(s.len());
    }
    Ok(())
}

/// Frees a buffer this library returned (a snapshot, a sync payload).
/// NULL is a no-op. A pointer this library did not return, or one already
/// freed, is `IMS_INVALID_HANDLE` when it can be told (it usually can); it
/// must not be used after this call either way.
#[no_mangle]
pub extern "C" fn ims_bytes_free(data: *mut u8) -> ims_status {
    run("ims_bytes_free", || {
        if take_back(data, BYTES_TAG, false) {
            Ok(())
        } else {
            Err(Error::InvalidHandle { reason: "not a buffer from ims, or freed already" })
        }
    })
}

/// Frees a string this library returned (JSON, digests, decimal text).
/// NULL is a no-op; otherwise as `ims_bytes_free`.
#[no_mangle]
pub extern "C" fn ims_string_free(s: *mut c_char) -> ims_status {
    run("ims_string_free", || {
        if take_back(s.cast(), STRING_TAG, true) {
            Ok(())
        } else {
            Err(Error::InvalidHandle { reason: "not a string from ims, or freed already" })
        }
    })
}
