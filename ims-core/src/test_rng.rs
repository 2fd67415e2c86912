//! A seeded xorshift stream for the unit tests: reproducible on every
//! platform, no dependency.

/// Each call gives a number below `m` (`m` > 0).
pub(crate) fn below(mut x: u64) -> impl FnMut(u64) -> u64 {
    move |m| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % m
    }
}
