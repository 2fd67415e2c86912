//! The `ffi` fuzz target's property: the C door's entry points driven by
//! arbitrary bytes, as a till written in C could drive them. Included as a
//! module by `fuzz_targets/ffi.rs` and by `ims-ffi/tests/fuzz_regressions.rs`
//! (which replays the kept inputs without nightly), so it is written once.
//!
//! The input is a script: each operation takes an opcode byte and then the
//! arguments it needs from the following bytes (strings are length-prefixed
//! slices of the input). Pointers always point into the input or at a live
//! local: a length that lies *within* memory cannot be tested without
//! undefined behaviour, so lies are lengths beyond `IMS_MAX_INPUT` (with
//! a pointer that must not be read), NULLs where arguments are required,
//! and handles forged from input bytes, freed or of the other kind.
//!
//! Must hold after every call: the status is a catalogue code (or OK) and
//! never `IMS_INTERNAL` (a panic caught at the boundary) or
//! `IMS_ENGINE_POISONED`; a refused call changes neither the engine's seq
//! nor its state digest; `ims_engine_verify` finds nothing at the end, and
//! a snapshot → restore round trip keeps the state digest.

use std::ffi::CStr;
use std::os::raw::c_char;
use std::ptr;

use ims::*;

/// Operations one input runs at most (keeps every execution fast).
pub const MAX_OPS: usize = 64;

/// Commands that give the engine something to work on.
const SETUP: &[&str] = &[
    r#"{"type":"define_location","location":"S1","kind":"site","occurred_at":1735689600000}"#,
    r#"{"type":"define_location","location":"A","kind":"storage","parent":"S1","occurred_at":1735689600000}"#,
    r#"{"type":"define_item","item":"SKU","barcodes":[{"code":"4006381333931"}],"occurred_at":1735689600000}"#,
    r#"{"type":"define_item","item":"MILK","tracking":"lot","occurred_at":1735689600000}"#,
    r#"{"type":"receive","item":"SKU","location":"A","qty":"5","occurred_at":1735689600000}"#,
];

/// The next bytes of the script.
struct Script<'a> {
    data: &'a [u8],
}

impl<'a> Script<'a> {
    fn byte(&mut self) -> u8 {
        let (b, rest) = self.data.split_first().map_or((0, &[][..]), |(b, r)| (*b, r));
        self.data = rest;
        b
    }
    fn u64(&mut self) -> u64 {
        (0..8).fold(0u64, |acc, _| (acc << 8) | u64::from(self.byte()))
    }
    /// A slice of up to 255 bytes, its length given by the next byte.
    fn bytes(&mut self) -> &'a [u8] {
        let n = usize::from(self.byte()).min(self.data.len());
        let (b, rest) = self.data.split_at(n);
        self.data = rest;
        b
    }
    /// A string argument: usually a slice of the input; sometimes NULL, a
    /// known code, or a length beyond the limit (whose bytes must not be
    /// read: the pointer is the input's, the length a lie).
    fn text(&mut self) -> ims_str {
        match self.byte() % 8 {
            0 => ims_str { ptr: ptr::null(), len: 0 },
            1 => ims_str { ptr: self.data.as_ptr(), len: IMS_MAX_INPUT + 1 + usize::from(self.byte()) },
            2 => known(["SKU", "MILK", "A", "S1", "*"][usize::from(self.byte()) % 5]),
            3 => ims_str { ptr: ptr::null(), len: usize::from(self.byte()) },
            _ => {
                let b = self.bytes();
                ims_str { ptr: b.as_ptr(), len: b.len() }
            }
        }
    }
    fn done(&self) -> bool {
        self.data.is_empty()
    }
}

fn known(s: &'static str) -> ims_str {
    ims_str { ptr: s.as_ptr(), len: s.len() }
}

/// A status must be OK or a catalogue code, and never a caught panic.
fn checked(call: &str, status: ims_status) -> ims_status {
    assert!(status != IMS_INTERNAL, "{call}: IMS_INTERNAL (a panic reached the boundary): {}", last_message());
    assert!(status != IMS_ENGINE_POISONED, "{call}: the handle was poisoned");
    let name = unsafe_free_cstr(ims_status_name(status));
    assert!(
        status == IMS_OK || ims_core::catalogue().iter().any(|e| e.name == name),
        "{call}: status {status} ({name})"
    );
    status
}

fn last_message() -> String {
    unsafe_free_cstr(ims_last_error_message())
}

/// A static C string owned by the library, as Rust text.
fn unsafe_free_cstr(p: *const c_char) -> String {
    if p.is_null() {
        return String::new();
    }
    // SAFETY: the library returns NUL-terminated strings it owns.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// A string the library returned, copied and freed.
fn take_string(p: *mut c_char) -> String {
    let s = unsafe_free_cstr(p);
    checked("ims_string_free", ims_string_free(p));
    s
}

/// The engine's (seq, state digest).
fn state(engine: *mut ims_engine) -> (u64, String) {
    let mut seq = 0;
    assert_eq!(checked("ims_engine_seq", ims_engine_seq(engine, &mut seq)), IMS_OK);
    let mut d: *mut c_char = ptr::null_mut();
    assert_eq!(checked("ims_engine_state_digest", ims_engine_state_digest(engine, &mut d)), IMS_OK);
    (seq, take_string(d))
}

fn new_engine() -> *mut ims_engine {
    let mut e: *mut ims_engine = ptr::null_mut();
    assert_eq!(checked("ims_engine_new", ims_engine_new(&mut e)), IMS_OK);
    for c in SETUP {
        assert_eq!(checked("setup", ims_execute_json(e, known(c), ptr::null_mut(), ptr::null_mut())), IMS_OK);
    }
    e
}

fn sale(s: &mut Script) -> ims_sale {
    ims_sale {
        item: s.text(),
        location: s.text(),
        qty: ims_qty { units: s.u64() as i64, scale: u32::from(s.byte()) },
        unit: s.text(),
        lot: s.text(),
        reference: s.text(),
        client_key: s.text(),
        occurred_at_ms: 1_735_689_600_000 + i64::from(s.byte()) * 3_600_000,
        kind: u32::from(s.byte() % 3),
    }
}

/// Runs one operation; `mutating` calls must leave the state alone when
/// they fail.
fn step(s: &mut Script, engine: &mut *mut ims_engine, replica: *mut ims_replica) {
    let e = *engine;
    let before = state(e);
    let mut out: *mut c_char = ptr::null_mut();
    let mut out_len = 0usize;
    let (call, status, mutating) = match s.byte() % 14 {
        0 => ("ims_execute_json", ims_execute_json(e, s.text(), &mut out, &mut out_len), true),
        1 => {
            let mode = u32::from(s.byte() % 3);
            ("ims_execute_batch_json", ims_execute_batch_json(e, s.text(), mode, &mut out, &mut out_len), true)
        }
        2 => ("ims_query_json", ims_query_json(e, s.text(), &mut out, &mut out_len), false),
        3 => {
            let line = sale(s);
            let mut o = ims_sale_outcome::default();
            let f = if line.kind == 1 { ims_return } else { ims_sell };
            ("ims_sell", f(e, &line, &mut o), true)
        }
        4 => {
            let lines: Vec<ims_sale> = (0..s.byte() % 6).map(|_| sale(s)).collect();
            let mut statuses = vec![0; lines.len()];
            let mut accepted = 0usize;
            let mode = u32::from(s.byte() % 3);
            let st = ims_sell_batch(e, lines.as_ptr(), lines.len(), mode, statuses.as_mut_ptr(), &mut accepted);
            for x in &statuses {
                checked("ims_sell_batch line", *x);
            }
            // Independent lines each stand alone: the call is OK with some
            // refused, so only an atomic or undecodable call must be a no-op.
            ("ims_sell_batch", st, st != IMS_OK)
        }
        5 => {
            let mut o = ims_sale_outcome::default();
            ("ims_void", ims_void(e, s.u64() % 16, s.text(), 1_735_689_600_000, &mut o), true)
        }
        6 => {
            let mut st = ims_stock::default();
            ("ims_stock_lookup", ims_stock_lookup(e, s.text(), s.text(), &mut st), false)
        }
        7 => {
            let b = s.bytes();
            let mut r: *mut ims_engine = ptr::null_mut();
            let st = ims_engine_restore(b.as_ptr(), b.len(), &mut r);
            if st == IMS_OK {
                assert_eq!(ims_engine_verify(r, &mut out), IMS_OK);
                assert_eq!(
                    take_string(std::mem::replace(&mut out, ptr::null_mut())),
                    "[]",
                    "a restored engine verifies"
                );
                checked("ims_engine_free", ims_engine_free(r));
            }
            ("ims_engine_restore", st, false)
        }
        8 => {
            let b = s.bytes();
            let mut bytes: *mut u8 = ptr::null_mut();
            let st = ims_engine_sync(e, b.as_ptr(), b.len(), s.u64(), &mut bytes, &mut out_len);
            checked("ims_bytes_free", ims_bytes_free(bytes));
            // A served request may run the replica's queued commands.
            ("ims_engine_sync", st, st != IMS_OK)
        }
        9 => {
            let b = s.bytes();
            ("ims_replica_receive", ims_replica_receive(replica, b.as_ptr(), b.len(), &mut out, &mut out_len), false)
        }
        10 => {
            let mut q = ims_qty::default();
            let st = ims_qty_parse(s.text(), &mut q);
            checked("ims_qty_parse", st);
            let q = ims_qty { units: s.u64() as i64, scale: u32::from(s.byte()) };
            ("ims_qty_format", ims_qty_format(q, &mut out, &mut out_len), false)
        }
        11 => {
            // A forged handle (any value, or the replica's as an engine):
            // refused, and the real engine untouched.
            let forged = if s.byte() % 2 == 0 { s.u64() as usize as *mut ims_engine } else { replica.cast() };
            let mut seq = 0;
            let st = ims_engine_seq(forged, &mut seq);
            assert!(forged == e || st == IMS_INVALID_HANDLE, "a forged handle was accepted");
            ("ims_engine_seq(forged)", st, false)
        }
        12 => {
            let t = 1_735_689_600_000 + (s.u64() % (400 * 86_400_000)) as i64;
            ("ims_engine_advance_to", ims_engine_advance_to(e, t, &mut out, &mut out_len), true)
        }
        _ => {
            // Free the engine and use the stale handle, then carry on with a
            // copy restored from its snapshot.
            let mut snap: *mut u8 = ptr::null_mut();
            let mut len = 0usize;
            assert_eq!(checked("ims_engine_snapshot", ims_engine_snapshot(e, &mut snap, &mut len)), IMS_OK);
            let mut copy: *mut ims_engine = ptr::null_mut();
            assert_eq!(checked("ims_engine_restore", ims_engine_restore(snap, len, &mut copy)), IMS_OK);
            checked("ims_bytes_free", ims_bytes_free(snap));
            assert_eq!(ims_engine_free(e), IMS_OK);
            let mut seq = 0;
            assert_eq!(ims_engine_seq(e, &mut seq), IMS_INVALID_HANDLE, "a freed handle is stale");
            assert_eq!(ims_engine_free(e), IMS_INVALID_HANDLE, "a double free is refused");
            *engine = copy;
            assert_eq!(state(copy), before, "a restored snapshot keeps the state digest");
            return;
        }
    };
    checked(call, status);
    if !out.is_null() {
        take_string(out);
    }
    if status != IMS_OK && mutating {
        assert_eq!(state(e), before, "{call} refused ({}) but changed the engine", last_message());
    }
}

/// `ffi`: see the module documentation for the script and what must hold.
pub fn check_ffi(data: &[u8]) {
    let mut engine = new_engine();
    let mut snap: *mut u8 = ptr::null_mut();
    let mut len = 0usize;
    assert_eq!(ims_engine_snapshot(engine, &mut snap, &mut len), IMS_OK);
    let mut replica: *mut ims_replica = ptr::null_mut();
    let st =
        ims_replica_new(known("till"), snap, len, ims_str { ptr: ptr::null(), len: 0 }, 100, 86_400_000, &mut replica);
    assert_eq!(checked("ims_replica_new", st), IMS_OK);
    checked("ims_bytes_free", ims_bytes_free(snap));
    let mut s = Script { data };
    for _ in 0..MAX_OPS {
        if s.done() {
            break;
        }
        step(&mut s, &mut engine, replica);
    }
    let mut out: *mut c_char = ptr::null_mut();
    assert_eq!(checked("ims_engine_verify", ims_engine_verify(engine, &mut out)), IMS_OK);
    assert_eq!(take_string(out), "[]", "the engine verifies at the end");
    assert_eq!(ims_replica_free(replica), IMS_OK);
    assert_eq!(ims_engine_free(engine), IMS_OK);
}
