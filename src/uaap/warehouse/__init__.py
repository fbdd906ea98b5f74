"""The DuckDB warehouse: connection, migrations, views, the single writer and readers."""

from uaap.warehouse.db import WarehouseLocked, connect, fetch_dicts, insert_rows, open_warehouse

__all__ = ["WarehouseLocked", "connect", "fetch_dicts", "insert_rows", "open_warehouse"]
