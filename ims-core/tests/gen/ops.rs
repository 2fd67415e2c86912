//! Operations commands for the property tests, built from dice against
//! the engine's current documents (see [`ops_body`]).

use rust_decimal::Decimal;

use ims_core::{Date, Engine};

use super::{item_code, lot_code, qty_in, scope, ITEMS, Q};

/// A quantity as the JSON string of an operations command.
fn qty_str(item: &str, q: Q) -> String {
    qty_in(item, q).qty.to_string()
}

/// An operations command from dice: valid most of the time, invalid on
/// purpose sometimes (unknown documents, wrong sizes, out-of-order
/// transitions), across every flow.
pub fn ops_body(eng: &Engine, kind: u8, a: u8, b: u8, qty: Q) -> serde_json::Value {
    use serde_json::json;
    const CHANNELS: [&str; 3] = ["web", "store", "tv"];
    const BINS: [&str; 5] = ["S1/A/01", "S1/A/02", "S1/B/01", "S2/A/01", "S1/RCV"];
    let today = Date::at(eng.now(), 0);
    let item = item_code(a / 4);
    let q = qty_str(item, qty);
    let lot = lot_code(item, b);
    let ops = &eng.state().ops;
    // A transition on a document that does not exist yet mostly creates it
    // first (the rest stay refusals on purpose), so runs reach deep states.
    // The demand flow's commands take the top dice (so the other flows'
    // dice still map as they did before it existed).
    let kind = match kind {
        244..=249 => 24,
        250.. => 25,
        k => k % 24,
    };
    let kind = match kind {
        6 if ops.procurement.suppliers.len() < 2 && b % 4 != 0 => 4,
        7 | 8 if ops.procurement.orders.is_empty() && b % 4 != 0 => 6,
        18 | 19 if ops.fulfillment.orders.is_empty() && b % 4 != 0 => 17,
        20 if ops.fulfillment.pick_lists.is_empty() && b % 4 != 0 => 19,
        15 if eng.state().cat.loc_id("TR").is_none() => {
            return json!({"type": "define_location", "location": "TR", "kind": "transit"})
        }
        k => k,
    };
    let pl = |a: u8| match ops.fulfillment.pick_lists.iter().nth(a as usize % ops.fulfillment.pick_lists.len().max(1)) {
        Some((c, _)) => c.to_string(),
        None => format!("PL{a}"),
    };
    match kind {
        // Channels.
        0 => {
            let shelf = [0, 0, 2][b as usize / 3 % 3];
            json!({"type": "define_channel", "channel": CHANNELS[a as usize % 2],
                   "priority": (b % 3) as i32 - 1, "min_shelf_life_days": shelf})
        }
        1 => {
            let mut v = json!({"type": "define_channel_pool", "pool": format!("P{}", a % 3),
                               "channel": CHANNELS[b as usize % 3], "item": item, "scope": scope(b / 3)});
            let size = if qty.n % 7 == 0 { "0".to_string() } else { q };
            v[if qty.mode % 2 == 0 { "quota" } else { "all_but" }] = json!(size);
            v
        }
        2 => json!({"type": "remove_channel_pool", "pool": format!("P{}", a % 4)}),
        // Profiles.
        3 => json!({"type": "set_item_profile", "item": item, "category": (["dry", "cold"][b as usize % 2]),
                     "weight_kg": format!("0.{}", b % 9 + 1), "volume_l": "1"}),
        // Procurement.
        4 => json!({"type": "define_supplier", "supplier": format!("SUP{}", (a ^ b) % 2), "currency": "EUR",
                     "lead_time_mean_days": "3", "lead_time_sd_days": "1", "tolerance_over_pct": "10",
                     "tolerance_under_pct": "10"}),
        5 => json!({"type": "set_supplier_item", "supplier": format!("SUP{}", b % 3), "item": item,
                     "unit_price": "1.25", "pack_size": "1", "allow_unplanned": b % 2 == 0}),
        6 => json!({"type": "create_po", "po": format!("PO{}", b % 4), "supplier": format!("SUP{}", a % 2),
                     "lines": [{"item": item, "qty": q, "expected": today.plus((b % 5) as i32), "location": "S1/RCV"}]}),
        7 => {
            let ty = ["confirm_po", "confirm_po", "cancel_po", "close_po"][b as usize % 4];
            json!({"type": ty, "po": format!("PO{}", a % 4)})
        }
        8 => {
            let mut line = json!({"po_line": 1 + b % 2, "qty": q});
            if let Some(l) = lot {
                line["lot"] = json!(l);
                line["expiry"] = json!(today.plus(30));
            }
            json!({"type": "receive_po", "grn": format!("G{a}-{b}"), "po": format!("PO{}", a % 4),
                   "location": if b % 5 == 0 { "S1/Q" } else { "S1/RCV" }, "lines": [line]})
        }
        // Warehouse: bins, rules, putaway, counts, transfers.
        9 => json!({"type": "define_bin", "location": BINS[a as usize % 4], "max_units": format!("{}", 5 + b % 40),
                     "mix_items": b % 2 == 0, "mix_lots": b % 3 != 0}),
        10 => json!({"type": "define_putaway_rule", "rule": format!("R{}", a % 2), "priority": b % 3,
                      "zones": [(["S1/WH", "S1/A", "S1/B"][b as usize % 3])]}),
        11 => {
            // Mostly what really waits at receiving (free stock of a bucket).
            let waiting = ITEMS.iter().find_map(|i| {
                let rows = eng.balances(i).unwrap_or_default();
                let b = rows.into_iter().find(|b| &*b.location == "S1/RCV" && b.on_hand > b.reserved)?;
                Some((i.to_string(), b.lot.map(|l| l.to_string()), b.on_hand - b.reserved))
            });
            let (item, lot, q) = match waiting {
                Some((i, l, free)) if b % 5 != 0 => (i, l, free.to_string()),
                _ => (item.to_string(), lot, q),
            };
            let mut v = json!({"type": "putaway", "from": "S1/RCV", "item": item, "qty": q});
            if let Some(l) = lot {
                v["lot"] = json!(l);
            }
            if b % 4 == 0 {
                v["to"] = json!(BINS[a as usize % 3]);
            }
            v
        }
        12 => {
            let mut v = json!({"type": "issue_count", "task": format!("T{}", a % 3), "blind": b % 2 == 0,
                               "tolerance_units": format!("{}", b % 3)});
            v[if b % 3 == 0 { "item" } else { "location" }] = if b % 3 == 0 { json!(item) } else { json!("S1/A") };
            v
        }
        13 => {
            let bal = eng.balances(item).unwrap_or_default();
            let lines: Vec<_> = bal
                .iter()
                .filter(|r| r.location.starts_with("S1/A"))
                .map(|r| {
                    let counted = (r.on_hand + Decimal::from(b % 3) - Decimal::ONE).max(Decimal::ZERO);
                    json!({"item": item, "location": r.location, "lot": r.lot, "counted": counted.to_string()})
                })
                .collect();
            json!({"type": "enter_count", "task": format!("T{}", a % 3), "lines": lines})
        }
        14 => {
            let ty = ["approve_count", "reject_count", "cancel_count"][b as usize % 3];
            json!({"type": ty, "task": format!("T{}", a % 3)})
        }
        15 => {
            let mut line = json!({"item": item, "qty": q});
            if let Some(l) = lot {
                line["lot"] = json!(l);
            }
            json!({"type": "create_transfer", "transfer": format!("TF{}", b % 3), "from": BINS[a as usize % 3],
                   "to": "S2/A/01", "transit": if b % 5 == 0 { "S1/Q" } else { "TR" },
                   "expected_arrival": today.plus(2), "lines": [line]})
        }
        16 => {
            let ty = ["ship_transfer", "cancel_transfer"][b as usize % 2];
            json!({"type": ty, "transfer": format!("TF{}", a % 3)})
        }
        // Fulfillment.
        17 => json!({"type": "create_sales_order", "order": format!("SO{}", b % 4),
                      "lines": [{"line": "1", "item": item, "qty": q}], "requested_ship_date": today,
                      "scope": (["S1", "S1/WH", "*"][a as usize % 3]), "ship_to_zone": "Z1"}),
        18 => json!({"type": "allocate_order", "order": format!("SO{}", a % 4)}),
        19 => json!({"type": "create_pick_list", "pick_list": format!("PL{a}"), "orders": [format!("SO{}", b % 4)],
                      "staging": "S1/STG"}),
        20 => {
            let pl = pl(a);
            let want = eng.pick_list(&pl).and_then(|v| v.tasks.first().map(|t| t.qty)).unwrap_or(Decimal::ONE);
            let picked = if b % 3 == 0 { (want - Decimal::ONE).max(Decimal::ZERO) } else { want };
            json!({"type": "confirm_pick", "pick_list": pl, "task": 1 + b % 2, "picked": picked.to_string()})
        }
        // Scanning and kits.
        21 => {
            json!({"type": "assign_barcode", "barcode": (["4006381333931", "036000291452", "96385074"][b as usize % 3]),
                      "item": item})
        }
        22 => {
            json!({"type": "define_kit", "kit": "C", "components": [{"item": (["U", "W", "L"][b as usize % 3]), "qty": "1"}]})
        }
        23 => {
            json!({"type": (["sell_kit", "reserve_kit"][b as usize % 2]), "kit": "C", "location": BINS[a as usize % 4],
                     "reservation": format!("K{}", a % 4), "scope": "S1", "qty": "1"})
        }
        // Demand: lost demand (now and then at a virtual location: refused)
        // and standard costs (now and then negative: refused; rarely in a
        // second currency, which valuation then refuses to add).
        24 => {
            let loc = if b % 7 == 0 { "@customer" } else { BINS[a as usize % 5] };
            json!({"type": "record_lost_demand", "item": item, "location": loc, "qty": q,
                   "reason": (["out_of_stock", "price"][b as usize % 2])})
        }
        _ => {
            let mut v = json!({"type": "set_item_cost", "item": item,
                               "unit_cost": if b % 9 == 0 { "-1".to_string() } else { format!("{}.{}", b % 7, a % 10) }});
            match b % 11 {
                0 => v["currency"] = json!("USD"),
                1..=5 => v["currency"] = json!("EUR"),
                _ => {}
            }
            v
        }
    }
}
