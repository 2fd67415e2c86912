//! The baseline: the same reserve / commit / release / expiry / ATP
//! semantics as an embedded POS or a small storefront backend builds them
//! on SQLite today. Written to be fair to SQLite:
//!
//! * every statement prepared once and cached (`prepare_cached`);
//! * the query planner's stability guarantee on
//!   (`SQLITE_DBCONFIG_ENABLE_QPSG`): without it SQLite may re-prepare the
//!   FEFO candidate query when its parameters change;
//! * tables `WITHOUT ROWID` on their natural keys, so a balance lookup is
//!   one B-tree descent; a partial index on the open holds' expiry, so the
//!   sweep reads only what is due;
//! * locations numbered in walk order, so a subtree is a range of ids and
//!   "the bins of the warehouse" is `loc BETWEEN lo AND hi`;
//! * refusals are decided by reads before any write, so a batch needs no
//!   savepoints.
//!
//! One transaction per operation is what a till does; `batch` groups that
//! many operations into one transaction (the batched variant).

use rusqlite::config::DbConfig;
use rusqlite::{params, Connection, OptionalExtension};

use crate::workload::{bin, res_code, sku, Ask, Op, Shape, Tally, Where, STOCK, T0, TTL_MS};

const SCHEMA: &str = "
CREATE TABLE item (code TEXT PRIMARY KEY, id INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE loc (code TEXT PRIMARY KEY, id INTEGER NOT NULL, lo INTEGER NOT NULL, hi INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE balance (
  item INTEGER NOT NULL, loc INTEGER NOT NULL, expiry INTEGER NOT NULL,
  on_hand INTEGER NOT NULL, reserved INTEGER NOT NULL,
  PRIMARY KEY (item, loc)) WITHOUT ROWID;
CREATE TABLE hold (
  code TEXT PRIMARY KEY, item INTEGER NOT NULL, qty INTEGER NOT NULL,
  expires_at INTEGER NOT NULL, state INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX hold_due ON hold (expires_at) WHERE state = 0;
CREATE TABLE alloc (hold TEXT NOT NULL, loc INTEGER NOT NULL, qty INTEGER NOT NULL, PRIMARY KEY (hold, loc)) WITHOUT ROWID;
CREATE TABLE move (id INTEGER PRIMARY KEY, item INTEGER NOT NULL, loc INTEGER NOT NULL, qty INTEGER NOT NULL, at INTEGER NOT NULL, hold TEXT);
";

/// Hold states.
const OPEN: i64 = 0;
const COMMITTED: i64 = 1;
const RELEASED: i64 = 2;
const EXPIRED: i64 = 3;

/// Where the database lives.
#[derive(Clone, Copy, Debug)]
pub enum Mode {
    Memory,
    /// A file in WAL mode, `synchronous = NORMAL`: a committed transaction
    /// survives a crash of the process, not necessarily a power loss.
    WalFile,
}

pub struct Sqlite {
    conn: Connection,
    now: i64,
    pub tally: Tally,
}

impl Sqlite {
    /// A store of `s.items` SKUs with `STOCK` units in each of `s.bins` bins.
    pub fn build(s: &Shape, mode: Mode, path: &std::path::Path) -> rusqlite::Result<Sqlite> {
        let conn = match mode {
            Mode::Memory => Connection::open_in_memory()?,
            Mode::WalFile => {
                for ext in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
                }
                let c = Connection::open(path)?;
                let mode: String = c.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
                assert_eq!(mode, "wal", "SQLite runs in WAL mode");
                c.pragma_update(None, "synchronous", "NORMAL")?;
                c
            }
        };
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
        conn.set_prepared_statement_cache_capacity(32);
        conn.execute_batch(SCHEMA)?;
        {
            let tx = conn.unchecked_transaction()?;
            // Walk order: the warehouse (id 0) spans its bins (ids 1..=bins).
            tx.execute("INSERT INTO loc VALUES ('WH', 0, 0, ?1)", params![s.bins as i64])?;
            for b in 0..s.bins {
                let id = 1 + b as i64;
                tx.execute("INSERT INTO loc VALUES (?1, ?2, ?2, ?2)", params![bin(b), id])?;
            }
            let mut item = tx.prepare("INSERT INTO item VALUES (?1, ?2)")?;
            let mut bal = tx.prepare("INSERT INTO balance VALUES (?1, ?2, ?3, ?4, 0)")?;
            for i in 0..s.items {
                item.execute(params![sku(i), i])?;
                for b in 0..s.bins {
                    // No lots: every bucket's expiry is "never" (FEFO then
                    // falls back to walk order, as in ims).
                    bal.execute(params![i, 1 + b as i64, i64::MAX, STOCK])?;
                }
            }
            drop((item, bal));
            tx.commit()?;
        }
        if std::env::var_os("IMS_VS_ANALYZE").is_some() {
            conn.execute_batch("ANALYZE")?;
        }
        Ok(Sqlite { conn, now: T0, tally: Tally::default() })
    }

    /// Runs the writes, `batch` operations to a transaction.
    pub fn run(&mut self, ops: &[Op], batch: usize) -> rusqlite::Result<()> {
        for chunk in ops.chunks(batch) {
            self.conn.execute_batch("BEGIN")?;
            for op in chunk {
                self.op(op)?;
            }
            self.conn.execute_batch("COMMIT")?;
        }
        Ok(())
    }

    fn op(&mut self, op: &Op) -> rusqlite::Result<()> {
        match *op {
            Op::Reserve { res, item, at, qty } => self.reserve(&res_code(res), &sku(item), at, qty as i64),
            Op::Commit { res } => self.commit(&res_code(res)),
            Op::Release { res } => self.release(&res_code(res)),
            Op::Tick => self.tick(),
        }
    }

    fn scope(&self, at: Where) -> rusqlite::Result<(i64, i64)> {
        let code = match at {
            Where::Site => "WH".to_owned(),
            Where::Bin(b) => bin(b),
        };
        self.conn
            .prepare_cached("SELECT lo, hi FROM loc WHERE code = ?1")?
            .query_row([code], |r| Ok((r.get(0)?, r.get(1)?)))
    }

    fn item_id(&self, code: &str) -> rusqlite::Result<i64> {
        self.conn.prepare_cached("SELECT id FROM item WHERE code = ?1")?.query_row([code], |r| r.get(0))
    }

    fn reserve(&mut self, code: &str, item_code: &str, at: Where, qty: i64) -> rusqlite::Result<()> {
        let item = self.item_id(item_code)?;
        let (lo, hi) = self.scope(at)?;
        // FEFO: earliest expiry first, then walk order.
        let mut cands: Vec<(i64, i64)> = Vec::with_capacity(8);
        {
            let mut st = self.conn.prepare_cached(
                "SELECT loc, on_hand - reserved FROM balance
                 WHERE item = ?1 AND loc BETWEEN ?2 AND ?3 AND on_hand > reserved
                 ORDER BY expiry, loc",
            )?;
            let mut rows = st.query(params![item, lo, hi])?;
            while let Some(r) = rows.next()? {
                cands.push((r.get(0)?, r.get(1)?));
            }
        }
        if cands.iter().map(|c| c.1).sum::<i64>() < qty {
            self.tally.refused_short += 1;
            return Ok(());
        }
        self.conn.prepare_cached("INSERT INTO hold VALUES (?1, ?2, ?3, ?4, 0)")?.execute(params![
            code,
            item,
            qty,
            self.now + TTL_MS
        ])?;
        let mut left = qty;
        for (loc, free) in cands {
            if left == 0 {
                break;
            }
            let q = free.min(left);
            self.conn
                .prepare_cached("UPDATE balance SET reserved = reserved + ?3 WHERE item = ?1 AND loc = ?2")?
                .execute(params![item, loc, q])?;
            self.conn.prepare_cached("INSERT INTO alloc VALUES (?1, ?2, ?3)")?.execute(params![code, loc, q])?;
            left -= q;
        }
        self.tally.reserved += 1;
        Ok(())
    }

    /// The open hold named `code`: its item, or None.
    fn open_hold(&self, code: &str) -> rusqlite::Result<Option<i64>> {
        let row: Option<(i64, i64)> = self
            .conn
            .prepare_cached("SELECT item, state FROM hold WHERE code = ?1")?
            .query_row([code], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(row.filter(|r| r.1 == OPEN).map(|r| r.0))
    }

    fn allocs(&self, code: &str) -> rusqlite::Result<Vec<(i64, i64)>> {
        let mut st = self.conn.prepare_cached("SELECT loc, qty FROM alloc WHERE hold = ?1")?;
        let rows = st.query_map([code], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect()
    }

    fn commit(&mut self, code: &str) -> rusqlite::Result<()> {
        let Some(item) = self.open_hold(code)? else {
            self.tally.refused_not_open += 1;
            return Ok(());
        };
        for (loc, q) in self.allocs(code)? {
            self.conn
                .prepare_cached(
                    "UPDATE balance SET on_hand = on_hand - ?3, reserved = reserved - ?3 WHERE item = ?1 AND loc = ?2",
                )?
                .execute(params![item, loc, q])?;
            // The ledger line of the shipment (ims records the move too).
            self.conn
                .prepare_cached("INSERT INTO move (item, loc, qty, at, hold) VALUES (?1, ?2, ?3, ?4, ?5)")?
                .execute(params![item, loc, -q, self.now, code])?;
        }
        self.finish(code, COMMITTED)?;
        self.tally.committed += 1;
        Ok(())
    }

    fn release(&mut self, code: &str) -> rusqlite::Result<()> {
        let Some(item) = self.open_hold(code)? else {
            self.tally.refused_not_open += 1;
            return Ok(());
        };
        self.give_back(code, item)?;
        self.finish(code, RELEASED)?;
        self.tally.released += 1;
        Ok(())
    }

    fn give_back(&self, code: &str, item: i64) -> rusqlite::Result<()> {
        for (loc, q) in self.allocs(code)? {
            self.conn
                .prepare_cached("UPDATE balance SET reserved = reserved - ?3 WHERE item = ?1 AND loc = ?2")?
                .execute(params![item, loc, q])?;
        }
        Ok(())
    }

    fn finish(&self, code: &str, state: i64) -> rusqlite::Result<()> {
        self.conn.prepare_cached("UPDATE hold SET state = ?2 WHERE code = ?1")?.execute(params![code, state])?;
        Ok(())
    }

    /// One second passes; the holds due by now expire.
    fn tick(&mut self) -> rusqlite::Result<()> {
        self.now += 1_000;
        let due: Vec<(String, i64)> = {
            let mut st = self.conn.prepare_cached(
                "SELECT code, item FROM hold WHERE state = 0 AND expires_at <= ?1 ORDER BY expires_at, code",
            )?;
            let rows = st.query_map([self.now], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for (code, item) in due {
            self.give_back(&code, item)?;
            self.finish(&code, EXPIRED)?;
            self.tally.expired += 1;
        }
        Ok(())
    }

    /// Available now: the free units of the item's bins in the scope.
    pub fn available(&self, a: &Ask) -> rusqlite::Result<i64> {
        let item = self.item_id(&sku(a.item))?;
        let (lo, hi) = self.scope(a.at)?;
        self.conn
            .prepare_cached(
                "SELECT COALESCE(SUM(on_hand - reserved), 0) FROM balance
                 WHERE item = ?1 AND loc BETWEEN ?2 AND ?3",
            )?
            .query_row(params![item, lo, hi], |r| r.get(0))
    }

    /// Every (item, bin) with its on-hand and reserved, in order.
    pub fn balances(&self) -> rusqlite::Result<Vec<(i64, i64, i64, i64)>> {
        let mut st = self.conn.prepare("SELECT item, loc, on_hand, reserved FROM balance ORDER BY item, loc")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        rows.collect()
    }
}
