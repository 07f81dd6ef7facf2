#!/usr/bin/env python3
"""The bench table's rows on SQLite or MariaDB, the same as bench/http.sh's PostgreSQL seed.

    bench/seed.py sqlite FILE ROWS   # empties `items` in the SQLite file and inserts ROWS rows
    bench/seed.py mysql ROWS         # prints the SQL that does it on MySQL or MariaDB

Row g (1..ROWS) is 'Item 0000g', category books/games/tools/music by g % 4, price
(g * 7919) % 100000, stock g % 500, active unless g is a multiple of 10, and created and
updated g minutes after 2026-01-01 00:00 UTC; ids start at 1 again, so that every id
bench/wrk/bench.lua asks for exists. Each database gets its timestamps in the form the
generated API writes there.
"""
import sqlite3
import sys
from datetime import datetime, timedelta, timezone

CATEGORIES = ["books", "games", "tools", "music"]
START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def rows(count):
    for g in range(1, count + 1):
        at = START + timedelta(minutes=g)
        yield (
            f"Item {g:05d}",
            CATEGORIES[g % 4],
            (g * 7919) % 100000,
            g % 500,
            g % 10 != 0,
            at,
        )


def sqlite(path, count):
    db = sqlite3.connect(path)
    with db:
        db.execute("DELETE FROM items")
        db.execute("DELETE FROM sqlite_sequence WHERE name = 'items'")
        db.executemany(
            "INSERT INTO items (name, category, price, stock, active, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (name, category, price, stock, int(active), at.isoformat(), at.isoformat())
                for name, category, price, stock, active, at in rows(count)
            ),
        )
    db.execute("ANALYZE")
    db.close()


def mysql(count):
    out = sys.stdout
    out.write("SET time_zone = '+00:00';\nTRUNCATE TABLE items;\n")
    batch = []
    for name, category, price, stock, active, at in rows(count):
        stamp = at.strftime("%Y-%m-%d %H:%M:%S")
        batch.append(
            f"('{name}', '{category}', {price}, {stock}, {int(active)}, '{stamp}', '{stamp}')"
        )
        if len(batch) == 1000:
            flush(out, batch)
    flush(out, batch)
    out.write("ANALYZE TABLE items;\n")


def flush(out, batch):
    if batch:
        out.write(
            "INSERT INTO items (name, category, price, stock, active, created_at, updated_at) VALUES\n"
            + ",\n".join(batch)
            + ";\n"
        )
        batch.clear()


if __name__ == "__main__":
    match sys.argv[1:]:
        case ["sqlite", path, count]:
            sqlite(path, int(count))
        case ["mysql", count]:
            mysql(int(count))
        case _:
            sys.exit(__doc__)
