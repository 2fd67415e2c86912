//! Packing picked quantities into packages, and shipping packages (the
//! commit of the line reservations to the customer).

use rust_decimal::Decimal;

use crate::catalog::LocationKind;
use crate::command::{BucketPick, Commit, QtyIn, Remainder};
use crate::error::Error;
use crate::event::Event;
use crate::ids::Code;
use crate::qty::Minor;
use crate::state::State;
use crate::time::Millis;

use super::order::{emit, find};
use super::{line_reservation, ContentIn, Ev, OrderStatus, Package, PackageLine};

pub(super) fn pack(
    st: &mut State,
    package: &str,
    order: &str,
    contents: &[ContentIn],
    weight_kg: Option<Decimal>,
    out: &mut Vec<Event>,
) -> Result<(), Error> {
    State::check_code("package", package)?;
    if contents.is_empty() {
        return Err(Error::EmptyFulfillmentList { field: "contents" });
    }
    for (i, c) in contents.iter().enumerate() {
        State::check_code("line", &c.line)?;
        State::check_sign("qty", c.qty, crate::exec::Sign::Positive)?;
        if contents[..i].iter().any(|o| o.line == c.line) {
            return Err(Error::DuplicateEntry { field: "contents", code: c.line.clone() });
        }
    }
    if let Some(w) = weight_kg {
        if w <= Decimal::ZERO {
            return Err(Error::InvalidWeight { field: "weight_kg", weight_kg: w });
        }
    }
    let o = find(st, order)?;
    let mut lines = Vec::with_capacity(contents.len());
    for c in contents {
        let l = o.line(&c.line).ok_or_else(|| Error::UnknownOrderLine { order: order.into(), line: c.line.clone() })?;
        let item = st.find_item(&l.item)?;
        let qty = st.to_minor(item, &QtyIn::base(c.qty))?;
        lines.push((l, item, qty));
    }
    use OrderStatus::*;
    if !matches!(o.status, Picking | Packed | PartiallyShipped) {
        return Err(Error::OrderNotPackable { order: order.into(), status: o.status.name() });
    }
    if st.ops.fulfillment.packages.contains(package) {
        return Err(Error::PackageIdConflict { package: package.into() });
    }
    for (l, item, qty) in &lines {
        let free = l.picked - l.packed;
        if *qty > free {
            return Err(Error::OverPack {
                order: order.into(),
                line: l.line.to_string(),
                requested: st.dec(*item, *qty as i128),
                available: st.dec(*item, free as i128),
            });
        }
    }
    // Weight from the item profiles (kilograms per base unit) when not
    // given; unknown when some item has no weight.
    let weight_kg = weight_kg.map(|w| w.normalize()).or_else(|| {
        let mut sum = Decimal::ZERO;
        for (l, item, qty) in &lines {
            let w = st.ops.profiles.items.get(&l.item)?.weight_kg?;
            sum = sum.checked_add(w.checked_mul(st.dec(*item, *qty as i128))?)?;
        }
        Some(sum.normalize())
    });
    let doc = Package {
        order: order.into(),
        contents: lines
            .iter()
            .map(|(l, _, qty)| PackageLine { line: l.line.clone(), item: l.item.clone(), qty: *qty })
            .collect(),
        weight_kg,
        shipped: false,
    };
    emit(st, out, Ev::Packed { package: package.into(), doc })
}

pub(super) fn ship(
    st: &mut State,
    order: &str,
    packages: &[String],
    at: Millis,
    out: &mut Vec<Event>,
) -> Result<(), Error> {
    if packages.is_empty() {
        return Err(Error::EmptyFulfillmentList { field: "packages" });
    }
    for (i, p) in packages.iter().enumerate() {
        State::check_code("package", p)?;
        if packages[..i].contains(p) {
            return Err(Error::DuplicateEntry { field: "packages", code: p.clone() });
        }
    }
    let o = find(st, order)?;
    for p in packages {
        if !st.ops.fulfillment.packages.contains(p) {
            return Err(Error::UnknownPackage { package: p.clone() });
        }
    }
    use OrderStatus::*;
    if !matches!(o.status, Picking | Packed | PartiallyShipped) {
        return Err(Error::OrderNotShippable { order: order.into(), status: o.status.name() });
    }
    // Quantity per line over the packages.
    let mut per_line: Vec<(Code, Minor)> = Vec::new();
    for p in packages {
        let Some(pkg) = st.ops.fulfillment.packages.get(p) else { continue };
        if &*pkg.order != order {
            return Err(Error::PackageNotInOrder {
                package: p.clone(),
                order: order.into(),
                belongs_to: pkg.order.to_string(),
            });
        }
        if pkg.shipped {
            return Err(Error::PackageAlreadyShipped { package: p.clone() });
        }
        for c in &pkg.contents {
            match per_line.iter_mut().find(|x| x.0 == c.line) {
                Some(x) => x.1 += c.qty,
                None => per_line.push((c.line.clone(), c.qty)),
            }
        }
    }
    per_line.sort();
    // Each line commits what its packages hold, from the staging buckets its
    // reservation holds (the picked stock), to the order's customer.
    let mut commits = Vec::with_capacity(per_line.len());
    for (line, qty) in &per_line {
        let Some(l) = o.line(line) else { continue };
        let code = line_reservation(order, line);
        let rid = st.active_reservation(&code)?;
        let item = st.res[rid.ix()].item;
        let mut rest = *qty;
        let mut buckets = Vec::new();
        for a in &st.res[rid.ix()].allocs {
            if rest == 0 {
                break;
            }
            if st.cat.loc(a.loc).kind != LocationKind::Staging {
                continue;
            }
            let q = a.qty.min(rest);
            rest -= q;
            buckets.push(BucketPick {
                location: st.cat.loc(a.loc).code.to_string(),
                lot: st.cat.lot_code(a.lot).map(|c| c.to_string()),
                qty: st.dec(item, q as i128),
            });
        }
        if rest > 0 {
            // Packed stock left staging: the reservation no longer holds it.
            return Err(Error::InsufficientStock {
                item: l.item.to_string(),
                location: "staging".into(),
                lot: None,
                requested: st.dec(item, *qty as i128),
                available: st.dec(item, (qty - rest) as i128),
            });
        }
        commits.push(Commit {
            reservation: code,
            qty: Some(st.dec(item, *qty as i128)),
            unit: None,
            buckets: Some(buckets),
            destination: Some(o.customer.to_string()),
            remainder: Remainder::Keep,
            reference: Some(order.into()),
        });
    }
    let done = o.lines.iter().all(|l| {
        let now = per_line.iter().find(|x| x.0 == l.line).map_or(0, |x| x.1);
        l.shipped + now >= l.qty
    });
    // Point of no failure (each commit was checked above against what its
    // reservation holds in staging).
    for c in &commits {
        st.commit(c, at, out)?;
    }
    let status = if done { Shipped } else { PartiallyShipped };
    let ev = Ev::OrderShipped {
        order: order.into(),
        packages: packages.iter().map(|p| p.as_str().into()).collect(),
        status,
    };
    emit(st, out, ev)
}
